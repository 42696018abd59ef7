import { customApiFields } from '../shared/customApi';
import type { IDataObject } from 'n8n-workflow';

import type { OperationDef, ResourceDef } from '../shared/operations';
import {
	clientAccount,
	customRequest,
	licenseUsageGet,
	planAction,
	planGet,
	planGetAll,
	planGetSteps,
	planGetVms,
	planSchedule,
	planWrite,
	runtimeDetailsGet,
	scopeGetAll,
	sessionLogout,
} from './actions';
import { actionOptions, CONTINUE_OPTIONS, idField, planLocator, waitFields } from './fields';
import type { VroContext } from './plans';

/**
 * The node's operations as data: one row per operation (fields + route key), a handler where the
 * operation needs logic. Routes per API version live in endpoints.ts; rows without a handler are
 * served by the generic executor in router.ts (one GET, or a paged list).
 */
export interface VroOperation extends OperationDef<VroContext> {
	/** Key in VRO_ROUTES checked before anything is sent; default `${resource}.${operation}`; null = every version. */
	route?: string | null;
}

export const RESOURCES: ResourceDef[] = [
	{ value: 'plan', name: 'Plan', description: 'Failover, restore and storage plans' },
	{ value: 'runtimeDetails', name: 'Runtime Detail', description: 'Progress and step results of the current or last run' },
	{ value: 'site', name: 'Site' },
	{ value: 'scope', name: 'Scope' },
	{ value: 'recoveryLocation', name: 'Recovery Location' },
	{ value: 'licenseUsage', name: 'License Usage' },
	{ value: 'clientAccount', name: 'Client Account', description: 'Child client accounts for client-credentials logins (API v2 and later)' },
	{ value: 'session', name: 'Session' },
	// Named like the option n8n would otherwise add for the HTTP Request node (see CUSTOM_API_CALL_NAME); listed last.
	{ value: 'customApi', name: 'Custom API Call', description: 'Any endpoint under the API base of the credential\'s version' },
];

const plan = planLocator();

/**
 * A plan action row. `wait`: the Wait for Completion fields (with "Error If the Plan Fails" on or off by
 * default), or false for a change that takes effect at once (enable, disable) and has nothing to wait for.
 */
function action(operation: Parameters<typeof planAction>[0], name: string, actionText: string, description: string, extra: VroOperation['fields'] = [], wait: { failOnError: boolean } | false = { failOnError: true }): VroOperation {
	return {
		resource: 'plan',
		operation,
		name,
		action: actionText,
		description,
		fields: [plan, ...(extra ?? []), ...(wait ? waitFields(wait) : [])],
		handler: planAction(operation),
	};
}

export const OPERATIONS: VroOperation[] = [
	// ---- plan: reads ----
	{
		resource: 'plan',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many plans',
		description: 'List plans (v1: failover plans; v2: failover and restore plans)',
		paged: true,
		fields: [
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add filter',
				default: {},
				options: [
					{
						displayName: 'Filter (JSON, API 4 and Later)',
						name: 'filter',
						type: 'string',
						default: '',
						placeholder: '[{"property":"planType","operator":"==","value":"Restore"}]',
						description: 'Server-side filter of API v4 and later: a JSON array of {property, operator, value}',
					},
					{ displayName: 'OData Filter (API 1 and 2)', name: 'odataFilter', type: 'string', default: '', placeholder: "scheduleEnabled eq true", description: 'OData $filter of VAO 1.0/2.0 (case-sensitive property names)' },
					{ displayName: 'OData Order By (API 1 and 2)', name: 'odataOrderBy', type: 'string', default: '', placeholder: 'name desc', description: 'OData $orderby of VAO 1.0/2.0' },
					{ displayName: 'Only Enabled Plans', name: 'onlyEnabled', type: 'boolean', default: false, description: 'Whether to list only enabled plans' },
					{
						displayName: 'Sort (JSON, API 4 and Later)',
						name: 'sort',
						type: 'string',
						default: '',
						placeholder: '[{"property":"name","direction":"ASC"}]',
						description: 'Server-side sort of API v4 and later: a JSON array of {property, direction}',
					},
				],
			},
		],
		handler: planGetAll,
	},
	{ resource: 'plan', operation: 'get', name: 'Get', action: 'Get a plan', description: 'Get a plan with its state', fields: [plan], handler: planGet },
	{ resource: 'plan', operation: 'getGroups', name: 'Get Groups', action: 'Get the groups of a plan', description: 'List the inventory and virtual groups of a plan (API v3 and later)', paged: true, fields: [{ ...plan, in: 'path' }] },
	{
		resource: 'plan',
		operation: 'getVms',
		name: 'Get VMs',
		action: 'Get the virtual machines of a plan',
		description: 'List the VMs of an inventory group, or of every group (API v3 and later)',
		route: 'plan.getVms',
		paged: true,
		fields: [plan, idField('groupId', 'Group ID', 'Inventory group whose VMs to list; empty = every group of the plan', false)],
		handler: planGetVms,
	},
	{
		resource: 'plan',
		operation: 'getSteps',
		name: 'Get Steps',
		action: 'Get the steps of a plan',
		description: 'List the steps of a virtual group or of a VM (API v3 and later)',
		route: 'plan.getGroupSteps',
		paged: true,
		fields: [
			plan,
			{
				displayName: 'Steps Of',
				name: 'stepsOf',
				type: 'options',
				options: [
					{ name: 'Group', value: 'group', description: 'Steps added to a virtual group' },
					{ name: 'VM', value: 'vm', description: 'Steps added for a VM' },
				],
				default: 'group',
			},
			{ ...idField('groupId', 'Group ID', 'The group (see Get Groups)'), displayOptions: { show: { stepsOf: ['group'] } } },
			{ ...idField('vmId', 'VM ID', 'The VM (see Get VMs)'), displayOptions: { show: { stepsOf: ['vm'] } } },
		],
		handler: planGetSteps,
	},
	// ---- plan: configuration writes ----
	action('enable', 'Enable', 'Enable a plan', 'Enable a plan so it can run', [], false),
	action('disable', 'Disable', 'Disable a plan', 'Disable a plan', [], false),
	// ---- plan: actions (asynchronous, with Wait for Completion) ----
	action('failover', 'Failover', 'Run a failover', 'Fail over a replica or storage plan', [actionOptions('failover')]),
	action('permanentFailover', 'Permanent Failover', 'Run a permanent failover', 'Fail over a replica plan permanently'),
	action('failback', 'Failback', 'Fail back to production', 'Fail back a replica plan to its source VMs ("Fail Back to Source VMs" in the reference)', [actionOptions('failback')]),
	action('commitFailback', 'Commit Failback', 'Commit a failback', 'Commit the failback of a replica plan'),
	action('prepareFailback', 'Prepare for Failback', 'Prepare a plan for failback', 'Prepare a failed-over plan for failback (API v5 and later)'),
	action('switchoverToProduction', 'Switchover to Production', 'Switch a plan over to production', 'Switch a plan prepared for failback over to production (API v5 and later)'),
	action('undo', 'Undo', 'Undo a failover or failback', 'Undo the failover or failback of a plan (from Failover, Failback or Halted)'),
	action('restore', 'Restore', 'Run a restore plan', 'Run a restore plan', [actionOptions('restore')]),
	action('halt', 'Halt', 'Halt a running plan', 'Halt a running plan', [
		{ displayName: 'Full Stop', name: 'fullStop', type: 'boolean', default: false, description: 'Whether to also stop the plans scheduled to run after this one' },
	]),
	action('continue', 'Continue', 'Continue a halted plan', 'Continue a halted plan (only from Halted)', [
		{ displayName: 'Continue Option', name: 'executionContinueOptions', type: 'options', options: CONTINUE_OPTIONS, default: '', description: 'What to do about the step that failed' },
	]),
	action('resetState', 'Reset State', 'Reset the state of a plan', 'Return a plan to the Disabled state', [
		{ displayName: 'Run Readiness Check After Reset', name: 'executeReadinessCheck', type: 'boolean', default: false, description: 'Whether to start a readiness check after the reset (API v3 and later)' },
	]),
	action('readinessCheck', 'Readiness Check', 'Run a readiness check', 'Check that a plan can run; with Wait for Completion the output reports the check result', [], { failOnError: false }),
	action('malwareScan', 'Malware Scan', 'Run a malware scan', 'Scan the restore points of a restore plan for malware (API v13 and later)'),
	{
		resource: 'plan',
		operation: 'schedule',
		name: 'Schedule',
		action: 'Schedule a plan',
		description: 'Schedule a plan to run at a time or after another plan',
		// Every version with a schedule has "after another plan"; "at a time" is checked by the handler (absent on v13.1).
		route: 'plan.scheduleAfter',
		fields: [
			plan,
			{
				displayName: 'Run',
				name: 'scheduleType',
				type: 'options',
				options: [
					{ name: 'At a Time', value: 'time' },
					{ name: 'After Another Plan', value: 'afterPlan' },
				],
				default: 'time',
			},
			{ displayName: 'Start Time', name: 'startTime', type: 'dateTime', default: '', required: true, displayOptions: { show: { scheduleType: ['time'] } }, description: 'When the plan runs' },
			{ ...planLocator('previousPlanId', 'Run After Plan', 'The plan after which this plan runs'), displayOptions: { show: { scheduleType: ['afterPlan'] } } },
		],
		handler: planSchedule,
	},
	{ resource: 'plan', operation: 'unschedule', name: 'Unschedule', action: 'Remove the schedule of a plan', description: 'Remove the schedule of a plan', fields: [plan], handler: planWrite('plan.unschedule', 'unschedule') },
	{
		resource: 'plan',
		operation: 'clone',
		name: 'Clone',
		action: 'Clone a plan',
		description: 'Copy a plan (API v5 and later); the copy starts disabled',
		fields: [plan, { displayName: 'New Name', name: 'newName', type: 'string', default: '', description: 'Name of the copy; empty = the server chooses one' }],
		handler: planWrite('plan.clone', 'clone'),
	},
	// ---- runtime details ----
	{
		resource: 'runtimeDetails',
		operation: 'get',
		name: 'Get',
		action: 'Get the runtime details of a plan',
		description: 'Progress and results of the current or last run (API v3 and later; empty after a server restart)',
		fields: [plan, { displayName: 'Include Groups', name: 'includeGroups', type: 'boolean', default: false, description: 'Whether to add the runtime details of each group' }],
		handler: runtimeDetailsGet,
	},
	// ---- sites, scopes, recovery locations, license usage ----
	{ resource: 'site', operation: 'getAll', name: 'Get Many', action: 'Get many sites', description: 'List the Orchestrator sites (API v1 to v6)', paged: true },
	{ resource: 'site', operation: 'get', name: 'Get', action: 'Get a site', description: 'Get one site (API v1 and v2)', fields: [{ ...idField('siteId', 'Site ID', 'The site (see Site → Get Many)'), in: 'path' }] },
	{
		resource: 'scope',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many scopes',
		description: 'List the scopes (API v2 and later)',
		paged: true,
		fields: [idField('siteId', 'Site ID (API 2)', 'On VAO 2.0, the site whose scopes to list; empty = every site', false)],
		handler: scopeGetAll,
	},
	{ resource: 'recoveryLocation', operation: 'getAll', name: 'Get Many', action: 'Get many recovery locations', description: 'List the recovery locations (API v2 and later)', paged: true },
	{ resource: 'recoveryLocation', operation: 'get', name: 'Get', action: 'Get a recovery location', description: 'Get one recovery location (API v2 and later)', fields: [{ ...idField('locationId', 'Recovery Location ID', 'The recovery location (see Get Many)'), in: 'path' }] },
	{
		resource: 'licenseUsage',
		operation: 'get',
		name: 'Get',
		action: 'Get the license usage',
		description: 'License usage of the server (v7+) or of each site (v2 to v6)',
		fields: [idField('siteId', 'Site ID (API 2 to 6)', 'On API v2 to v6, the site; empty = one item per site', false)],
		handler: licenseUsageGet,
	},
	// ---- client accounts ----
	{ resource: 'clientAccount', operation: 'create', name: 'Create', action: 'Create a client account', description: 'Create a child client account; its secret is shown only in this output', handler: clientAccount('clientAccount.create') },
	{ resource: 'clientAccount', operation: 'getAll', name: 'Get Many', action: 'Get many client accounts', description: 'List the client accounts of the user', paged: true, handler: clientAccount('clientAccount.getAll') },
	{
		resource: 'clientAccount',
		operation: 'delete',
		name: 'Delete',
		action: 'Delete a client account',
		description: 'Delete a client account; its tokens stop working',
		fields: [idField('clientId', 'Client ID', 'The client account to delete')],
		handler: clientAccount('clientAccount.delete'),
	},
	// ---- session ----
	{
		resource: 'session',
		operation: 'logout',
		name: 'Logout',
		action: 'Log out and discard the tokens',
		description: 'End the session and clear the stored tokens (a server logout exists on API v1 only)',
		handler: sessionLogout,
	},
	// ---- custom API ----
	{
		resource: 'customApi',
		operation: 'request',
		name: 'Request',
		action: 'Make an API request',
		description: 'Send any request under the API base of the credential\'s version, with the same login, retries and errors',
		route: null,
		fields: [
			...customApiFields({
				pathPlaceholder: '/Plans/{planId}/Groups',
				pathDescription: "Path under the API base of the credential's version (/api/v7.21, /v1, …), e.g. /Scopes. Put query parameters in the field below, not in the path.",
				queryPlaceholder: 'onlyEnabled',
				queryDescription: 'Query string parameters such as filter, sort or $filter (with Return All, the paging parameters are set by the node)',
				bodyDescription: 'Request body as JSON',
			}),
			{
				displayName: 'Return All',
				name: 'returnAll',
				type: 'boolean',
				default: false,
				displayOptions: { show: { method: ['GET'] } },
				description: 'Whether to return all results or only up to a given limit',
				hint: "On: pages through a collection in the version's paging style and returns every record, one item per record. Off: the single response.",
			},
		],
		handler: customRequest,
	},
];

/** Route key of a row: checked against the credential's API version before anything is sent. */
export function routeKeyOf(op: VroOperation): string | null {
	return op.route === undefined ? `${op.resource}.${op.operation}` : op.route;
}

/** Output of a write that answered without a body. */
export function emptyOutput(op: VroOperation, values: IDataObject): IDataObject {
	return op.successOutput ? op.successOutput(values) : { success: true };
}
