/**
 * VSPC emulator over real HTTP (Node fetch): token grants, bearer/API-key checks, the data/meta/errors envelope,
 * paging, filter/sort/select strictness, X-Request-id replays, job sessions with retries, alarm actions and fault
 * knobs. No package code is imported.
 */
import { startVspcEmulator, VSPC_CREDENTIALS, type VspcEmulator } from './vspc';

type Json = any;
const FORM = 'application/x-www-form-urlencoded';
const admin = VSPC_CREDENTIALS.admin;
const REQUEST_ID = (n: number) => `6f1c0a52-2b3d-4e5f-8a9b-${String(n).padStart(12, '0')}`;

let vspc: VspcEmulator;
let token: string;

beforeAll(async () => {
	vspc = await startVspcEmulator({ seed: 5 });
	token = (await login()).access_token;
});
afterAll(async () => {
	await vspc.close();
});

async function tokenCall(fields: Record<string, string>, contentType = FORM): Promise<{ status: number; body: Json }> {
	const body = contentType === FORM ? new URLSearchParams(fields).toString() : JSON.stringify(fields);
	const res = await fetch(`${vspc.base}/token`, { method: 'POST', headers: { 'content-type': contentType, 'x-client-version': '3.5.1' }, body });
	return { status: res.status, body: await res.json() };
}

async function login(who: { username: string; password: string } = admin): Promise<Json> {
	const r = await tokenCall({ grant_type: 'password', username: who.username, password: who.password });
	expect(r.status).toBe(200);
	return r.body;
}

async function call(method: string, path: string, opts: { bearer?: string | null; headers?: Record<string, string>; query?: Record<string, unknown>; body?: string } = {}): Promise<{ status: number; body: Json }> {
	const headers: Record<string, string> = { 'x-client-version': '3.5.1', ...(opts.headers ?? {}) };
	const bearer = opts.bearer === undefined ? token : opts.bearer;
	if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
	const qs = opts.query ? `?${new URLSearchParams(Object.entries(opts.query).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString()}` : '';
	const res = await fetch(`${vspc.base}${path}${qs}`, { method, headers, body: opts.body });
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe('POST /api/v3/token', () => {
	test('password grant answers the OAuth2Result shape; refresh gives a new pair and the old refresh token is spent', async () => {
		const first = await login();
		expect(first).toMatchObject({ token_type: 'bearer', expires_in: 3600, mfa_token: null, encrypted_code: null });
		expect(typeof first.access_token).toBe('string');
		const second = await tokenCall({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
		expect(second.status).toBe(200);
		expect(second.body.refresh_token).not.toBe(first.refresh_token);
		const again = await tokenCall({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
		expect(again).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: expect.any(String), error_uri: null } });
	});

	test('wrong password: 400 invalid_request with the documented description', async () => {
		const r = await tokenCall({ grant_type: 'password', username: admin.username, password: 'nope' });
		expect(r).toEqual({
			status: 400,
			body: { error: 'invalid_request', error_description: 'Cannot complete login due to incorrect username or password, or no sufficient rights.', error_uri: null },
		});
	});

	test('an MFA user gets an mfa_token and no access token', async () => {
		const r = await tokenCall({ grant_type: 'password', ...VSPC_CREDENTIALS.mfaUser });
		expect(r.status).toBe(200);
		expect(r.body.access_token).toBeNull();
		expect(r.body.mfa_token).toEqual(expect.any(String));
	});

	test('strict: JSON body, unknown field, client_credentials are refused', async () => {
		expect((await tokenCall({ grant_type: 'password', ...admin }, 'application/json')).body.error).toBe('invalid_request');
		expect((await tokenCall({ grant_type: 'password', ...admin, scope: 'x' })).body.error).toBe('invalid_request');
		expect((await tokenCall({ grant_type: 'client_credentials', client_id: 'a', client_secret: 'b' })).body.error).toBe('invalid_request');
		expect((await tokenCall({ grant_type: 'client_credentials' })).body.error).toBe('unsupported_grant_type');
		const res = await fetch(`${vspc.base}/token`, { method: 'POST', headers: { 'content-type': FORM, 'x-client-version': '3.3' }, body: new URLSearchParams({ grant_type: 'password', ...admin }).toString() });
		expect([res.status, ((await res.json()) as Json).error]).toEqual([400, 'invalid_request']);
	});

	test('an expired refresh token is refused', async () => {
		const t = await login();
		vspc.expireRefreshTokens();
		expect((await tokenCall({ grant_type: 'refresh_token', refresh_token: t.refresh_token })).status).toBe(400);
	});
});

describe('bearer checks', () => {
	test('no token, an expired token or a disabled key: 401 with the security error envelope', async () => {
		const none = await call('GET', '/about', { bearer: null });
		expect(none).toEqual({ status: 401, body: { errors: [{ message: expect.any(String), type: 'security', code: 401 }], data: null, meta: null } });
		const t = (await login()).access_token;
		expect((await call('GET', '/about', { bearer: t })).status).toBe(200);
		vspc.expireAccessTokens();
		expect((await call('GET', '/about', { bearer: t })).status).toBe(401);
		token = (await login()).access_token;
	});

	test('an API key is the bearer value itself; a read-only key may not write', async () => {
		const about = await call('GET', '/about', { bearer: VSPC_CREDENTIALS.apiKey });
		expect(about.status).toBe(200);
		expect(about.body.data.serverVersion).toMatch(/^9\.1\./);
		const job = vspc.store.jobs[0];
		const write = await call('POST', `/infrastructure/backupServers/jobs/${job.instanceUid}/start`, { bearer: VSPC_CREDENTIALS.readOnlyApiKey });
		expect(write.status).toBe(403);
		expect(vspc.effects.writes).toBe(0);
	});

	test('an unsupported X-Client-Version is refused, an absent one accepted', async () => {
		const bad = await call('GET', '/about', { headers: { 'x-client-version': '2.0' } });
		expect(bad.status).toBe(400);
		expect(bad.body.errors[0].parameterName).toBe('X-Client-Version');
		const res = await fetch(`${vspc.base}/about`, { headers: { authorization: `Bearer ${token}` } });
		expect(res.status).toBe(200);
	});
});

describe('collections', () => {
	test('paging: limit/offset with meta.pagingInfo {total, count, offset}; out-of-range values name the parameter', async () => {
		const all = vspc.store.vms.length;
		const p = await call('GET', '/protectedWorkloads/virtualMachines', { query: { limit: '50', offset: '100' } });
		expect(p.body.meta.pagingInfo).toEqual({ total: all, count: Math.min(50, all - 100), offset: 100 });
		expect(p.body.errors).toBeNull();
		expect(p.body.data[0].instanceUid).toBe(vspc.store.vms[100].instanceUid);
		const big = await call('GET', '/protectedWorkloads/virtualMachines', { query: { limit: '501' } });
		expect(big.status).toBe(400);
		expect(big.body.errors[0]).toMatchObject({ type: 'logical', code: 400, parameterName: 'limit' });
		expect((await call('GET', '/protectedWorkloads/virtualMachines', { query: { offset: '-1' } })).body.errors[0].message).toBe('Property value must be larger or equal to 0.');
		expect((await call('GET', '/protectedWorkloads/virtualMachines', { query: { $top: '5' } })).status).toBe(400);
	});

	test('filter and sort: JSON arrays; nested properties; unknown properties and operator spellings are refused', async () => {
		const failed = await call('GET', '/infrastructure/backupServers/jobs', {
			query: { filter: [{ property: 'status', operation: 'in', value: ['Failed', 'Warning'] }], sort: [{ property: 'name', direction: 'descending' }] },
		});
		expect(failed.status).toBe(200);
		const names = failed.body.data.map((j: Json) => j.name);
		expect(names.length).toBe(vspc.store.jobs.filter((j) => j.status === 'Failed' || j.status === 'Warning').length);
		expect(names).toEqual([...names].sort().reverse());
		const errors = await call('GET', '/alarms/active', { query: { filter: [{ property: 'lastActivation.status', operation: 'equals', collation: 'ignorecase', value: 'error' }] } });
		expect(errors.body.data.length).toBeGreaterThan(0);
		expect(errors.body.data.every((a: Json) => a.lastActivation.status === 'Error')).toBe(true);
		const or = await call('GET', '/organizations/companies', {
			query: { filter: [{ operation: 'or', items: [{ property: 'status', operation: 'equals', value: 'Disabled' }, { property: 'name', operation: 'contains', value: 'Acme' }] }] },
		});
		expect(or.body.data.map((c: Json) => c.name).sort()).toEqual(['Acme Dental', 'Dune Architects']);
		for (const query of [
			{ filter: [{ property: 'nmae', operation: 'equals', value: 'x' }] },
			{ filter: [{ property: 'name', operator: 'equals', value: 'x' }] },
			{ filter: { property: 'name', operation: 'equals', value: 'x' } },
			{ filter: 'name eq x' },
			{ sort: [{ property: 'name', direction: 'DESC' }] },
			{ sort: [{ property: 'nope', direction: 'ascending' }] },
		]) {
			const r = await call('GET', '/organizations/companies', { query });
			expect([r.status, r.body.errors[0].type]).toEqual([400, 'logical']);
		}
	});

	test('date-time filters compare instants across offsets', async () => {
		const job = vspc.store.jobs[0];
		const r = await call('GET', '/infrastructure/backupServers/jobs', { query: { filter: [{ property: 'lastRun', operation: 'greaterThanOrEqual', value: job.lastRun }] } });
		expect(r.body.data.map((j: Json) => j.instanceUid)).toContain(job.instanceUid);
		const later = new Date(Date.parse(job.lastRun!.replace(/(\.\d{3})\d+/, '$1')) + 1000).toISOString();
		const r2 = await call('GET', '/infrastructure/backupServers/jobs', { query: { filter: [{ property: 'lastRun', operation: 'greaterThanOrEqual', value: later }] } });
		expect(r2.body.data.map((j: Json) => j.instanceUid)).not.toContain(job.instanceUid);
	});

	test('select returns only the named properties', async () => {
		const r = await call('GET', '/organizations/companies', { query: { select: [{ propertyPath: 'instanceUid' }, { propertyPath: 'name' }], limit: '1' } });
		expect(Object.keys(r.body.data[0]).sort()).toEqual(['instanceUid', 'name']);
	});

	test('single resources: data object; unknown UID 404; malformed UID 400; unknown route 404, wrong method 405', async () => {
		const c = vspc.store.companies[1];
		const one = await call('GET', `/organizations/companies/${c.instanceUid}`);
		expect(one.body).toEqual({ meta: null, data: expect.objectContaining({ instanceUid: c.instanceUid, name: c.name }), errors: null });
		expect((await call('GET', '/organizations/companies/00000000-0000-4000-8000-000000000000')).status).toBe(404);
		expect((await call('GET', '/organizations/companies/acme')).status).toBe(400);
		expect((await call('GET', '/tenants')).status).toBe(404);
		// limit on a non-paged operation is ignored (a client used against live servers sends it everywhere); other unknown parameters are not
		expect((await call('GET', '/about', { query: { limit: '500' } })).status).toBe(200);
		expect((await call('GET', '/about', { query: { top: '5' } })).status).toBe(400);
		expect((await call('DELETE', '/organizations/companies')).status).toBe(405);
	});

	test('a company owner sees only the own company', async () => {
		const owner = (await login(VSPC_CREDENTIALS.companyOwner)).access_token;
		const r = await call('GET', '/infrastructure/backupServers/jobs', { bearer: owner });
		const org = vspc.store.users.find((u) => u.userName === VSPC_CREDENTIALS.companyOwner.username)!.organizationUid;
		expect(r.body.data.length).toBeGreaterThan(0);
		expect(r.body.data.every((j: Json) => j.organizationUid === org)).toBe(true);
	});

	test('license usage per organization, filtered by organizationUid; a malformed UID is refused', async () => {
		const c = vspc.store.companies[0];
		const r = await call('GET', '/licensing/usage/organizations', { query: { organizationUid: c.instanceUid } });
		expect(r.body.data).toHaveLength(1);
		expect(r.body.data[0]).toMatchObject({ organizationUid: c.instanceUid, organizationType: 'Company' });
		expect(r.body.data[0].servers[0].workloads[0]).toHaveProperty('usedUnits');
		expect((await call('GET', '/licensing/usage/organizations', { query: { organizationUid: 'acme' } })).status).toBe(400);
	});
});

describe('writes', () => {
	test('X-Request-id: the same id on the same write within 5 minutes replays the answer without a second effect', async () => {
		const job = vspc.store.jobs.find((j) => j.type === 'SqlLogBackup')!;
		const before = vspc.effects.writes;
		const path = `/infrastructure/backupServers/jobs/${job.instanceUid}/start`;
		const first = await call('POST', path, { headers: { 'x-request-id': REQUEST_ID(1) } });
		expect(first).toEqual({ status: 200, body: { errors: [], data: null, meta: null } });
		const replay = await call('POST', path, { headers: { 'x-request-id': REQUEST_ID(1) } });
		expect(replay).toEqual(first);
		expect(vspc.effects.writes).toBe(before + 1);
		const fresh = await call('POST', path, { headers: { 'x-request-id': REQUEST_ID(2) } });
		expect(fresh.status).toBe(400);
		expect(fresh.body.errors[0].code).toBe(1000);
		expect((await call('POST', path, { headers: { 'x-request-id': 'not-a-uuid' } })).status).toBe(400);
	});

	test('a session with retries: Failed between attempts, final result after the last retry', async () => {
		const job = vspc.store.jobs.find((j) => j.type === 'BackupVm' && j.status === 'Success')!;
		vspc.runJob(job.instanceUid, [{ result: 'Failed', durationSec: 60 }, { result: 'Warning', durationSec: 60 }], 10);
		const read = async () => (await call('GET', `/infrastructure/backupServers/jobs/${job.instanceUid}`)).body.data;
		expect((await read()).status).toBe('Running');
		vspc.advance(61_000);
		const interim = await read();
		expect(interim.status).toBe('Failed');
		vspc.advance(10 * 60_000);
		const retry = await read();
		expect(retry.status).toBe('Running');
		expect(retry.lastRun).not.toBe(interim.lastRun);
		vspc.advance(60_000);
		const final = await read();
		expect(final).toMatchObject({ status: 'Warning', lastDuration: 60 });
	});

	test('start then stop: the session ends Failed; stopping an idle job is refused', async () => {
		const job = vspc.store.jobs.find((j) => j.type === 'BackupFile')!;
		const path = `/infrastructure/backupServers/jobs/${job.instanceUid}`;
		expect((await call('POST', `${path}/stop`)).body.errors[0].code).toBe(1000);
		expect((await call('POST', `${path}/start`)).status).toBe(200);
		expect((await call('POST', `${path}/stop`)).status).toBe(200);
		expect((await call('GET', path)).body.data).toMatchObject({ status: 'Failed', failureMessage: 'Job has been stopped by user.' });
		expect((await call('POST', `${path}/start`, { body: '{}' })).status).toBe(400);
	});

	test('acknowledge and resolve: comment and resolveOnClients required; a new activation each time; history grows', async () => {
		const alarm = vspc.store.alarms.find((a) => a.lastActivation.status === 'Error')!;
		const path = `/alarms/active/${alarm.instanceUid}`;
		expect((await call('POST', `${path}/acknowledge`, { query: { comment: 'on it' } })).body.errors[0].parameterName).toBe('resolveOnClients');
		const firstActivation = alarm.lastActivation.instanceUid;
		expect((await call('POST', `${path}/acknowledge`, { query: { comment: 'on it', resolveOnClients: 'false' } })).status).toBe(200);
		const acked = (await call('GET', path)).body.data;
		expect(acked.lastActivation).toMatchObject({ status: 'Acknowledged', remark: 'on it' });
		expect(acked.lastActivation.instanceUid).not.toBe(firstActivation);
		expect((await call('POST', `${path}/resolve`, { query: { comment: 'fixed', resolveOnClients: 'true' } })).status).toBe(200);
		expect((await call('POST', `${path}/resolve`, { query: { comment: 'again', resolveOnClients: 'true' } })).body.errors[0].code).toBe(1000);
		const history = await call('GET', `${path}/history`);
		expect(history.body.data.map((h: Json) => h.status)).toEqual(['Error', 'Acknowledged', 'Resolved']);
	});
});

describe('fault knobs', () => {
	test('throttling answers 429 with errors[0].retryAfter; server errors arrive as 520 with the envelope; the log records both', async () => {
		vspc.throttle(1, 7, '/about');
		const t = await call('GET', '/about');
		expect(t).toEqual({ status: 429, body: { errors: [{ message: expect.any(String), type: 'transport', code: 429, retryAfter: 7 }], data: null, meta: null } });
		vspc.serverError(1);
		const e = await call('GET', '/about');
		expect(e.status).toBe(520);
		expect(e.body.errors[0].type).toBe('unspecified');
		expect((await call('GET', '/about')).status).toBe(200);
		expect(vspc.requests({ path: /\/about$/ }).slice(-3).map((x) => x.status)).toEqual([429, 520, 200]);
	});

	test('control API over HTTP: state, expire, runJob', async () => {
		const post = async (what: string, body: unknown): Promise<Json> => (await fetch(`${vspc.url}/__emulator/${what}`, { method: 'POST', body: JSON.stringify(body) })).json();
		const job = vspc.store.jobs.find((j) => j.type === 'BackupCopy')!;
		await post('runJob', { jobName: job.name, attempts: [{ result: 'Failed', durationSec: 30 }] });
		const state = await post('state', {});
		expect(state.jobs.find((j: Json) => j.name === job.name).status).toBe('Running');
		const expired = await post('expire', { revoke: true });
		expect(expired).toEqual({ access: 0, refresh: 0 });
		expect((await call('GET', '/about')).status).toBe(401);
		token = (await login()).access_token;
	});
});
