import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems } from 'n8n-workflow';

import { defaultCallOptions } from '../../shared/descriptions';
import { odataField, odataString } from '../../shared/odata';
import { fillPath } from '../../shared/url';
import type { RequestContext } from '../../shared/http';
import type { CallOptions } from '../../shared/descriptions';
import { vsaList } from '../transport';

/**
 * Pick-list data, read through the same transport as the operations (login, retries, paging). A
 * failing lookup throws, so the editor shows the error instead of an empty list that looks like
 * "nothing there".
 */
export interface Lookup {
	path: string;
	/** Field searched with substringof when the user types. */
	nameField: string;
	/** Server-side sort for a stable list. */
	orderby?: string;
	toItem: (row: IDataObject) => INodeListSearchItems;
	/** Adds context to the names after the rows are read (e.g. the organization of a machine group). */
	decorate?: (ctx: ILoadOptionsFunctions, rows: IDataObject[], items: INodeListSearchItems[]) => Promise<void>;
}

const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));

/**
 * Record fields of each list: PSK Types/KaseyaDefinitions.cs (KAgent, KOrganization, KMachineGroup,
 * KAgentProcedure); custom fields: KAT VSAModule/public/New-VSACustomField.ps1 (FieldName, FieldType).
 * Rows: docs/evidence/kaseya-vsa.json.
 */
export const LOOKUPS = {
	agents: {
		path: '/assetmgmt/agents',
		nameField: 'AgentName',
		orderby: 'AgentName',
		toItem: (r) => ({ name: text(r.AgentName), value: text(r.AgentId), description: [r.OperatingSystem, r.OSInfo].filter(Boolean).join(' ') }),
	},
	organizations: {
		path: '/system/orgs',
		nameField: 'OrgName',
		orderby: 'OrgName',
		toItem: (r) => ({ name: text(r.OrgName), value: text(r.OrgId), description: text(r.OrgRef) }),
	},
	machineGroups: {
		path: '/system/machinegroups',
		nameField: 'MachineGroupName',
		orderby: 'MachineGroupName',
		toItem: (r) => ({ name: text(r.MachineGroupName), value: text(r.MachineGroupId) }),
		// Group names repeat across organizations ("root", "servers"): show whose group it is.
		decorate: async (ctx, rows, items) => {
			if (rows.length === 0) return;
			const orgs = await vsaList(ctx, '/system/orgs', {}, defaultCallOptions());
			const names = new Map(orgs.map((o) => [text(o.OrgId), text(o.OrgName)]));
			rows.forEach((row, i) => {
				const org = names.get(text(row.OrgId));
				if (org) items[i].name = `${items[i].name} (${org})`;
			});
		},
	},
	serviceDesks: {
		path: '/automation/servicedesks',
		nameField: 'ServiceDeskName',
		orderby: 'ServiceDeskName',
		toItem: (r) => ({ name: text(r.ServiceDeskName), value: text(r.ServiceDeskId), description: text(r.Description) }),
	},
	procedures: {
		path: '/automation/agentprocs',
		nameField: 'AgentProcedureName',
		orderby: 'AgentProcedureName',
		toItem: (r) => ({ name: text(r.AgentProcedureName), value: text(r.AgentProcedureId), description: text(r.Path) }),
	},
	customFields: {
		path: '/assetmgmt/assets/customfields',
		nameField: 'FieldName',
		orderby: 'FieldName',
		toItem: (r) => ({ name: text(r.FieldName), value: text(r.FieldName), description: text(r.FieldType) }),
	},
	// Staff are named by StaffFullName (PSK Functions/Staff.ps1 filters on it; KAT public/New-VSAStaff.ps1 sends it).
	staff: {
		path: '/system/staff',
		nameField: 'StaffFullName',
		orderby: 'StaffFullName',
		toItem: (r) => ({ name: text(r.StaffFullName), value: text(r.StaffId), description: text(r.Function) }),
	},
	// Asset types: KAT VSAModule/private/VSAEndpointMaps.ps1 (Get-VSAAssetType); fields PSK KAssetType.
	assetTypes: {
		path: '/assetmgmt/assettypes',
		nameField: 'AssetTypeName',
		orderby: 'AssetTypeName',
		toItem: (r) => ({ name: text(r.AssetTypeName), value: text(r.AssetTypeId) }),
	},
} satisfies Record<string, Lookup>;

/** Page size of a searchable list (one VSA page). */
export const SEARCH_PAGE = 100;

/** One page of a searchable list; `next` is the offset of the following page, if there may be one. */
export async function searchPage(ctx: ILoadOptionsFunctions, lookup: Lookup, filter: string | undefined, offset: number): Promise<{ items: INodeListSearchItems[]; next?: number }> {
	const term = (filter ?? '').trim();
	const rows = await vsaList(
		ctx,
		lookup.path,
		{
			filter: term ? `substringof(${odataString(term)}, ${odataField(lookup.nameField)})` : undefined,
			orderby: lookup.orderby ? odataField(lookup.orderby) : undefined,
			limit: SEARCH_PAGE,
			offset,
		},
		defaultCallOptions(),
	);
	const items = rows.map(lookup.toItem);
	await lookup.decorate?.(ctx, rows, items);
	return { items, next: rows.length >= SEARCH_PAGE ? offset + SEARCH_PAGE : undefined };
}

/** The whole list, as options (small lists: organizations, groups, desks, lookups of a desk). */
export async function allOptions(ctx: ILoadOptionsFunctions, lookup: Lookup): Promise<INodeListSearchItems[]> {
	const rows = await vsaList(ctx, lookup.path, { orderby: lookup.orderby ? odataField(lookup.orderby) : undefined }, defaultCallOptions());
	const items = rows.map(lookup.toItem);
	await lookup.decorate?.(ctx, rows, items);
	return items;
}

/** The Service Desk chosen in the node (digits), or undefined while none is chosen. */
export function currentDeskId(ctx: ILoadOptionsFunctions): string | undefined {
	const value = ctx.getCurrentNodeParameter('serviceDeskId', { extractValue: true });
	const id = value === undefined || value === null ? '' : String(value).trim();
	return /^\d{1,30}$/.test(id) ? id : undefined;
}

/**
 * The per-desk lookups and the record fields they answer with. Statuses, priorities and categories:
 * `{StatusId, StatusName}`, `{PriorityId, PriorityName}`, `{CategoryId, CategoryName}` (Evidence: KAT
 * VSAModule/public/New-VSASDTicket.ps1, PSK Functions/Service Desks.ps1). Custom fields: UNSEEN (no
 * public client reads that record), so the id and name are taken from the first field present of a
 * short list, led by the spelling the other lookups suggest.
 */
export const DESK_LOOKUPS = {
	status: { path: 'status', idFields: ['StatusId'], nameFields: ['StatusName'], label: 'status', plural: 'statuses' },
	priority: { path: 'priorities', idFields: ['PriorityId'], nameFields: ['PriorityName'], label: 'priority', plural: 'priorities' },
	category: { path: 'categories', idFields: ['CategoryId'], nameFields: ['CategoryName'], label: 'category', plural: 'categories' },
	customField: { path: 'customfields', idFields: ['CustomFieldId', 'FieldId', 'Id'], nameFields: ['FieldName', 'Caption', 'Name'], label: 'custom field', plural: 'custom fields' },
} as const;

export type DeskLookupKind = keyof typeof DESK_LOOKUPS;

export interface DeskEntry {
	id: string;
	name: string;
}

function firstText(row: IDataObject, fields: readonly string[]): string {
	for (const field of fields) {
		const value = text(row[field]);
		if (value !== '') return value;
	}
	return '';
}

/**
 * Every entry of one lookup of a desk. Priorities come sorted by name: the desk answers them in its own
 * order (e.g. Medium, Critical, High, Low) and the lookup has no order field a client could use.
 */
export async function deskEntries(ctx: RequestContext, deskId: string, kind: DeskLookupKind, options: CallOptions = defaultCallOptions(), itemIndex?: number): Promise<DeskEntry[]> {
	const spec = DESK_LOOKUPS[kind];
	const rows = await vsaList(ctx, fillPath(`/automation/servicedesks/{deskId}/${spec.path}`, { deskId }), { itemIndex }, options);
	const entries = rows.map((row) => ({ id: firstText(row, spec.idFields), name: firstText(row, spec.nameFields) })).filter((e) => e.id !== '');
	if (kind === 'priority') entries.sort((a, b) => a.name.localeCompare(b.name));
	return entries;
}
