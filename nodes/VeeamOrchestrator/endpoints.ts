import type { IDataObject } from 'n8n-workflow';

import type { VroApiVersion } from '../../credentials/shared/vroVersions';
import { describeRange, VRO_API_VERSIONS, VRO_VERSION_LABELS, versionInRange } from '../../credentials/shared/vroVersions';

/**
 * The per-version endpoint table: one operation name, the route each API generation uses for it
 * (reference §3). Paths are relative to the version's base (`/v1`, `/v2`, `/api/vN`); `{collection}`
 * is the v1/v2 plan collection (FailoverPlans or RestorePlans) the plan was found in. Where a
 * generation has no route the node refuses before sending anything.
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
	/** `local`: no request (a logout where no endpoint is documented). */
	local?: boolean;
	/** Evidence note when the path is not confirmed for these versions (§3, §7). */
	unverified?: string;
}

/** Plan collections per legacy version: VAO 1.0 has failover plans only; VAO 2.0 adds restore plans (§3.1, §3.2). */
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

/** v1/v2 `planLaunchOptions` {restorePointRule{date, mode}, executeChainedPlans} (§3.1). */
function launchOptions(values: IDataObject): IDataObject | undefined {
	const o = options(values);
	const pointDate = date(o.restorePointDate);
	return defined({
		restorePointRule: pointDate ? { date: pointDate, mode: text(o.restorePointMode) ?? 'NearestBefore' } : undefined,
		executeChainedPlans: bool(o.executeChainedPlans),
	});
}

/** v1/v2 `Run` body: `mode` plus optional launch options; v2 failback adds its location and tag options. */
function legacyRun(mode: string) {
	return (values: IDataObject): IDataObject => {
		const o = options(values);
		const body: IDataObject = { mode };
		const launch = launchOptions(values);
		if (launch) body.planLaunchOptions = launch;
		if (mode === 'Failback') Object.assign(body, defined({ recoveryLocationId: text(o.recoveryLocationId), failbackRestoreVMTags: bool(o.failbackRestoreVMTags) }) ?? {});
		return body;
	};
}

const continueBody = (values: IDataObject) => defined({ executionContinueOptions: text(values.executionContinueOptions) });
const haltBody = (values: IDataObject) => ({ fullStop: values.fullStop === true });

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
		{ from: 'v1', to: 'v2', method: 'POST', path: '/{collection}/{planId}/Run', collections: ['FailoverPlans'], body: legacyRun('FailoverNow') },
		{
			from: 'v3',
			method: 'POST',
			path: '/Plans/{planId}/Failover',
			body: (v) => defined({ executeChainedPlans: bool(options(v).executeChainedPlans), restorePointDate: date(options(v).restorePointDate), protectStorageVolumes: bool(options(v).protectStorageVolumes) }),
		},
	],
	'plan.permanentFailover': [
		{ from: 'v1', to: 'v2', method: 'POST', path: '/{collection}/{planId}/Run', collections: ['FailoverPlans'], body: legacyRun('PermanentFailoverNow') },
		{ from: 'v3', method: 'POST', path: '/Plans/{planId}/PermanentFailover' },
	],
	'plan.failback': [
		{ from: 'v1', to: 'v2', method: 'POST', path: '/{collection}/{planId}/Run', collections: ['FailoverPlans'], body: legacyRun('Failback') },
		{
			from: 'v3',
			method: 'POST',
			path: '/Plans/{planId}/FailbackToProduction',
			body: (v) => defined({ restoreLocationId: text(options(v).recoveryLocationId), failbackRestoreVMTags: bool(options(v).failbackRestoreVMTags) }),
		},
	],
	'plan.commitFailback': [
		{ from: 'v1', to: 'v2', method: 'POST', path: '/{collection}/{planId}/Run', collections: ['FailoverPlans'], body: legacyRun('CommitFailBack') },
		{ from: 'v3', method: 'POST', path: '/Plans/{planId}/CommitFailback' },
	],
	'plan.undo': [
		{ from: 'v1', to: 'v1', method: 'POST', path: '/{collection}/{planId}/Undo' },
		{ from: 'v2', to: 'v2', method: 'POST', path: '/{collection}/{planId}/Undo', collections: ['FailoverPlans'], unverified: 'v2 failover-plan Undo path not retrieved; assumed as v1 (§3.2)' },
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
		// v1: `/Run/Continue` per the Swagger and the docs' example; the methods page's `/Continue` is the outlier (§7.3).
		{ from: 'v1', to: 'v1', method: 'POST', path: '/{collection}/{planId}/Run/Continue', body: continueBody },
		{ from: 'v2', to: 'v2', method: 'POST', path: '/{collection}/{planId}/Continue', body: continueBody, unverified: 'documented for restore plans; failover plans assumed to mirror them (§3.2)' },
		{ from: 'v3', method: 'POST', path: '/Plans/{planId}/Continue', body: continueBody },
	],
	'plan.resetState': [
		{ from: 'v1', to: 'v2', method: 'POST', path: '/{collection}/{planId}/Reset', body: () => ({ resetState: true }) },
		{ from: 'v3', method: 'POST', path: '/Plans/{planId}/ResetState', body: (v) => ({ executeReadinessCheck: v.executeReadinessCheck === true }) },
	],
	'plan.readinessCheck': [
		{ from: 'v2', to: 'v2', method: 'POST', path: '/{collection}/{planId}/RunReadinessCheck', unverified: 'documented for restore plans; failover plans assumed to mirror them (§3.2)' },
		{ from: 'v3', method: 'POST', path: '/Plans/{planId}/ReadinessCheck' },
	],
	'plan.scheduleAt': [
		{ from: 'v1', to: 'v2', method: 'POST', path: '/{collection}/{planId}/Schedule', body: (v) => ({ startTime: date(v.startTime) }) },
		{ from: 'v3', method: 'PUT', path: '/Plans/{planId}/Schedule/SaveTime', body: (v) => ({ startTime: date(v.startTime) }), unverified: 'body field names not documented for v3+; v1/v2 names reused' },
	],
	'plan.scheduleAfter': [
		{ from: 'v1', to: 'v2', method: 'POST', path: '/{collection}/{planId}/Schedule', body: (v) => ({ previousPlanId: text(v.previousPlanId) }) },
		{ from: 'v3', method: 'PUT', path: '/Plans/{planId}/Schedule/SaveRunAfter', body: (v) => ({ previousPlanId: text(v.previousPlanId) }), unverified: 'body field names not documented for v3+; v1/v2 names reused' },
	],
	'plan.unschedule': [
		{ from: 'v1', to: 'v1', method: 'POST', path: '/{collection}/{planId}/Schedule/Disable' },
		{ from: 'v2', to: 'v2', method: 'POST', path: '/{collection}/{planId}/DisableSchedule' },
		{ from: 'v3', method: 'DELETE', path: '/Plans/{planId}/Schedule' },
	],
	'plan.clone': [{ from: 'v5', method: 'POST', path: '/Plans/{planId}/Clone', body: (v) => defined({ name: text(v.newName) }), unverified: 'body not documented (§3.4)' }],
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
		{ from: 'v7', to: 'v7.21', method: 'GET', path: '/LicenseUsage/Server', unverified: 'path from client code for 7.21; 7.0–7.2 assumed the same (§7.9)' },
		{ from: 'v13', method: 'GET', path: '/License/Usage/Server' },
	],
	// Client accounts: POST documented v2–v7.21; no Clients tag in the 13 reference (§7.10). GET/DELETE paths unverified.
	'clientAccount.create': [{ from: 'v2', to: 'v7.21', method: 'POST', path: '/Clients' }],
	'clientAccount.getAll': [{ from: 'v2', to: 'v7.21', method: 'GET', path: '/Clients', unverified: 'listing is a documented procedure; path not retrieved' }],
	'clientAccount.delete': [{ from: 'v2', to: 'v7.21', method: 'DELETE', path: '/Clients/{clientId}', unverified: 'deletion is a documented procedure; path not retrieved' }],
	// Logout: GET /v1/Accounts/Logout (§1.2, §7.1). No logout endpoint is documented for later versions: the node forgets the tokens.
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
