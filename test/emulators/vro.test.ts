/**
 * VRO emulator over real HTTP (Node fetch). Proves the per-generation auth, paging and plan-state behaviour
 * the reference documents; no package code is imported.
 */
import { startVroEmulator, VRO_CREDENTIALS, VRO_VERSIONS, type Plan, type VroEmulator, type VroVersion } from './vro';
import { VroStore } from './vro/store';

type Json = any;
const FORM = 'application/x-www-form-urlencoded';
const admin = VRO_CREDENTIALS.admin;

let vro: VroEmulator;
const used = new Set<string>();

beforeAll(async () => {
	vro = await startVroEmulator({ seed: 7, plans: 250 });
});
afterAll(async () => {
	await vro.close();
});

async function tokenCall(v: VroVersion, fields: Record<string, string>, contentType = FORM): Promise<{ status: number; body: Json }> {
	const body = contentType === FORM ? new URLSearchParams(fields).toString() : JSON.stringify(fields);
	const res = await fetch(vro.tokenUrl(v), { method: 'POST', headers: { 'content-type': contentType }, body });
	return { status: res.status, body: await res.json() };
}

async function login(v: VroVersion, who: { username: string; password: string } = admin): Promise<Json> {
	const r = await tokenCall(v, { grant_type: 'password', username: who.username, password: who.password });
	expect(r.status).toBe(200);
	return r.body;
}

async function call(v: VroVersion, method: string, path: string, token: string | undefined, body?: unknown): Promise<{ status: number; body: Json; text: string }> {
	const headers: Record<string, string> = {};
	if (token) headers.authorization = `Bearer ${token}`;
	if (body !== undefined) headers['content-type'] = 'application/json';
	const res = await fetch(vro.base(v) + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await res.text();
	let parsed: Json;
	try {
		parsed = text ? JSON.parse(text) : undefined;
	} catch {
		parsed = text;
	}
	return { status: res.status, body: parsed, text };
}

/** A plan no other test has touched. */
function take(pred: (p: Plan) => boolean): Plan {
	const p = vro.store.plans.find((x) => !used.has(x.id) && pred(x));
	if (!p) throw new Error('no matching seeded plan');
	used.add(p.id);
	return p;
}
/** VAO 1.0 PlanLaunchOptions with every field the Swagger marks required. */
const V1_LAUNCH = { restorePointRule: { date: '2030-01-01T00:00:00Z', mode: 'NearestBefore' }, executeChainedPlans: false };
const healthy = (type: Plan['planType'], state = 'Ready') => (p: Plan) => p.planType === type && p.enabled && p.state === state && !p.failure;

/** Poll GET until the state leaves the running state; returns the visited states. */
async function pollUntilSettled(v: VroVersion, path: string, token: string, stateKey = 'state'): Promise<string[]> {
	const seen: string[] = [];
	for (let i = 0; i < 500; i++) {
		const r = await call(v, 'GET', path, token);
		expect(r.status).toBe(200);
		const s = r.body[stateKey] as string;
		seen.push(s);
		if (!/Running|InProgress/.test(s)) return seen;
	}
	throw new Error(`still running after 500 polls: ${seen.slice(-3).join(',')}`);
}

describe('authentication per generation', () => {
	const expectedPath: Record<string, string> = { v1: '/v1/Accounts/Token', v2: '/v2/Token', v3: '/token', v6: '/token', 'v7.21': '/api/token', 'v13.1': '/api/token' };

	test.each(VRO_VERSIONS.map((v) => [v]))('%s: password grant on its token path, then a Bearer call', async (v) => {
		if (expectedPath[v]) expect(new URL(vro.tokenUrl(v)).pathname).toBe(expectedPath[v]);
		const t = await login(v);
		expect(t).toMatchObject({ token_type: 'bearer', expires_in: v === 'v1' || v === 'v2' ? 3599 : 899 });
		expect(typeof t.access_token).toBe('string');
		expect(typeof t.refresh_token).toBe('string');
		if (v === 'v2') expect(typeof t.client_id).toBe('string'); // VAO 2.0 "root client"
		else expect(t.client_id).toBeUndefined();
		const path = v === 'v1' || v === 'v2' ? '/FailoverPlans' : '/Plans';
		expect((await call(v, 'GET', path, t.access_token)).status).toBe(200);
	});

	test('a token is valid only for the versions of the endpoint that issued it', async () => {
		const legacy = await login('v4'); // /token
		expect((await call('v5', 'GET', '/Plans', legacy.access_token)).status).toBe(200);
		const r = await call('v7.21', 'GET', '/Plans', legacy.access_token);
		expect(r.status).toBe(401);
		expect(r.body).toEqual({ Message: 'Authorization has been denied for this request.' });
	});

	test('form-urlencoded is required; JSON bodies, bad passwords, unknown grants are refused OAuth-style', async () => {
		expect(await tokenCall('v7.21', { grant_type: 'password', username: admin.username, password: admin.password }, 'application/json')).toMatchObject({
			status: 400, body: { error: 'invalid_request' },
		});
		expect(await tokenCall('v7.21', { grant_type: 'password', username: admin.username, password: 'nope' })).toEqual({
			status: 400, body: { error: 'invalid_grant', error_description: 'The user name or password is incorrect.' },
		});
		expect(await tokenCall('v4', { grant_type: 'authorization_code', code: 'x' })).toEqual({ status: 400, body: { error: 'unsupported_grant_type' } });
		expect(await tokenCall('v4', { username: admin.username, password: admin.password })).toEqual({ status: 400, body: { error: 'unsupported_grant_type' } });
	});

	test('/api/token also takes multipart/form-data (7.2.1/13 Redoc)', async () => {
		const fd = new FormData();
		fd.set('grant_type', 'password');
		fd.set('username', admin.username);
		fd.set('password', admin.password);
		const res = await fetch(vro.tokenUrl('v13'), { method: 'POST', body: fd });
		expect(res.status).toBe(200);
		expect(((await res.json()) as Json).token_type).toBe('bearer');
	});

	test('roles and user-name forms per generation', async () => {
		const { viewer, operator } = VRO_CREDENTIALS;
		expect((await tokenCall('v7.21', { grant_type: 'password', username: viewer.username, password: viewer.password })).body.error).toBe('invalid_grant');
		// Plan Operator is a VRO 7+ role only.
		expect((await tokenCall('v5', { grant_type: 'password', username: operator.username, password: operator.password })).body.error).toBe('invalid_grant');
		await login('v7.21', operator);
		// DOMAIN\USERNAME required up to v6; plain USERNAME accepted from VRO 7.
		expect((await tokenCall('v4', { grant_type: 'password', username: 'admin', password: admin.password })).status).toBe(400);
		expect((await tokenCall('v7.2', { grant_type: 'password', username: 'admin', password: admin.password })).status).toBe(200);
	});

	test('plan authors see only the plans of their scopes', async () => {
		const t = await login('v7.21', VRO_CREDENTIALS.author);
		const mine = await call('v7.21', 'GET', '/Plans?limit=1', t.access_token);
		const all = await call('v7.21', 'GET', '/Plans?limit=1', (await login('v7.21')).access_token);
		expect(mine.body.total).toBeGreaterThan(0);
		expect(mine.body.total).toBeLessThan(all.body.total);
	});

	test('refresh grant rotates the pair and the old refresh token is refused', async () => {
		for (const v of ['v1', 'v4', 'v13.1'] as VroVersion[]) {
			const first = await login(v);
			const before = vro.counters.refreshGrants;
			const r1 = await tokenCall(v, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
			expect(r1.status).toBe(200);
			expect(r1.body.refresh_token).not.toBe(first.refresh_token);
			expect(r1.body.access_token).not.toBe(first.access_token);
			expect(vro.counters.refreshGrants).toBe(before + 1);
			expect(await tokenCall(v, { grant_type: 'refresh_token', refresh_token: first.refresh_token })).toEqual({ status: 400, body: { error: 'invalid_grant' } });
			expect((await tokenCall(v, { grant_type: 'refresh_token', refresh_token: r1.body.refresh_token })).status).toBe(200);
		}
	});

	test('expired access token → 401; refresh token still works until it expires', async () => {
		const t = await login('v7.21');
		expect((await call('v7.21', 'GET', '/Scopes', t.access_token)).status).toBe(200);
		vro.advance(900_000);
		const r = await call('v7.21', 'GET', '/Scopes', t.access_token);
		expect(r.status).toBe(401);
		expect(r.body.Message).toMatch(/denied/);
		const again = await tokenCall('v7.21', { grant_type: 'refresh_token', refresh_token: t.refresh_token });
		expect(again.status).toBe(200);
		vro.advance(7_200_000);
		expect((await tokenCall('v7.21', { grant_type: 'refresh_token', refresh_token: again.body.refresh_token })).body.error).toBe('invalid_grant');
		const fresh = await login('v7.21');
		vro.expireAccessTokens();
		expect((await call('v7.21', 'GET', '/Scopes', fresh.access_token)).status).toBe(401);
		expect((await call('v7.21', 'GET', '/Scopes', undefined)).status).toBe(401);
	});

	test('client credentials on v2+, refused on v1; clients can be created, listed and deleted', async () => {
		const { clientId, clientSecret } = VRO_CREDENTIALS.client;
		const cc = { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret };
		expect(await tokenCall('v1', cc)).toEqual({ status: 400, body: { error: 'unsupported_grant_type' } });
		for (const v of ['v2', 'v5', 'v7.21', 'v13'] as VroVersion[]) {
			const r = await tokenCall(v, cc);
			expect(r.status).toBe(200);
			expect(r.body.refresh_token).toBeUndefined();
		}
		expect(await tokenCall('v7.21', { ...cc, client_secret: 'wrong' })).toEqual({ status: 400, body: { error: 'invalid_client' } });

		const t = await login('v7.21');
		const created = await call('v7.21', 'POST', '/Clients', t.access_token);
		expect(created.status).toBe(200);
		expect(Object.keys(created.body).sort()).toEqual(['client_id', 'client_secret']);
		const child = await tokenCall('v7.21', { grant_type: 'client_credentials', client_id: created.body.client_id, client_secret: created.body.client_secret });
		expect(child.status).toBe(200);
		expect((await call('v7.21', 'POST', '/Clients', child.body.access_token)).status).toBe(403); // children cannot create children
		const listed = await call('v7.21', 'GET', '/Clients', t.access_token);
		expect(listed.body.data.map((c: Json) => c.client_id)).toContain(created.body.client_id);
		expect((await call('v7.21', 'DELETE', `/Clients/${created.body.client_id}`, t.access_token)).status).toBe(200);
		expect((await tokenCall('v7.21', { grant_type: 'client_credentials', client_id: created.body.client_id, client_secret: created.body.client_secret })).body.error).toBe('invalid_client');
		expect((await call('v7.21', 'GET', '/Scopes', child.body.access_token)).status).toBe(401);
		expect((await call('v13', 'POST', '/Clients', (await login('v13')).access_token)).status).toBe(404); // no Clients tag in 13
	});

	test('v1 logout (GET) ends the session: access and refresh token', async () => {
		const t = await login('v1');
		const r = await call('v1', 'GET', '/Accounts/Logout', t.access_token);
		expect(r.status).toBe(200);
		expect(r.body).toBe('Logout successful');
		expect((await call('v1', 'GET', '/Sites', t.access_token)).status).toBe(401);
		expect((await tokenCall('v1', { grant_type: 'refresh_token', refresh_token: t.refresh_token })).body.error).toBe('invalid_grant');
		expect((await call('v1', 'POST', '/Accounts/Logout', t.access_token)).status).toBe(405);
	});

	test('singleSession: a new password login invalidates the same user\'s earlier tokens', async () => {
		const own = await startVroEmulator({ plans: 5, singleSession: true, versions: ['v7.21'] });
		try {
			const login2 = async () => (await (await fetch(`${own.url}/api/token`, { method: 'POST', headers: { 'content-type': FORM }, body: new URLSearchParams({ grant_type: 'password', username: admin.username, password: admin.password }) })).json()) as Json;
			const get = async (tok: string) => (await fetch(`${own.base('v7.21')}/Plans`, { headers: { authorization: `Bearer ${tok}` } })).status;
			const a = await login2();
			expect(await get(a.access_token)).toBe(200);
			const b = await login2();
			expect(await get(b.access_token)).toBe(200);
			expect(await get(a.access_token)).toBe(401);
			const refreshed = await fetch(`${own.url}/api/token`, { method: 'POST', headers: { 'content-type': FORM }, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: a.refresh_token }) });
			expect(refreshed.status).toBe(400);
			expect(own.counters.passwordLogins).toBe(2);
			// Only the served versions have routes/token paths.
			expect((await fetch(`${own.url}/token`, { method: 'POST' })).status).toBe(404);
		} finally {
			await own.close();
		}
	});
});

describe('paging styles', () => {
	test('v1/v2: OData $top/$skip on bare arrays, $filter and $orderby before paging', async () => {
		const t = (await login('v1')).access_token;
		const all = (await call('v1', 'GET', '/FailoverPlans', t)).body as Json[];
		expect(Array.isArray(all)).toBe(true);
		expect(all.length).toBe(vro.store.plans.filter((p) => p.planType === 'Replica').length);
		const pages: Json[] = [];
		for (let skip = 0; ; skip += 40) {
			const page = (await call('v1', 'GET', `/FailoverPlans?$top=40&$skip=${skip}`, t)).body as Json[];
			pages.push(...page);
			if (page.length < 40) break;
		}
		expect(pages.map((p) => p.id)).toEqual(all.map((p) => p.id));
		expect(all[0]._links.self.href).toMatch(/\/v1\/FailoverPlans\//);
		const disabled = (await call('v1', 'GET', `/FailoverPlans?$filter=${encodeURIComponent("planState eq 'Disabled'")}&$orderby=name desc&$top=3`, t)).body as Json[];
		expect(disabled.length).toBe(3);
		expect(disabled.every((p) => p.planState === 'Disabled')).toBe(true);
		expect([...disabled].map((p) => p.name)).toEqual([...disabled.map((p) => p.name)].sort().reverse());
		const bad = await call('v1', 'GET', '/FailoverPlans?$top=abc', t);
		expect(bad.status).toBe(400);
		expect(bad.body.Message).toMatch(/\$top/);
		expect((await call('v1', 'GET', `/FailoverPlans?$filter=${encodeURIComponent("nosuch eq 1")}`, t)).status).toBe(400);
		const v2 = await login('v2');
		const restore = (await call('v2', 'GET', '/RestorePlans?$top=2', v2.access_token)).body as Json[];
		expect(restore).toHaveLength(2);
		expect(restore[0]).toHaveProperty('planInUse');
	});

	test('v3: {total, data} with every item (start/limit not yet supported)', async () => {
		const t = (await login('v3')).access_token;
		const r = await call('v3', 'GET', '/Plans?start=0&limit=5', t);
		expect(Object.keys(r.body).sort()).toEqual(['data', 'total']);
		expect(r.body.data.length).toBe(r.body.total);
		expect(r.body.data.some((p: Json) => p.planType === 'CdpReplica')).toBe(false); // CDP arrives with v5
		expect(r.body.data[0]).toHaveProperty('serverId');
	});

	test('v4 and later: start/limit with {total, data} (the 7.2.1 reference\'s sample answer)', async () => {
		const t4 = (await login('v4')).access_token;
		const r4 = await call('v4', 'GET', '/Plans?start=10&limit=25', t4);
		expect(r4.body.data).toHaveLength(25);
		const all4 = await call('v4', 'GET', '/Plans', t4);
		expect(r4.body.total).toBe(all4.body.total);
		expect(r4.body.data[0].id).toBe(all4.body.data[10].id);

		const t = (await login('v7.21')).access_token;
		const ids: string[] = [];
		let total = -1;
		for (let start = 0; ; start += 100) {
			const r = await call('v7.21', 'GET', `/Plans?start=${start}&limit=100`, t);
			expect(Object.keys(r.body).sort()).toEqual(['data', 'total']);
			total = r.body.total;
			ids.push(...r.body.data.map((p: Json) => p.id));
			if (start + 100 >= total) break;
		}
		expect(new Set(ids).size).toBe(total);
		const filter = encodeURIComponent(JSON.stringify([{ property: 'planType', operator: '==', value: 'Restore' }]));
		const sort = encodeURIComponent(JSON.stringify([{ property: 'name', direction: 'DESC' }]));
		const restore = await call('v7.21', 'GET', `/Plans?filter=${filter}&sort=${sort}&limit=5`, t);
		expect(restore.body.data).toHaveLength(5);
		expect(restore.body.data.every((p: Json) => p.planType === 'Restore')).toBe(true);
		const names = restore.body.data.map((p: Json) => p.name);
		expect(names).toEqual([...names].sort().reverse());
		expect((await call('v7.21', 'GET', '/Plans?filter=notjson', t)).status).toBe(400);
		expect((await call('v7.21', 'GET', '/Plans?limit=-1', t)).status).toBe(400);
	});

	test('unknown routes answer 404 naming the route', async () => {
		const t = (await login('v7.21')).access_token;
		const r = await call('v7.21', 'GET', '/NoSuchThing', t);
		expect(r.status).toBe(404);
		expect(r.body.Message).toBe('emulator has no route for GET /api/v7.21/NoSuchThing');
	});
});

describe('plan state machine', () => {
	let t: string;
	beforeAll(async () => {
		t = (await login('v7.21')).access_token;
	});

	test('failover → several polls → FailoverComplete; runtime details report progress and step results', async () => {
		const plan = take(healthy('Replica'));
		const r = await call('v7.21', 'POST', `/Plans/${plan.id}/Failover`, t, { executeChainedPlans: false, restorePointDate: null });
		expect(r.status).toBe(200);
		expect(r.text).toBe('');
		const first = await call('v7.21', 'GET', `/RuntimeDetails/Plans/${plan.id}`, t);
		expect(first.body).toMatchObject({ state: 'FailoverRunning', currentRunResult: 'Running' });
		expect(first.body.totalProgress).toBeGreaterThan(0);
		const seen = await pollUntilSettled('v7.21', `/Plans/${plan.id}`, t);
		expect(seen.length).toBeGreaterThan(1);
		expect(seen[seen.length - 1]).toBe('FailoverComplete');
		const rt = await call('v7.21', 'GET', `/RuntimeDetails/Plans/${plan.id}`, t);
		expect(rt.body).toMatchObject({ totalProgress: 100, currentRunResult: 'Success', isUndoPossible: true, isReversePossible: true });
		const vm = plan.groups.find((g) => g.vms.length)!.vms[0];
		const steps = await call('v7.21', 'GET', `/RuntimeDetails/Plans/${plan.id}/Vms/${vm.id}/Steps`, t);
		expect(steps.body.data.every((s: Json) => s.result === 'Success')).toBe(true);
		// Failback → commit returns the plan to READY.
		expect((await call('v7.21', 'POST', `/Plans/${plan.id}/FailbackToProduction`, t, {})).status).toBe(200);
		expect((await pollUntilSettled('v7.21', `/Plans/${plan.id}`, t)).pop()).toBe('FailbackComplete');
		expect((await call('v7.21', 'POST', `/Plans/${plan.id}/CommitFailback`, t)).status).toBe(200);
		expect((await pollUntilSettled('v7.21', `/Plans/${plan.id}`, t)).pop()).toBe('Ready');
	});

	test('halt → Halted → continue → completes; continue only from HALTED', async () => {
		const plan = take(healthy('Restore'));
		expect((await call('v7.21', 'POST', `/Plans/${plan.id}/Continue`, t, {})).status).toBe(400);
		expect((await call('v7.21', 'POST', `/Plans/${plan.id}/Restore`, t, {})).status).toBe(200);
		expect((await call('v7.21', 'POST', `/Plans/${plan.id}/Halt`, t, { fullStop: false })).status).toBe(200);
		const halted = await call('v7.21', 'GET', `/Plans/${plan.id}`, t);
		expect(halted.body).toMatchObject({ state: 'Halted', stateName: 'Halted', previousExecutionState: 'RestoreRunning' });
		expect((await call('v7.21', 'POST', `/Plans/${plan.id}/Halt`, t, {})).status).toBe(400);
		const bad = await call('v7.21', 'POST', `/Plans/${plan.id}/Continue`, t, { executionContinueOptions: 'Sideways' });
		expect(bad.status).toBe(400);
		expect((await call('v7.21', 'POST', `/Plans/${plan.id}/Continue`, t, { executionContinueOptions: 'ProceedToNextStep' })).status).toBe(200);
		expect((await pollUntilSettled('v7.21', `/Plans/${plan.id}`, t)).pop()).toBe('RestoreComplete');
		expect((await call('v7.21', 'GET', `/Plans/${plan.id}`, t)).body).toMatchObject({ stateName: 'Restored', resultName: 'Success' });
	});

	test('undo is refused from READY and accepted after failover; storage plans undo only from HALTED', async () => {
		const plan = take(healthy('Replica'));
		const refused = await call('v7.21', 'POST', `/Plans/${plan.id}/Undo`, t);
		expect(refused.status).toBe(400);
		expect(refused.body.Message).toMatch(/Cannot run undo .* in state Ready/);
		await call('v7.21', 'POST', `/Plans/${plan.id}/Failover`, t, {});
		await pollUntilSettled('v7.21', `/Plans/${plan.id}`, t);
		expect((await call('v7.21', 'POST', `/Plans/${plan.id}/Undo`, t)).status).toBe(200);
		expect((await pollUntilSettled('v7.21', `/Plans/${plan.id}`, t)).pop()).toBe('Ready');

		const storage = take(healthy('Storage'));
		await call('v7.21', 'POST', `/Plans/${storage.id}/Failover`, t, {});
		await pollUntilSettled('v7.21', `/Plans/${storage.id}`, t);
		expect((await call('v7.21', 'POST', `/Plans/${storage.id}/Undo`, t)).status).toBe(400);
		expect((await call('v7.21', 'POST', `/Plans/${storage.id}/ResetState`, t, { executeReadinessCheck: false })).status).toBe(200);
		expect((await call('v7.21', 'GET', `/Plans/${storage.id}`, t)).body).toMatchObject({ state: 'Disabled', planMode: 'Disabled' });
	});

	test('a plan must be enabled to run; wrong plan types are refused; busy plans refuse other actions', async () => {
		const disabled = take((p) => p.planType === 'Replica' && !p.enabled && !p.failure);
		const r = await call('v7.21', 'POST', `/Plans/${disabled.id}/Failover`, t, {});
		expect(r.status).toBe(400);
		expect(r.body.Message).toMatch(/disabled/);
		expect((await call('v7.21', 'POST', `/Plans/${disabled.id}/Enable`, t)).status).toBe(200);
		expect((await call('v7.21', 'POST', `/Plans/${disabled.id}/Restore`, t, {})).status).toBe(400);
		expect((await call('v7.21', 'POST', `/Plans/${disabled.id}/Failover`, t, {})).status).toBe(200);
		expect((await call('v7.21', 'POST', `/Plans/${disabled.id}/Disable`, t)).status).toBe(400);
		const missing = await call('v7.21', 'POST', '/Plans/00000000-0000-0000-0000-000000000000/Failover', t, {});
		expect(missing.status).toBe(404);
	});

	test('readiness check runs over polls and reports its result; a faulty plan reports Error', async () => {
		const plan = take(healthy('Replica'));
		expect((await call('v7.21', 'POST', `/Plans/${plan.id}/ReadinessCheck`, t)).status).toBe(200);
		expect((await call('v7.21', 'GET', `/RuntimeDetails/Plans/${plan.id}`, t)).body.currentCheckResult).toBe('Running');
		expect((await pollUntilSettled('v7.21', `/Plans/${plan.id}`, t)).pop()).toBe('Ready');
		const rt = await call('v7.21', 'GET', `/RuntimeDetails/Plans/${plan.id}`, t);
		expect(rt.body).toMatchObject({ currentCheckResult: 'Success', planVerificationState: 'Verified' });

		const faulty = take((p) => p.enabled && p.state === 'Ready' && p.failure?.mode === 'halt');
		await call('v7.21', 'POST', `/Plans/${faulty.id}/ReadinessCheck`, t);
		await pollUntilSettled('v7.21', `/Plans/${faulty.id}`, t);
		expect((await call('v7.21', 'GET', `/Plans/${faulty.id}`, t)).body.lastCheckResult).toBe('Error');
	});

	test('a plan set to fail halts at the failing step; retry continues to completion', async () => {
		const plan = take((p) => p.enabled && p.state === 'Ready' && p.failure?.mode === 'halt' && p.planType !== 'Restore');
		const run = plan.planType === 'Restore' ? 'Restore' : 'Failover';
		expect((await call('v7.21', 'POST', `/Plans/${plan.id}/${run}`, t, {})).status).toBe(200);
		expect((await pollUntilSettled('v7.21', `/Plans/${plan.id}`, t)).pop()).toBe('Halted');
		const rt = await call('v7.21', 'GET', `/RuntimeDetails/Plans/${plan.id}`, t);
		expect(rt.body).toMatchObject({ state: 'Halted', currentRunResult: 'Error', isUndoPossible: true });
		const failed = plan.groups.flatMap((g) => [...g.steps, ...g.vms.flatMap((x) => x.steps)])[1];
		const step = await call('v7.21', 'GET', `/RuntimeDetails/Plans/${plan.id}/Step/${failed.id}`, t);
		expect(step.body).toMatchObject({ result: 'Error', errorMessage: expect.stringMatching(/seeded failure/) });
		const groups = await call('v7.21', 'GET', `/RuntimeDetails/Plans/${plan.id}/Groups`, t);
		expect(groups.body.data.some((g: Json) => g.result === 'Error')).toBe(true);
		expect((await call('v7.21', 'POST', `/Plans/${plan.id}/Continue`, t, { executionContinueOptions: 'RetryFailedStep' })).status).toBe(200);
		expect((await pollUntilSettled('v7.21', `/Plans/${plan.id}`, t)).pop()).toBe('FailoverComplete');
	});

	test('v1 bodies: the Swagger\'s required fields are required, with Web API\'s ModelState error', async () => {
		const v1 = (await login('v1')).access_token;
		const plan = take(healthy('Replica'));
		const run = (body: unknown) => call('v1', 'POST', `/FailoverPlans/${plan.id}/Run`, v1, body);
		const noLaunch = await run({ mode: 'FailoverNow' });
		expect(noLaunch.status).toBe(400);
		expect(noLaunch.body).toEqual({ Message: 'The request is invalid.', ModelState: { 'parameters.planLaunchOptions': ['The planLaunchOptions field is required.'] } });
		expect((await run({ mode: 'FailoverNow', planLaunchOptions: { restorePointRule: V1_LAUNCH.restorePointRule } })).body.ModelState).toEqual({
			'parameters.planLaunchOptions.executeChainedPlans': ['The executeChainedPlans field is required.'],
		});
		expect((await run({ mode: 'FailoverNow', planLaunchOptions: { executeChainedPlans: false, restorePointRule: { mode: 'NearestBefore' } } })).body.ModelState).toEqual({
			'parameters.planLaunchOptions.restorePointRule.date': ['The date field is required.'],
		});
		expect((await run({ mode: 'FailoverNow', planLaunchOptions: { ...V1_LAUNCH, restorePointRule: { date: '2026-01-01T00:00:00Z', mode: 'Latest' } } })).status).toBe(400);
		// A v2-style failback option at the top level is not part of RunParameters.
		expect((await run({ mode: 'FailoverNow', planLaunchOptions: V1_LAUNCH, recoveryLocationId: 'x' })).body.ModelState).toHaveProperty(['parameters.recoveryLocationId']);
		const reset = await call('v1', 'POST', `/FailoverPlans/${plan.id}/Reset`, v1, { resetState: true });
		expect(reset.body.ModelState).toEqual({ 'parameters.resetChangeLog': ['The resetChangeLog field is required.'] });
		expect((await call('v1', 'POST', `/FailoverPlans/${plan.id}/Halt`, v1, {})).body.ModelState).toEqual({ 'parameters.fullStop': ['The fullStop field is required.'] });
		expect((await call('v1', 'POST', `/FailoverPlans/${plan.id}/Run/Continue`, v1, {})).body.ModelState).toEqual({
			'parameters.executionContinueOptions': ['The executionContinueOptions field is required.'],
		});
		expect((await call('v1', 'POST', `/FailoverPlans/${plan.id}/Enable`, v1, { enabled: true })).status).toBe(400);
		expect(plan.state).toBe('Ready');
		expect((await call('v1', 'POST', `/FailoverPlans/${plan.id}/Reset`, v1, { resetState: true, resetChangeLog: false, resetConfiguration: false })).status).toBe(200);
		expect(plan.state).toBe('Disabled');
	});

	test('v1: Run {mode} → poll planState → Undo; v1 Continue lives at /Run/Continue', async () => {
		const v1 = (await login('v1')).access_token;
		const plan = take(healthy('Replica'));
		expect((await call('v1', 'POST', `/FailoverPlans/${plan.id}/Run`, v1, {})).status).toBe(400); // mode is required
		const r = await call('v1', 'POST', `/FailoverPlans/${plan.id}/Run`, v1, { mode: 'FailoverNow', planLaunchOptions: V1_LAUNCH });
		expect(r.status).toBe(200);
		expect(r.text).toBe('');
		const seen = await pollUntilSettled('v1', `/FailoverPlans/${plan.id}`, v1, 'planState');
		expect(seen[0]).toBe('FailoverInProgress');
		expect(seen.pop()).toBe('Failover');
		expect((await call('v1', 'GET', `/FailoverPlans/${plan.id}`, v1)).body.planStateDetails).toBe('Complete, no errors, no warnings');
		expect((await call('v1', 'POST', `/FailoverPlans/${plan.id}/Run/Continue`, v1, { executionContinueOptions: 'ProceedToNextVm' })).status).toBe(400);
		expect((await call('v1', 'POST', `/FailoverPlans/${plan.id}/Undo`, v1)).status).toBe(200);
		expect((await pollUntilSettled('v1', `/FailoverPlans/${plan.id}`, v1, 'planState')).pop()).toBe('Ready');
	});

	test('a continue-mode failure records the failed step and completes with resultName Error', async () => {
		const plan = take((p) => p.enabled && p.state === 'Ready' && p.failure?.mode === 'continue');
		await call('v7.21', 'POST', `/Plans/${plan.id}/${plan.planType === 'Restore' ? 'Restore' : 'Failover'}`, t, {});
		const end = (await pollUntilSettled('v7.21', `/Plans/${plan.id}`, t)).pop();
		expect(end).toBe(plan.planType === 'Restore' ? 'RestoreComplete' : 'FailoverComplete');
		expect((await call('v7.21', 'GET', `/Plans/${plan.id}`, t)).body.resultName).toBe('Error');
	});

	test('v2: restore plans run via /Run and check via /RunReadinessCheck; failover plans need a mode', async () => {
		const v2 = (await login('v2')).access_token;
		const plan = take((p) => healthy('Restore')(p) && vro.store.location(p.recoveryLocationId)?.type === 'Restore');
		expect((await call('v2', 'POST', `/RestorePlans/${plan.id}/RunReadinessCheck`, v2)).status).toBe(200);
		expect((await pollUntilSettled('v2', `/RestorePlans/${plan.id}`, v2, 'planState')).pop()).toBe('Ready');
		expect((await call('v2', 'POST', `/RestorePlans/${plan.id}/Run`, v2, { planLaunchOptions: {} })).status).toBe(200);
		expect((await call('v2', 'GET', `/RestorePlans/${plan.id}`, v2)).body.planInUse).toBe(true);
		expect((await pollUntilSettled('v2', `/RestorePlans/${plan.id}`, v2, 'planState')).pop()).toBe('Restored');
		expect((await call('v2', 'GET', `/FailoverPlans/${plan.id}`, v2)).status).toBe(404);
		const replica = take(healthy('Replica'));
		expect((await call('v2', 'POST', `/FailoverPlans/${replica.id}/Run`, v2, { mode: 'Sideways' })).status).toBe(400);
		expect((await call('v2', 'POST', `/FailoverPlans/${replica.id}/Run`, v2, { mode: 'PermanentFailoverNow' })).status).toBe(200);
		expect((await pollUntilSettled('v2', `/FailoverPlans/${replica.id}`, v2, 'planState')).pop()).toBe('PermanentFailover');
	});

	test('license usage paths per generation', async () => {
		const t3 = (await login('v3')).access_token;
		const site = vro.store.sites[0].id;
		// A one-element array, as archive/vao/30/restapi/licenses.html shows.
		expect((await call('v3', 'GET', `/Sites/${site}/LicenseUsage`, t3)).body).toEqual([{ newInstances: expect.any(Number), managedInstances: expect.any(Number), vmStatuses: [] }]);
		const plan = vro.store.plans.find((p) => p.planType === 'Replica')!;
		expect((await call('v3', 'GET', `/Plans/${plan.id}/LicenseUsage`, t3)).status).toBe(200);
		expect((await call('v7.21', 'GET', '/LicenseUsage/Server', t)).body).toEqual({ newInstances: expect.any(Number), managedInstances: expect.any(Number) });
		const t13 = (await login('v13')).access_token;
		expect((await call('v13', 'GET', '/License/Usage/Server', t13)).status).toBe(200);
		expect((await call('v13', 'GET', '/LicenseUsage/Server', t13)).status).toBe(404);
	});

	test('reboot drops runtime details of finished runs', async () => {
		const plan = take(healthy('Replica'));
		await call('v7.21', 'POST', `/Plans/${plan.id}/ReadinessCheck`, t);
		await pollUntilSettled('v7.21', `/Plans/${plan.id}`, t);
		expect((await call('v7.21', 'GET', `/RuntimeDetails/Plans/${plan.id}/Groups`, t)).body.data.length).toBeGreaterThan(0);
		await fetch(`${vro.url}/__emulator/reboot`, { method: 'POST' });
		expect((await call('v7.21', 'GET', `/RuntimeDetails/Plans/${plan.id}/Groups`, t)).body.data).toEqual([]);
	});

	test('schedules and clone (v5+)', async () => {
		const plan = take(healthy('Restore'));
		const prev = take(healthy('Restore'));
		// The value goes in the query string; a JSON body is refused.
		const inBody = await call('v7.21', 'PUT', `/Plans/${plan.id}/Schedule/SaveTime`, t, { startTime: '2030-01-01T02:00:00Z' });
		expect(inBody.status).toBe(400);
		expect(inBody.body.Message).toMatch(/query string/);
		expect((await call('v7.21', 'PUT', `/Plans/${plan.id}/Schedule/SaveTime`, t)).body.Message).toMatch(/null entry for parameter 'startTime'/);
		expect((await call('v7.21', 'PUT', `/Plans/${plan.id}/Schedule/SaveTime?startTime=${encodeURIComponent('2030-01-01T02:00:00Z')}`, t)).status).toBe(200);
		expect((await call('v7.21', 'GET', `/Plans/${plan.id}`, t)).body.nearestTestScheduleTime).toBe('2030-01-01T02:00:00.000Z');
		expect((await call('v7.21', 'PUT', `/Plans/${plan.id}/Schedule/SaveRunAfter`, t, { previousPlanId: prev.id })).status).toBe(400);
		expect((await call('v7.21', 'PUT', `/Plans/${plan.id}/Schedule/SaveRunAfter?previousPlanId=${prev.id}`, t)).status).toBe(200);
		expect((await call('v7.21', 'PUT', `/Plans/${plan.id}/Schedule/SaveRunAfter`, t)).status).toBe(400);
		expect((await call('v7.21', 'DELETE', `/Plans/${plan.id}/Schedule`, t)).status).toBe(200);
		const clone = await call('v7.21', 'POST', `/Plans/${plan.id}/Clone`, t, { name: `${plan.name} clone` });
		expect(clone.body).toMatchObject({ name: `${plan.name} clone`, state: 'Disabled', planType: 'Restore' });
		expect(clone.body.id).not.toBe(plan.id);
		expect((await call('v4', 'POST', `/Plans/${plan.id}/Clone`, (await login('v4')).access_token)).status).toBe(404);
	});

	test('v13.1 lists no "Schedule Plan to Run at Specific Time": SaveTime is not served there, SaveRunAfter is', async () => {
		const t131 = (await login('v13.1')).access_token;
		const plan = take(healthy('Restore'));
		const prev = take(healthy('Restore'));
		expect((await call('v13.1', 'PUT', `/Plans/${plan.id}/Schedule/SaveTime?startTime=2030-01-01T02:00:00Z`, t131)).status).toBe(404);
		expect((await call('v13.1', 'PUT', `/Plans/${plan.id}/Schedule/SaveRunAfter?previousPlanId=${prev.id}`, t131)).status).toBe(200);
		const t13 = (await login('v13')).access_token;
		expect((await call('v13', 'PUT', `/Plans/${plan.id}/Schedule/SaveTime?startTime=2030-01-01T02:00:00Z`, t13)).status).toBe(200);
	});

	test('v3+ action bodies: only the properties the reference shows; bodiless actions take none', async () => {
		const plan = take(healthy('Replica'));
		const wrong = await call('v7.21', 'POST', `/Plans/${plan.id}/Failover`, t, { restorePointRule: { date: '2030-01-01T00:00:00Z' } });
		expect(wrong.status).toBe(400);
		expect(wrong.body.ModelState).toHaveProperty(['parameters.restorePointRule']);
		expect((await call('v7.21', 'POST', `/Plans/${plan.id}/ReadinessCheck`, t, { force: true })).status).toBe(400);
		expect((await call('v7.21', 'POST', `/Plans/${plan.id}/PrepareToFailback`, t, { restoreLocationId: 'x' })).status).toBe(400);
		expect(plan.state).toBe('Ready');
	});

	test('v4+ filter and sort: an unknown property is refused with 400', async () => {
		const unknownFilter = await call('v7.21', 'GET', `/Plans?filter=${encodeURIComponent(JSON.stringify([{ property: 'Status', operator: '==', value: 'Ready' }]))}`, t);
		expect(unknownFilter.status).toBe(400);
		expect(unknownFilter.body.Message).toMatch(/'Status' is not a property/);
		const unknownSort = await call('v7.21', 'GET', `/Plans?sort=${encodeURIComponent(JSON.stringify([{ property: 'createdDate', direction: 'ASC' }]))}`, t);
		expect(unknownSort.status).toBe(400);
		const known = await call('v7.21', 'GET', `/Plans?limit=5&filter=${encodeURIComponent(JSON.stringify([{ property: 'planType', operator: '==', value: 'Restore' }]))}&sort=${encodeURIComponent(JSON.stringify([{ property: 'name', direction: 'DESC' }]))}`, t);
		expect(known.status).toBe(200);
		expect(known.body.data.every((p: Json) => p.planType === 'Restore')).toBe(true);
		const v1 = (await login('v1')).access_token;
		expect((await call('v1', 'GET', `/FailoverPlans?$filter=${encodeURIComponent("Status eq 'Ready'")}`, v1)).status).toBe(400);
	});
});

describe('progress modes', () => {
	test('time mode: a run advances with the emulator clock, not with the number of polls', async () => {
		const own = await startVroEmulator({ plans: 60, versions: ['v7.21'], progress: { mode: 'time', stepMs: 10_000 } });
		try {
			const plan = own.store.plans.find((p) => p.planType === 'Restore' && p.enabled && p.state === 'Ready' && !p.failure)!;
			const tok = (await (await fetch(`${own.url}/api/token`, { method: 'POST', headers: { 'content-type': FORM }, body: new URLSearchParams({ grant_type: 'password', username: admin.username, password: admin.password }) })).json()) as Json;
			const get = async () => (await (await fetch(`${own.base('v7.21')}/RuntimeDetails/Plans/${plan.id}`, { headers: { authorization: `Bearer ${tok.access_token}` } })).json()) as Json;
			await fetch(`${own.base('v7.21')}/Plans/${plan.id}/Restore`, { method: 'POST', headers: { authorization: `Bearer ${tok.access_token}` } });
			for (let i = 0; i < 5; i++) expect((await get()).totalProgress).toBe(0);
			own.advance(10_000);
			const one = await get();
			expect(one.totalProgress).toBeGreaterThan(0);
			expect(one.state).toBe('RestoreRunning');
			own.advance(10_000 * 60); // every seeded plan has < 60 steps; stays inside the 15-min token lifetime
			expect(await get()).toMatchObject({ state: 'RestoreComplete', totalProgress: 100 });
		} finally {
			await own.close();
		}
	});

	test('stepsPerPoll: a large value finishes a run on the first poll', async () => {
		const own = await startVroEmulator({ plans: 30, versions: ['v4'], progress: { stepsPerPoll: 1000 } });
		try {
			const plan = own.store.plans.find((p) => p.planType === 'Replica' && p.enabled && p.state === 'Ready' && !p.failure)!;
			own.engine.act(plan, 'Failover');
			own.engine.sync(plan);
			expect(plan.state).toBe('FailoverComplete');
		} finally {
			await own.close();
		}
	});
});

describe('control API and determinism', () => {
	test('mutate/state/expire over HTTP', async () => {
		const plan = take(healthy('Replica'));
		const ctl = async (what: string, body: unknown) => (await fetch(`${vro.url}/__emulator/${what}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<Json>;
		expect(await ctl('mutate', { planId: plan.id, state: 'FailoverComplete' })).toMatchObject({ state: 'FailoverComplete' });
		const t = (await login('v7.21')).access_token;
		expect((await call('v7.21', 'GET', `/Plans/${plan.id}`, t)).body.state).toBe('FailoverComplete');
		expect(await ctl('mutate', { planId: plan.id, action: 'Undo', complete: true })).toMatchObject({ state: 'Ready' });
		const state = await ctl('state', {});
		expect(state.counters.passwordLogins).toBeGreaterThan(0);
		expect(state.plans.find((p: Json) => p.id === plan.id).state).toBe('Ready');
		await ctl('expire', {});
		expect((await call('v7.21', 'GET', `/Plans/${plan.id}`, t)).status).toBe(401);
		const bad = await fetch(`${vro.url}/__emulator/mutate`, { method: 'POST', body: JSON.stringify({ planId: plan.id, action: 'CommitFailback' }) });
		expect(bad.status).toBe(400);
	});

	test('same seed → same data', () => {
		const a = new VroStore({ seed: 3, plans: 50 });
		const b = new VroStore({ seed: 3, plans: 50 });
		expect(a.plans.map((p) => [p.id, p.name, p.state])).toEqual(b.plans.map((p) => [p.id, p.name, p.state]));
		expect(new Set(a.plans.map((p) => p.planType))).toEqual(new Set(['Replica', 'CdpReplica', 'Restore', 'Storage']));
	});
});
