import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { defaultCallOptions } from '../../shared/descriptions';
import { odataField, odataString } from '../../shared/odata';
import { fillPath } from '../../shared/url';
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

/** The Service Desk chosen in the node, needed for its statuses, priorities and fields. */
export function currentDeskId(ctx: ILoadOptionsFunctions): string {
	const value = ctx.getCurrentNodeParameter('serviceDeskId', { extractValue: true });
	const id = value === undefined || value === null ? '' : String(value).trim();
	if (!/^\d{1,30}$/.test(id)) {
		throw new NodeOperationError(ctx.getNode(), 'Choose a Service Desk first', {
			description: 'The list depends on the desk: select the Service Desk parameter above (or enter its ID), then open this list again.',
		});
	}
	return id;
}

/** Statuses, priorities or custom fields of one desk (reference §3.10). */
export function deskLookup(deskId: string, kind: 'status' | 'priorities' | 'customfields', valueOf: 'id' | 'name'): Lookup {
	return {
		path: fillPath(`/automation/servicedesks/{deskId}/${kind}`, { deskId }),
		nameField: kind === 'customfields' ? 'FieldName' : 'Name',
		toItem: (r) => {
			const name = kind === 'customfields' ? text(r.Caption || r.FieldName) : text(r.Name);
			return { name, value: valueOf === 'id' ? text(r.Id) : text(r.Name ?? r.FieldName), description: kind === 'customfields' ? text(r.FieldFormat) : undefined };
		},
	};
}
