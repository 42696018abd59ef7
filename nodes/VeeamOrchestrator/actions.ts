import { customApiQuery, parseCustomBody, parseCustomPath } from '../shared/customApi';
import type { IDataObject } from 'n8n-workflow';

import { isLegacyVersion } from '../../credentials/shared/vroVersions';
import { mapWithConcurrency } from '../shared/concurrency';
import { operationError } from '../shared/errors';
import { fillPath } from '../shared/url';
import type { VroRoute } from './endpoints';
import { routeFor, versionName, versionsWith } from './endpoints';
import type { PlanAction } from './planState';
import { PLAN_ACTION_LABELS, preconditionProblem } from './planState';
import type { PlanListFilters, VroContext } from './plans';
import { listPlans, planListQuery, resolvePlan, routePath } from './plans';
import { clearStoredTokens, vroList, vroRequest } from './transport';
import { failedStepsText, readWaitSettings, waitForPlan } from './wait';

/**
 * Handlers for the operations that need more than one request: plan actions (preconditions, then the
 * action, then optionally Wait for Completion), plan lookups across the v1/v2 collections, per-site
 * reads on v2–v6, logout, and the custom API call.
 */
function str(value: unknown): string {
	return value === undefined || value === null ? '' : String(value).trim();
}

function route(vc: VroContext, key: string, itemIndex: number, label = key): VroRoute {
	const r = routeFor(key, vc.conn.version);
	if (!r) throw unsupported(vc, key, label, itemIndex);
	return r;
}

export function unsupported(vc: VroContext, key: string, label: string, itemIndex: number) {
	return operationError(
		vc.ctx.getNode(),
		`${label} is not available on Orchestrator API ${versionName(vc.conn.version)}`,
		`The Orchestrator REST API has it on ${versionsWith(key)}. Nothing was sent. If the server runs a later release, set "API Version" in the credential to match it; otherwise use Custom API → Request for an endpoint you know this server has.`,
		itemIndex,
	);
}

/** Data of a write that answers with no body: say what was done. */
function done(action: string, planId: string, planName: string, data: unknown, extra: IDataObject = {}): IDataObject {
	const out: IDataObject = { success: true, operation: action, planId, planName, ...extra };
	if (data !== undefined && data !== null && data !== '') out.response = data as IDataObject;
	return out;
}

export function planAction(action: PlanAction) {
	return async (vc: VroContext, values: IDataObject, itemIndex: number): Promise<IDataObject> => {
		const key = `plan.${action}`;
		const r = route(vc, key, itemIndex);
		const node = vc.ctx.getNode();
		const label = PLAN_ACTION_LABELS[action];
		if (action === 'continue' && vc.conn.version === 'v1' && str(values.executionContinueOptions) === '') {
			// VAO 1.0 ContinueParameters require executionContinueOptions (PV Swagger_VAO-APIv1.json) and document no default.
			throw operationError(node, 'API v1 (VAO 1.0) needs a Continue Option', 'Choose what to do about the failed step (for example Retry Failed Step or Proceed to Next Step). Nothing was sent.', itemIndex);
		}
		if (action === 'resetState' && values.executeReadinessCheck === true && isLegacyVersion(vc.conn.version)) {
			throw operationError(node, `"Run Readiness Check After Reset" needs API v3 or later; this credential uses ${vc.conn.version}`, 'Reset the plan, then run Plan → Readiness Check on its own.', itemIndex);
		}
		const { snapshot, collection } = await resolvePlan(vc, str(values.planId), itemIndex);
		if (collection && r.collections && !r.collections.includes(collection)) {
			const kind = collection === 'RestorePlans' ? 'restore plan' : 'failover plan';
			throw operationError(
				node,
				`Cannot ${label} plan "${snapshot.name}": it is a ${kind}, and API ${vc.conn.version} has ${label} only for ${r.collections.join(', ')}`,
				collection === 'RestorePlans' ? 'Restore plans are run with the Restore operation.' : 'Failover plans are run with Failover.',
				itemIndex,
			);
		}
		const problem = preconditionProblem(action, snapshot);
		if (problem) throw operationError(node, problem.message, `${problem.description} Nothing was sent to the server.`, itemIndex);

		const data = await vroRequest(
			vc.ctx,
			{ method: r.method, path: routePath(r, { planId: snapshot.id || str(values.planId) }, collection), qs: r.query?.(values), body: r.body?.(values), itemIndex },
			vc.options,
		);
		if (values.waitForCompletion !== true) {
			return done(action, snapshot.id, snapshot.name, data, { accepted: true, previousState: snapshot.state });
		}
		const settings = readWaitSettings(values);
		const outcome = await waitForPlan(vc, action, snapshot, collection, settings, itemIndex);
		if (!outcome.succeeded && settings.failOnError && action !== 'readinessCheck') {
			const steps = outcome.failedSteps.length ? ` Failed: ${failedStepsText(outcome.failedSteps)}.` : '';
			const details = typeof outcome.planStateDetails === 'string' ? ` The server says: "${outcome.planStateDetails}".` : '';
			throw operationError(
				node,
				`The ${label} of plan "${outcome.planName}" ended ${outcome.halted ? 'halted' : `with result ${outcome.result}`} (state ${outcome.stateName || outcome.state})`,
				`${steps}${details} Fix the cause, then use Continue (retry or skip the failed step) or Undo. Turn off "Error If the Plan Fails" to get the outcome as output instead.`.trim(),
				itemIndex,
			);
		}
		return outcome;
	};
}

export async function planGetAll(vc: VroContext, values: IDataObject, itemIndex: number): Promise<IDataObject[]> {
	const qs = planListQuery(vc, (values.filters as PlanListFilters) ?? {}, itemIndex);
	return listPlans(vc, qs, values.returnAll === true ? undefined : Number(values.limit ?? 50), itemIndex);
}

export async function planGet(vc: VroContext, values: IDataObject, itemIndex: number): Promise<IDataObject> {
	return (await resolvePlan(vc, str(values.planId), itemIndex)).plan;
}

export async function planSchedule(vc: VroContext, values: IDataObject, itemIndex: number): Promise<IDataObject> {
	const node = vc.ctx.getNode();
	const after = values.scheduleType === 'afterPlan';
	const key = after ? 'plan.scheduleAfter' : 'plan.scheduleAt';
	const r = route(vc, key, itemIndex, after ? 'Schedule after another plan' : 'Schedule at a time');
	if (after && !str(values.previousPlanId)) throw operationError(node, 'No plan to run after was given', 'Choose the plan this one should run after.', itemIndex);
	if (!after && Number.isNaN(Date.parse(str(values.startTime)))) {
		throw operationError(node, `"${str(values.startTime)}" is not a date and time`, 'Enter when the plan should run, e.g. 2026-03-01T22:00:00Z.', itemIndex);
	}
	const { snapshot, collection } = await resolvePlan(vc, str(values.planId), itemIndex);
	if (after && str(values.previousPlanId).toLowerCase() === snapshot.id.toLowerCase()) {
		throw operationError(node, 'A plan cannot be scheduled to run after itself', 'Choose another plan to run after.', itemIndex);
	}
	const qs = r.query?.(values);
	const body = r.body?.(values);
	const data = await vroRequest(vc.ctx, { method: r.method, path: routePath(r, { planId: snapshot.id }, collection), qs, body, itemIndex }, vc.options);
	return done('schedule', snapshot.id, snapshot.name, data, after ? { scheduleType: 'afterPlan', previousPlanId: str(values.previousPlanId) } : { scheduleType: 'time', startTime: (qs ?? body)?.startTime as string });
}

/** Writes on a plan without preconditions or waiting (unschedule, clone). */
export function planWrite(key: string, action: string) {
	return async (vc: VroContext, values: IDataObject, itemIndex: number): Promise<IDataObject> => {
		const r = route(vc, key, itemIndex);
		const { snapshot, collection } = await resolvePlan(vc, str(values.planId), itemIndex);
		const data = await vroRequest(vc.ctx, { method: r.method, path: routePath(r, { planId: snapshot.id }, collection), qs: r.query?.(values), body: r.body?.(values), itemIndex }, vc.options);
		if (action === 'clone' && data && typeof data === 'object' && !Array.isArray(data)) return data as IDataObject;
		return done(action, snapshot.id, snapshot.name, data);
	};
}

function limitOf(values: IDataObject): number | undefined {
	return values.returnAll === true ? undefined : Number(values.limit ?? 50);
}

/** VMs of one inventory group, or of every group of the plan when no group is given. */
export async function planGetVms(vc: VroContext, values: IDataObject, itemIndex: number): Promise<IDataObject[]> {
	const planId = str(values.planId);
	const r = route(vc, 'plan.getVms', itemIndex);
	const groupId = str(values.groupId);
	if (groupId) return vroList(vc.ctx, fillPath(r.path, { planId, groupId }), { limit: limitOf(values), itemIndex }, vc.options);
	const groups = await vroList(vc.ctx, fillPath(route(vc, 'plan.getGroups', itemIndex).path, { planId }), { itemIndex }, vc.options);
	const perGroup = await mapWithConcurrency(groups, vc.options.concurrency, (g) =>
		vroList(vc.ctx, fillPath(r.path, { planId, groupId: String(g.id ?? '') }), { itemIndex }, vc.options),
	);
	const all = perGroup.flat();
	return limitOf(values) === undefined ? all : all.slice(0, limitOf(values));
}

export async function planGetSteps(vc: VroContext, values: IDataObject, itemIndex: number): Promise<IDataObject[]> {
	const planId = str(values.planId);
	const ofVm = values.stepsOf === 'vm';
	const r = route(vc, ofVm ? 'plan.getVmSteps' : 'plan.getGroupSteps', itemIndex);
	const id = str(ofVm ? values.vmId : values.groupId);
	if (!id) throw operationError(vc.ctx.getNode(), `No ${ofVm ? 'VM' : 'group'} ID given`, `Enter the ${ofVm ? 'VM' : 'group'} ID (see Plan → Get ${ofVm ? 'VMs' : 'Groups'}).`, itemIndex);
	return vroList(vc.ctx, fillPath(r.path, ofVm ? { planId, vmId: id } : { planId, groupId: id }), { limit: limitOf(values), itemIndex }, vc.options);
}

export async function runtimeDetailsGet(vc: VroContext, values: IDataObject, itemIndex: number): Promise<IDataObject> {
	const planId = str(values.planId);
	const r = route(vc, 'runtimeDetails.get', itemIndex);
	const details = (await vroRequest(vc.ctx, { method: 'GET', path: fillPath(r.path, { planId }), itemIndex }, vc.options)) as IDataObject;
	if (values.includeGroups === true) {
		const groups = await vroList(vc.ctx, fillPath(route(vc, 'runtimeDetails.getGroups', itemIndex).path, { planId }), { itemIndex }, vc.options);
		return { ...details, groups };
	}
	return details;
}

/** Sites of the server; on v2–v6 per-site reads use a given site, or every site when none is given. */
async function sitesFor(vc: VroContext, values: IDataObject, itemIndex: number): Promise<string[]> {
	const siteId = str(values.siteId);
	if (siteId) return [siteId];
	const sites = await vroList(vc.ctx, route(vc, 'site.getAll', itemIndex).path, { itemIndex }, vc.options);
	return sites.map((s) => String(s.id ?? '')).filter(Boolean);
}

export async function scopeGetAll(vc: VroContext, values: IDataObject, itemIndex: number): Promise<IDataObject[]> {
	const r = route(vc, 'scope.getAll', itemIndex);
	const limit = limitOf(values);
	if (!r.path.includes('{siteId}')) return vroList(vc.ctx, r.path, { limit, itemIndex }, vc.options);
	const out: IDataObject[] = [];
	for (const siteId of await sitesFor(vc, values, itemIndex)) {
		if (limit !== undefined && out.length >= limit) break;
		const scopes = await vroList(vc.ctx, fillPath(r.path, { siteId }), { limit: limit === undefined ? undefined : limit - out.length, itemIndex }, vc.options);
		out.push(...scopes.map((s) => ({ ...s, siteId: s.siteId ?? siteId })));
	}
	return out;
}

export async function licenseUsageGet(vc: VroContext, values: IDataObject, itemIndex: number): Promise<IDataObject[]> {
	const r = route(vc, 'licenseUsage.get', itemIndex);
	if (!r.path.includes('{siteId}')) {
		if (str(values.siteId)) {
			throw operationError(vc.ctx.getNode(), `License usage per site exists only up to API v6; this credential uses ${vc.conn.version}`, 'Leave Site ID empty to get the usage of the server.', itemIndex);
		}
		return [(await vroRequest(vc.ctx, { method: 'GET', path: r.path, itemIndex }, vc.options)) as IDataObject];
	}
	const sites = await sitesFor(vc, values, itemIndex);
	const perSite = await mapWithConcurrency(sites, vc.options.concurrency, async (siteId) => {
		// VAO 2.0/3.0 answer a one-element array [{newInstances, managedInstances, …}]
		// (https://helpcenter.veeam.com/archive/vao/20/restapi/licenses.html, archive/vao/30/restapi/licenses.html).
		const data = await vroRequest(vc.ctx, { method: 'GET', path: fillPath(r.path, { siteId }), itemIndex }, vc.options);
		const records = (Array.isArray(data) ? data : [data]).filter((u): u is IDataObject => !!u && typeof u === 'object' && !Array.isArray(u));
		return records.map((usage) => ({ ...usage, siteId: usage.siteId ?? siteId }));
	});
	return perSite.flat();
}

/** Client accounts belong to users: a client account cannot manage client accounts (https://helpcenter.veeam.com/archive/vao/30/restapi/client_registration.html). */
export function clientAccount(key: string) {
	return async (vc: VroContext, values: IDataObject, itemIndex: number): Promise<IDataObject | IDataObject[]> => {
		const r = route(vc, key, itemIndex);
		if (vc.conn.authMethod === 'clientCredentials') {
			throw operationError(
				vc.ctx.getNode(),
				'Client accounts can only be managed by a user account',
				'This credential authenticates as a client account, and client accounts cannot create, list or delete client accounts. Use a credential with User Name and Password. Nothing was sent.',
				itemIndex,
			);
		}
		if (key === 'clientAccount.getAll') return vroList(vc.ctx, r.path, { limit: limitOf(values), itemIndex }, vc.options);
		const clientId = str(values.clientId);
		if (key === 'clientAccount.delete' && !clientId) throw operationError(vc.ctx.getNode(), 'No client ID given', 'Enter the client ID to delete.', itemIndex);
		const data = await vroRequest(vc.ctx, { method: r.method, path: fillPath(r.path, { clientId }), itemIndex }, vc.options);
		if (key === 'clientAccount.delete') return { success: true, deleted: true, clientId };
		return data as IDataObject;
	};
}

/**
 * Logout. VAO 1.0 documents GET /v1/Accounts/Logout (PV Swagger_VAO-APIv1.json); no later version's
 * reference shows a logout endpoint, so there the node only forgets the tokens (they expire on the
 * server: access 15 min, refresh 120 min by default, https://helpcenter.veeam.com/docs/vro/rest/token_lifetime.html). Either way the stored tokens are emptied, so the next use logs
 * in with the credential's user or client account.
 */
export async function sessionLogout(vc: VroContext, _values: IDataObject, itemIndex: number): Promise<IDataObject> {
	const r = route(vc, 'session.logout', itemIndex);
	let message: string | undefined;
	if (!r.local) {
		// VAO 1.0 answers 200 with the text "Logout successful" (https://helpcenter.veeam.com/archive/vao/10/restapi/authorization_example.html); its exact shape is not documented.
		const data = await vroRequest(vc.ctx, { method: r.method, path: r.path, itemIndex, acceptText: true }, vc.options);
		message = typeof data === 'string' ? data : typeof (data as IDataObject)?.message === 'string' ? String((data as IDataObject).message) : undefined;
	}
	await clearStoredTokens(vc.ctx, vc.options);
	return {
		success: true,
		loggedOut: true,
		serverLogout: !r.local,
		tokensCleared: true,
		apiVersion: vc.conn.version,
		message: message ?? (r.local ? `API ${vc.conn.version} documents no logout endpoint: the stored tokens were discarded and expire on the server` : 'Logout successful'),
	};
}

/**
 * A path under the version's API base, as typed by a user (rules in shared/customApi.ts). The
 * version prefix is refused rather than stripped: it must come from the credential.
 */
export function validateCustomPath(raw: string): { path: string } | { problem: string } {
	if (/^\/?(api\/)?v\d+(\.\d+)?(\/|$)/i.test(raw.trim())) return { problem: 'Leave out the API version prefix (/api/v7.21 or /v1): it comes from the credential.' };
	const parsed = parseCustomPath(raw);
	return 'problem' in parsed ? { problem: `The path cannot be used: ${parsed.problem}.` } : parsed;
}

function parseJsonBody(vc: VroContext, raw: unknown, itemIndex: number): unknown {
	const parsed = parseCustomBody(raw);
	if ('problem' in parsed) throw operationError(vc.ctx.getNode(), 'JSON Body is not valid JSON', parsed.problem, itemIndex);
	return parsed.body;
}

function queryOf(values: IDataObject): IDataObject | undefined {
	const qs = customApiQuery(values);
	return Object.keys(qs).length ? qs : undefined;
}

export async function customRequest(vc: VroContext, values: IDataObject, itemIndex: number): Promise<IDataObject | IDataObject[]> {
	const node = vc.ctx.getNode();
	const checked = validateCustomPath(str(values.path));
	if ('problem' in checked) throw operationError(node, 'Invalid path for the custom API call', checked.problem, itemIndex);
	const method = (str(values.method) || 'GET').toUpperCase() as 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
	const qs = queryOf(values);
	if (method === 'GET' && values.returnAll === true) return vroList(vc.ctx, checked.path, { qs, itemIndex }, vc.options);
	const body = method === 'GET' ? undefined : parseJsonBody(vc, values.body, itemIndex);
	const data = await vroRequest(vc.ctx, { method, path: checked.path, qs, body, itemIndex, acceptText: true }, vc.options);
	if (Array.isArray(data)) return data.map((d) => (d && typeof d === 'object' ? (d as IDataObject) : { value: d as IDataObject[string] }));
	if (data === undefined || data === null || data === '') return { success: true, method, path: checked.path };
	if (typeof data !== 'object') return { value: data as IDataObject[string] };
	return data as IDataObject;
}
