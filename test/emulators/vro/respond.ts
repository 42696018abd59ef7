/** Shared response helpers and the dependencies every route handler sees. */
import type { Clock, EmulatorRequest, EmulatorResponse, Route } from '../common/server';
import type { AuthService, Principal } from './auth';
import { CONTINUE_OPTIONS, PlanError, type ContinueOption, type PlanEngine } from './plans';
import { QueryError } from './query';
import type { Plan, VroStore } from './store';
import { atLeast, prefix, type VroVersion } from './versions';

export interface Deps {
	store: VroStore;
	engine: PlanEngine;
	auth: AuthService;
	clock: Clock;
	brokenV3Plans: boolean;
}

export interface Ctx {
	req: EmulatorRequest;
	v: VroVersion;
	p: Principal;
	/** Absolute base of this version, for v1/v2 `_links`. */
	base: string;
}

export class HttpError extends Error {
	constructor(readonly status: number, message: string, readonly modelState?: Record<string, string[]>) {
		super(message);
	}
}

/**
 * Error body. No Orchestrator error schema is documented for any version (none in the 7.2.1, 13 or 13.1
 * references); we use ASP.NET Web API 2's `{"Message": …}` everywhere (unverified) and quote the
 * server-side reason in it. Model-binding failures add Web API's `ModelState` map.
 */
export function errorBody(message: string, modelState?: Record<string, string[]>): { Message: string; ModelState?: Record<string, string[]> } {
	return modelState ? { Message: message, ModelState: modelState } : { Message: message };
}

/** Web API's answer to a body that fails validation: 400 "The request is invalid." with the field's reason. */
export function invalidField(field: string, reason: string): HttpError {
	return new HttpError(400, 'The request is invalid.', { [field]: [reason] });
}

/**
 * Strictness: a body property the reference does not show for this endpoint is refused. (Json.NET
 * would ignore it; the emulator refuses so that a misplaced or invented field cannot pass unnoticed.)
 */
export function onlyProperties(body: Record<string, unknown>, allowed: readonly string[], where = 'parameters'): void {
	for (const key of Object.keys(body)) {
		if (!allowed.includes(key)) throw invalidField(`${where}.${key}`, `The property '${key}' is not part of this request${allowed.length ? `; expected ${allowed.join(', ')}` : ', which takes no body'}.`);
	}
}

/** A required property (VAO 1.0 Swagger `required`): missing or null is refused as Web API's [Required] does. */
export function required(body: Record<string, unknown>, key: string, where = 'parameters'): unknown {
	if (body[key] === undefined || body[key] === null) throw invalidField(`${where}.${key}`, `The ${key} field is required.`);
	return body[key];
}

/** A v3+ schedule value comes in the query string; a JSON body is refused (archive/vao/30/restapi/schedule_plan_time.html). */
export function queryParam(req: EmulatorRequest, name: string, type: string): string {
	if (req.rawBody.length > 0) {
		throw new HttpError(400, `The request is invalid. This endpoint takes '${name}' in the query string and no request body.`);
	}
	const value = req.query[name];
	if (value === undefined || value === '') {
		throw new HttpError(
			400,
			`The request is invalid. The parameters dictionary contains a null entry for parameter '${name}' of non-nullable type '${type}'.`,
		);
	}
	return value;
}

export const ok = (body?: unknown): EmulatorResponse => ({ status: 200, body });

export function baseUrl(req: EmulatorRequest, prefix: string): string {
	return `http://${req.headers.host ?? '127.0.0.1'}${prefix}`;
}

/** JSON action body: absent → {}; must be a JSON object otherwise (Web API answers 415 for other media types). */
export function jsonBody(req: EmulatorRequest): Record<string, unknown> {
	if (req.rawBody.length === 0) return {};
	const ct = String(req.headers['content-type'] ?? '').toLowerCase();
	if (!ct.includes('json')) throw new HttpError(415, `The request entity's media type '${ct || 'none'}' is not supported for this resource.`);
	if (req.bodyError) throw new HttpError(400, `The request body is not valid JSON: ${req.bodyError}`);
	if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) throw new HttpError(400, 'The request body must be a JSON object.');
	return req.body as Record<string, unknown>;
}

export function optBool(body: Record<string, unknown>, key: string): boolean | undefined {
	const v = body[key];
	if (v === undefined || v === null) return undefined;
	if (typeof v !== 'boolean') throw new HttpError(400, `"${key}" must be true or false.`);
	return v;
}

export function optString(body: Record<string, unknown>, key: string): string | undefined {
	const v = body[key];
	if (v === undefined || v === null) return undefined;
	if (typeof v !== 'string') throw new HttpError(400, `"${key}" must be a string.`);
	return v;
}

/** Which plan types a generation knows: storage plans from VAO 3.0, CDP replicas from VDRO 5 (product history; unverified). */
export function planVisibleIn(d: Deps, v: VroVersion, plan: Plan): boolean {
	if (plan.planType === 'Storage' && !atLeast(v, 'v3')) return false;
	if (plan.planType === 'CdpReplica' && !atLeast(v, 'v5')) return false;
	const loc = d.store.location(plan.recoveryLocationId);
	return !loc || locationVisibleIn(v, loc.type);
}

/** Azure locations appear with v7 and Hyper-V with v7.2 (docs/vro/rest/changelog.html on helpcenter.veeam.com); storage locations with v3. */
export function locationVisibleIn(v: VroVersion, type: string): boolean {
	if (type === 'AzureCloud') return atLeast(v, 'v7');
	if (type === 'HyperV') return atLeast(v, 'v7.2');
	if (type === 'Storage') return atLeast(v, 'v3');
	return true;
}

/** Plan Authors/Operators see the plans of their scopes; administrators see all (https://helpcenter.veeam.com/archive/vao/20/restapi/failoverplans.html). */
export function canSee(p: Principal, scopeId: string): boolean {
	return p.user.scopeIds === null || p.user.scopeIds.includes(scopeId);
}

/** A plan the caller may see in this version, or 404 (body text unverified). */
export function findPlan(d: Deps, c: Ctx, id: string, types?: Plan['planType'][]): Plan {
	const plan = d.store.plan(id);
	if (!plan || !planVisibleIn(d, c.v, plan) || !canSee(c.p, plan.scopeId) || (types && !types.includes(plan.planType))) {
		throw new HttpError(404, `Plan with ID '${id}' was not found.`);
	}
	return plan;
}

export function license(d: Deps, plans: Plan[], newInstances: number): { newInstances: number; managedInstances: number } {
	return { newInstances, managedInstances: d.store.vmCount(plans) };
}

/** An authenticated route of version `v`: Bearer check, then the handler; known errors map to their status. */
export function api(d: Deps, v: VroVersion, method: string, rel: string, fn: (c: Ctx) => EmulatorResponse): Route {
	const pfx = prefix(v);
	return {
		method,
		pattern: pfx + rel,
		handler: (req) => {
			const p = d.auth.authenticate(req, v);
			if ('status' in p) return p;
			try {
				return fn({ req, v, p, base: baseUrl(req, pfx) });
			} catch (e) {
				if (e instanceof HttpError) return { status: e.status, body: errorBody(e.message, e.modelState) };
				if (e instanceof PlanError) return { status: e.status, body: errorBody(e.message) };
				if (e instanceof QueryError) return { status: 400, body: errorBody(e.message) };
				throw e;
			}
		},
	};
}

export function continueOption(body: Record<string, unknown>): ContinueOption | undefined {
	const o = optString(body, 'executionContinueOptions');
	if (o === undefined) return undefined;
	const match = CONTINUE_OPTIONS.find((x) => x.toLowerCase() === o.toLowerCase());
	if (!match) throw new HttpError(400, `"executionContinueOptions" must be one of ${CONTINUE_OPTIONS.join(', ')}.`);
	return match;
}
