import type { INodeProperties } from 'n8n-workflow';

import { includeExistingOptions } from '../../shared/descriptions';
import { ALARM_OBJECT_TYPES, companyFilter } from '../operations';

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
	// The node's company locator (no `in`/`uid` markers: a trigger reads its parameters itself).
	(({ in: _in, uid: _uid, ...property }) => property)(companyFilter('Only this company (every company when empty)')),
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
	includeExistingOptions(
		"Whether the first poll after activation also emits what is already there (active alarms, or each job's last result). Off: the first poll only notes where things stand.",
	),
];
