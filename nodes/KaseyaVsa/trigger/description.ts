import type { INodeProperties } from 'n8n-workflow';

import { includeExistingOptions } from '../../shared/descriptions';

const ALARM_AND_AGENT_EVENTS = ['alarmCreated', 'agentAdded', 'agentWentOffline', 'agentCameOnline'];
const TICKET_EVENTS = ['ticketCreated', 'ticketUpdated'];
const TRANSITION_EVENTS = ['agentWentOffline', 'agentCameOnline'];

function locator(displayName: string, name: string, searchListMethod: string, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description,
		displayOptions: { show: { event: ALARM_AND_AGENT_EVENTS } },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select ${displayName === 'Organization' ? 'an' : 'a'} ${displayName.toLowerCase()}…`,
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '12345678901234567890123456',
				validation: [{ type: 'regex', properties: { regex: '^\\s*\\d{1,30}\\s*$', errorMessage: 'A VSA ID is a number made of digits only' } }],
			},
		],
	};
}

/** Parameters of the Kaseya VSA Trigger (n8n adds "Poll Times" itself). */
export const vsaTriggerProperties: INodeProperties[] = [
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		default: 'alarmCreated',
		options: [
			{ name: 'Agent Added', value: 'agentAdded', description: 'An agent checked in for the first time' },
			{ name: 'Agent Came Online', value: 'agentCameOnline', description: 'An offline agent is online again' },
			{ name: 'Agent Went Offline', value: 'agentWentOffline', description: 'An online agent stopped checking in' },
			{ name: 'Alarm Created', value: 'alarmCreated', description: 'A monitoring alarm was raised' },
			{ name: 'Ticket Created', value: 'ticketCreated', description: 'A Service Desk ticket was created' },
			{ name: 'Ticket Updated', value: 'ticketUpdated', description: 'A Service Desk ticket was changed (several changes between two polls are one event, with the latest state)' },
		],
		description: 'What starts the workflow. Each event is one item: { event, alarm | ticket | agent: the VSA record }.',
	},
	locator('Organization', 'organization', 'searchOrganizations', 'Only this organization. Leave empty for all organizations.'),
	locator('Machine Group', 'machineGroup', 'searchMachineGroups', 'Only this machine group. Leave empty for all machine groups.'),
	{
		displayName: 'Alarm Type Contains',
		name: 'alarmType',
		type: 'string',
		default: '',
		placeholder: 'Counter',
		description: 'Only alarms whose type contains this text (e.g. Counter, Service, Process, Alert, System Check). Leave empty for all.',
		displayOptions: { show: { event: ['alarmCreated'] } },
	},
	{
		displayName: 'Service Desk Names or IDs',
		name: 'serviceDeskIds',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getServiceDesks' },
		default: [],
		description:
			'Only tickets of these desks. Leave empty for every desk. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { event: TICKET_EVENTS } },
	},
	{
		displayName: 'Minimum Duration (Minutes)',
		name: 'minDuration',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Fire only once the agent has stayed in its new state this long (as seen by the polls), so short drops do not fire. 0 fires at the first poll that sees the change.',
		displayOptions: { show: { event: TRANSITION_EVENTS } },
	},
	includeExistingOptions(
		'Whether the first poll after activation also emits what already exists (every alarm, ticket or agent, or every agent already in the chosen state). Off: the first poll only notes where to start.',
	),
];
