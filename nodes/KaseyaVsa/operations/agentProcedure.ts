import type { IDataObject } from 'n8n-workflow';

import { agentLocator, containsFilter, done, procedureLocator, sortOption, startsWithFilter } from './common';
import { runProcedure } from './handlers';
import type { VsaOperation } from './types';

/** Units of the distribution window: PSK Functions/AgentProcedures.ps1 (ValidateSet of DistributionInterval). */
export const DISTRIBUTION_INTERVALS = ['Minutes', 'Hours', 'Days'];

/**
 * Agent procedures. Paths: KAT VSAModule/private/VSAEndpointMaps.ps1 and public/*-VSAAP*.ps1, PSK
 * Functions/AgentProcedures.ps1; record fields: PSK Types/KaseyaDefinitions.cs (KAgentProcedure,
 * KAgentProcedureHistory). Rows: docs/evidence/kaseya-vsa.json.
 */
export const agentProcedureOperations: VsaOperation[] = [
	{
		resource: 'agentProcedure',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many agent procedures',
		description: 'List the agent procedures (scripts) the user may see',
		method: 'GET',
		path: '/automation/agentprocs',
		paged: true,
		key: 'AgentProcedureId',
		filters: [
			containsFilter('nameContains', 'Name Contains', 'AgentProcedureName', 'Only procedures whose name contains this text'),
			startsWithFilter('folderStartsWith', 'Folder Starts With', 'Path', 'Only procedures in this folder (and its subfolders), e.g. Shared/Maintenance'),
		],
		// Kaseya's model marks only AgentProcedureName sortable (PSK KAgentProcedure, from DOC 31641).
		sortFields: [sortOption('Name', 'AgentProcedureName')],
	},
	{
		resource: 'agentProcedure',
		operation: 'run',
		name: 'Run Now',
		action: 'Run an agent procedure now',
		description: 'Run a procedure on an agent right away and return the execution ID where the server gives one',
		method: 'PUT',
		path: '/automation/agentprocs/{agentId}/{procedureId}/runnowgetid',
		fields: [agentLocator(), procedureLocator()],
		handler: runProcedure,
	},
	{
		resource: 'agentProcedure',
		operation: 'schedule',
		name: 'Schedule',
		action: 'Schedule an agent procedure',
		description: 'Schedule a procedure on an agent, once or recurring',
		method: 'PUT',
		path: '/automation/agentprocs/{agentId}/{procedureId}/schedule',
		fields: [
			agentLocator(),
			procedureLocator(),
			{
				displayName: 'Start',
				name: 'startOn',
				type: 'dateTime',
				default: '',
				required: true,
				description: 'When the procedure first runs',
			},
			{
				displayName: 'Repeat',
				name: 'repeat',
				type: 'options',
				default: 'Never',
				options: ['Never', 'Minutes', 'Hours', 'Days', 'Weeks', 'Months', 'Years'].map((r) => ({ name: r === 'Never' ? 'Never (Run Once)' : `Every N ${r}`, value: r })),
				description: 'How often the procedure repeats',
			},
			{
				displayName: 'Every',
				name: 'times',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 1,
				displayOptions: { hide: { repeat: ['Never'] } },
				description: 'The N in "every N days" (whole number)',
			},
			{
				displayName: 'Options',
				name: 'scheduleOptions',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Distribution Window',
						name: 'distributionMagnitude',
						type: 'number',
						typeOptions: { minValue: 0, numberPrecision: 0 },
						default: 0,
						description: 'Run at a random time up to this many units after the start, to spread the load (0 = exactly at the start). Must not be longer than the repeat interval.',
					},
					{
						displayName: 'Distribution Window Unit',
						name: 'distributionInterval',
						type: 'options',
						default: 'Minutes',
						options: DISTRIBUTION_INTERVALS.map((i) => ({ name: i, value: i })),
						description: 'Unit of the distribution window',
					},
					{
						displayName: 'End On',
						name: 'endOn',
						type: 'dateTime',
						default: '',
						description: 'Stop repeating after this date',
					},
					{
						displayName: 'Power Up If Offline',
						name: 'powerUpIfOffline',
						type: 'boolean',
						default: false,
						description: 'Whether to wake the machine (Wake-on-LAN / vPro) when it is offline',
					},
					{
						displayName: 'Prompts',
						name: 'prompts',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true },
						default: {},
						description: 'Answers to the procedure\'s "Prompt for" variables',
						options: [
							{
								displayName: 'Prompt',
								name: 'prompt',
								values: [
									{ displayName: 'Variable Name', name: 'name', type: 'string', default: '', description: 'Name of the prompted variable, as defined in the procedure' },
									{ displayName: 'Value', name: 'value', type: 'string', default: '' },
								],
							},
						],
					},
					{
						displayName: 'Schedule in Agent Time',
						name: 'agentTime',
						type: 'boolean',
						default: false,
						description: "Whether the start time is the agent machine's local time rather than the VSA server's time",
					},
					{
						displayName: 'Skip If Offline',
						name: 'skipIfOffline',
						type: 'boolean',
						default: false,
						description: 'Whether to skip the run when the machine is offline instead of running it when it comes back',
					},
					{
						displayName: 'Use Server Time Zone',
						name: 'serverTimeZone',
						type: 'boolean',
						default: false,
						description: "Whether to set the schedule's ServerTimeZone flag (times in the VSA server's time zone)",
					},
				],
			},
		],
		body: scheduleBody,
		successOutput: done('scheduled', ['agentId', 'procedureId', 'startOn', 'repeat']),
	},
	{
		resource: 'agentProcedure',
		operation: 'cancel',
		name: 'Cancel Scheduled',
		action: 'Cancel a scheduled agent procedure',
		description: 'Remove a scheduled run of a procedure from an agent',
		method: 'DELETE',
		path: '/automation/agentprocs/{agentId}/{procedureId}',
		fields: [agentLocator(), procedureLocator()],
		successOutput: done('cancelled', ['agentId', 'procedureId']),
	},
	{
		resource: 'agentProcedure',
		operation: 'getHistory',
		name: 'Get History',
		action: 'Get agent procedure history',
		description: 'List the procedures that ran on an agent and how they ended',
		method: 'GET',
		path: '/automation/agentprocs/{agentId}/history',
		paged: true,
		fields: [agentLocator()],
		sortFields: [sortOption('Execution Time', 'LastExecutionTime'), sortOption('Procedure Name', 'ScriptName')],
	},
	{
		resource: 'agentProcedure',
		operation: 'getScheduled',
		name: 'Get Scheduled',
		action: 'Get scheduled agent procedures',
		description: 'List the procedures scheduled on an agent',
		method: 'GET',
		path: '/automation/agentprocs/{agentId}/scheduledprocs',
		paged: true,
		fields: [agentLocator()],
	},
];

/**
 * ISO date-time for VSA. An ISO text is sent as written: n8n's date picker gives a local time without
 * zone, which VSA reads as server time, or the agent's local time with Schedule in Agent Time (Kaseya
 * scheduler help, https://help.kaseya.com/webhelp/en/vsa/9050000/10720.htm).
 * Anything else that parses as a date (a Date from an expression, "July 1, 2024 10:00") goes as UTC ISO.
 */
export function isoDate(value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const text = value instanceof Date ? value.toISOString() : String(value).trim();
	if (/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(text)) return text;
	const date = new Date(text);
	return Number.isNaN(date.getTime()) ? text : date.toISOString();
}

/**
 * Schedule body (https://help.kaseya.com/webhelp/EN/RESTAPI/9050000/31766.htm). `Distribution` and
 * `SchedInAgentTime` are always sent, as the clients run against live servers do (KAT
 * VSAModule/public/New-VSAAPScheduled.ps1 sends both, defaults Minutes/0 and false; PSK
 * Functions/AgentProcedures.ps1 always sends Distribution).
 */
export function scheduleBody(values: IDataObject): IDataObject {
	const options = (values.scheduleOptions ?? {}) as IDataObject;
	const repeat = String(values.repeat ?? 'Never');
	const recurrence: IDataObject = { Repeat: repeat };
	if (repeat !== 'Never') recurrence.Times = Math.max(1, Math.trunc(Number(values.times ?? 1)));
	const endOn = isoDate(options.endOn);
	if (endOn && repeat !== 'Never') recurrence.EndOn = endOn;
	const body: IDataObject = {
		ServerTimeZone: options.serverTimeZone === true,
		SkipIfOffLine: options.skipIfOffline === true,
		PowerUpIfOffLine: options.powerUpIfOffline === true,
		Recurrence: recurrence,
		Distribution: {
			Interval: DISTRIBUTION_INTERVALS.includes(String(options.distributionInterval)) ? String(options.distributionInterval) : 'Minutes',
			Magnitude: Math.max(0, Math.trunc(Number(options.distributionMagnitude ?? 0)) || 0),
		},
		SchedInAgentTime: options.agentTime === true,
		Start: { StartOn: isoDate(values.startOn) },
	};
	const prompts = ((options.prompts as IDataObject | undefined)?.prompt ?? []) as IDataObject[];
	if (prompts.length > 0) {
		body.ScriptPrompts = prompts.map((p) => ({ Caption: String(p.name ?? ''), Name: String(p.name ?? ''), Value: String(p.value ?? '') }));
	}
	return body;
}
