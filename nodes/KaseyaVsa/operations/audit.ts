import { returnAllLimitFields } from '../../shared/descriptions';
import { agentLocator, done } from './common';
import { getAudit, SINGLE_RECORD_AUDIT_CATEGORIES } from './handlers';
import type { VsaField, VsaOperation } from './types';

/** Audit categories of one agent (KAT VSAModule/public/Get-VSAAudit.ps1); `summary` answers one record. */
export const AUDIT_CATEGORIES = [
	{ name: 'Summary', value: 'summary', description: 'One record with the main facts of the latest audit' },
	{ name: 'Credentials', value: 'credentials' },
	{ name: 'Hardware: Disk Volumes', value: 'hardware/diskvolumes' },
	{ name: 'Hardware: PCI and Disk Devices', value: 'hardware/pcianddisk' },
	{ name: 'Hardware: Printers', value: 'hardware/printers' },
	{ name: 'Hardware: Purchase and Warranty', value: 'hardware/purchaseandwarrantyexpire' },
	{ name: 'Local Groups', value: 'groups' },
	{ name: 'Local Group Members', value: 'members' },
	{ name: 'Software: Add/Remove Programs', value: 'software/addremoveprograms' },
	{ name: 'Software: Installed Applications', value: 'software/installedapplications' },
	{ name: 'Software: Licenses', value: 'software/licenses' },
	{ name: 'Software: Security Products', value: 'software/securityproducts' },
	{ name: 'Software: Startup Apps', value: 'software/startupapps' },
	{ name: 'User Accounts', value: 'useraccounts' },
];

/** Categories that describe one thing per agent answer a single record: no Return All / Limit for them. */
const listOnly = { displayOptions: { hide: { category: SINGLE_RECORD_AUDIT_CATEGORIES } } };

export const auditOperations: VsaOperation[] = [
	{
		resource: 'audit',
		operation: 'get',
		name: 'Get',
		action: 'Get audit data of an agent',
		description: 'Get the audit summary of an agent, or one hardware or software category of its latest audit',
		method: 'GET',
		path: '/assetmgmt/audit/{agentId}/{category}',
		fields: [
			agentLocator(),
			{
				displayName: 'Category',
				name: 'category',
				type: 'options',
				default: 'summary',
				options: AUDIT_CATEGORIES,
				description: 'Which part of the audit to return',
				in: 'path',
				rawPath: true,
			},
			...returnAllLimitFields().map((f): VsaField => ({ ...f, ...(f.name === 'limit' ? { displayOptions: { show: { returnAll: [false] }, ...listOnly.displayOptions } } : listOnly) })),
		],
		handler: getAudit,
	},
	{
		resource: 'audit',
		operation: 'runNow',
		name: 'Run Audit Now',
		action: 'Run an audit now',
		description: 'Start a baseline, latest or system-info audit on an agent right away',
		method: 'PUT',
		path: '/assetmgmt/audit/{auditType}/{agentId}/runnow',
		// An action URI without a body (KAT VSAModule/public/Start-VSAAuditLatest.ps1): repeating it only asks for the same audit again.
		idempotent: true,
		fields: [
			agentLocator(),
			{
				displayName: 'Audit Type',
				name: 'auditType',
				type: 'options',
				default: 'latest',
				options: [
					{ name: 'Baseline', value: 'baseline', description: 'The reference audit that later audits are compared with' },
					{ name: 'Latest', value: 'latest', description: 'A full audit of hardware and software' },
					{ name: 'System Info', value: 'sysinfo', description: 'A quick audit of system information only' },
				],
				description: 'Which audit to run',
				in: 'path',
			},
		],
		successOutput: done('auditStarted', ['agentId', 'auditType']),
	},
];
