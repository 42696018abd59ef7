/**
 * Endpoints of every enabled generation. v1/v2 live in legacy.ts; this file holds the token endpoints
 * and the unified `/api/vN/Plans` API of VAO 3.0 … VRO 13.1 (https://helpcenter.veeam.com/archive/vao/30/restapi/plans_methods.html,
 * https://helpcenter.veeam.com/references/vro/7.2/rest/7.2.1/tag/Plans, https://helpcenter.veeam.com/references/vro/13/rest/tag/SectionAbout,
 * https://helpcenter.veeam.com/references/vro/13/rest/13.1/tag/SectionChangelog).
 */
import type { Route } from '../common/server';
import { legacyRoutes } from './legacy';
import type { Action } from './plans';
import { clientRoutes } from './clients';
import { collection } from './query';
import { api, canSee, continueOption, errorBody, findPlan, HttpError, jsonBody, license, locationVisibleIn, ok, onlyProperties, optBool, optString, planVisibleIn, queryParam, type Ctx, type Deps } from './respond';
import * as S from './serialize';
import type { Plan } from './store';
import { atLeast, between, REALMS, type Realm, type VroVersion } from './versions';

export function buildRoutes(d: Deps, versions: VroVersion[]): Route[] {
	const routes: Route[] = [];
	for (const realm of Object.keys(REALMS) as Realm[]) {
		if (REALMS[realm].versions.some((v) => versions.includes(v))) routes.push({ method: 'POST', pattern: REALMS[realm].path, handler: d.auth.tokenHandler(realm) });
	}
	for (const v of versions) routes.push(...(v === 'v1' || v === 'v2' ? legacyRoutes(d, v) : modernRoutes(d, v)));
	return routes;
}

function optDate(body: Record<string, unknown>, key: string): string | undefined {
	const s = optString(body, key);
	if (s !== undefined && Number.isNaN(Date.parse(s))) throw new HttpError(400, `"${key}" must be a date-time.`);
	return s;
}

function modernRoutes(d: Deps, v: VroVersion): Route[] {
	const routes: Route[] = [];
	const r = (method: string, rel: string, fn: (c: Ctx) => ReturnType<typeof ok>) => routes.push(api(d, v, method, rel, fn));
	const visiblePlans = (c: Ctx) => d.store.plans.filter((p) => planVisibleIn(d, v, p) && canSee(c.p, p.scopeId));
	const plan = (c: Ctx) => findPlan(d, c, c.req.params.planId);
	const list = (c: Ctx, items: Record<string, unknown>[]) => ok(collection(v, items, c.req.query));

	// ---- Plans (read) ----
	r('GET', '/Plans', (c) => {
		// Documented breaking change: after v5, GET /api/v3/Plans answers 500 (archive/vdro/50/rest/changelog.html). Opt-in, since the
		// emulator serves v3 as VAO 3.0/4.0 by default.
		if (v === 'v3' && d.brokenV3Plans) return { status: 500, body: errorBody('An error has occurred.') };
		let plans = visiblePlans(c);
		plans.forEach((p) => d.engine.sync(p));
		if (String(c.req.query.onlyEnabled).toLowerCase() === 'true') plans = plans.filter((p) => p.enabled);
		return list(c, plans.map((p) => S.plan(v, p, d)));
	});
	r('GET', '/Plans/{planId}', (c) => {
		const p = plan(c);
		d.engine.sync(p);
		return ok(S.plan(v, p, d));
	});
	const groupOf = (c: Ctx, p: Plan) => {
		const g = p.groups.find((x) => x.id.toLowerCase() === c.req.params.groupId.toLowerCase());
		if (!g) throw new HttpError(404, `Group with ID '${c.req.params.groupId}' was not found in plan '${p.name}'.`);
		return g;
	};
	const vmOf = (c: Ctx, p: Plan) => {
		for (const g of p.groups) for (const x of g.vms) if (x.id.toLowerCase() === c.req.params.vmId.toLowerCase()) return { g, vm: x };
		throw new HttpError(404, `VM with ID '${c.req.params.vmId}' was not found in plan '${p.name}'.`);
	};
	r('GET', '/Plans/{planId}/Groups', (c) => {
		const p = plan(c);
		return list(c, p.groups.map((g) => S.group(v, p.id, g)));
	});
	r('GET', '/Plans/{planId}/Groups/{groupId}/Vms', (c) => {
		const p = plan(c);
		const g = groupOf(c, p);
		return list(c, g.vms.map((x) => S.vm(p.id, g.id, x)));
	});
	r('GET', '/Plans/{planId}/Groups/{groupId}/Steps', (c) => {
		const g = groupOf(c, plan(c));
		return list(c, g.steps.map((s) => S.step(v, s, { groupId: g.id, vmId: null })));
	});
	r('GET', '/Plans/{planId}/Vms/{vmId}/Steps', (c) => {
		const { g, vm } = vmOf(c, plan(c));
		return list(c, vm.steps.map((s) => S.step(v, s, { groupId: g.id, vmId: vm.id })));
	});
	r('GET', '/Plans/{planId}/Steps/{stepId}/Parameters', (c) => {
		const p = plan(c);
		const id = c.req.params.stepId.toLowerCase();
		const all = p.groups.flatMap((g) => [...g.steps, ...g.vms.flatMap((x) => x.steps)]);
		const s = all.find((x) => x.id.toLowerCase() === id);
		if (!s) throw new HttpError(404, `Step with ID '${c.req.params.stepId}' was not found in plan '${p.name}'.`);
		return list(c, s.parameters.map((x) => ({ ...x })));
	});

	// ---- Plans (actions): 200 with no body once accepted (archive/vao/30/restapi/plans_run_failover.html) ----
	// Each action accepts only the body properties its page shows; actions whose pages show no body take none.
	const BODY: Record<string, readonly string[]> = {
		Failover: ['executeChainedPlans', 'restorePointDate', 'protectStorageVolumes'],
		FailbackToProduction: ['restoreLocationId', 'failbackRestoreVMTags'],
		Restore: ['restoreLocationId', 'executeChainedPlans', 'restorepointDate', 'restorePointDate'],
		Halt: ['fullStop'],
		Continue: ['executionContinueOptions'],
		ResetState: ['executeReadinessCheck'],
		ResetChangeLog: ['generateDrReport'],
		Clone: ['name'],
	};
	const action = (name: string, fn: (p: Plan, body: Record<string, unknown>, c: Ctx) => unknown) =>
		r('POST', `/Plans/{planId}/${name}`, (c) => {
			const p = plan(c);
			const body = jsonBody(c.req);
			onlyProperties(body, BODY[name] ?? []);
			d.engine.catchUp(p);
			const out = fn(p, body, c);
			return ok(out === undefined ? undefined : out);
		});
	const run = (a: Action) => (p: Plan) => d.engine.act(p, a);
	const restoreLocation = (body: Record<string, unknown>, key: string, types: string[]) => {
		const id = optString(body, key);
		if (id === undefined) return;
		const loc = d.store.location(id);
		if (!loc || !locationVisibleIn(v, loc.type) || !types.includes(loc.type)) throw new HttpError(400, `Recovery location '${id}' was not found or cannot be used for this operation.`);
	};
	action('ReadinessCheck', run('ReadinessCheck'));
	action('Enable', (p) => d.engine.enable(p));
	action('Disable', (p) => d.engine.disable(p));
	action('Failover', (p, b) => {
		optBool(b, 'executeChainedPlans'); // accepted; chained-plan execution is not emulated
		optDate(b, 'restorePointDate');
		optBool(b, 'protectStorageVolumes');
		d.engine.act(p, 'Failover');
	});
	action('PermanentFailover', run('PermanentFailover'));
	action('FailbackToProduction', (p, b) => {
		restoreLocation(b, 'restoreLocationId', ['Restore', 'HyperV']);
		optBool(b, 'failbackRestoreVMTags');
		d.engine.act(p, 'Failback');
	});
	action('CommitFailback', run('CommitFailback'));
	action('Undo', run('Undo'));
	action('Restore', (p, b) => {
		restoreLocation(b, 'restoreLocationId', ['Restore', 'AzureCloud', 'HyperV']);
		optBool(b, 'executeChainedPlans');
		optDate(b, 'restorepointDate'); // spelled so in the v3 docs
		optDate(b, 'restorePointDate');
		d.engine.act(p, 'Restore');
	});
	action('Halt', (p, b) => {
		optBool(b, 'fullStop');
		d.engine.halt(p);
	});
	action('Continue', (p, b) => d.engine.resume(p, continueOption(b)));
	action('ResetState', (p, b) => d.engine.resetState(p, optBool(b, 'executeReadinessCheck') ?? false));
	if (between(v, 'v3', 'v7.21')) {
		// "Clear Change Log History": the 7.2.1 reference has it, 13 does not.
		action('ResetChangeLog', (p, b) => {
			optBool(b, 'generateDrReport');
			d.engine.resetChangeLog(p);
		});
	}
	if (atLeast(v, 'v5')) {
		// New in v5 (archive/vdro/50/rest/changelog.html); request bodies not retrieved, so none is accepted.
		action('PrepareToFailback', run('PrepareToFailback'));
		action('SwitchoverToProduction', run('SwitchoverToProduction'));
		// Clone body and response are not documented: optional `name`; answers the new plan (unverified).
		action('Clone', (p, b) => S.plan(v, d.engine.clone(p, optString(b, 'name')), d));
	}
	if (atLeast(v, 'v13')) action('MalwareScan', run('MalwareScan'));

	// Schedules take their value in the query string, never in a body: `PUT …/Schedule/SaveTime?startTime=…`
	// (archive/vao/30/restapi/schedule_plan_time.html; put_method.html of VAO 3.0, VDRO 5, VRO 7 and 7.2) and
	// `PUT …/Schedule/SaveRunAfter?previousPlanId=…` (archive/vao/30/restapi/schedule_plan_after_plan.html).
	// VRO 13.1 lists a POST "Schedule Plan to Run on Schedule" instead of "at Specific Time"; its path is not
	// retrieved, so from v13.1 SaveTime is not served (the unknown replacement is not invented either).
	const schedule = (rel: string, method: string, fn: (p: Plan, c: Ctx) => void) =>
		r(method, `/Plans/{planId}/${rel}`, (c) => {
			const p = plan(c);
			fn(p, c);
			return ok();
		});
	if (!atLeast(v, 'v13.1')) {
		schedule('Schedule/SaveTime', 'PUT', (p, c) => {
			const t = queryParam(c.req, 'startTime', 'System.DateTime');
			if (Number.isNaN(Date.parse(t))) throw new HttpError(400, `The request is invalid. The value '${t}' is not valid for startTime.`);
			d.engine.scheduleAt(p, t);
		});
	}
	schedule('Schedule/SaveRunAfter', 'PUT', (p, c) => d.engine.scheduleAfter(p, queryParam(c.req, 'previousPlanId', 'System.Guid')));
	schedule('Schedule', 'DELETE', (p, c) => {
		onlyProperties(jsonBody(c.req), []);
		d.engine.unschedule(p);
	});

	// ---- Runtime details: only the plan-level GET counts as a poll; sub-resources show the same snapshot ----
	const exec = (p: Plan) => d.engine.runtime.get(p.id);
	r('GET', '/RuntimeDetails/Plans/{planId}', (c) => {
		const p = plan(c);
		d.engine.sync(p);
		return ok(S.runtime(v, p, d));
	});
	r('GET', '/RuntimeDetails/Plans/{planId}/Groups', (c) => {
		const p = plan(c);
		const e = exec(p);
		return list(c, e ? p.groups.map((g) => S.groupRuntime(v, g, e.units, p.state === 'Halted')) : []);
	});
	r('GET', '/RuntimeDetails/Plans/{planId}/Groups/{groupId}', (c) => {
		const p = plan(c);
		const g = groupOf(c, p);
		const e = exec(p);
		if (!e) throw new HttpError(404, `No runtime details for group '${g.name}'.`);
		return ok(S.groupRuntime(v, g, e.units, p.state === 'Halted'));
	});
	r('GET', '/RuntimeDetails/Plans/{planId}/Groups/{groupId}/Steps', (c) => {
		const p = plan(c);
		const g = groupOf(c, p);
		return list(c, (exec(p)?.units ?? []).filter((u) => u.groupId === g.id && u.vmId === null).map(S.stepRuntime));
	});
	r('GET', '/RuntimeDetails/Plans/{planId}/Vms/{vmId}/Steps', (c) => {
		const p = plan(c);
		const { vm } = vmOf(c, p);
		return list(c, (exec(p)?.units ?? []).filter((u) => u.vmId === vm.id).map(S.stepRuntime));
	});
	r('GET', '/RuntimeDetails/Plans/{planId}/Step/{stepId}', (c) => {
		const p = plan(c);
		const u = exec(p)?.units.find((x) => x.stepId.toLowerCase() === c.req.params.stepId.toLowerCase());
		if (!u) throw new HttpError(404, `No runtime details for step '${c.req.params.stepId}'.`);
		return ok(S.stepRuntime(u));
	});

	// ---- Sites, scopes, recovery locations, license usage ----
	const scopes = (c: Ctx) => d.store.scopes.filter((s) => canSee(c.p, s.id));
	const site = (c: Ctx) => {
		const s = d.store.site(c.req.params.siteId);
		if (!s) throw new HttpError(404, `Site with ID '${c.req.params.siteId}' was not found.`);
		return s;
	};
	if (between(v, 'v3', 'v6')) {
		// Sites is not a tag of the 7.2.1 reference, so it stops at v6 (v5/v6 unverified).
		r('GET', '/Sites', (c) => list(c, d.store.sites.map(S.site)));
		r('GET', '/Sites/{siteId}/Scopes', (c) => {
			const s = site(c);
			return list(c, scopes(c).filter((x) => x.siteId === s.id).map(S.scope));
		});
		r('GET', '/Sites/{siteId}/LicenseUsage', (c) => {
			const s = site(c);
			const sc = scopes(c).filter((x) => x.siteId === s.id);
			// A one-element array with vmStatuses (https://helpcenter.veeam.com/archive/vao/30/restapi/licenses.html); v4–v6 assumed the same.
			return ok([{ ...license(d, visiblePlans(c).filter((p) => p.siteId === s.id), sc.reduce((n, x) => n + x.newInstances, 0)), vmStatuses: [] }]);
		});
		r('GET', '/Sites/{siteId}/Scopes/{scopeId}/LicenseUsage', (c) => {
			site(c);
			const sc = scopes(c).find((x) => x.id.toLowerCase() === c.req.params.scopeId.toLowerCase());
			if (!sc) throw new HttpError(404, `Scope with ID '${c.req.params.scopeId}' was not found.`);
			return ok([{ ...license(d, visiblePlans(c).filter((p) => p.scopeId === sc.id), sc.newInstances), vmStatuses: [] }]);
		});
		// Per-plan license usage: both documented paths are served (license_methods.html vs get_license_usage_plan.html disagree).
		const planLicense = (c: Ctx) => {
			const p = plan(c);
			return ok({ planId: p.id, managedInstances: d.store.vmCount([p]) });
		};
		r('GET', '/Sites/{siteId}/Plans/{planId}/LicenseUsage', (c) => (site(c), planLicense(c)));
		r('GET', '/Plans/{planId}/LicenseUsage', planLicense);
	}
	r('GET', '/Scopes', (c) => list(c, scopes(c).map(S.scope)));
	const locations = () => d.store.locations.filter((l) => locationVisibleIn(v, l.type));
	r('GET', '/RecoveryLocations', (c) => list(c, locations().map(S.location)));
	r('GET', '/RecoveryLocations/{id}', (c) => {
		const l = locations().find((x) => x.id.toLowerCase() === c.req.params.id.toLowerCase());
		if (!l) throw new HttpError(404, `Recovery location with ID '${c.req.params.id}' was not found.`);
		return ok(S.location(l));
	});
	const serverLicense = (c: Ctx) => ok(license(d, visiblePlans(c), scopes(c).reduce((n, x) => n + x.newInstances, 0)));
	// 7.21 path from client code (asachs01/modelcontextprotocol_veeam), v13 path from references/vro/13/rest/tag/LicenseUsage; v7.0–v7.2 use the 7.21 form (unverified).
	if (between(v, 'v7', 'v7.21')) r('GET', '/LicenseUsage/Server', serverLicense);
	if (atLeast(v, 'v13')) r('GET', '/License/Usage/Server', serverLicense);

	// ---- Client accounts (no Clients tag in the 13 reference: not served from v13) ----
	if (between(v, 'v3', 'v7.21')) routes.push(...clientRoutes(d, v));
	if (atLeast(v, 'v13.1')) r('GET', '/Components/Credentials', (c) => list(c, d.store.credentials.map((x) => ({ ...x }))));
	return routes;
}
