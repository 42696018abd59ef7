/**
 * Every VSA route under /api/v1.0 (path casing is not significant: https://help.vsa9.kaseya.com/help/Content/Modules/rest-api/31616.htm writes /API/v1.0, KAT VSAModule.psm1 API/v1.0/Auth), wrapped in one dispatcher:
 * injected envelope faults → Bearer check (all routes but /auth and /echo) → handler → error envelope.
 */
import type { EmulatorRequest, EmulatorResponse, Route } from '../common/server';
import type { BearerResult } from './auth';
import type { Ctx, EnvelopeFault, VsaContext, VsaRoute } from './context';
import { errorEnvelope, inBodyError, ok, sendJson, VsaHttpError } from './http';
import { clone } from './json';
import { ODataError } from './odata';
import { assetRoutes } from './routes-assets';
import { automationRoutes } from './routes-automation';
import { systemRoutes } from './routes-system';

export const API_PREFIX = '/api/v1.0';

const coreRoutes: VsaRoute[] = [
	{
		method: 'GET',
		path: '/auth',
		auth: false,
		handler: (ctx) => {
			const { auth } = ctx.vsa;
			const res = auth.login(header(ctx.req));
			if (!res.ok) return auth.options.authErrorStyle === 'body' ? inBodyError(401, res.error) : errorEnvelope(401, res.error);
			return ok(auth.authResult(res.session));
		},
	},
	// Connectivity test; PsKaseya calls it without a token. The real Result value is undocumented.
	{ method: 'GET', path: '/echo', auth: false, handler: () => ok(true) },
	{ method: 'GET', path: '/environment', handler: (ctx) => ok(clone(ctx.vsa.store.environment)) },
	{
		// Log out: the token stops working at once (KAT VSAModule/README.md).
		method: 'DELETE',
		path: '/system/users/session',
		handler: (ctx) => {
			ctx.session.revoked = true;
			ctx.vsa.store.count('logout');
			return ok(true);
		},
	},
];

function header(req: EmulatorRequest): string | undefined {
	const h = req.headers.authorization;
	return Array.isArray(h) ? h[0] : h;
}

function takeEnvelopeFault(vsa: VsaContext, req: EmulatorRequest): EnvelopeFault | undefined {
	for (const f of vsa.envelopeFaults) {
		if ((f.times ?? 1) <= 0) continue;
		if (f.method && f.method.toUpperCase() !== req.method) continue;
		if (f.path && !new RegExp(f.path, 'i').test(req.path)) continue;
		f.times = (f.times ?? 1) - 1;
		return f;
	}
	return undefined;
}

const DENIED = 'Authorization has been denied for this request.';

function authFailure(vsa: VsaContext, result: Extract<BearerResult, { ok: false }>): EmulatorResponse {
	const style = vsa.auth.options.authErrorStyle;
	const tag = { 'X-Emulator-Auth': result.reason };
	let res: EmulatorResponse;
	if (result.reason === 'missingBearer') {
		// The documented answer when the word "Bearer" is missing (http://community.kaseya.com/xsp/f/114/t/22103.aspx), verbatim.
		res = sendJson(style === 'http' ? 401 : 200, { ResponseCode: 401, Status: 'OK', Error: 'None' });
	} else {
		res = style === 'body' ? inBodyError(401, DENIED) : errorEnvelope(401, DENIED);
	}
	return { ...res, headers: { ...res.headers, ...tag } };
}

function dispatch(vsa: VsaContext, route: VsaRoute, req: EmulatorRequest): EmulatorResponse {
	const fault = takeEnvelopeFault(vsa, req);
	if (fault) {
		const text = fault.error ?? (fault.responseCode === 401 ? 'None' : 'Internal Server Error');
		return inBodyError(fault.responseCode, text, fault.status ?? 'OK');
	}
	let session: Ctx['session'] | undefined;
	if (route.auth !== false) {
		const result = vsa.auth.authenticate(header(req));
		if (!result.ok) return authFailure(vsa, result);
		session = result.session;
	}
	try {
		return route.handler({ req, p: req.params, q: req.query, session: session!, vsa });
	} catch (e) {
		if (e instanceof VsaHttpError) return errorEnvelope(e.status, e.message);
		if (e instanceof ODataError) return errorEnvelope(400, e.message);
		throw e;
	}
}

export function allVsaRoutes(): VsaRoute[] {
	return [...coreRoutes, ...systemRoutes, ...assetRoutes, ...automationRoutes];
}

export function buildRoutes(vsa: VsaContext): Route[] {
	return allVsaRoutes().map((r) => ({
		method: r.method,
		pattern: API_PREFIX + r.path,
		handler: (req: EmulatorRequest) => dispatch(vsa, r, req),
	}));
}

/** Unknown routes: an envelope 404 that names itself, so a wrong path is obvious in test output. */
export function vsaNotFound(req: EmulatorRequest, methodMismatch: boolean): EmulatorResponse {
	if (methodMismatch)
		return errorEnvelope(405, `The requested resource does not support http method '${req.method}'. (emulator has no route for ${req.method} ${req.path})`);
	return errorEnvelope(404, `emulator has no route for ${req.method} ${req.path}`);
}
