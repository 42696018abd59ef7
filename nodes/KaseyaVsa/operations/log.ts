import type { IDataObject } from 'n8n-workflow';

import { odataField } from '../../shared/odata';
import { agentLocator } from './common';
import type { VsaOperation } from './types';

/** Agent logs, reference §3.6: `GET /assetmgmt/logs/{agentId}/{log}`. */
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
				description: 'Whether to return the newest entries first (sorted by their Time), so a Limit gives the latest ones',
				in: 'none',
			},
		],
		// Log rows carry `Time` (PsKaseya filters on it, reference §2.2).
		orderby: (values: IDataObject) => (values.newestFirst === false ? undefined : `${odataField('Time')} desc`),
	},
];
