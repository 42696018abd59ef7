/**
 * VAO 1.0 (REST v1, from the vendor Swagger: PV mycloudrevolution/PowerVAO `RESTful API Tools/Swagger_VAO-APIv1.json`)
 * and VAO 2.0 (REST v2, https://helpcenter.veeam.com/archive/vao/20/restapi/methods.html): FailoverPlans/RestorePlans,
 * `Run` with a `mode`, OData options, bare arrays with `_links`, actions answer 200 with no content
 * (https://helpcenter.veeam.com/archive/vao/10/restapi/run_failover.html).
 *
 * v1 bodies are checked against the Swagger's `required` lists (RunParameters, PlanLaunchOptions,
 * RestorePointRule, ContinueParameters, ResetParameters, HaltParameters): a missing one is refused as
 * Web API model validation refuses it. Properties the Swagger or the v2 pages do not show are refused.
 */
import type { Route } from '../common/server';
import { collection } from './query';
import { api, canSee, continueOption, findPlan, HttpError, invalidField, jsonBody, license, locationVisibleIn, ok, onlyProperties, optBool, optString, planVisibleIn, required, type Ctx, type Deps } from './respond';
import { clientRoutes } from './clients';
import * as S from './serialize';
import type { Plan, PlanType } from './store';
import type { VroVersion } from './versions';

const RUN_MODES = { FailoverNow: 'Failover', PermanentFailoverNow: 'PermanentFailover', Failback: 'Failback', CommitFailBack: 'CommitFailback' } as const;

export function legacyRoutes(d: Deps, v: 'v1' | 'v2'): Route[] {
	const routes: Route[] = [];
	const r = (method: string, rel: string, fn: (c: Ctx) => ReturnType<typeof ok>) => routes.push(api(d, v, method, rel, fn));
	const list = (c: Ctx, items: Record<string, unknown>[]) => ok(collection(v, items, c.req.query));
	const site = (c: Ctx, key = 'siteId') => {
		const s = d.store.site(c.req.params[key]);
		if (!s) throw new HttpError(404, `Site with ID '${c.req.params[key]}' was not found.`);
		return s;
	};
	const scopes = (c: Ctx) => d.store.scopes.filter((s) => canSee(c.p, s.id));
	const scopeOf = (c: Ctx, key: string) => {
		const sc = scopes(c).find((x) => x.id.toLowerCase() === c.req.params[key].toLowerCase() && x.siteId === site(c).id);
		if (!sc) throw new HttpError(404, `Scope with ID '${c.req.params[key]}' was not found.`);
		return sc;
	};
	const plansOf = (c: Ctx, type: PlanType) => d.store.plans.filter((p) => p.planType === type && planVisibleIn(d, v, p) && canSee(c.p, p.scopeId));
	const show = (c: Ctx, plans: Plan[]) => {
		plans.forEach((p) => d.engine.sync(p));
		return list(c, plans.map((p) => S.legacyPlan(v, p, d, c.base)));
	};

	if (v === 'v1') {
		routes.push({
			method: 'GET',
			pattern: '/v1/About',
			// Unauthenticated (PowerVAO functions/New-VaoApiConnection.psm1 calls it before logging in).
			handler: () => ok({
				component: 'VaoRestApi', server: d.store.sites[0].serverName,
				version: { major: 1, minor: 0, build: 895, revision: 0, majorRevision: 0, minorRevision: 0 },
				logPath: 'C:\\ProgramData\\Veeam\\Orchestrator\\Logs', siteUrl: `https://${d.store.sites[0].serverName}:9898`,
			}),
		});
		// GET per PV Swagger_VAO-APIv1.json and its Postman collection; body is the text as a JSON string (shape unverified).
		r('GET', '/Accounts/Logout', (c) => {
			d.auth.logout(c.p);
			return { status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: '"Logout successful"' };
		});
	} else {
		routes.push(...clientRoutes(d, v));
	}

	// ---- Sites, scopes, license usage, recovery locations ----
	r('GET', '/Sites', (c) => list(c, d.store.sites.map((s) => S.legacySite(s, c.base))));
	r('GET', '/Sites/{id}', (c) => ok(S.legacySite(site(c, 'id'), c.base)));
	const locations = () => d.store.locations.filter((l) => locationVisibleIn(v, l.type));
	if (v === 'v1') {
		r('GET', '/Sites/{siteId}/FailoverPlans', (c) => {
			const s = site(c);
			return show(c, plansOf(c, 'Replica').filter((p) => p.siteId === s.id));
		});
	} else {
		r('GET', '/Sites/{siteId}/Scopes', (c) => {
			const s = site(c);
			return list(c, scopes(c).filter((x) => x.siteId === s.id).map((x) => S.legacyScope(x, c.base)));
		});
		r('GET', '/Sites/{siteId}/Scopes/{id}', (c) => ok(S.legacyScope(scopeOf(c, 'id'), c.base)));
		// A one-element array [{newInstances, managedInstances, _links}] (https://helpcenter.veeam.com/archive/vao/20/restapi/licenses.html).
		r('GET', '/Sites/{siteId}/LicenseUsage', (c) => {
			const s = site(c);
			const sc = scopes(c).filter((x) => x.siteId === s.id);
			const plans = [...plansOf(c, 'Replica'), ...plansOf(c, 'Restore')].filter((p) => p.siteId === s.id);
			return ok([{ ...license(d, plans, sc.reduce((n, x) => n + x.newInstances, 0)), _links: { self: { href: `/v2/Sites/${s.id}/LicenseUsage` } } }]);
		});
		r('GET', '/Sites/{siteId}/Scopes/{id}/LicenseUsage', (c) => {
			const sc = scopeOf(c, 'id');
			const plans = [...plansOf(c, 'Replica'), ...plansOf(c, 'Restore')].filter((p) => p.scopeId === sc.id);
			return ok([{ ...license(d, plans, sc.newInstances), _links: { self: { href: `/v2/Sites/${sc.siteId}/Scopes/${sc.id}/LicenseUsage` } } }]);
		});
		r('GET', '/RecoveryLocations', (c) => list(c, locations().map((l) => S.legacyLocation(l, c.base))));
		r('GET', '/RecoveryLocations/{id}', (c) => {
			const l = locations().find((x) => x.id.toLowerCase() === c.req.params.id.toLowerCase());
			if (!l) throw new HttpError(404, `Recovery location with ID '${c.req.params.id}' was not found.`);
			return ok(S.legacyLocation(l, c.base));
		});
		// Scope ↔ location assignment is not modelled: every scope sees every location.
		r('GET', '/Sites/{siteId}/Scopes/{scopeId}/RecoveryLocations', (c) => (scopeOf(c, 'scopeId'), list(c, locations().map((l) => S.legacyLocation(l, c.base)))));
	}

	// ---- Plans ----
	const collections: [string, PlanType][] = v === 'v1' ? [['FailoverPlans', 'Replica']] : [['FailoverPlans', 'Replica'], ['RestorePlans', 'Restore']];
	for (const [name, type] of collections) {
		const plan = (c: Ctx) => findPlan(d, c, c.req.params.id, [type]);
		r('GET', `/${name}`, (c) => show(c, plansOf(c, type)));
		r('GET', `/${name}/{id}`, (c) => {
			const p = plan(c);
			d.engine.sync(p);
			return ok(S.legacyPlan(v, p, d, c.base));
		});
		if (v === 'v2') r('GET', `/Sites/{siteId}/Scopes/{scopeId}/${name}`, (c) => {
			const sc = scopeOf(c, 'scopeId');
			return show(c, plansOf(c, type).filter((p) => p.scopeId === sc.id));
		});
		const action = (rel: string, fn: (p: Plan, b: Record<string, unknown>) => void) =>
			r('POST', `/${name}/{id}/${rel}`, (c) => {
				const p = plan(c);
				const b = jsonBody(c.req);
				d.engine.catchUp(p);
				fn(p, b);
				return ok();
			});
		const noBody = (fn: (p: Plan) => void) => (p: Plan, b: Record<string, unknown>) => {
			onlyProperties(b, []);
			fn(p);
		};
		action('Enable', noBody((p) => d.engine.enable(p)));
		action('Disable', noBody((p) => d.engine.disable(p)));
		action('Run', (p, b) => runPlan(d, v, p, b));
		action('Halt', (p, b) => {
			onlyProperties(b, ['fullStop']);
			if (v === 'v1') required(b, 'fullStop');
			optBool(b, 'fullStop');
			d.engine.halt(p);
		});
		// v1: `/Run/Continue` (Swagger + archive/vao/10/restapi/continue_failover.html; the methods page's `/Continue` is the
		// outlier) and `/Schedule/Disable`; v2: `/Continue`, `/DisableSchedule` (restore plans documented; failover plans assumed to mirror them).
		action(v === 'v1' ? 'Run/Continue' : 'Continue', (p, b) => {
			onlyProperties(b, ['executionContinueOptions']);
			if (v === 'v1') required(b, 'executionContinueOptions');
			d.engine.resume(p, continueOption(b));
		});
		action('Reset', (p, b) => reset(d, v, p, b));
		action('Schedule', (p, b) => {
			onlyProperties(b, ['startTime', 'previousPlanId']);
			const prev = optString(b, 'previousPlanId');
			const start = optString(b, 'startTime');
			// The Swagger marks both required, the Help Center examples send one (schedule_failover.html): one is enough.
			if (prev) d.engine.scheduleAfter(p, prev); // previousPlanId wins over startTime (failoverplan_action_parameters.html)
			else if (start) d.engine.scheduleAt(p, start);
			else throw new HttpError(400, 'Specify "startTime" or "previousPlanId".');
		});
		action(v === 'v1' ? 'Schedule/Disable' : 'DisableSchedule', noBody((p) => d.engine.unschedule(p)));
		if (v === 'v2') {
			action('RunReadinessCheck', noBody((p) => d.engine.act(p, 'ReadinessCheck')));
			// Undo: v2 failover plans (https://helpcenter.veeam.com/archive/vao/20/restapi/undo_failback.html); none for restore plans.
			if (type === 'Replica') action('Undo', noBody((p) => d.engine.act(p, 'Undo')));
		} else {
			action('Undo', noBody((p) => d.engine.act(p, 'Undo')));
		}
	}
	return routes;
}

function object(value: unknown, field: string): Record<string, unknown> {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidField(field, `"${field.replace(/^parameters\./, '')}" must be an object.`);
	return value as Record<string, unknown>;
}

/**
 * `Run`. v1: RunParameters requires `mode` and `planLaunchOptions`; PlanLaunchOptions requires `restorePointRule`
 * and `executeChainedPlans`; RestorePointRule requires `date` (date-time) and `mode` (NearestBefore | NearestAfter).
 * v2: failback puts `failbackRestoreVMTags` and `recoveryLocationId` inside `planLaunchOptions`
 * (https://helpcenter.veeam.com/archive/vao/20/restapi/run_failback.html).
 */
function runPlan(d: Deps, v: VroVersion, p: Plan, b: Record<string, unknown>): void {
	onlyProperties(b, ['mode', 'planLaunchOptions']);
	if (v === 'v1') {
		required(b, 'mode');
		const launch = object(required(b, 'planLaunchOptions'), 'parameters.planLaunchOptions');
		onlyProperties(launch, ['restorePointRule', 'executeChainedPlans'], 'parameters.planLaunchOptions');
		const rule = object(required(launch, 'restorePointRule', 'parameters.planLaunchOptions'), 'parameters.planLaunchOptions.restorePointRule');
		required(launch, 'executeChainedPlans', 'parameters.planLaunchOptions');
		optBool(launch, 'executeChainedPlans');
		checkRule(rule, 'parameters.planLaunchOptions.restorePointRule', true);
	} else if (b.planLaunchOptions !== undefined && b.planLaunchOptions !== null) {
		const launch = object(b.planLaunchOptions, 'parameters.planLaunchOptions');
		onlyProperties(launch, ['restorePointRule', 'executeChainedPlans', 'failbackRestoreVMTags', 'recoveryLocationId'], 'parameters.planLaunchOptions');
		if (launch.restorePointRule !== undefined && launch.restorePointRule !== null) checkRule(object(launch.restorePointRule, 'parameters.planLaunchOptions.restorePointRule'), 'parameters.planLaunchOptions.restorePointRule', false);
		optBool(launch, 'executeChainedPlans');
		optBool(launch, 'failbackRestoreVMTags');
		const loc = optString(launch, 'recoveryLocationId');
		if (loc !== undefined && !d.store.location(loc)) throw new HttpError(400, `Recovery location '${loc}' was not found.`);
	}
	if (p.planType === 'Restore') return d.engine.act(p, 'Restore');
	const mode = optString(b, 'mode');
	// Json.NET binds enum names case-insensitively.
	const key = Object.keys(RUN_MODES).find((m) => m.toLowerCase() === (mode ?? '').toLowerCase()) as keyof typeof RUN_MODES | undefined;
	if (!key) throw new HttpError(400, `"mode" must be one of ${Object.keys(RUN_MODES).join(', ')}.`);
	d.engine.act(p, RUN_MODES[key]);
}

function checkRule(rule: Record<string, unknown>, where: string, strict: boolean): void {
	onlyProperties(rule, ['date', 'mode'], where);
	const date = strict ? required(rule, 'date', where) : rule.date;
	const mode = strict ? required(rule, 'mode', where) : rule.mode;
	if (date !== undefined && (typeof date !== 'string' || Number.isNaN(Date.parse(date)))) throw invalidField(`${where}.date`, 'The date must be a date-time.');
	if (mode !== undefined && !['nearestbefore', 'nearestafter'].includes(String(mode).toLowerCase())) throw invalidField(`${where}.mode`, `Error converting value "${String(mode)}" to type 'RestorePointMode'.`);
}

/**
 * `resetState` → DISABLED, `resetChangeLog` clears the change log, `resetConfiguration` does all
 * (https://helpcenter.veeam.com/archive/vao/10/restapi/reset_failover.html). v1 requires all three (Swagger ResetParameters).
 */
function reset(d: Deps, v: VroVersion, p: Plan, b: Record<string, unknown>): void {
	onlyProperties(b, ['resetState', 'resetChangeLog', 'resetConfiguration']);
	if (v === 'v1') for (const k of ['resetState', 'resetChangeLog', 'resetConfiguration']) required(b, k);
	const all = optBool(b, 'resetConfiguration') === true;
	const state = all || optBool(b, 'resetState') === true;
	const log = all || optBool(b, 'resetChangeLog') === true;
	if (!state && !log) throw new HttpError(400, 'Specify at least one of "resetState", "resetChangeLog", "resetConfiguration".');
	if (state) d.engine.resetState(p);
	if (log) d.engine.resetChangeLog(p);
	if (all) d.engine.unschedule(p);
}
