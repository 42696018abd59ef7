/**
 * Orchestrator credential through n8n's real request helpers (Harness) against the emulator over
 * loopback: password grant, refresh on expiry, password fallback when the refresh fails, client
 * credentials, logout and login failures — for every API generation.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, INode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { VeeamOrchestratorApi } from '../../credentials/VeeamOrchestratorApi.credentials';
import { VeeamOrchestrator } from '../../nodes/VeeamOrchestrator/VeeamOrchestrator.node';
import { startVroEmulator, VRO_CREDENTIALS, VRO_VERSIONS, type VroEmulator, type VroVersion } from '../emulators/vro';
import { failure, vroSession } from '../harness/helpers';
import { NodeTypes } from '../harness/n8n';

const NODE = new VeeamOrchestrator();
const CREDENTIAL = new VeeamOrchestratorApi();

let vro: VroEmulator;
beforeAll(async () => {
	vro = await startVroEmulator({ seed: 11, plans: 60 });
});
afterAll(async () => {
	await vro.close();
});

function setup(server: { url: string }, apiVersion: string, data: IDataObject = {}) {
	const { harness: h, credId: id } = vroSession(server.url, apiVersion, data);
	const run = (parameters: IDataObject, input?: IDataObject[]) => h.execute({ nodeType: NODE, parameters, credentials: { veeamOrchestratorApi: id }, input });
	return { h, id, run };
}

const listOne = { resource: 'plan', operation: 'getAll', returnAll: false, limit: 1 };

function counters() {
	return { ...vro.counters };
}
function delta(before: ReturnType<typeof counters>) {
	const now = vro.counters;
	return {
		password: now.passwordLogins - before.passwordLogins,
		refresh: now.refreshGrants - before.refreshGrants,
		client: now.clientCredentialGrants - before.clientCredentialGrants,
		failed: now.failedTokenRequests - before.failedTokenRequests,
		logouts: now.logouts - before.logouts,
	};
}


describe.each(VRO_VERSIONS.map((v) => [v]))('API %s', (v: VroVersion) => {
	test('password grant, refresh on expiry (not a new password login), password again when the refresh fails', async () => {
		const { h, id, run } = setup(vro, v);
		let c = counters();
		await run(listOne);
		expect(delta(c)).toMatchObject({ password: 1, refresh: 0, failed: 0 });
		const first = { ...h.credentialData(id) };
		expect(first.accessToken).toEqual(expect.any(String));
		expect(first.refreshToken).toEqual(expect.any(String));
		expect(vro.requests({ method: 'POST', path: /token$/i }).at(-1)!.path).toBe(new URL(vro.tokenUrl(v)).pathname);

		c = counters();
		await run(listOne);
		expect(delta(c)).toMatchObject({ password: 0, refresh: 0 }); // the persisted token is reused

		vro.expireAccessTokens();
		c = counters();
		await run(listOne);
		expect(delta(c)).toMatchObject({ password: 0, refresh: 1, failed: 0 });
		const refreshed = h.credentialData(id);
		expect(refreshed.accessToken).not.toBe(first.accessToken);
		expect(refreshed.refreshToken).not.toBe(first.refreshToken); // single-use refresh tokens rotate

		vro.expireAccessTokens();
		vro.expireRefreshTokens();
		c = counters();
		await run(listOne);
		expect(delta(c)).toMatchObject({ password: 1, refresh: 0, failed: 1 });

		vro.revokeTokens();
		c = counters();
		await run(listOne);
		expect(delta(c)).toMatchObject({ password: 1, refresh: 0, failed: 1 });
	});

	if (v === 'v1') {
		test('client credentials are refused clearly, before any request', async () => {
			const { run } = setup(vro, v, { authMethod: 'clientCredentials', clientId: VRO_CREDENTIALS.client.clientId, clientSecret: VRO_CREDENTIALS.client.clientSecret });
			const before = vro.requests().length;
			const f = await failure(run(listOne));
			expect(f.message).toBe('Veeam Orchestrator login failed: API v1 (VAO 1.0) has no client credentials');
			expect(f.description).toMatch(/from VAO 2\.0/);
			expect(vro.requests().length).toBe(before);
		});
	} else {
		test('client credentials: a client-credentials grant, and a new one when the token expires', async () => {
			const { h, id, run } = setup(vro, v, { authMethod: 'clientCredentials', clientId: VRO_CREDENTIALS.client.clientId, clientSecret: VRO_CREDENTIALS.client.clientSecret, username: '', password: '' });
			let c = counters();
			await run(listOne);
			expect(delta(c)).toMatchObject({ client: 1, password: 0 });
			expect(h.credentialData(id).refreshToken).toBe('');
			vro.expireAccessTokens();
			c = counters();
			await run(listOne);
			expect(delta(c)).toMatchObject({ client: 1, password: 0, refresh: 0 });
		});
	}
});

describe('login failures', () => {
	test.each([['v1'], ['v4'], ['v7.21']])('%s: wrong password gives one clear message without the secret', async (v) => {
		const secret = 'Wrong-Secret-4711';
		const { run } = setup(vro, v, { password: secret });
		const c = counters();
		const f = await failure(run(listOne));
		expect(f.message).toBe('Veeam Orchestrator login failed: wrong user name or password');
		expect(f.description).toMatch(/Server said: "invalid_grant: The user name or password is incorrect\."/);
		expect(`${f.message} ${f.description}`).not.toContain(secret);
		expect(delta(c)).toMatchObject({ password: 0, failed: 1 });
	});

	test('a user without an Orchestrator role is told which roles the version accepts', async () => {
		const { run } = setup(vro, 'v7.21', { username: VRO_CREDENTIALS.viewer.username, password: VRO_CREDENTIALS.viewer.password });
		const f = await failure(run(listOne));
		expect(f.message).toBe('Veeam Orchestrator login failed: the user has no Orchestrator role that may use the REST API');
		expect(f.description).toMatch(/Orchestrator Administrator, Plan Author or Plan Operator/);
	});

	test('a Plan Operator is refused before VRO 7', async () => {
		const { run } = setup(vro, 'v5', { username: VRO_CREDENTIALS.operator.username, password: VRO_CREDENTIALS.operator.password });
		const f = await failure(run(listOne));
		expect(f.message).toMatch(/no Orchestrator role/);
		expect(f.description).toMatch(/Orchestrator Administrator or Plan Author role/);
	});

	test('wrong API version: the server has no token endpoint for it', async () => {
		const modern = await startVroEmulator({ seed: 2, plans: 5, versions: ['v7.21'] });
		try {
			for (const v of ['v1', 'v4']) {
				const { run } = setup(modern, v);
				const f = await failure(run(listOne));
				expect(f.message).toMatch(new RegExp(`no ${v} token endpoint at 127\\.0\\.0\\.1:\\d+ \\(POST /(v1/Accounts/Token|token) answered HTTP 404\\)`));
				expect(f.description).toMatch(/API Version/);
				expect(f.description).toMatch(/9899 for VAO 1\.0\/2\.0/);
			}
		} finally {
			await modern.close();
		}
	});

	test('not an Orchestrator server', async () => {
		const server = http.createServer((_req, res) => {
			res.writeHead(200, { 'content-type': 'text/html' });
			res.end('<html><head><title>Welcome to nginx!</title></head><body>hi</body></html>');
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const { run } = setup({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }, 'v7.21');
			const f = await failure(run(listOne));
			expect(f.message).toMatch(/did not answer like a Veeam Orchestrator token endpoint \(HTTP 200\)/);
			expect(f.description).toMatch(/HTML page "Welcome to nginx!"/);
		} finally {
			await new Promise((resolve) => server.close(resolve));
		}
	});

	test('an unreachable server names the connection problem', async () => {
		const { run } = setup({ url: 'http://127.0.0.1:1' }, 'v7.21');
		const f = await failure(run(listOne));
		expect(f.message).toMatch(/Veeam Orchestrator login failed: cannot reach 127\.0\.0\.1:1 \(ECONNREFUSED\)/);
	});
});

describe('sessions', () => {
	test('single-session server: another login of the same user revokes ours; the refresh fails and the password grant takes over', async () => {
		const single = await startVroEmulator({ seed: 4, plans: 10, versions: ['v7.21'], singleSession: true });
		try {
			const a = setup(single, 'v7.21');
			const b = setup(single, 'v7.21');
			await a.run(listOne);
			await b.run(listOne); // revokes a's tokens
			const before = { ...single.counters };
			await a.run(listOne);
			expect(single.counters.passwordLogins - before.passwordLogins).toBe(1);
			expect(single.counters.refreshGrants - before.refreshGrants).toBe(0);
			expect(single.counters.failedTokenRequests - before.failedTokenRequests).toBe(1);
		} finally {
			await single.close();
		}
	});

	test('many requests rejected at once cost one refresh (single flight)', async () => {
		const { run } = setup(vro, 'v7.21');
		await run(listOne);
		const ids = vro.store.plans.slice(0, 8).map((p) => ({ id: p.id }));
		vro.expireAccessTokens();
		const c = counters();
		const out = await run({ resource: 'plan', operation: 'get', planId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } }, ids);
		expect(out[0].map((i) => i.json.id)).toEqual(ids.map((i) => i.id));
		expect(delta(c)).toMatchObject({ refresh: 1, password: 0 });
	});

	test('v1 logout: GET /v1/Accounts/Logout, stored tokens cleared, next use logs in with the password (no dead refresh)', async () => {
		const { h, id, run } = setup(vro, 'v1');
		await run(listOne);
		const token = String(h.credentialData(id).accessToken);
		let c = counters();
		const out = await run({ resource: 'session', operation: 'logout' });
		expect(out[0][0].json).toMatchObject({ loggedOut: true, serverLogout: true, tokensCleared: true, message: 'Logout successful' });
		expect(delta(c)).toMatchObject({ logouts: 1, password: 0 });
		expect(vro.requests({ method: 'GET', path: /\/v1\/Accounts\/Logout$/ })).toHaveLength(1);
		expect(h.credentialData(id)).toMatchObject({ accessToken: '', refreshToken: '' });
		const old = await fetch(`${vro.base('v1')}/Sites`, { headers: { authorization: `Bearer ${token}` } });
		expect(old.status).toBe(401); // the server ended the session
		c = counters();
		await run(listOne);
		expect(delta(c)).toMatchObject({ password: 1, refresh: 0, failed: 0 });
	});

	test('v1 logout answered with plain text (the documented body is the text "Logout successful")', async () => {
		const { h, id, run } = setup(vro, 'v1');
		await run(listOne);
		vro.emulator.faults.push({ kind: 'body', method: 'GET', path: '/v1/Accounts/Logout', status: 200, contentType: 'text/plain; charset=utf-8', rawBody: 'Logout successful', times: 1 });
		const out = await run({ resource: 'session', operation: 'logout' });
		expect(out[0][0].json).toMatchObject({ loggedOut: true, serverLogout: true, message: 'Logout successful' });
		expect(h.credentialData(id)).toMatchObject({ accessToken: '', refreshToken: '' });
	});

	test('v7.21 logout: no endpoint is documented, so the node discards the stored tokens', async () => {
		const { h, id, run } = setup(vro, 'v7.21');
		await run(listOne);
		const c = counters();
		const out = await run({ resource: 'session', operation: 'logout' });
		expect(out[0][0].json).toMatchObject({ loggedOut: true, serverLogout: false, tokensCleared: true });
		expect(String(out[0][0].json.message)).toMatch(/no logout endpoint/);
		expect(delta(c)).toMatchObject({ logouts: 0, password: 0 });
		expect(h.credentialData(id)).toMatchObject({ accessToken: '', refreshToken: '' });
	});
});

describe('tokens are bound to the server, version and account they were issued for', () => {
	test('after the user name is changed, the old token is not sent and the old refresh token is not used', async () => {
		const { h, id, run } = setup(vro, 'v7.21');
		const all = await run({ resource: 'plan', operation: 'getAll', returnAll: true });
		const stored = h.credentials.get(id);
		const oldToken = String(stored.data.accessToken);
		stored.data = { ...stored.data, username: VRO_CREDENTIALS.author.username, password: VRO_CREDENTIALS.author.password };
		const c = counters();
		const before = vro.requests().length;
		const mine = await run({ resource: 'plan', operation: 'getAll', returnAll: true });
		expect(delta(c)).toMatchObject({ password: 1, refresh: 0 });
		expect(mine.length).toBeLessThan(all[0].length); // a Plan Author sees only the plans of its scope
		const sentTokens = vro.requests().slice(before).map((r) => String(r.headers.authorization ?? ''));
		expect(sentTokens.some((t) => t.includes(oldToken))).toBe(false);
		expect(h.credentialData(id).tokenIdentity).toBe(`${vro.url}|v7.21|password|${VRO_CREDENTIALS.author.username}`);
	});

	test('after the Server URL is changed, the old token never reaches the new server', async () => {
		const other = await startVroEmulator({ seed: 12, plans: 5, versions: ['v7.21'] });
		try {
			const { h, id, run } = setup(vro, 'v7.21');
			await run(listOne);
			const oldToken = String(h.credentialData(id).accessToken);
			h.credentials.get(id).data.baseUrl = other.url;
			await run(listOne);
			expect(other.requests().map((r) => String(r.headers.authorization ?? '')).some((t) => t.includes(oldToken))).toBe(false);
			expect(other.counters.passwordLogins).toBe(1);
		} finally {
			await other.close();
		}
	});
});

describe('credential test request', () => {
	/** Resolves the credential's test request like n8n's credential tester, then sends it authenticated. */
	async function credentialTest(v: VroVersion) {
		const { h, id } = setup(vro, v);
		const data = { baseUrl: `${vro.url}/api/${v}/`, apiVersion: v } as IDataObject;
		const node: INode = { id: 't', name: 'test', type: NODE.description.name, typeVersion: 1, position: [0, 0], parameters: {} };
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: new NodeTypes({ [NODE.description.name]: NODE }) });
		const resolve = (value: string) => workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: data } as any, undefined, '') as string;
		const url = resolve(CREDENTIAL.test.request.baseURL as string) + resolve(CREDENTIAL.test.request.url as string);
		const ctx = h.loadOptionsContext({ nodeType: NODE, parameters: {}, credentials: { veeamOrchestratorApi: id } });
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'veeamOrchestratorApi', { method: 'GET', url, returnFullResponse: true, ignoreHttpStatusErrors: true })) as { statusCode: number };
		return { url: new URL(url), status: response.statusCode };
	}

	test.each(VRO_VERSIONS.map((v) => [v]))('%s: the test request is an authenticated read on that version', async (v) => {
		const { url, status } = await credentialTest(v);
		expect(url.origin).toBe(vro.url);
		expect(url.pathname).toBe(v === 'v1' || v === 'v2' ? `/${v}/Sites` : `/api/${v}/Scopes`);
		expect(status).toBe(200);
	});
});
