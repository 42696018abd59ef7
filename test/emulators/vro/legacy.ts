/**
 * VAO 1.0 (REST v1, from the vendor Swagger, §3.1) and VAO 2.0 (REST v2, §3.2): FailoverPlans/RestorePlans,
 * `Run` with a `mode`, OData options, bare arrays with `_links`, actions answer 200 with no content (S55).
 */
import type { Route } from '../common/server';
import { collection } from './query';
import { api, canSee, continueOption, findPlan, HttpError, jsonBody, license, locationVisibleIn, ok, optBool, optString, planVisibleIn, type Ctx, type Deps } from './respond';
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
			// Unauthenticated (PowerVAO calls it before logging in, S24).
			handler: () => ok({
				component: 'VaoRestApi', server: d.store.sites[0].serverName,
				version: { major: 1, minor: 0, build: 895, revision: 0, majorRevision: 0, minorRevision: 0 },
				logPath: 'C:\\ProgramData\\Veeam\\Orchestrator\\Logs', siteUrl: `https://${d.store.sites[0].serverName}:9898`,
			}),
		});
		// GET per Swagger/Postman/docs (the brief's POST is contradicted, §7.1); body is the text as a JSON string (shape unverified).
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
		// License usage field names are undocumented for v2; the v13 names are reused (unverified).
		r('GET', '/Sites/{siteId}/LicenseUsage', (c) => {
			const s = site(c);
			const sc = scopes(c).filter((x) => x.siteId === s.id);
			const plans = [...plansOf(c, 'Replica'), ...plansOf(c, 'Restore')].filter((p) => p.siteId === s.id);
			return ok({ siteId: s.id, ...license(d, plans, sc.reduce((n, x) => n + x.newInstances, 0)) });
		});
		r('GET', '/Sites/{siteId}/Scopes/{id}/LicenseUsage', (c) => {
			const sc = scopeOf(c, 'id');
			const plans = [...plansOf(c, 'Replica'), ...plansOf(c, 'Restore')].filter((p) => p.scopeId === sc.id);
			return ok({ scopeId: sc.id, ...license(d, plans, sc.newInstances) });
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
		action('Enable', (p) => d.engine.enable(p));
		action('Disable', (p) => d.engine.disable(p));
		action('Run', (p, b) => runPlan(d, v, p, b));
		action('Halt', (p, b) => {
			optBool(b, 'fullStop');
			d.engine.halt(p);
		});
		// v1: `/Run/Continue` (Swagger + example; the methods page's `/Continue` is the outlier, §7.3) and
		// `/Schedule/Disable`; v2: `/Continue`, `/DisableSchedule` (restore plans documented; failover plans assumed to mirror them).
		action(v === 'v1' ? 'Run/Continue' : 'Continue', (p, b) => d.engine.resume(p, continueOption(b)));
		action('Reset', (p, b) => reset(d, p, b));
		action('Schedule', (p, b) => {
			const prev = optString(b, 'previousPlanId');
			const start = optString(b, 'startTime');
			if (prev) d.engine.scheduleAfter(p, prev); // previousPlanId wins over startTime (S55)
			else if (start) d.engine.scheduleAt(p, start);
			else throw new HttpError(400, 'Specify "startTime" or "previousPlanId".');
		});
		action(v === 'v1' ? 'Schedule/Disable' : 'DisableSchedule', (p) => d.engine.unschedule(p));
		if (v === 'v2') {
			action('RunReadinessCheck', (p) => d.engine.act(p, 'ReadinessCheck'));
			// Undo is documented only for v1 failover plans and v3; v2 failover plans are assumed to keep it (unverified).
			if (type === 'Replica') action('Undo', (p) => d.engine.act(p, 'Undo'));
		} else {
			action('Undo', (p) => d.engine.act(p, 'Undo'));
		}
	}
	return routes;
}

function runPlan(d: Deps, v: VroVersion, p: Plan, b: Record<string, unknown>): void {
	if (b.planLaunchOptions !== undefined && b.planLaunchOptions !== null && typeof b.planLaunchOptions !== 'object') {
		throw new HttpError(400, '"planLaunchOptions" must be an object.');
	}
	if (p.planType === 'Restore') return d.engine.act(p, 'Restore');
	const mode = optString(b, 'mode');
	// Json.NET binds enum names case-insensitively.
	const key = Object.keys(RUN_MODES).find((m) => m.toLowerCase() === (mode ?? '').toLowerCase()) as keyof typeof RUN_MODES | undefined;
	if (!key) throw new HttpError(400, `"mode" must be one of ${Object.keys(RUN_MODES).join(', ')}.`);
	if (v === 'v2' && key === 'Failback') {
		optBool(b, 'failbackRestoreVMTags');
		const loc = optString(b, 'recoveryLocationId');
		if (loc !== undefined && !d.store.location(loc)) throw new HttpError(400, `Recovery location '${loc}' was not found.`);
	}
	d.engine.act(p, RUN_MODES[key]);
}

/** `resetState` → DISABLED, `resetChangeLog` clears the change log, `resetConfiguration` does all (S55). */
function reset(d: Deps, p: Plan, b: Record<string, unknown>): void {
	const all = optBool(b, 'resetConfiguration') === true;
	const state = all || optBool(b, 'resetState') === true;
	const log = all || optBool(b, 'resetChangeLog') === true;
	if (!state && !log) throw new HttpError(400, 'Specify at least one of "resetState", "resetChangeLog", "resetConfiguration".');
	if (state) d.engine.resetState(p);
	if (log) d.engine.resetChangeLog(p);
	if (all) d.engine.unschedule(p);
}
