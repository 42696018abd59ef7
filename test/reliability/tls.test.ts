/**
 * 6. TLS. Both emulators served over HTTPS with a self-signed certificate made by `openssl req -x509`
 * in a temp dir (and one whose name does not match the host). With "Ignore SSL Issues" off, the
 * login and a call with an already stored token are refused with a message that names the
 * credential option; with it on, both work.
 */
import * as fs from 'node:fs';

import type { VsaEmulator } from '../emulators/vsa';
import { startVroEmulator, VRO_CREDENTIALS, type VroEmulator } from '../emulators/vro';
import { SecretSet } from './secrets';
import { type CredData, harness, selfSignedCertificate, serveOverHttps, startVsa, vroNode, vsaCredentialData, vsaNode } from './support/env';
import { recordFigures, restartClock, startFigures } from './support/figures';
import { judgeError, run, watchProcess, type Outcome } from './support/outcome';

const EXPLAINS_OPTION = /Ignore SSL Issues/;

describe('6. TLS with a self-signed certificate', () => {
	const figures = startFigures('6 TLS: self-signed, both credentials');
	beforeAll(() => restartClock(figures));
	const problems: string[] = [];
	const watch = watchProcess();
	let certs: Array<{ name: string; key: Buffer; cert: Buffer; dir: string }>;
	let vsa: VsaEmulator;
	let vro: VroEmulator;

	beforeAll(async () => {
		certs = [
			{ name: 'self-signed for 127.0.0.1', ...selfSignedCertificate() },
			{ name: 'self-signed for another host name', ...selfSignedCertificate('vsa.other.example') },
		];
		vsa = await startVsa({ agents: 50, seed: 7601 });
		vro = await startVroEmulator({ plans: 30, seed: 7602, versions: ['v7.21'] });
	});
	afterAll(async () => {
		watch.stop();
		figures.uncaught += watch.count();
		await vsa?.close();
		await vro?.close();
		for (const c of certs ?? []) fs.rmSync(c.dir, { recursive: true, force: true });
		recordFigures(figures);
	});
	beforeEach(() => problems.splice(0));

	/** Refused: a NodeApiError that names the TLS problem and the credential option, with no secret. */
	function expectRefused(label: string, outcome: Outcome, secrets: SecretSet): void {
		figures.runs++;
		if (outcome.ok) {
			problems.push(`${label}: accepted an untrusted certificate`);
			return;
		}
		const judged = judgeError(outcome.error);
		if (judged.uncaught) figures.uncaught++;
		if (judged.problems.length) figures.unclearMessages++;
		problems.push(...judged.problems.map((p) => `${label}: ${p}`));
		const e = outcome.error as { message: string; description?: string };
		const text = `${e.message} ${e.description ?? ''}`;
		if (!/certificate|TLS|SSL/i.test(e.message)) problems.push(`${label}: message does not name the certificate problem: ${e.message}`);
		if (!EXPLAINS_OPTION.test(text)) {
			figures.unclearMessages++;
			problems.push(`${label}: does not point to "Ignore SSL Issues": ${text}`);
		}
		figures.clearFailures++;
		const hits = secrets.scan(outcome.error);
		figures.secretHits += hits.length;
		problems.push(...hits.map((h) => `${label}: secret in error: ${h.kind} ${h.around}`));
	}

	function expectAccepted(label: string, outcome: Outcome, count: number): void {
		figures.runs++;
		figures.itemsExpected += count;
		if (!outcome.ok) {
			problems.push(`${label}: refused although "Ignore SSL Issues" is on: ${(outcome.error as Error).message}`);
			return;
		}
		figures.itemsReturned += outcome.output[0].length;
		if (outcome.output[0].length !== count) problems.push(`${label}: ${outcome.output[0].length} items, expected ${count}`);
	}

	it('Kaseya VSA: refused by default (login and stored token), accepted with "Ignore SSL Issues"', async () => {
		for (const c of certs) {
			const url = await serveOverHttps(vsa.server, c);
			const h = harness();
			const params = { resource: 'agent', operation: 'getAll', returnAll: false, limit: 5 };
			const secrets = () => new SecretSet().addVsa(vsa);
			for (const method of ['personalAccessToken', 'password'] as const) {
				const strict = h.addCredential('kaseyaVsaApi', vsaCredentialData({ url }, method), `strict-${method}`);
				expectRefused(`VSA ${c.name} ${method} login`, await run(h, { nodeType: vsaNode(), parameters: params, credentials: { kaseyaVsaApi: strict } }), secrets());
				const lax = h.addCredential('kaseyaVsaApi', vsaCredentialData({ url }, method, { allowUnauthorizedCerts: true }), `lax-${method}`);
				expectAccepted(`VSA ${c.name} ${method} login`, await run(h, { nodeType: vsaNode(), parameters: params, credentials: { kaseyaVsaApi: lax } }), 5);
				expectAccepted(`VSA ${c.name} ${method} stored token`, await run(h, { nodeType: vsaNode(), parameters: params, credentials: { kaseyaVsaApi: lax } }), 5);
				// The same stored session token, with the option turned off again: the data call itself is refused.
				const token = h.credentialData(lax).sessionToken;
				const stored = h.addCredential('kaseyaVsaApi', { ...vsaCredentialData({ url }, method), sessionToken: token }, `stored-${method}`);
				const before = vsa.logins();
				expectRefused(`VSA ${c.name} ${method} stored token, option off`, await run(h, { nodeType: vsaNode(), parameters: params, credentials: { kaseyaVsaApi: stored } }), secrets().addCredential(h.credentialData(lax)));
				if (vsa.logins() !== before) problems.push(`VSA ${c.name}: a TLS refusal led to a login attempt`);
			}
			figures.faultsInjected++;
		}
		expect(problems).toEqual([]);
	});

	it('Veeam Orchestrator: refused by default (login and stored token), accepted with "Ignore SSL Issues"', async () => {
		for (const c of certs) {
			const url = await serveOverHttps(vro.emulator, c);
			const h = harness(true);
			const params = { resource: 'plan', operation: 'getAll', returnAll: false, limit: 5 };
			const secrets = () => new SecretSet().addVro(vro);
			const variants: Array<[string, CredData]> = [
				['password', { authMethod: 'password', username: VRO_CREDENTIALS.admin.username, password: VRO_CREDENTIALS.admin.password }],
				['clientCredentials', { authMethod: 'clientCredentials', ...VRO_CREDENTIALS.client }],
			];
			for (const [name, auth] of variants) {
				const data = { baseUrl: url, apiVersion: 'v7.21', ...auth };
				const strict = h.addCredential('veeamOrchestratorApi', { ...data, allowUnauthorizedCerts: false }, `strict-${name}`);
				expectRefused(`VRO ${c.name} ${name} login`, await run(h, { nodeType: vroNode(), parameters: params, credentials: { veeamOrchestratorApi: strict } }), secrets());
				const lax = h.addCredential('veeamOrchestratorApi', { ...data, allowUnauthorizedCerts: true }, `lax-${name}`);
				expectAccepted(`VRO ${c.name} ${name} login`, await run(h, { nodeType: vroNode(), parameters: params, credentials: { veeamOrchestratorApi: lax } }), 5);
				expectAccepted(`VRO ${c.name} ${name} stored token`, await run(h, { nodeType: vroNode(), parameters: params, credentials: { veeamOrchestratorApi: lax } }), 5);
				// The stored tokens, with the option turned off again.
				const { allowUnauthorizedCerts: _a, ...tokens } = h.credentialData(lax);
				const stored = h.addCredential('veeamOrchestratorApi', { ...tokens, allowUnauthorizedCerts: false }, `stored-${name}`);
				expectRefused(`VRO ${c.name} ${name} stored token, option off`, await run(h, { nodeType: vroNode(), parameters: params, credentials: { veeamOrchestratorApi: stored } }), secrets().addCredential(h.credentialData(lax)));
			}
			figures.faultsInjected++;
		}
		expect(problems).toEqual([]);
	});
});
