import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { containsFilter, done, equalsTextFilter, idField, serviceDeskLocator, sortOption } from './common';
import type { VsaField, VsaOperation } from './types';

/** Service Desk desks and tickets, reference §3.10 (tickets exist only per desk). */
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

/** The desk is needed only to list its statuses, priorities or fields to choose from. */
const deskForList = (what: string): VsaField =>
	serviceDeskLocator({
		required: false,
		in: 'none',
		description: `The desk of the ticket; used only to list the ${what} to choose from`,
	});

function deskOption(displayName: string, name: string, loadOptionsMethod: string, description: string): VsaField {
	return {
		displayName: `${displayName} Name or ID`,
		name,
		type: 'options',
		typeOptions: { loadOptionsMethod, loadOptionsDependsOn: ['serviceDeskId.value'] },
		default: '',
		required: true,
		description: `${description} Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
		in: 'path',
		numericId: true,
	};
}

const TICKET_FIELDS: INodeProperties[] = [
	{ displayName: 'Assignee', name: 'assignee', type: 'string', default: '', description: 'Staff name the ticket is assigned to' },
	{ displayName: 'Category', name: 'category', type: 'string', default: '', description: "Category name as defined in the desk, e.g. Hardware. Empty = the desk's default." },
	{ displayName: 'Description', name: 'description', type: 'string', typeOptions: { rows: 4 }, default: '' },
	{ displayName: 'Priority Name or ID', name: 'priority', type: 'options', typeOptions: { loadOptionsMethod: 'getDeskPriorityNames', loadOptionsDependsOn: ['serviceDeskId.value'] }, default: '', description: 'Priority name as defined in the desk. Choose from the list, or specify a name using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.' },
	{ displayName: 'Severity', name: 'severity', type: 'string', default: '', description: 'Severity name as defined in the desk' },
	{ displayName: 'Status Name or ID', name: 'status', type: 'options', typeOptions: { loadOptionsMethod: 'getDeskStatusNames', loadOptionsDependsOn: ['serviceDeskId.value'] }, default: '', description: 'Status name as defined in the desk. Choose from the list, or specify a name using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.' },
	{ displayName: 'Submitter Email', name: 'submitterEmail', type: 'string', placeholder: 'name@email.com', default: '' },
	{ displayName: 'Submitter Name', name: 'submitterName', type: 'string', default: '' },
];

const TICKET_API_NAMES: Record<string, string> = {
	assignee: 'Assignee',
	category: 'Category',
	description: 'Description',
	priority: 'Priority',
	severity: 'Severity',
	status: 'Status',
	submitterEmail: 'SubmitterEmail',
	submitterName: 'SubmitterName',
};

/** ServiceDeskTicketModel of a new ticket; empty optional fields are left to the desk's defaults. */
export function ticketBody(values: IDataObject): IDataObject {
	const body: IDataObject = { Summary: String(values.summary ?? '').trim() };
	for (const [name, value] of Object.entries((values.additionalFields as IDataObject) ?? {})) {
		if (value === undefined || value === null || value === '' || !(name in TICKET_API_NAMES)) continue;
		body[TICKET_API_NAMES[name]] = String(value);
	}
	return body;
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
			equalsTextFilter('status', 'Status', 'Status', 'Only tickets with this status name, e.g. New'),
			equalsTextFilter('priority', 'Priority', 'Priority', 'Only tickets with this priority name, e.g. High'),
			equalsTextFilter('assignee', 'Assignee', 'Assignee', 'Only tickets assigned to this staff name'),
			containsFilter('summaryContains', 'Summary Contains', 'Summary', 'Only tickets whose summary contains this text'),
			equalsTextFilter('ticketRef', 'Ticket Number', 'TicketRef', 'Only the ticket with this number, e.g. STA000123'),
		],
		sortFields: [
			sortOption('Created', 'CreatedDateTime'),
			sortOption('Last Modified', 'LastModifiedDateTime'),
			sortOption('Priority', 'Priority'),
			sortOption('Severity', 'Severity'),
			sortOption('Status', 'Status'),
			sortOption('Ticket Number', 'TicketRef'),
		],
	},
	{
		resource: 'serviceDeskTicket',
		operation: 'get',
		name: 'Get',
		action: 'Get a ticket',
		description: 'Get one Service Desk ticket with its custom fields',
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
			{ displayName: 'Additional Fields', name: 'additionalFields', type: 'collection', placeholder: 'Add Field', default: {}, options: TICKET_FIELDS },
		],
		body: ticketBody,
	},
	{
		resource: 'serviceDeskTicket',
		operation: 'updateStatus',
		name: 'Update Status',
		action: 'Update the status of a ticket',
		description: 'Set the status of a ticket, e.g. to Resolved',
		method: 'PUT',
		path: '/automation/servicedesktickets/{ticketId}/status/{statusId}',
		fields: [deskForList('statuses'), ticketId(), deskOption('Status', 'statusId', 'getDeskStatuses', 'The new status.')],
		successOutput: done('statusUpdated', ['ticketId', 'statusId']),
	},
	{
		resource: 'serviceDeskTicket',
		operation: 'updatePriority',
		name: 'Update Priority',
		action: 'Update the priority of a ticket',
		description: 'Set the priority of a ticket',
		method: 'PUT',
		path: '/automation/servicedesktickets/{ticketId}/priority/{priorityId}',
		fields: [deskForList('priorities'), ticketId(), deskOption('Priority', 'priorityId', 'getDeskPriorities', 'The new priority.')],
		successOutput: done('priorityUpdated', ['ticketId', 'priorityId']),
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
			deskOption('Field', 'fieldId', 'getDeskCustomFields', 'The custom field to set.'),
			{ displayName: 'Value', name: 'value', type: 'string', default: '', description: 'The new value; for list fields one of the listed values' },
		],
		// The key/value convention of VSA's other custom-field writes (reference §3.4).
		body: (values) => [{ key: 'FieldValue', value: String(values.value ?? '') }],
		successOutput: done('customFieldSet', ['ticketId', 'fieldId', 'value']),
	},
];
