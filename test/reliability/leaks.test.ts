/**
 * 4. Secrets. Every other scenario scans its outputs, errors and n8n's log lines with the scanner
 * of ./secrets.ts. This file adds the cases most likely to leak: failed logins of every kind, and
 * servers that echo what they received — the Authorization header, the posted password or client
 * secret, the bearer token — back in their error pages. Whatever the server says is quoted to the
 * technician, so the package must cut the secrets out. The node and credential descriptions are
 * scanned too.
 */
import type { IDataObject } from 'n8n-workflow';

import { KaseyaVsaApi } from '../../credentials/KaseyaVsaApi.credentials';
import type { LogEntry } from '../emulators/common/server';
import type { VsaEmulator } from '../emulators/vsa';
import { startVroEmulator, VRO_CREDENTIALS, type VroEmulator } from '../emulators/vro';
import type { Harness } from '../harness/n8n';
import { SecretSet } from './secrets';
import { captureN8nLogs, type CredData, harness, startVsa, VSA_PASSWORD_USER, VSA_PAT_USER, vroCredentialType, vroNode, vsaCredentialData, vsaNode } from './support/env';
import { recordFigures, restartClock, startFigures } from './support/figures';
import { errorItems, judgeError, run, watchProcess, type Outcome } from './support/outcome';

const WRONG_PAT = '0b9e8d7c-6a5f-4e3d-2c1b-a09f8e7d6c5b';
const WRONG_PASSWORD = 'Not-The-Password!42';
const WRONG_SECRET = 'wrong-client-secret-5d3f9a';

describe('4. secrets never leak', () => {
	const figures = startFigures('4 secrets: failed logins, echoing servers');
	beforeAll(() => restartClock(figures));
	const problems: string[] = [];
	const watch = watchProcess();
	const logs = captureN8nLogs();
	let vsa: VsaEmulator;
	let vro: VroEmulator;
	let h: Harness;

	const secrets = () => {
		const s = new SecretSet().addVsa(vsa).addVro(vro).add('wrong PAT', WRONG_PAT).add('wrong password', WRONG_PASSWORD).add('wrong client secret', WRONG_SECRET);
		for (const c of h.credentials.store.values()) s.addCredential(c.data);
		return s;
	};

	/** Scans an outcome; a failure must also be a clear node error. */
	function check(label: string, outcome: Outcome, expectFailure: boolean): void {
		figures.runs++;
		const s = secrets();
		const hits = s.scan(outcome.ok ? outcome.output : outcome.error);
		figures.secretHits += hits.length;
		problems.push(...hits.map((x) => `${label}: ${x.kind} (${x.encoding}) in ${outcome.ok ? 'output' : 'error'}: ${x.around}`));
		if (outcome.ok) {
			const errs = errorItems(outcome.output);
			figures.clearFailures += errs.length;
			if (expectFailure && errs.length === 0) problems.push(`${label}: expected a failure`);
			return;
		}
		const judged = judgeError(outcome.error);
		if (judged.uncaught) figures.uncaught++;
		if (judged.problems.length) figures.unclearMessages++;
		else figures.clearFailures++;
		problems.push(...judged.problems.map((p) => `${label}: ${p}`));
		if (!expectFailure) problems.push(`${label}: failed: ${(outcome.error as Error).message}`);
	}

	/** Makes the next request matching `path` answer `status` with a body built from what it received. */
	function echoOnce(server: VsaEmulator['server'], method: string, path: RegExp, status: number, contentType: string, body: (e: LogEntry) => string): void {
		const hook = (e: LogEntry) => {
			if (e.method !== method || !path.test(e.path)) return;
			server.requestHooks.splice(server.requestHooks.indexOf(hook), 1);
			server.addFault({ kind: 'body', method, path: path.source, times: 1, status, contentType, rawBody: body(e) });
		};
		server.requestHooks.push(hook);
		figures.faultsInjected++;
	}

	beforeAll(async () => {
		vsa = await startVsa({ agents: 40, seed: 7401 });
		vro = await startVroEmulator({ plans: 20, seed: 7402, versions: ['v1', 'v4', 'v7.21'] });
		h = harness(true);
	});
	afterAll(async () => {
		watch.stop();
		figures.uncaught += watch.count();
		const logHits = secrets().scan(logs.text());
		figures.secretHits += logHits.length;
		await vsa?.close();
		await vro?.close();
		recordFigures(figures);
	});
	beforeEach(() => problems.splice(0));

	const vsaList = (id: string, continueOnFail = false) =>
		run(h, { nodeType: vsaNode(), parameters: { resource: 'agent', operation: 'getAll', returnAll: false, limit: 3 }, credentials: { kaseyaVsaApi: id }, continueOnFail });
	const vroList = (id: string, continueOnFail = false) =>
		run(h, { nodeType: vroNode(), parameters: { resource: 'plan', operation: 'getAll', returnAll: false, limit: 3 }, credentials: { veeamOrchestratorApi: id }, continueOnFail });
	const vroData = (v: string, extra: CredData = {}): CredData => ({
		baseUrl: vro.url,
		apiVersion: v,
		authMethod: 'password',
		username: VRO_CREDENTIALS.admin.username,
		password: VRO_CREDENTIALS.admin.password,
		allowUnauthorizedCerts: false,
		...extra,
	});

	it('failed VSA logins (wrong PAT, wrong password, unknown or disabled user) name the cause and no secret', async () => {
		const cases: Array<[string, CredData]> = [
			['wrong PAT', vsaCredentialData(vsa, 'personalAccessToken', { personalAccessToken: WRONG_PAT })],
			['wrong password', vsaCredentialData(vsa, 'password', { password: WRONG_PASSWORD })],
			['unknown user, PAT', vsaCredentialData(vsa, 'personalAccessToken', { username: 'nobody-here' })],
			['unknown user, password', vsaCredentialData(vsa, 'password', { username: 'nobody-here' })],
			['disabled user', { ...vsaCredentialData(vsa, 'password'), username: 'disableduser', password: 'Disabled1' }],
			['PAT sent as password', vsaCredentialData(vsa, 'password', { password: VSA_PAT_USER.pat, username: VSA_PAT_USER.username })],
		];
		for (const [i, [label, data]] of cases.entries()) {
			const id = h.addCredential('kaseyaVsaApi', data, `vsa-fail-${i}`);
			check(`VSA ${label}`, await vsaList(id), true);
			check(`VSA ${label} (continueOnFail)`, await vsaList(id, true), true);
		}
		expect(problems).toEqual([]);
	});

	it('failed Orchestrator logins (wrong password, wrong client secret, wrong version) name the cause and no secret', async () => {
		const cases: Array<[string, CredData]> = [
			['wrong password v7.21', vroData('v7.21', { password: WRONG_PASSWORD })],
			['wrong password v1', vroData('v1', { password: WRONG_PASSWORD })],
			['wrong client secret', vroData('v7.21', { authMethod: 'clientCredentials', clientId: VRO_CREDENTIALS.client.clientId, clientSecret: WRONG_SECRET })],
			['viewer without role', vroData('v4', { username: VRO_CREDENTIALS.viewer.username, password: VRO_CREDENTIALS.viewer.password })],
			['wrong API version', vroData('v13.1')],
		];
		for (const [i, [label, data]] of cases.entries()) {
			const id = h.addCredential('veeamOrchestratorApi', data, `vro-fail-${i}`);
			check(`VRO ${label}`, await vroList(id), true);
		}
		expect(problems).toEqual([]);
	});

	it('a VSA server that echoes the Authorization header, the hash values or the session token in its errors', async () => {
		const reflect = (e: LogEntry) => `Bad request. Received Authorization: ${String(e.headers.authorization)}; decoded: ${Buffer.from(String(e.headers.authorization).replace(/^\w+\s+/, ''), 'base64').toString('utf8')}`;
		for (const method of ['personalAccessToken', 'password'] as const) {
			// At login: as text, as an HTML page, and inside the envelope's Error field.
			for (const [kind, status, ct, wrap] of [
				['text 401', 401, 'text/plain', (t: string) => t],
				['html 500', 500, 'text/html', (t: string) => `<html><title>Error</title><body><pre>${t}</pre></body></html>`],
				['envelope 401', 401, 'application/json', (t: string) => JSON.stringify({ Result: null, ResponseCode: 401, Status: 'Error', Error: t })],
				['envelope in 200', 200, 'application/json', (t: string) => JSON.stringify({ Result: null, ResponseCode: 403, Status: 'OK', Error: t })],
			] as const) {
				const id = h.addCredential('kaseyaVsaApi', vsaCredentialData(vsa, method), `vsa-echo-login-${method}-${kind}`);
				echoOnce(vsa.server, 'GET', /\/api\/v1\.0\/auth$/, status, ct, (e) => wrap(reflect(e)));
				check(`VSA ${method} login echo ${kind}`, await vsaList(id), true);
				vsa.server.requestHooks.length = 0;
				vsa.server.clearFaults();
				// On a data call, with the session token: 500 text, 400 envelope, HTML.
				echoOnce(vsa.server, 'GET', /\/assetmgmt\/agents$/, status === 200 ? 200 : 500, ct, (e) => wrap(`Token ${String(e.headers.authorization)} is not valid here`));
				check(`VSA ${method} data echo ${kind}`, await vsaList(id), true);
				vsa.server.requestHooks.length = 0;
				vsa.server.clearFaults();
			}
		}
		expect(problems).toEqual([]);
	});

	it('an Orchestrator server that echoes the posted password, client secret, refresh token or bearer token', async () => {
		const form = (e: LogEntry) => JSON.stringify(e.body);
		for (const [label, data] of [
			['password', vroData('v7.21')],
			['client credentials', vroData('v7.21', { authMethod: 'clientCredentials', ...VRO_CREDENTIALS.client })],
			['v1 password', vroData('v1')],
		] as Array<[string, CredData]>) {
			const id = h.addCredential('veeamOrchestratorApi', data, `vro-echo-${label}`);
			const tokenPath = data.apiVersion === 'v1' ? /\/v1\/Accounts\/Token$/i : /\/api\/token$/;
			for (const [kind, status, ct, wrap] of [
				['oauth error', 400, 'application/json', (t: string) => JSON.stringify({ error: 'invalid_grant', error_description: `Rejected ${t}` })],
				['html 500', 500, 'text/html', (t: string) => `<html><title>Server Error</title><body>${t}</body></html>`],
				['text 401', 401, 'text/plain', (t: string) => t],
			] as const) {
				echoOnce(vro.emulator, 'POST', tokenPath, status, ct, (e) => wrap(`form was ${form(e)}`));
				check(`VRO ${label} login echo ${kind}`, await vroList(id), true);
				vro.emulator.requestHooks.length = 0;
				vro.emulator.clearFaults();
			}
			// A working login, then a data call whose error repeats the bearer token.
			check(`VRO ${label} login`, await vroList(id), false);
			echoOnce(vro.emulator, 'GET', /Plans$/, 500, 'application/json', (e) => JSON.stringify({ Message: `Token ${String(e.headers.authorization)} is bad` }));
			check(`VRO ${label} data echo`, await vroList(id), true);
			vro.emulator.requestHooks.length = 0;
			vro.emulator.clearFaults();
			// The refresh grant: expire the access token, make the refresh answer echo the refresh token.
			vro.expireAccessTokens();
			echoOnce(vro.emulator, 'POST', tokenPath, 400, 'application/json', (e) => JSON.stringify({ error: 'invalid_grant', error_description: `refresh_token ${String((e.body as IDataObject)?.refresh_token)} unknown` }));
			// Password logins refresh (and fall back to the password when the refresh is refused); client credentials have no refresh token, so the echoing grant is their login and fails.
			check(`VRO ${label} refresh echo`, await vroList(id), data.authMethod === 'clientCredentials');
			vro.emulator.requestHooks.length = 0;
			vro.emulator.clearFaults();
		}
		expect(problems).toEqual([]);
	});

	it('node and credential descriptions hold no test secret', () => {
		const s = secrets();
		expect(s.size).toBeGreaterThan(20);
		const described = [vsaNode().description, vroNode().description, new KaseyaVsaApi(), vroCredentialType()];
		const hits = s.scan(described);
		figures.runs++;
		figures.secretHits += hits.length;
		expect(hits).toEqual([]);
		// The scanner sees the secrets it should: the hash values of the challenge-hash logins are in the set.
		expect(s.list().some((x) => /challenge hash pass2/.test(x.kind))).toBe(true);
		expect(s.list().some((x) => x.value === VSA_PASSWORD_USER.password)).toBe(true);
	});
});
