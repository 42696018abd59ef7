import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { customApiFields, customApiHandler } from '../shared/customApi';
import { sortCollection } from '../shared/descriptions';
import type { ExecField, ExecOperation, HandlerContext } from '../shared/executor';
import type { ResourceDef } from '../shared/operations';
import type { InputCheck } from '../shared/validate';
import { inputError, requireOption, showValue } from '../shared/validate';
import type { VspcFilterItem, VspcSortItem } from './transport';
import { VSPC_PROFILE, vspcList, vspcQuery } from './transport';

/**
 * The Veeam Service Provider Console node as data: one row per operation, run by the shared executor
 * (nodes/shared/executor.ts). Paths are relative to /api/v3; each row names the module of the code generated from
 * Veeam's REST 3.6.1 OpenAPI document that shows it (CSPC = Cenvora/veeam-spc veeam_spc/v3_6_1/api/…), and
 * docs/evidence/veeam-spc.json lists every request and field with its sources.
 */

/** Resources and their operations: the names saved workflows depend on (DESIGN.md), as typed route keys. */
export const VSPC_ROUTES = {
	company: ['getAll', 'get'],
	location: ['getAll'],
	site: ['getAll'],
	backupServer: ['getAll', 'get'],
	backupJob: ['getAll', 'get', 'start', 'stop'],
	protectedWorkload: ['getAll'],
	alarm: ['getAll', 'acknowledge', 'resolve'],
	licenseUsage: ['get'],
	customApi: ['request'],
} as const;

export type VspcResource = keyof typeof VSPC_ROUTES;
export type VspcRoute = { [R in VspcResource]: { resource: R; operation: (typeof VSPC_ROUTES)[R][number] } }[VspcResource];

export type VspcField = ExecField & {
	/** A VSPC UID (instanceUid): checked as a UUID and sent as typed. */
	uid?: boolean;
};

/** A list filter: the value of field `field` becomes `property equals value` (several values: an `or` group). */
export interface VspcListFilter {
	field: string;
	property: string;
}

export type VspcHandlerContext = HandlerContext<VspcOperation>;

export type VspcOperation = ExecOperation<VspcHandlerContext, VspcField> &
	VspcRoute & {
		filters?: VspcListFilter[];
		/** Sort By options (record properties); the first is the default. */
		sortFields?: Array<{ name: string; value: string }>;
		/** The record's identity for the paging duplicate check, when it depends on the values. */
		keyOf?: (values: IDataObject) => string;
	};

export const vspcResources: Array<ResourceDef & { value: VspcResource }> = [
	{ value: 'company', name: 'Company' },
	{ value: 'location', name: 'Location' },
	{ value: 'site', name: 'Cloud Connect Site' },
	{ value: 'backupServer', name: 'Backup Server' },
	{ value: 'backupJob', name: 'Backup Job' },
	{ value: 'protectedWorkload', name: 'Protected Workload' },
	{ value: 'alarm', name: 'Alarm' },
	{ value: 'licenseUsage', name: 'License Usage' },
	{ value: 'customApi', name: 'Custom API Call' },
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_SOURCE = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** A VSPC UID as exact text (lower or upper case hex, as the server gave it). */
export function requireUid(check: InputCheck, label: string, value: unknown): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!UUID.test(text)) {
		throw inputError(check, `${label}: "${showValue(value ?? '')}" is not a valid VSPC UID`, `${label} must be a UID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6. Pick it from the list, or use the instanceUid of a record this node returned.`);
	}
	return text;
}

/** A searchable pick-list of companies or backup servers, or a UID typed in. */
export function locator(spec: { displayName: string; name: string; searchListMethod: string; required: boolean; in: VspcField['in']; description: string }): VspcField {
	return {
		displayName: spec.displayName,
		name: spec.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		// Only `required: true`: false is n8n's default and the rules ask to leave it out (node-param-required-false).
		...(spec.required ? { required: true } : {}),
		description: spec.description,
		in: spec.in,
		uid: true,
		modes: [
			{ displayName: 'From List', name: 'list', type: 'list', placeholder: `Select a ${spec.displayName.toLowerCase()}…`, typeOptions: { searchListMethod: spec.searchListMethod, searchable: true } },
			{
				displayName: 'By UID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 3fa85f64-5717-4562-b3fc-2c963f66afa6',
				validation: [{ type: 'regex', properties: { regex: UUID_SOURCE, errorMessage: 'Not a VSPC UID' } }],
			},
		],
	};
}

export const companyFilter = (description: string): VspcField => locator({ displayName: 'Company', name: 'companyUid', searchListMethod: 'searchCompanies', required: false, in: 'none', description });

function uidField(displayName: string, name: string, description: string): VspcField {
	return { displayName, name, type: 'string', default: '', required: true, in: 'path', uid: true, placeholder: 'e.g. 3fa85f64-5717-4562-b3fc-2c963f66afa6', description };
}

function multi(displayName: string, name: string, values: string[], description: string): VspcField {
	return { displayName, name, type: 'multiOptions', default: [], in: 'none', options: values.map((v) => ({ name: v, value: v })), description };
}

const JOB_STATUSES = ['Failed', 'Idle', 'None', 'Running', 'Starting', 'Stopping', 'Success', 'Warning', 'Unknown'];
const ALARM_STATUSES = ['Acknowledged', 'Error', 'Info', 'Resolved', 'Warning'];
/** AlarmObject.type values (CSPC …/models/alarm_object_type.py), the common ones. */
export const ALARM_OBJECT_TYPES = ['BackupAgent', 'BackupRepository', 'BackupServer', 'BackupServerJob', 'CloudRepository', 'Company', 'Internal', 'Location', 'ManagementAgent', 'Site'];

const actionComment = (action: string): VspcField => ({
	displayName: 'Comment',
	name: 'comment',
	type: 'string',
	default: '',
	required: true,
	in: 'query',
	description: `Why the alarm is ${action}; VSPC stores it with the alarm's status change (the API requires it)`,
});

const resolveOnClients: VspcField = {
	displayName: 'Also on Client Portals',
	name: 'resolveOnClients',
	type: 'boolean',
	default: false,
	in: 'query',
	description: 'Whether the change also applies to the alarm as the client company sees it',
	toApi: (value) => (value === true ? 'true' : 'false'),
};

const alarmUid = uidField('Alarm UID', 'activeAlarmUid', 'The instanceUid of a triggered alarm (from Alarm › Get Many or the trigger)');
const jobUid = uidField('Job UID', 'jobUid', 'The instanceUid of a backup job (from Backup Job › Get Many or the trigger)');

const byName = [{ name: 'Name', value: 'name' }];

const rows: VspcOperation[] = [
	// CSPC …/api/companies/get_companies.py, get_company.py
	{
		resource: 'company',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many companies',
		description: 'List the client companies the user can see',
		method: 'GET',
		path: '/organizations/companies',
		paged: true,
		key: 'instanceUid',
		fields: [multi('Status', 'status', ['Active', 'Disabled'], 'Only companies with one of these statuses (all when empty)')],
		filters: [{ field: 'status', property: 'status' }],
		sortFields: byName,
	},
	{
		resource: 'company',
		operation: 'get',
		name: 'Get',
		action: 'Get a company',
		description: 'Get one company by UID',
		method: 'GET',
		path: '/organizations/companies/{companyUid}',
		fields: [locator({ displayName: 'Company', name: 'companyUid', searchListMethod: 'searchCompanies', required: true, in: 'path', description: 'The company to get' })],
	},
	// CSPC …/api/locations/get_locations.py
	{
		resource: 'location',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many locations',
		description: 'List the locations of companies (and of the provider)',
		method: 'GET',
		path: '/organizations/locations',
		paged: true,
		key: 'instanceUid',
		fields: [companyFilter('Only the locations of this company (all when empty)')],
		filters: [{ field: 'companyUid', property: 'organizationUid' }],
		sortFields: byName,
	},
	// CSPC …/api/cloud_connect/get_sites.py
	{
		resource: 'site',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many cloud connect sites',
		description: 'List the provider\'s Veeam Cloud Connect sites',
		method: 'GET',
		path: '/infrastructure/sites',
		paged: true,
		key: 'siteUid',
	},
	// CSPC …/api/backup_servers/get_backup_servers.py, get_backup_server.py
	{
		resource: 'backupServer',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many backup servers',
		description: 'List the managed Veeam Backup & Replication servers',
		method: 'GET',
		path: '/infrastructure/backupServers',
		paged: true,
		key: 'instanceUid',
		fields: [companyFilter('Only the servers of this company (all when empty)')],
		filters: [{ field: 'companyUid', property: 'organizationUid' }],
		sortFields: byName,
	},
	{
		resource: 'backupServer',
		operation: 'get',
		name: 'Get',
		action: 'Get a backup server',
		description: 'Get one managed backup server by UID',
		method: 'GET',
		path: '/infrastructure/backupServers/{backupServerUid}',
		fields: [locator({ displayName: 'Backup Server', name: 'backupServerUid', searchListMethod: 'searchBackupServers', required: true, in: 'path', description: 'The backup server to get' })],
	},
	// CSPC …/api/backup_server_jobs/get_backup_server_jobs.py, get_backup_server_job.py, start_backup_server_job.py, stop_backup_server_job.py
	{
		resource: 'backupJob',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many backup jobs',
		description: 'List the jobs of every managed backup server, with their latest session',
		method: 'GET',
		path: '/infrastructure/backupServers/jobs',
		paged: true,
		key: 'instanceUid',
		fields: [
			companyFilter('Only the jobs of this company (all when empty)'),
			locator({ displayName: 'Backup Server', name: 'backupServerUid', searchListMethod: 'searchBackupServers', required: false, in: 'none', description: 'Only the jobs of this server (all when empty)' }),
			multi('Status', 'status', JOB_STATUSES, 'Only jobs whose latest session has one of these statuses (all when empty)'),
		],
		filters: [
			{ field: 'companyUid', property: 'organizationUid' },
			{ field: 'backupServerUid', property: 'backupServerUid' },
			{ field: 'status', property: 'status' },
		],
		sortFields: [...byName, { name: 'Last Run', value: 'lastRun' }],
	},
	{
		resource: 'backupJob',
		operation: 'get',
		name: 'Get',
		action: 'Get a backup job',
		description: 'Get one backup job with its latest session',
		method: 'GET',
		path: '/infrastructure/backupServers/jobs/{jobUid}',
		fields: [jobUid],
	},
	{
		resource: 'backupJob',
		operation: 'start',
		name: 'Start',
		action: 'Start a backup job',
		description: 'Queue a run of the job (VSPC answers when the task is queued, not when the session ends)',
		method: 'POST',
		path: '/infrastructure/backupServers/jobs/{jobUid}/start',
		fields: [jobUid],
		successOutput: (v) => ({ jobUid: v.jobUid, action: 'start', queued: true }),
	},
	{
		resource: 'backupJob',
		operation: 'stop',
		name: 'Stop',
		action: 'Stop a backup job',
		description: 'Queue a stop of the running job',
		method: 'POST',
		path: '/infrastructure/backupServers/jobs/{jobUid}/stop',
		fields: [jobUid],
		successOutput: (v) => ({ jobUid: v.jobUid, action: 'stop', queued: true }),
	},
	// CSPC …/api/protected_workloads/get_protected_virtual_machines.py, get_protected_computers_managed_by_console.py,
	// get_protected_computers_managed_by_backup_server.py
	{
		resource: 'protectedWorkload',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many protected workloads',
		description: 'List protected VMs or computers with their latest restore point',
		method: 'GET',
		path: '/protectedWorkloads/{workloadType}',
		paged: true,
		fields: [
			{
				displayName: 'Workload Type',
				name: 'workloadType',
				type: 'options',
				default: 'virtualMachines',
				in: 'path',
				rawPath: true,
				options: [
					{ name: 'Virtual Machines', value: 'virtualMachines' },
					{ name: 'Computers (Backup Agents Managed by VSPC)', value: 'computersManagedByConsole' },
					{ name: 'Computers (Managed by a Backup Server)', value: 'computersManagedByBackupServer' },
				],
			},
			companyFilter('Only the workloads of this company (all when empty)'),
		],
		filters: [{ field: 'companyUid', property: 'organizationUid' }],
		sortFields: byName,
		keyOf: (v) => (v.workloadType === 'computersManagedByConsole' ? 'backupAgentUid' : 'instanceUid'),
	},
	// CSPC …/api/alarms/get_active_alarms.py, acknowledge_active_alarm.py, resolve_active_alarm.py
	{
		resource: 'alarm',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many active alarms',
		description: 'List triggered alarms with their latest activation',
		method: 'GET',
		path: '/alarms/active',
		paged: true,
		key: 'instanceUid',
		fields: [
			companyFilter('Only the alarms of this company (all when empty)'),
			multi('Status', 'status', ALARM_STATUSES, 'Only alarms whose latest activation has one of these statuses (all when empty)'),
			multi('Object Type', 'objectType', ALARM_OBJECT_TYPES, 'Only alarms about these kinds of objects (all when empty)'),
		],
		filters: [
			{ field: 'companyUid', property: 'object.organizationUid' },
			{ field: 'status', property: 'lastActivation.status' },
			{ field: 'objectType', property: 'object.type' },
		],
		sortFields: [{ name: 'Time', value: 'lastActivation.time' }],
	},
	{
		resource: 'alarm',
		operation: 'acknowledge',
		name: 'Acknowledge',
		action: 'Acknowledge an alarm',
		description: 'Mark a triggered alarm as acknowledged',
		method: 'POST',
		path: '/alarms/active/{activeAlarmUid}/acknowledge',
		fields: [alarmUid, actionComment('acknowledged'), resolveOnClients],
		successOutput: (v) => ({ activeAlarmUid: v.activeAlarmUid, status: 'Acknowledged' }),
	},
	{
		resource: 'alarm',
		operation: 'resolve',
		name: 'Resolve',
		action: 'Resolve an alarm',
		description: 'Mark a triggered alarm as resolved',
		method: 'POST',
		path: '/alarms/active/{activeAlarmUid}/resolve',
		fields: [alarmUid, actionComment('resolved'), resolveOnClients],
		successOutput: (v) => ({ activeAlarmUid: v.activeAlarmUid, status: 'Resolved' }),
	},
	// CSPC …/api/licensing/get_organizations_license_usage.py: organizationUid is a plain query parameter.
	{
		resource: 'licenseUsage',
		operation: 'get',
		name: 'Get',
		action: 'Get license usage',
		description: 'Current license usage per organization (units per server and workload), for billing',
		method: 'GET',
		path: '/licensing/usage/organizations',
		fields: [companyFilter('Only this company (every organization when empty)')],
		// Every organization's record, all pages: a bill must not miss one.
		handler: async (ctx, values) => await vspcList(ctx.fn, '/licensing/usage/organizations', { qs: values.companyUid ? { organizationUid: values.companyUid } : undefined, key: 'organizationUid', itemIndex: ctx.check.itemIndex }, ctx.options),
	},
	{
		resource: 'customApi',
		operation: 'request',
		name: 'Request',
		action: 'Make a VSPC API request',
		description: 'Call any endpoint under /api/v3 that the other operations do not cover',
		fields: [
			...customApiFields({
				pathPlaceholder: '/organizations/companies/{companyUid}/usage',
				pathDescription: 'Path under /api/v3, e.g. /infrastructure/managementAgents. Put query parameters in the field below, not in the path.',
				queryPlaceholder: 'filter',
				queryDescription: 'Query string parameters such as filter or sort (JSON, as VSPC expects them; with Return All, limit and offset are set by the node)',
				bodyDescription: 'Request body as JSON. Each write carries a fresh idempotency key (the X-Request-ID header), so a retried write is applied once.',
				returnAllHint: 'On: pages through a collection with limit/offset and returns every record, one item per record. Off: the data of the single response.',
			}),
		],
		handler: customApiHandler<VspcOperation>({ profile: VSPC_PROFILE, basePath: '/api/v3', example: '/organizations/companies', pagingParams: ['limit', 'offset'] }),
	},
];

/** The list query of a paged row: its filters (equals, or an `or` group of equals) and the chosen sort. */
export function listQuery(op: VspcOperation, values: IDataObject, check: InputCheck): IDataObject {
	const filter: VspcFilterItem[] = [];
	for (const f of op.filters ?? []) {
		const raw = values[f.field];
		const list = (Array.isArray(raw) ? raw : [raw]).map((v) => (v === undefined || v === null ? '' : String(v).trim())).filter((v) => v !== '');
		if (list.length === 1) filter.push({ property: f.property, operation: 'equals', value: list[0] });
		else if (list.length > 1) filter.push({ operation: 'or', items: list.map((value) => ({ property: f.property, operation: 'equals', value })) });
	}
	const sortValues = (values.sort ?? {}) as IDataObject;
	const sort: VspcSortItem[] = [];
	if (op.sortFields?.length && (sortValues.field !== undefined || sortValues.direction !== undefined)) {
		const property = requireOption(check, 'Sort By', sortValues.field ?? op.sortFields[0].value, op.sortFields.map((s) => s.value));
		const direction = requireOption(check, 'Sort Direction', sortValues.direction ?? 'ascending', ['ascending', 'descending']) as VspcSortItem['direction'];
		sort.push({ property, direction });
	}
	return vspcQuery(filter, sort);
}

/** The Sort collection of a row with sortFields. */
export function sortProperty(op: VspcOperation): INodeProperties | undefined {
	if (!op.sortFields?.length) return undefined;
	return sortCollection(op.sortFields, ['ascending', 'descending'], 'Property the server sorts the records by');
}

/** The rows with their Sort collection as a field, read like any other field. */
export const vspcOperations: VspcOperation[] = rows.map((op) => {
	const sort = sortProperty(op);
	return sort ? { ...op, fields: [...(op.fields ?? []), { ...sort, in: 'none' as const }] } : op;
});
