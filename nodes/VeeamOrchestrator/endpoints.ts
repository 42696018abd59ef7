import type { IDataObject } from 'n8n-workflow';

import type { VroApiVersion } from '../../credentials/shared/vroVersions';
import { describeRange, VRO_API_VERSIONS, VRO_VERSION_LABELS, versionInRange } from '../../credentials/shared/vroVersions';

/**
 * The per-version endpoint table: one operation name, the route each API generation uses for it.
 * Paths are relative to the version's base (`/v1`, `/v2`, `/api/vN`); `{collection}` is the v1/v2 plan
 * collection (FailoverPlans or RestorePlans) the plan was found in. Where a generation has no route
 * the node refuses before sending anything. Each route's public source is its row in
 * docs/evidence/veeam-orchestrator.json (method + path + version range).
 */
export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type LegacyCollection = 'FailoverPlans' | 'RestorePlans';

export interface VroRoute {
	from: VroApiVersion;
	/** Last version served (inclusive); omitted = every later version. */
	to?: VroApiVersion;
	method: Method;
	path: string;
	/** v1/v2: the plan collections the route exists in (default: both). */
	collections?: LegacyCollection[];
	/** JSON body from the operation's values. */
	body?: (values: IDataObject) => IDataObject | undefined;
	/** Query parameters from the operation's values (v3+ schedules take their value in the URL, not a body). */
	query?: (values: IDataObject) => IDataObject | undefined;
	/** `local`: no request (a logout where no endpoint is documented). */
	local?: boolean;
	/** Evidence note when the path is not confirmed for these versions (status `unseen`/`differs` in the evidence table). */
	unverified?: string;
}

/**
 * Plan collections per legacy version: VAO 1.0 has failover plans only (PV Swagger_VAO-APIv1.json has no
 * RestorePlans path); VAO 2.0 adds restore plans (https://helpcenter.veeam.com/archive/vao/20/restapi/restoreplans.html).
 */
export const LEGACY_COLLECTIONS: Record<'v1' | 'v2', LegacyCollection[]> = {
	v1: ['FailoverPlans'],
	v2: ['FailoverPlans', 'RestorePlans'],
};

const defined = (o: IDataObject): IDataObject | undefined => {
	const out: IDataObject = {};
	for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== '' && v !== null) out[k] = v;
	return Object.keys(out).length ? out : undefined;
};

const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
/** Dates go out as ISO 8601 (the n8n date picker gives local time without a zone). */
const date = (v: unknown): string | undefined => {
	const t = text(v);
	if (!t) return undefined;
	const ms = Date.parse(t);
	return Number.isNaN(ms) ? t : new Date(ms).toISOString();
};
const options = (values: IDataObject): IDataObject => (values.actionOptions as IDataObject) ?? {};

/**
 * v2 `planLaunchOptions` {restorePointRule{date, mode}, executeChainedPlans}, only what the user set
 * (https://helpcenter.veeam.com/archive/vao/20/restapi/failover_plan_launch_options.html).
 */
function launchOptions(values: IDataObject): IDataObject | undefined {
	const o = options(values);
	const pointDate = date(o.restorePointDate);
	return defined({
		restorePointRule: pointDate ? { date: pointDate, mode: text(o.restorePointMode) ?? 'NearestBefore' } : undefined,
		executeChainedPlans: bool(o.executeChainedPlans),
	});
}

/**
 * VAO 1.0 `Run` body. The vendor Swagger (PV `RESTful API Tools/Swagger_VAO-APIv1.json`, RunParameters,
 * PlanLaunchOptions, RestorePointRule) marks `mode`, `planLaunchOptions`, its `restorePointRule` and
 * `executeChainedPlans`, and the rule's `date` and `mode` as required, so all are always sent. Defaults when
 * the user sets none: the nearest restore point before now (= the latest, what the UI runs by default)
 * and no chained plans.
 */
function v1Run(mode: string) {
	return (values: IDataObject): IDataObject => {
		const o = options(values);
		return {
			mode,
			planLaunchOptions: {
				restorePointRule: { date: date(o.restorePointDate) ?? new Date().toISOString(), mode: text(o.restorePointMode) ?? 'NearestBefore' },
				executeChainedPlans: bool(o.executeChainedPlans) ?? false,
			},
		};
	};
}

/**
 * VAO 2.0 `Run` body: `mode` plus the launch options the user set. Failback puts its location and tag
 * options inside `planLaunchOptions` (https://helpcenter.veeam.com/archive/vao/20/restapi/run_failback.html).
 */
function v2Run(mode: string) {
	return (values: IDataObject): IDataObject => {
		const o = options(values);
		const launch: IDataObject = { ...(launchOptions(values) ?? {}) };
		if (mode === 'Failback') Object.assign(launch, defined({ failbackRestoreVMTags: bool(o.failbackRestoreVMTags), recoveryLocationId: text(o.recoveryLocationId) }) ?? {});
		return Object.keys(launch).length ? { mode, planLaunchOptions: launch } : { mode };
	};
}

const continueBody = (values: IDataObject) => defined({ executionContinueOptions: text(values.executionContinueOptions) });
/** VAO 1.0 ContinueParameters: `executionContinueOptions` is required (PV Swagger); the handler refuses an empty choice before sending. */
const v1ContinueBody = (values: IDataObject) => ({ executionContinueOptions: text(values.executionContinueOptions) });
const haltBody = (values: IDataObject) => ({ fullStop: values.fullStop === true });
/**
 * Reset: VAO 1.0 ResetParameters marks `resetState`, `resetChangeLog` and `resetConfiguration` required (PV
 * Swagger); VAO 2.0 documents the same three (https://helpcenter.veeam.com/archive/vao/20/restapi/reset_restore.html).
 * Reset State sets only the first.
 */
const resetBody = () => ({ resetState: true, resetChangeLog: false, resetConfiguration: false });
/**
 * v3+ schedules take their value as a query parameter, not a body:
 * `PUT …/Schedule/SaveTime?startTime=…` (https://helpcenter.veeam.com/archive/vao/30/restapi/schedule_plan_time.html,
 * https://helpcenter.veeam.com/docs/vro/rest/put_method.html) and `PUT …/Schedule/SaveRunAfter?previousPlanId=…`
 * (https://helpcenter.veeam.com/archive/vao/30/restapi/schedule_plan_after_plan.html).
 */
const startTimeQuery = (v: IDataObject) => ({ startTime: date(v.startTime) });
const previousPlanQuery = (v: IDataObject) => ({ previousPlanId: text(v.previousPlanId) });

export const VRO_ROUTES: Record<string, VroRoute[]> = {
	'plan.getAll': [
		{ from: 'v1', to: 'v2', method: 'GET', path: '/{collection}' },
		{ from: 'v3', method: 'GET', path: '/Plans' },
	],
	'plan.get': [
		{ from: 'v1', to: 'v2', method: 'GET', path: '/{collection}/{planId}' },
		{ from: 'v3', method: 'GET', path: '/Plans/{planId}' },
	],
	'plan.enable': [
		{ from: 'v1', to: 'v2', method: 'POST', path: '/{collection}/{planId}/Enable' },
		{ from: 'v3', method: 'POST', path: '/Plans/{planId}/Enable' },
	],
	'plan.disable': [
		{ from: 'v1', to: 'v2', method: 'POST', path: '/{collection}/{planId}/Disable' },
		{ from: 'v3', method: 'POST', path: '/Plans/{planId}/Disable' },
	],
	'plan.failover': [
		{ from: 'v1', to: 'v1', method: 'POST', path: '/{collection}/{planId}/Run', collections: ['FailoverPlans'], body: v1Run('FailoverNow') },
		{ from: 'v2', to: 'v2', method: 'POST', path: '/{collection}/{planId}/Run', collections: ['FailoverPlans'], body: v2Run('FailoverNow') },
		{
			from: 'v3',
			method: 'POST',
			path: '/Plans/{planId}/Failover',
			body: (v) => defined({ executeChainedPlans: bool(options(v).executeChainedPlans), restorePointDate: date(options(v).restorePointDate), protectStorageVolumes: bool(options(v).protectStorageVolumes) }),
		},
	],
	'plan.permanentFailover': [
		{ from: 'v1', to: 'v1', method: 'POST', path: '/{collection}/{planId}/Run', collections: ['FailoverPlans'], body: v1Run('PermanentFailoverNow') },
		{ from: 'v2', to: 'v2', method: 'POST', path: '/{collection}/{planId}/Run', collections: ['FailoverPlans'], body: v2Run('PermanentFailoverNow') },
		{ from: 'v3', method: 'POST', path: '/Plans/{planId}/PermanentFailover' },
	],
	'plan.failback': [
		{ from: 'v1', to: 'v1', method: 'POST', path: '/{collection}/{planId}/Run', collections: ['FailoverPlans'], body: v1Run('Failback') },
		{ from: 'v2', to: 'v2', method: 'POST', path: '/{collection}/{planId}/Run', collections: ['FailoverPlans'], body: v2Run('Failback') },
		{
			from: 'v3',
			method: 'POST',
			path: '/Plans/{planId}/FailbackToProduction',
			body: (v) => defined({ restoreLocationId: text(options(v).recoveryLocationId), failbackRestoreVMTags: bool(options(v).failbackRestoreVMTags) }),
		},
	],
	'plan.commitFailback': [
		{ from: 'v1', to: 'v1', method: 'POST', path: '/{collection}/{planId}/Run', collections: ['FailoverPlans'], body: v1Run('CommitFailBack') },
		{ from: 'v2', to: 'v2', method: 'POST', path: '/{collection}/{planId}/Run', collections: ['FailoverPlans'], body: v2Run('CommitFailBack') },
		{ from: 'v3', method: 'POST', path: '/Plans/{planId}/CommitFailback' },
	],
	'plan.undo': [
		{ from: 'v1', to: 'v1', method: 'POST', path: '/{collection}/{planId}/Undo' },
		{ from: 'v2', to: 'v2', method: 'POST', path: '/{collection}/{planId}/Undo', collections: ['FailoverPlans'] },
		{ from: 'v3', method: 'POST', path: '/Plans/{planId}/Undo' },
	],
	'plan.restore': [
		{ from: 'v2', to: 'v2', method: 'POST', path: '/{collection}/{planId}/Run', collections: ['RestorePlans'], body: (v) => defined({ planLaunchOptions: launchOptions(v) }) },
		{
			from: 'v3',
			method: 'POST',
			path: '/Plans/{planId}/Restore',
			body: (v) => defined({ restoreLocationId: text(options(v).recoveryLocationId), executeChainedPlans: bool(options(v).executeChainedPlans), restorePointDate: date(options(v).restorePointDate) }),
		},
	],
	'plan.halt': [
		{ from: 'v1', to: 'v2', method: 'POST', path: '/{collection}/{planId}/Halt', body: haltBody },
		{ from: 'v3', method: 'POST', path: '/Plans/{planId}/Halt', body: haltBody },
	],
	'plan.continue': [
		// v1: `/Run/Continue` per the PV Swagger and archive/vao/10/restapi/continue_failover.html's example; the 1.0 methods page's `/Continue` is the outlier.
		{ from: 'v1', to: 'v1', method: 'POST', path: '/{collection}/{planId}/Run/Continue', body: v1ContinueBody },
		{ from: 'v2', to: 'v2', method: 'POST', path: '/{collection}/{planId}/Continue', body: continueBody, unverified: 'documented for restore plans only; failover plans assumed to mirror them' },
		{ from: 'v3', method: 'POST', path: '/Plans/{planId}/Continue', body: continueBody },
	],
	'plan.resetState': [
		{ from: 'v1', to: 'v2', method: 'POST', path: '/{collection}/{planId}/Reset', body: resetBody },
		{ from: 'v3', method: 'POST', path: '/Plans/{planId}/ResetState', body: (v) => ({ executeReadinessCheck: v.executeReadinessCheck === true }) },
	],
	'plan.readinessCheck': [
		{ from: 'v2', to: 'v2', method: 'POST', path: '/{collection}/{planId}/RunReadinessCheck', unverified: 'documented for restore plans only; failover plans assumed to mirror them' },
		{ from: 'v3', method: 'POST', path: '/Plans/{planId}/ReadinessCheck' },
	],
	// v1/v2: one of `startTime` / `previousPlanId` in a JSON body, as the Help Center examples send
	// (archive/vao/10 schedule_failover.html, archive/vao/20 schedule_restore.html); the v1 Swagger marks both required (differs).
	// v13.1 replaced "at Specific Time" by a POST "Schedule Plan to Run on Schedule" whose path and body are unseen: refused there.
	'plan.scheduleAt': [
		{ from: 'v1', to: 'v2', method: 'POST', path: '/{collection}/{planId}/Schedule', body: (v) => ({ startTime: date(v.startTime) }) },
		{ from: 'v3', to: 'v13', method: 'PUT', path: '/Plans/{planId}/Schedule/SaveTime', query: startTimeQuery },
	],
	'plan.scheduleAfter': [
		{ from: 'v1', to: 'v2', method: 'POST', path: '/{collection}/{planId}/Schedule', body: (v) => ({ previousPlanId: text(v.previousPlanId) }) },
		{ from: 'v3', to: 'v13', method: 'PUT', path: '/Plans/{planId}/Schedule/SaveRunAfter', query: previousPlanQuery },
		{ from: 'v13.1', method: 'PUT', path: '/Plans/{planId}/Schedule/SaveRunAfter', query: previousPlanQuery, unverified: 'the 13.1 reference lists PUT "Schedule Plan to Run After Another Plan"; its path and parameter were not retrieved and are assumed unchanged' },
	],
	'plan.unschedule': [
		{ from: 'v1', to: 'v1', method: 'POST', path: '/{collection}/{planId}/Schedule/Disable' },
		{ from: 'v2', to: 'v2', method: 'POST', path: '/{collection}/{planId}/DisableSchedule' },
		{ from: 'v3', method: 'DELETE', path: '/Plans/{planId}/Schedule' },
	],
	'plan.clone': [{ from: 'v5', method: 'POST', path: '/Plans/{planId}/Clone', body: (v) => defined({ name: text(v.newName) }), unverified: 'body not retrieved from any reference' }],
	// Added in v5 (https://helpcenter.veeam.com/archive/vdro/50/rest/changelog.html), listed in the 7.2.1, 13 and 13.1
	// references. Their request bodies were not retrieved: nothing is sent in the body.
	'plan.prepareFailback': [{ from: 'v5', method: 'POST', path: '/Plans/{planId}/PrepareToFailback' }],
	'plan.switchoverToProduction': [{ from: 'v5', method: 'POST', path: '/Plans/{planId}/SwitchoverToProduction' }],
	// New in v13 (https://helpcenter.veeam.com/references/vro/13/rest/tag/SectionChangelog), also in 13.1.
	'plan.malwareScan': [{ from: 'v13', method: 'POST', path: '/Plans/{planId}/MalwareScan' }],
	'plan.getGroups': [{ from: 'v3', method: 'GET', path: '/Plans/{planId}/Groups' }],
	'plan.getVms': [{ from: 'v3', method: 'GET', path: '/Plans/{planId}/Groups/{groupId}/Vms' }],
	'plan.getGroupSteps': [{ from: 'v3', method: 'GET', path: '/Plans/{planId}/Groups/{groupId}/Steps' }],
	'plan.getVmSteps': [{ from: 'v3', method: 'GET', path: '/Plans/{planId}/Vms/{vmId}/Steps' }],
	'runtimeDetails.get': [{ from: 'v3', method: 'GET', path: '/RuntimeDetails/Plans/{planId}' }],
	'runtimeDetails.getGroups': [{ from: 'v3', method: 'GET', path: '/RuntimeDetails/Plans/{planId}/Groups' }],
	'runtimeDetails.getGroupSteps': [{ from: 'v3', method: 'GET', path: '/RuntimeDetails/Plans/{planId}/Groups/{groupId}/Steps' }],
	'runtimeDetails.getVmSteps': [{ from: 'v3', method: 'GET', path: '/RuntimeDetails/Plans/{planId}/Vms/{vmId}/Steps' }],
	// Sites is not a tag of the 7.2.1 reference; GET by ID is documented for v1/v2 only.
	'site.getAll': [{ from: 'v1', to: 'v6', method: 'GET', path: '/Sites', unverified: 'v4–v6 assumed unchanged from v3' }],
	'site.get': [{ from: 'v1', to: 'v2', method: 'GET', path: '/Sites/{siteId}' }],
	'scope.getAll': [
		{ from: 'v2', to: 'v2', method: 'GET', path: '/Sites/{siteId}/Scopes' },
		{ from: 'v3', method: 'GET', path: '/Scopes' },
	],
	'recoveryLocation.getAll': [{ from: 'v2', method: 'GET', path: '/RecoveryLocations' }],
	'recoveryLocation.get': [{ from: 'v2', method: 'GET', path: '/RecoveryLocations/{locationId}' }],
	'licenseUsage.get': [
		{ from: 'v2', to: 'v6', method: 'GET', path: '/Sites/{siteId}/LicenseUsage' },
		{ from: 'v7', to: 'v7.21', method: 'GET', path: '/LicenseUsage/Server', unverified: 'path from client code for 7.21; 7.0–7.2 assumed the same' },
		{ from: 'v13', method: 'GET', path: '/License/Usage/Server' },
	],
	// Client accounts: POST documented v2–v7.21; no Clients tag in the 13 reference. GET/DELETE paths unseen.
	'clientAccount.create': [{ from: 'v2', to: 'v7.21', method: 'POST', path: '/Clients' }],
	'clientAccount.getAll': [{ from: 'v2', to: 'v7.21', method: 'GET', path: '/Clients', unverified: 'listing is a documented procedure; path not retrieved' }],
	'clientAccount.delete': [{ from: 'v2', to: 'v7.21', method: 'DELETE', path: '/Clients/{clientId}', unverified: 'deletion is a documented procedure; path not retrieved' }],
	// Logout: GET /v1/Accounts/Logout (PV Swagger_VAO-APIv1.json). No logout endpoint is documented for later versions: the node forgets the tokens.
	'session.logout': [
		{ from: 'v1', to: 'v1', method: 'GET', path: '/Accounts/Logout' },
		{ from: 'v2', method: 'GET', path: '', local: true },
	],
};

export function routeFor(key: string, version: VroApiVersion): VroRoute | undefined {
	return (VRO_ROUTES[key] ?? []).find((r) => versionInRange(version, r.from, r.to));
}

/** "v3 and later", "v2 to v7.21", "v1; v3 and later" — which versions have the operation. */
export function versionsWith(key: string): string {
	const routes = (VRO_ROUTES[key] ?? []).filter((r) => !r.local);
	if (routes.length === 0) return 'no version';
	// Merge adjacent ranges so "v1 to v2" + "v3 and later" reads "every version".
	const covered = VRO_API_VERSIONS.filter((v) => routes.some((r) => versionInRange(v, r.from, r.to)));
	const ranges: Array<[VroApiVersion, VroApiVersion]> = [];
	for (const v of covered) {
		const last = ranges[ranges.length - 1];
		if (last && VRO_API_VERSIONS.indexOf(v) === VRO_API_VERSIONS.indexOf(last[1]) + 1) last[1] = v;
		else ranges.push([v, v]);
	}
	return ranges.map(([a, b]) => describeRange(a, b)).join('; ');
}

/** The release behind a version, for messages: "v1 (Availability Orchestrator 1.0)". */
export function versionName(version: VroApiVersion): string {
	const label = VRO_VERSION_LABELS[version].split(' — ')[1]?.replace(/ \(port \d+\)$/, '');
	return label ? `${version} (${label})` : version;
}
