import { odataNumber } from '../../shared/odata';
import { requireOption } from '../validate';
import { containsFilter, done, equalsTextFilter, idField, idFilter, keyValueBody, sortOption } from './common';
import { getAlarms } from './handlers';
import type { VsaOperation } from './types';

/** `MonitorAlarmStateId` of an alarm: 1 open, 2 closed. */
const ALARM_STATES: Record<string, string> = { open: odataNumber(1), closed: odataNumber(2) };

/** Alarms: KAT VSAModule/public/Get-VSAAlarm.ps1, Close-VSAAlarm.ps1; PSK Functions/Alerts.ps1; TT VSA.py. */
export const alarmOperations: VsaOperation[] = [
	{
		resource: 'alarm',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many alarms',
		description: 'List monitoring alarms, or only those new since the last check',
		method: 'GET',
		path: '/assetmgmt/alarms/{alarmSet}',
		paged: true,
		key: 'AlarmId',
		fields: [
			{
				displayName: 'Alarms',
				name: 'alarmSet',
				type: 'options',
				default: 'true',
				options: [
					{ name: 'All', value: 'true', description: 'Every alarm the user may see' },
					{
						name: 'Only New',
						value: 'false',
						description: 'Only alarms raised since the previous request of this VSA session, oldest first. VSA marks them as seen, so a later run will not return them again (with a Limit, the rest are skipped).',
					},
				],
				in: 'path',
				description: 'Which alarms to list. "Only New" is tracked by VSA per login session: after a new login it starts again with every alarm.',
			},
		],
		filters: [
			{
				property: {
					displayName: 'State',
					name: 'state',
					type: 'options',
					default: 'open',
					options: [
						{ name: 'Open', value: 'open' },
						{ name: 'Closed', value: 'closed' },
					],
					description: 'Only open or only closed alarms',
				},
				build: (value, check) =>
					value === undefined || value === '' ? undefined : `MonitorAlarmStateId eq ${ALARM_STATES[requireOption(check, 'State', value, Object.keys(ALARM_STATES))]}`,
			},
			idFilter('agentId', 'Agent ID', 'AgentId', 'Only alarms of this agent'),
			equalsTextFilter('alarmType', 'Alarm Type', 'AlarmType', 'Only alarms of this type, e.g. Counter, Service, Process, Alert, System Check'),
			containsFilter('subjectContains', 'Subject Contains', 'AlarmSubject', 'Only alarms whose subject contains this text'),
		],
		sortFields: [sortOption('Alarm ID', 'AlarmId'), sortOption('Event Time', 'EventDateTime'), sortOption('Machine Name', 'MachineName')],
		handler: getAlarms,
	},
	{
		resource: 'alarm',
		operation: 'get',
		name: 'Get',
		action: 'Get an alarm',
		description: 'Get one alarm by its ID',
		method: 'GET',
		path: '/assetmgmt/alarms/{alarmId}',
		fields: [idField('Alarm ID', 'alarmId', 'ID of the alarm (field AlarmId)', { placeholder: '1234' })],
	},
	{
		resource: 'alarm',
		operation: 'close',
		name: 'Close',
		action: 'Close an alarm',
		description: 'Close an alarm, with a note saying why',
		method: 'PUT',
		path: '/assetmgmt/alarms/{alarmId}/close',
		fields: [
			idField('Alarm ID', 'alarmId', 'ID of the alarm to close (field AlarmId)', { placeholder: '1234' }),
			{
				displayName: 'Note',
				name: 'notes',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				description: 'Why the alarm was closed; stored with the alarm',
			},
		],
		body: (values) => (values.notes ? keyValueBody({ notes: String(values.notes) }) : undefined),
		successOutput: done('closed', ['alarmId', 'notes']),
	},
];
