import type { INodeProperties } from 'n8n-workflow';

import { ALARM_OBJECT_TYPES } from '../operations';

/** Parameters of the Veeam Service Provider Console Trigger (n8n adds "Poll Times" itself). */
export const vspcTriggerProperties: INodeProperties[] = [
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		default: 'jobFinished',
		options: [
			{ name: 'Alarm Triggered', value: 'alarmTriggered', description: 'An alarm became active (new, or raised again with a new activation)' },
			{ name: 'Job Finished', value: 'jobFinished', description: 'A backup job session ended Failed or Warning: its final result, after the job\'s automatic retries' },
		],
		description: 'What starts the workflow. Each event is one item: { event, alarm | job, company, … }.',
	},
	{
		displayName: 'Company',
		name: 'companyUid',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description: 'Only this company (every company when empty)',
		modes: [
			{ displayName: 'From List', name: 'list', type: 'list', placeholder: 'Select a company…', typeOptions: { searchListMethod: 'searchCompanies', searchable: true } },
			{
				displayName: 'By UID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 3fa85f64-5717-4562-b3fc-2c963f66afa6',
				validation: [{ type: 'regex', properties: { regex: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$', errorMessage: 'Not a VSPC UID' } }],
			},
		],
	},
	{
		displayName: 'Results',
		name: 'results',
		type: 'multiOptions',
		default: ['Failed', 'Warning'],
		options: [
			{ name: 'Failed', value: 'Failed' },
			{ name: 'Warning', value: 'Warning' },
		],
		description: 'Session results that fire',
		displayOptions: { show: { event: ['jobFinished'] } },
	},
	{
		displayName: 'Severities',
		name: 'severities',
		type: 'multiOptions',
		default: ['Error', 'Warning'],
		options: [
			{ name: 'Error', value: 'Error' },
			{ name: 'Info', value: 'Info' },
			{ name: 'Warning', value: 'Warning' },
		],
		description: 'Alarm statuses that fire (a resolved or acknowledged alarm never does)',
		displayOptions: { show: { event: ['alarmTriggered'] } },
	},
	{
		displayName: 'Alarm Object Types',
		name: 'objectTypes',
		type: 'multiOptions',
		default: [],
		options: ALARM_OBJECT_TYPES.map((t) => ({ name: t, value: t })),
		description: 'Only alarms about these kinds of objects, e.g. BackupServerJob for job session alarms (all when empty)',
		displayOptions: { show: { event: ['alarmTriggered'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Include Existing Items',
				name: 'includeExisting',
				type: 'boolean',
				default: false,
				description:
					"Whether the first poll after activation also emits what is already there (active alarms, or each job's last result). Off: the first poll only notes where things stand.",
			},
		],
	},
];
