import type { IDataObject } from 'n8n-workflow';

import { odataField } from '../../shared/odata';
import { agentLocator } from './common';
import type { VsaOperation } from './types';

/** Agent logs, `GET /assetmgmt/logs/{agentId}/{log}`: KAT VSAModule/private/VSAEndpointMaps.ps1 (Get-VSA*Log), PSK Functions/Logs.ps1. */
export const LOG_TYPES = [
	{ name: 'Agent Log', value: 'agent' },
	{ name: 'Agent Procedure Log', value: 'agentprocedure' },
	{ name: 'Alarm Log', value: 'alarms' },
	{ name: 'Configuration Changes', value: 'configurationchanges' },
	{ name: 'Event Log: Application', value: 'eventlog/application' },
	{ name: 'Event Log: Directory Service', value: 'eventlog/directoryservice' },
	{ name: 'Event Log: DNS Server', value: 'eventlog/dnsserver' },
	{ name: 'Event Log: Internet Explorer', value: 'eventlog/internetexplorer' },
	{ name: 'Event Log: Security', value: 'eventlog/security' },
	{ name: 'Event Log: System', value: 'eventlog/system' },
	{ name: 'Legacy Remote Control', value: 'legacyremotecontrol' },
	{ name: 'Log Monitoring', value: 'logmonitoring' },
	{ name: 'Monitor Actions', value: 'monitoractions' },
	{ name: 'Network Statistics', value: 'networkstats' },
	{ name: 'Remote Control', value: 'remotecontrol' },
];

/**
 * The time column of each log's record model (PSK Types/KaseyaDefinitions.cs, from Kaseya's REST
 * docs): most logs have `Time`, the agent procedure log `LastExecution` (KAgentProcedureLog) and the
 * remote control log `StartTime` (KRemoteControlLog). All three are marked sortable there.
 */
export const LOG_TIME_FIELDS: Record<string, string> = { agentprocedure: 'LastExecution', remotecontrol: 'StartTime' };

export function logTimeField(logType: unknown): string {
	return LOG_TIME_FIELDS[String(logType)] ?? 'Time';
}

export const logOperations: VsaOperation[] = [
	{
		resource: 'log',
		operation: 'get',
		name: 'Get',
		action: 'Get log entries of an agent',
		description: 'Read one log of an agent, such as its agent procedure log or Windows event logs',
		method: 'GET',
		path: '/assetmgmt/logs/{agentId}/{logType}',
		paged: true,
		fields: [
			agentLocator(),
			{
				displayName: 'Log',
				name: 'logType',
				type: 'options',
				default: 'agentprocedure',
				options: LOG_TYPES,
				description: 'Which log to read',
				in: 'path',
				rawPath: true,
			},
			{
				displayName: 'Newest First',
				name: 'newestFirst',
				type: 'boolean',
				default: true,
				description: 'Whether to return the newest entries first (sorted by their time), so a Limit gives the latest ones',
				in: 'none',
			},
		],
		orderby: (values: IDataObject) => (values.newestFirst === false ? undefined : `${odataField(logTimeField(values.logType))} desc`),
	},
];
