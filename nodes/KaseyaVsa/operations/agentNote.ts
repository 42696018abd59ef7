import { agentLocator, containsFilter, done, idField, idFilter, sortOption } from './common';
import type { VsaOperation } from './types';

/** Agent notes: KAT VSAModule/private/VSAEndpointMaps.ps1 (Get-/Remove-VSAAgentNote), public/New-VSAAgentNote.ps1. */
export const agentNoteOperations: VsaOperation[] = [
	{
		resource: 'agentNote',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many agent notes',
		description: 'List the notes technicians wrote on agents, optionally for one agent',
		method: 'GET',
		path: '/assetmgmt/agent/notes',
		paged: true,
		key: 'Id',
		filters: [
			idFilter('agentId', 'Agent ID', 'AgentId', 'Only notes of this agent'),
			containsFilter('textContains', 'Text Contains', 'Note', 'Only notes whose text contains this'),
		],
		sortFields: [sortOption('Time', 'Timestamp'), sortOption('Agent', 'AgentId')],
	},
	{
		resource: 'agentNote',
		operation: 'create',
		name: 'Create',
		action: 'Add a note to an agent',
		description: 'Write a note on an agent, e.g. what an automation did on the machine',
		method: 'POST',
		path: '/assetmgmt/agent/{agentId}/note',
		fields: [
			agentLocator(),
			{
				displayName: 'Note',
				name: 'note',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				required: true,
				description: 'Text of the note',
			},
		],
		// VSA takes the note as a bare JSON string (KAT Add-VSAAgentNote).
		body: (values) => String(values.note),
		successOutput: done('noteAdded', ['agentId', 'note']),
	},
	{
		resource: 'agentNote',
		operation: 'delete',
		name: 'Delete',
		action: 'Delete an agent note',
		description: 'Delete one agent note by its ID',
		method: 'DELETE',
		path: '/assetmgmt/agent/note/{noteId}',
		fields: [idField('Note ID', 'noteId', 'ID of the note, as returned by Get Many', { placeholder: '5001' })],
		successOutput: done('deleted', ['noteId']),
	},
];
