/**
 * VSPC credential through n8n's real request helpers (Harness + n8n-core contexts) and the package's shared HTTP
 * layer, against the VSPC emulator over loopback: password grant, refresh with single-use refresh tokens, password
 * fallback, API key, MFA refusal, login failures without secrets, the token's binding to server and user, and the
 * credential test request. The VSPC node does not exist yet, so a minimal probe node sends the requests.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { VeeamServiceProviderConsoleApi } from '../../credentials/VeeamServiceProviderConsoleApi.credentials';
import { vspcServerRoot } from '../../credentials/shared/vspcLogin';
import { sendRequest, type ProductProfile } from '../../nodes/shared/http';
import { startVspcEmulator, VSPC_CREDENTIALS, type VspcEmulator } from '../emulators/vspc';
import { failure } from '../harness/helpers';
import { Harness, NodeTypes } from '../harness/n8n';

const CREDENTIAL = new VeeamServiceProviderConsoleApi();
const TYPE = 'veeamServiceProviderConsoleApi';
const PROFILE: ProductProfile = {
	credentialType: TYPE,
	expirableField: 'accessToken',
	productName: 'Veeam Service Provider Console',
	isAuthRejected: (r) => r.status === 401,
};

/** Sends GET <root>/api/v3<path> through the shared HTTP layer and returns status and body. */
class VspcProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'VSPC Probe',
		name: 'vspcProbe',
		group: ['transform'],
		version: 1,
		description: 'test probe',
		defaults: { name: 'VSPC Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: TYPE, required: true }],
		properties: [{ displayName: 'Path', name: 'path', type: 'string', default: '/about' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await this.getCredentials(TYPE);
		const path = this.getNodeParameter('path', 0) as string;
		const response = await sendRequest(this, PROFILE, { method: 'GET', url: `${vspcServerRoot(credentials.baseUrl)}/api/v3${path}` });
		return [[{ json: { status: response.status, body: JSON.parse(response.text) as IDataObject } }]];
	}
}
const NODE = new VspcProbe();
const admin = VSPC_CREDENTIALS.admin;

let vspc: VspcEmulator;
beforeAll(async () => {
	vspc = await startVspcEmulator({ seed: 21 });
});
afterAll(async () => {
	await vspc.close();
});

function setup(server: { url: string }, data: IDataObject = {}) {
	const h = new Harness([CREDENTIAL]);
	const id = h.addCredential(TYPE, { baseUrl: server.url, authMethod: 'password', username: admin.username, password: admin.password, ...data } as any);
	const run = async (path = '/about') => (await h.execute({ nodeType: NODE, parameters: { path }, credentials: { [TYPE]: id } }))[0][0].json as { status: number; body: any };
	return { h, id, run };
}

function counters() {
	return { ...vspc.counters };
}
function delta(before: ReturnType<typeof counters>) {
	const now = vspc.counters;
	return { password: now.passwordLogins - before.passwordLogins, refresh: now.refreshGrants - before.refreshGrants, failed: now.failedTokenRequests - before.failedTokenRequests };
}


describe('user name and password', () => {
	test('password grant once, token reused, refresh on expiry (single-use refresh token rotates), password again when the refresh fails', async () => {
		const { h, id, run } = setup(vspc);
		let c = counters();
		expect((await run()).status).toBe(200);
		expect(delta(c)).toEqual({ password: 1, refresh: 0, failed: 0 });
		const first = { ...h.credentialData(id) };
		const tokenCall = vspc.requests({ method: 'POST', path: /\/api\/v3\/token$/ }).at(-1)!;
		expect(tokenCall.headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(tokenCall.headers['x-client-version']).toBe('3.5.1');
		expect(Object.keys(tokenCall.body as object).sort()).toEqual(['grant_type', 'password', 'username']);

		c = counters();
		await run();
		expect(delta(c)).toEqual({ password: 0, refresh: 0, failed: 0 });
		const apiCall = vspc.requests({ method: 'GET', path: /\/about$/ }).at(-1)!;
		expect(apiCall.headers.authorization).toBe(`Bearer ${first.accessToken}`);
		expect(apiCall.headers['x-client-version']).toBe('3.5.1');

		vspc.expireAccessTokens();
		c = counters();
		await run();
		expect(delta(c)).toEqual({ password: 0, refresh: 1, failed: 0 });
		const refreshed = h.credentialData(id);
		expect(refreshed.accessToken).not.toBe(first.accessToken);
		expect(refreshed.refreshToken).not.toBe(first.refreshToken);
		// The spent refresh token is gone on the server: only the stored (newest) one is ever traded.
		expect(vspc.auth.refresh.has(String(first.refreshToken))).toBe(false);
		expect(vspc.auth.refresh.has(String(refreshed.refreshToken))).toBe(true);

		vspc.expireAccessTokens();
		vspc.expireRefreshTokens();
		c = counters();
		await run();
		expect(delta(c)).toEqual({ password: 1, refresh: 0, failed: 1 });
	});

	test('wrong password: one clear message quoting the server, without the secret', async () => {
		const secret = 'Wrong-Secret-4711';
		const { run } = setup(vspc, { password: secret });
		const c = counters();
		const f = await failure(run());
		expect(f.message).toBe('Veeam Service Provider Console login failed: wrong user name or password, or the user may not use the REST API');
		expect(f.description).toMatch(/Server said: "invalid_request: Cannot complete login due to incorrect username or password, or no sufficient rights\."/);
		expect(`${f.message} ${f.description}`).not.toContain(secret);
		expect(delta(c)).toEqual({ password: 0, refresh: 0, failed: 1 });
	});

	test('an account that asks for MFA is refused with advice to use an API key', async () => {
		const { h, id, run } = setup(vspc, { username: VSPC_CREDENTIALS.mfaUser.username, password: VSPC_CREDENTIALS.mfaUser.password });
		const f = await failure(run());
		expect(f.message).toBe('Veeam Service Provider Console login failed: the account requires multi-factor authentication');
		expect(f.description).toMatch(/API Key/);
		expect(h.credentialData(id).accessToken ?? '').toBe('');
	});

	test('empty fields are refused before any request', async () => {
		const { run } = setup(vspc, { password: '' });
		const before = vspc.requests().length;
		expect((await failure(run())).message).toBe('Veeam Service Provider Console login failed: the user name or password is empty');
		expect(vspc.requests().length).toBe(before);
	});

	test('not a VSPC server: a web page on the token path is named as such', async () => {
		const server = http.createServer((_req, res) => {
			res.writeHead(404, { 'Content-Type': 'text/html' });
			res.end('<html><head><title>Not Found</title></head></html>');
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
		try {
			const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
			const f = await failure(setup({ url }).run());
			expect(f.message).toMatch(/^Veeam Service Provider Console login failed: no VSPC REST API v3 at 127\.0\.0\.1:\d+ \(POST \/api\/v3\/token answered HTTP 404\)$/);
			expect(f.description).toMatch(/1280/);
		} finally {
			await new Promise<void>((r) => server.close(() => r()));
		}
	});
});

describe('API key', () => {
	test('the key is the bearer value; no token request; the stored access token is a marker, not the key', async () => {
		const { h, id, run } = setup(vspc, { authMethod: 'apiKey', apiKey: VSPC_CREDENTIALS.apiKey, username: '', password: '' });
		const tokensBefore = vspc.requests({ path: /\/token$/ }).length;
		const r = await run('/organizations/companies');
		expect(r.status).toBe(200);
		expect(r.body.meta.pagingInfo.total).toBe(vspc.store.companies.length);
		expect(vspc.requests({ path: /\/token$/ }).length).toBe(tokensBefore);
		const sent = vspc.requests({ path: /\/organizations\/companies$/ }).at(-1)!;
		expect(sent.headers.authorization).toBe(`Bearer ${VSPC_CREDENTIALS.apiKey}`);
		expect(h.credentialData(id).accessToken).toBe('apiKey');
		expect(h.credentialData(id).refreshToken).toBe('');
	});

	test('a disabled key: the re-login check names the refused key, without the key', async () => {
		const key = VSPC_CREDENTIALS.readOnlyApiKey;
		const { run } = setup(vspc, { authMethod: 'apiKey', apiKey: key });
		expect((await run()).status).toBe(200);
		vspc.auth.disableApiKey(key);
		const f = await failure(run());
		expect(f.message).toBe('Veeam Service Provider Console login failed: the API key was refused (HTTP 401)');
		expect(`${f.message} ${f.description}`).not.toContain(key);
	});
});

describe('API key: only a VSPC answer proves the key', () => {
	test('a web page answered with 200 (a proxy or a wrong URL) is not taken for a valid key', async () => {
		const key = VSPC_CREDENTIALS.apiKey;
		const { h, id, run } = setup(vspc, { authMethod: 'apiKey', apiKey: key });
		vspc.emulator.addFault({ kind: 'status', status: 200, path: 'about$', times: 1, rawBody: '<!doctype html><html><body>Sign in</body></html>', headers: { 'Content-Type': 'text/html' } });
		const f = await failure(run());
		vspc.emulator.clearFaults();
		expect(f.message).toBe(`Veeam Service Provider Console login failed: the server at ${new URL(vspc.url).host} did not answer like a VSPC server (HTTP 200)`);
		expect(f.description).toMatch(/not JSON/);
		expect(`${f.message} ${f.description}`).not.toContain(key);
		expect(h.credentialData(id).accessToken ?? '').toBe('');
	});
});

describe('tokens are bound to the server and user they were issued for', () => {
	test('after the user name is changed, the old token is not sent and the old refresh token is not traded', async () => {
		const { h, id, run } = setup(vspc);
		await run();
		const stored = h.credentials.get(id);
		const oldToken = String(stored.data.accessToken);
		const oldRefresh = String(stored.data.refreshToken);
		stored.data = { ...stored.data, username: VSPC_CREDENTIALS.companyOwner.username, password: VSPC_CREDENTIALS.companyOwner.password };
		const c = counters();
		const before = vspc.requests().length;
		const companies = await run('/organizations/companies');
		expect(delta(c)).toEqual({ password: 1, refresh: 0, failed: 0 });
		expect(companies.body.data).toHaveLength(1); // a company owner sees only its company
		const later = vspc.requests().slice(before);
		expect(later.some((r) => String(r.headers.authorization ?? '').includes(oldToken))).toBe(false);
		expect(later.some((r) => (r.body as IDataObject | undefined)?.refresh_token === oldRefresh)).toBe(false);
		expect(h.credentialData(id).tokenIdentity).toBe(`${vspc.url}|password|${VSPC_CREDENTIALS.companyOwner.username}`);
	});

	test('after the Server URL is changed, the old token never reaches the new server', async () => {
		const other = await startVspcEmulator({ seed: 22, companies: 2 });
		try {
			const { h, id, run } = setup(vspc);
			await run();
			const oldToken = String(h.credentialData(id).accessToken);
			h.credentials.get(id).data.baseUrl = other.url;
			expect((await run()).status).toBe(200);
			expect(other.requests().some((r) => String(r.headers.authorization ?? '').includes(oldToken))).toBe(false);
			expect(other.counters.passwordLogins).toBe(1);
			expect(other.counters.refreshGrants).toBe(0);
		} finally {
			await other.close();
		}
	});
});

describe('credential test request', () => {
	test.each([['password'], ['apiKey']])('%s: an authenticated GET /api/v3/about, whatever API path was pasted into the URL', async (authMethod) => {
		const { h, id } = setup(vspc, authMethod === 'apiKey' ? { authMethod, apiKey: VSPC_CREDENTIALS.apiKey } : {});
		const data = { baseUrl: ` ${vspc.url}/api/v3/ ` } as IDataObject;
		const node: INode = { id: 't', name: 'test', type: NODE.description.name, typeVersion: 1, position: [0, 0], parameters: {} };
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: new NodeTypes({ [NODE.description.name]: NODE }) });
		const resolve = (value: string) => workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: data } as any, undefined, '') as string;
		const url = resolve(CREDENTIAL.test.request.baseURL as string) + (CREDENTIAL.test.request.url as string);
		expect(url).toBe(`${vspc.url}/api/v3/about`);
		const ctx = h.loadOptionsContext({ nodeType: NODE, parameters: {}, credentials: { [TYPE]: id } });
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, TYPE, { method: 'GET', url, returnFullResponse: true, ignoreHttpStatusErrors: true })) as { statusCode: number };
		expect(response.statusCode).toBe(200);
	});
});
