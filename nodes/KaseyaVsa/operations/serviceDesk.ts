import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { odataField, odataString } from '../../shared/odata';
import { fillPath } from '../../shared/url';
import type { DeskEntry, DeskLookupKind } from '../methods/lookups';
import { DESK_LOOKUPS, deskEntries } from '../methods/lookups';
import { toItems, vsaRequest } from '../transport';
import { inputError, requireNumericId, requireText, showValue } from '../validate';
import { containsFilter, done, equalsTextFilter, idField, serviceDeskLocator, sortOption } from './common';
import type { VsaField, VsaFilter, VsaHandlerContext, VsaOperation } from './types';

/**
 * Service Desk desks and tickets. Tickets exist only per desk (a bare /automation/servicedesktickets
 * answers 403: KAT VSAModule/public/Get-VSASDTicket.ps1). Ticket record fields are Kaseya's ticket
 * model (PSK Types/KaseyaDefinitions.cs, class KTicket): TicketStatus, CreatedDate, ModifiedDate, …
 */
export const serviceDeskOperations: VsaOperation[] = [
	{
		resource: 'serviceDesk',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many service desks',
		description: 'List the Service Desk desks',
		method: 'GET',
		path: '/automation/servicedesks',
		paged: true,
		key: 'ServiceDeskId',
		sortFields: [sortOption('Name', 'ServiceDeskName')],
	},
];

const ticketId = (): VsaField => idField('Ticket ID', 'ticketId', 'ID of the ticket (field ServiceDeskTicketId, not the ticket number)');

/** Shown under the desk lists: an expression may also give the name, which is looked up in the desk. */
const NAME_HINT = 'An expression may also give the name as the desk lists it (any letter case), e.g. High';

/** The desk is needed to list the values to choose from, and to look up a value given by name. */
const deskForList = (what: string): VsaField =>
	serviceDeskLocator({
		required: false,
		in: 'none',
		description: `The desk of the ticket: lists the ${what} to choose from, and looks up one given by name. Not needed when the value is a numeric ID.`,
	});

/** A status or priority picked from the desk's list (valued by ID), or a name or ID from an expression. */
function deskValueField(displayName: string, name: string, loadOptionsMethod: string, description: string, over: Partial<VsaField> = {}): VsaField {
	return {
		displayName: `${displayName} Name or ID`,
		name,
		type: 'options',
		typeOptions: { loadOptionsMethod, loadOptionsDependsOn: ['serviceDeskId.value'] },
		default: '',
		required: true,
		description,
		hint: NAME_HINT,
		...over,
	} as VsaField;
}

const TICKET_FIELDS: INodeProperties[] = [
	{ displayName: 'Assignee', name: 'assignee', type: 'string', default: '', description: 'Staff name the ticket is assigned to' },
	{
		displayName: 'Category Name or ID',
		name: 'category',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getDeskCategoriesOrDefault', loadOptionsDependsOn: ['serviceDeskId.value'] },
		default: '',
		description: 'Category of the ticket. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		hint: NAME_HINT,
	},
	{ displayName: 'Description', name: 'description', type: 'string', typeOptions: { rows: 4 }, default: '' },
	{
		displayName: 'Status Name or ID',
		name: 'status',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getDeskStatusesOrDefault', loadOptionsDependsOn: ['serviceDeskId.value'] },
		default: '',
		description: 'Initial status. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		hint: NAME_HINT,
	},
	{ displayName: 'Submitter Email', name: 'submitterEmail', type: 'string', placeholder: 'name@email.com', default: '' },
	{ displayName: 'Submitter Name', name: 'submitterName', type: 'string', default: '' },
];

/** Text fields of a new ticket, sent as they are (Evidence: KAT New-VSASDTicket.ps1 body fields). */
const TICKET_TEXT_FIELDS: Record<string, string> = {
	assignee: 'Assignee',
	description: 'Description',
	submitterEmail: 'SubmitterEmail',
	submitterName: 'SubmitterName',
};

/**
 * Body of a new ticket (ServiceDeskTicketModel). Priority, Status and Category are the desk's numeric
 * IDs: the server int-parses them and answers a name with HTTP 500 "Input string was not in a correct
 * format." (Evidence: KAT New-VSASDTicket.ps1). Empty optional fields are left to the desk's defaults.
 */
export function ticketBody(values: IDataObject, ids: { priority: string; status?: string; category?: string }): IDataObject {
	const body: IDataObject = { Summary: String(values.summary ?? '').trim(), Priority: ids.priority };
	if (ids.status) body.Status = ids.status;
	if (ids.category) body.Category = ids.category;
	for (const [name, value] of Object.entries((values.additionalFields as IDataObject) ?? {})) {
		if (value === undefined || value === null || value === '' || !(name in TICKET_TEXT_FIELDS)) continue;
		body[TICKET_TEXT_FIELDS[name]] = String(value);
	}
	return body;
}

// ---------------------------------------------------------------- names → IDs

/** One read of each desk lookup per execution, shared by its items. */
const entryCache = new WeakMap<object, Map<string, Promise<DeskEntry[]>>>();

function cachedEntries(ctx: VsaHandlerContext, deskId: string, kind: DeskLookupKind, itemIndex: number): Promise<DeskEntry[]> {
	let perRun = entryCache.get(ctx.fn);
	if (!perRun) entryCache.set(ctx.fn, (perRun = new Map()));
	const key = `${deskId}/${kind}`;
	let entries = perRun.get(key);
	if (!entries) {
		entries = deskEntries(ctx.fn, deskId, kind, ctx.options, itemIndex);
		perRun.set(key, entries);
		// A failed read is not remembered: the next item asks again.
		entries.catch(() => perRun!.delete(key));
	}
	return entries;
}

/**
 * A status, priority or category given as an ID or a name, as the desk's numeric ID. Digits pass as
 * an ID; a name is looked up in the desk (case-insensitive, exact), as KAT New-VSASDTicket.ps1 does.
 */
export async function resolveDeskValue(ctx: VsaHandlerContext, deskId: string | undefined, kind: DeskLookupKind, label: string, raw: unknown, itemIndex: number): Promise<string> {
	if (typeof raw === 'number') return requireNumericId(ctx.check, label, raw);
	const given = requireText(ctx.check, label, raw).trim();
	if (/^\d{1,30}$/.test(given)) return given;
	const spec = DESK_LOOKUPS[kind];
	if (!deskId) {
		throw inputError(ctx.check, `${label} "${showValue(given)}" is a name, and no Service Desk is chosen to look it up in`, `Choose the Service Desk, or give the ${spec.label}'s numeric ID.`);
	}
	const entries = await cachedEntries(ctx, deskId, kind, itemIndex);
	const wanted = given.toLowerCase();
	const hit = entries.find((e) => e.name.toLowerCase() === wanted);
	if (hit) return hit.id;
	const names = entries.map((e) => e.name).filter((n) => n !== '');
	throw inputError(
		ctx.check,
		`No ${spec.label} named "${showValue(given)}" in Service Desk ${deskId}`,
		names.length > 0
			? `Available ${spec.plural}: ${names.join(', ')}. Give one of these names (any letter case) or a numeric ID, or pick it from the list.`
			: `This desk lists no ${spec.plural}. Check the Service Desk, or give a numeric ID.`,
	);
}

/** The desk chosen in the node, or the ticket's own desk when a name must be looked up without one. */
async function deskOfTicket(ctx: VsaHandlerContext, values: IDataObject, raw: unknown, itemIndex: number): Promise<string | undefined> {
	if (values.serviceDeskId) return String(values.serviceDeskId);
	if (typeof raw === 'number' || /^\s*\d{1,30}\s*$/.test(String(raw ?? ''))) return undefined;
	// Evidence: a ticket record carries ServiceDeskId (PSK KTicket); GET one ticket: KAT Get-VSASDTicket.ps1.
	const path = fillPath('/automation/servicedesktickets/{ticketId}', { ticketId: values.ticketId });
	const { result } = await vsaRequest(ctx.fn, { method: 'GET', path, itemIndex }, ctx.options);
	const desk = toItems(result)[0]?.ServiceDeskId;
	return desk === undefined || desk === null ? undefined : String(desk);
}

async function createTicket(ctx: VsaHandlerContext, values: IDataObject, itemIndex: number): Promise<IDataObject[]> {
	const deskId = String(values.serviceDeskId);
	const extra = (values.additionalFields as IDataObject) ?? {};
	const optional = async (kind: DeskLookupKind, label: string, raw: unknown) =>
		raw === undefined || raw === null || raw === '' ? undefined : await resolveDeskValue(ctx, deskId, kind, label, raw, itemIndex);
	const ids = {
		priority: await resolveDeskValue(ctx, deskId, 'priority', 'Priority', values.priority, itemIndex),
		status: await optional('status', 'Status', extra.status),
		category: await optional('category', 'Category', extra.category),
	};
	const path = fillPath(ctx.op.path!, { serviceDeskId: deskId });
	const { result } = await vsaRequest(ctx.fn, { method: 'POST', path, body: ticketBody(values, ids), idempotent: ctx.op.idempotent, itemIndex }, ctx.options);
	return toItems(result);
}

/** Update Status / Update Priority: the value by ID or name, then `PUT …/{ticketId}/status|priority/{id}`. */
function updateLookup(kind: 'status' | 'priority', field: 'statusId' | 'priorityId', label: string, action: string) {
	return async (ctx: VsaHandlerContext, values: IDataObject, itemIndex: number): Promise<IDataObject> => {
		const deskId = await deskOfTicket(ctx, values, values[field], itemIndex);
		const id = await resolveDeskValue(ctx, deskId, kind, label, values[field], itemIndex);
		const path = fillPath(ctx.op.path!, { ticketId: values.ticketId, [field]: id });
		await vsaRequest(ctx.fn, { method: 'PUT', path, idempotent: ctx.op.idempotent, itemIndex }, ctx.options);
		return done(action, ['ticketId', field])({ ...values, [field]: id });
	};
}

/**
 * Status and priority filters match the way PSK Functions/Service Desks.ps1 filters tickets:
 * `substringof(name, Field)`, with the name's spaces removed (it writes 'InProgress' for "In Progress").
 * Both spellings are tried, so the filter matches whichever form the server stores.
 */
function nameFilter(name: string, displayName: string, apiField: string, description: string): VsaFilter {
	return {
		property: { displayName, name, type: 'string', default: '', description },
		build: (value) => {
			const text = typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value).trim();
			if (text === '') return undefined;
			const spellings = [...new Set([text, text.replace(/\s+/g, '')])];
			const parts = spellings.map((s) => `substringof(${odataString(s)}, ${odataField(apiField)})`);
			return parts.length > 1 ? `(${parts.join(' or ')})` : parts[0];
		},
	};
}

export const serviceDeskTicketOperations: VsaOperation[] = [
	{
		resource: 'serviceDeskTicket',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many tickets of a service desk',
		description: 'List the tickets of one Service Desk, optionally filtered by status, priority or text',
		method: 'GET',
		path: '/automation/servicedesks/{serviceDeskId}/tickets',
		paged: true,
		key: 'ServiceDeskTicketId',
		fields: [serviceDeskLocator()],
		filters: [
			nameFilter('status', 'Status', 'TicketStatus', 'Only tickets whose status contains this name, e.g. In Progress'),
			nameFilter('priority', 'Priority', 'Priority', 'Only tickets whose priority contains this name, e.g. High'),
			equalsTextFilter('assignee', 'Assignee', 'Assignee', 'Only tickets assigned to this staff name'),
			containsFilter('summaryContains', 'Summary Contains', 'Summary', 'Only tickets whose summary contains this text'),
			equalsTextFilter('ticketRef', 'Ticket Number', 'TicketRef', 'Only the ticket with this number, e.g. STA000123'),
		],
		// Sortable fields of the ticket model (PSK Types/KaseyaDefinitions.cs, class KTicket, [SortableK]).
		sortFields: [
			sortOption('Created', 'CreatedDate'),
			sortOption('Last Modified', 'ModifiedDate'),
			sortOption('Priority', 'Priority'),
			sortOption('Severity', 'Severity'),
			sortOption('Status', 'TicketStatus'),
			sortOption('Ticket Number', 'TicketRef'),
		],
	},
	{
		resource: 'serviceDeskTicket',
		operation: 'get',
		name: 'Get',
		action: 'Get a ticket',
		description: 'Get one Service Desk ticket',
		method: 'GET',
		path: '/automation/servicedesktickets/{ticketId}',
		fields: [ticketId()],
	},
	{
		resource: 'serviceDeskTicket',
		operation: 'create',
		name: 'Create',
		action: 'Create a ticket',
		description: 'Open a new ticket in a Service Desk',
		method: 'POST',
		path: '/automation/servicedesktickets/{serviceDeskId}/ticket',
		fields: [
			serviceDeskLocator(),
			{ displayName: 'Summary', name: 'summary', type: 'string', default: '', required: true, description: 'Short title of the ticket' },
			// Required: the server rejects a ticket without a priority (KAT VSAModule/Tests/VSAModule.WriteFunctions.Tests.ps1).
			deskValueField('Priority', 'priority', 'getDeskPriorities', 'Priority of the ticket. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.'),
			{ displayName: 'Additional Fields', name: 'additionalFields', type: 'collection', placeholder: 'Add Field', default: {}, options: TICKET_FIELDS },
		],
		handler: createTicket,
	},
	{
		resource: 'serviceDeskTicket',
		operation: 'updateStatus',
		name: 'Update Status',
		action: 'Update the status of a ticket',
		description: 'Set the status of a ticket, e.g. to Resolved',
		method: 'PUT',
		path: '/automation/servicedesktickets/{ticketId}/status/{statusId}',
		fields: [deskForList('statuses'), ticketId(), deskValueField('Status', 'statusId', 'getDeskStatuses', 'The new status. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.', { in: 'path' })],
		handler: updateLookup('status', 'statusId', 'Status', 'statusUpdated'),
	},
	{
		resource: 'serviceDeskTicket',
		operation: 'updatePriority',
		name: 'Update Priority',
		action: 'Update the priority of a ticket',
		description: 'Set the priority of a ticket',
		method: 'PUT',
		path: '/automation/servicedesktickets/{ticketId}/priority/{priorityId}',
		fields: [deskForList('priorities'), ticketId(), deskValueField('Priority', 'priorityId', 'getDeskPriorities', 'The new priority. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.', { in: 'path' })],
		handler: updateLookup('priority', 'priorityId', 'Priority', 'priorityUpdated'),
	},
	{
		resource: 'serviceDeskTicket',
		operation: 'assign',
		name: 'Assign',
		action: 'Assign a ticket',
		description: 'Assign a ticket to a staff member',
		method: 'PUT',
		path: '/automation/servicedesks/assign/{ticketId}/{staffId}',
		fields: [
			ticketId(),
			{
				displayName: 'Staff Member Name or ID',
				name: 'staffId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getStaff' },
				default: '',
				required: true,
				description: 'Who the ticket is assigned to. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				in: 'path',
				numericId: true,
			},
		],
		successOutput: done('assigned', ['ticketId', 'staffId']),
	},
	{
		resource: 'serviceDeskTicket',
		operation: 'getNotes',
		name: 'Get Notes',
		action: 'Get the notes of a ticket',
		description: 'List the notes of a ticket',
		method: 'GET',
		path: '/automation/servicedesktickets/{ticketId}/notes',
		paged: true,
		key: 'Id',
		fields: [ticketId()],
	},
	{
		resource: 'serviceDeskTicket',
		operation: 'addNote',
		name: 'Add Note',
		action: 'Add a note to a ticket',
		description: 'Add a note to a ticket, visible to the customer or hidden',
		method: 'POST',
		path: '/automation/servicedesktickets/{ticketId}/notes',
		fields: [
			ticketId(),
			{ displayName: 'Text', name: 'text', type: 'string', typeOptions: { rows: 4 }, default: '', required: true, description: 'Text of the note' },
			{ displayName: 'Hidden', name: 'hidden', type: 'boolean', default: false, description: 'Whether the note is internal (hidden from the submitter)' },
		],
		// Body as KAT and aaronengels send it: {"Text", "Hidden", "SystemFlag"}.
		body: (values) => ({ Text: String(values.text), Hidden: values.hidden === true, SystemFlag: false }),
		successOutput: done('noteAdded', ['ticketId', 'hidden']),
	},
	{
		resource: 'serviceDeskTicket',
		operation: 'setCustomField',
		name: 'Set Custom Field',
		action: 'Set a custom field of a ticket',
		description: 'Set the value of one custom field of a ticket',
		method: 'PUT',
		path: '/automation/servicedesktickets/{ticketId}/customfields/{fieldId}',
		fields: [
			deskForList('custom fields'),
			ticketId(),
			deskValueField('Field', 'fieldId', 'getDeskCustomFields', 'The custom field to set. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.', {
				hint: undefined,
				in: 'path',
				numericId: true,
			}),
			{ displayName: 'Value', name: 'value', type: 'string', default: '', description: 'The new value; for list fields one of the listed values' },
		],
		// The body is the value as a bare JSON string, e.g. "Gold" (Evidence: KAT
		// Update-VSASDTicketCustomField.ps1, AE Update-KaseyaServiceDeskTicketCustomField.ps1, TT VSA.py);
		// the HTTP layer JSON-encodes it.
		body: (values) => String(values.value ?? ''),
		successOutput: done('customFieldSet', ['ticketId', 'fieldId', 'value']),
	},
];
