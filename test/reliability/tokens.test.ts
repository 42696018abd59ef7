/**
 * 3. Tokens. A token revoked in the middle of a Return All, a token that dies after N requests (the
 * SaaS session limit behind KAT's 25,000-record renewal), a refresh token rotated by a concurrent
 * execution sharing the credential, and clock skew between server and client: at most one extra
 * login per event and execution, no loop, no user-visible failure. A server that rejects every
 * token gets one re-login and a clear error, not a loop. The Orchestrator and VSPC (OAuth2 pairs with
 * single-use refresh tokens) run the same cases; a concurrent rotation or a refresh token used by
 * another process costs one password login.
 */
import type { IDataObject } from 'n8n-workflow';

import type { LogEntry } from '../emulators/common/server';
import type { VsaEmulator } from '../emulators/vsa';
import { startVroEmulator } from '../emulators/vro';
import { startVspcEmulator } from '../emulators/vspc';
import type { Harness } from '../harness/n8n';
import { SecretSet } from './secrets';
import { harness, startVsa, vsaCredentialData, vsaNode } from './support/env';
import { type OAuthList, type OAuthServer, vroServer, VRO_PLANS, vspcServer, VSPC_VMS } from './support/oauth';
import { judgeError, run } from './support/outcome';
import { type FileWatch, fileWatch, scenarioScope } from './support/scope';
import { checkComplete, checkLogins, onNthRequest } from './support/tally';

const AGENTS = 5000;
const PLANS = 1000;
/** 10 pages of 500, as the Orchestrator's 1,000 plans are 10 pages of 100. */
const VMS = 5000;

describe('3. tokens: revoked, rotated, skewed', () => {
	const { watch, logs } = fileWatch();

	describe('Kaseya VSA', () => {
		let vsa: VsaEmulator;
		let h: Harness;
		let cred: string;
		let expected: Set<string>;
		const { figures, problems, tally: t } = scenarioScope('3 tokens: VSA revoke/limit/concurrent/skew', {
			watch,
			logs,
			secrets: () => new SecretSet().addVsa(vsa).addCredential(h.credentialData(cred)),
			close: () => vsa?.close(),
		});
		const params = { resource: 'agent', operation: 'getAll', returnAll: true };
		const isData = (e: LogEntry) => e.method === 'GET' && /\/assetmgmt\/agents$/.test(e.path);
		const listAll = () => run(h, { nodeType: vsaNode(), parameters: params, credentials: { kaseyaVsaApi: cred } });
		const idOf = (j: IDataObject) => String(j.AgentId);

		beforeAll(async () => {
			vsa = await startVsa({ agents: AGENTS, seed: 7201 });
			h = harness();
			cred = h.addCredential('kaseyaVsaApi', vsaCredentialData(vsa, 'password'));
			expected = new Set(vsa.store.agents.map((a) => String(a.AgentId)));
			// Warm-up: the credential holds a token from here on.
			checkComplete(t, 'warm-up', await listAll(), expected, idOf);
		});

		it.each([
			[1, 'HTTP 401', 'http'],
			[17, 'HTTP 401', 'http'],
			[48, 'HTTP 401', 'http'],
			[2, 'ResponseCode 401 inside HTTP 200', 'body'],
			[30, 'ResponseCode 401 inside HTTP 200', 'body'],
			[25, 'the documented mixed answers', 'mixed'],
		] as const)('token revoked before data request %i, rejected as %s → one login, full result', async (n, _what, style) => {
			vsa.configureAuth({ authErrorStyle: style });
			onNthRequest(vsa.server.requestHooks, isData, n, () => vsa.revokeTokens());
			const before = vsa.logins();
			const outcome = await listAll();
			const label = `VSA revoke@${n} ${style}`;
			checkComplete(t, label, outcome, expected, idOf);
			checkLogins(t, label, vsa.logins() - before, 1);
			figures.faultsInjected++;
			vsa.configureAuth({ authErrorStyle: 'mixed' });
			expect(problems).toEqual([]);
			expect(vsa.logins() - before).toBe(1);
		});

		it('a token that dies after 20 requests (SaaS session limit): one login per expiry, full result', async () => {
			vsa.configureAuth({ maxRequestsPerToken: 20 });
			vsa.revokeTokens(); // start from a fresh token so the count is exact
			const before = vsa.logins();
			const outcome = await listAll();
			const events = Math.ceil(51 / 20); // 1 stale token + 50 pages → the 1st, 21st and 41st page meet a dead token
			checkComplete(t, 'VSA maxRequestsPerToken=20', outcome, expected, idOf);
			checkLogins(t, 'VSA maxRequestsPerToken=20', vsa.logins() - before, events);
			figures.faultsInjected += events;
			vsa.configureAuth({ maxRequestsPerToken: null });
			expect(problems).toEqual([]);
		});

		it('two concurrent executions share the credential; the token is revoked while both page: one login each at most, both complete', async () => {
			const before = vsa.logins();
			onNthRequest(vsa.server.requestHooks, isData, 12, () => vsa.revokeTokens());
			const [a, b] = await Promise.all([listAll(), listAll()]);
			checkComplete(t, 'VSA concurrent A', a, expected, idOf);
			checkComplete(t, 'VSA concurrent B', b, expected, idOf);
			checkLogins(t, 'VSA concurrent', vsa.logins() - before, 2);
			figures.faultsInjected++;
			// The token one of them stored serves the next execution without a login.
			const settled = vsa.logins();
			checkComplete(t, 'VSA after concurrent', await listAll(), expected, idOf);
			checkLogins(t, 'VSA after concurrent', vsa.logins() - settled, 0);
			expect(problems).toEqual([]);
		});

		it('clock skew: server clock 31 min ahead between runs, jumps mid-run, and 2 h behind → one login per expiry, none otherwise', async () => {
			let before = vsa.logins();
			vsa.advanceClock(31 * 60_000); // the stored 30-min session is expired for the server
			checkComplete(t, 'VSA skew +31min', await listAll(), expected, idOf);
			checkLogins(t, 'VSA skew +31min', vsa.logins() - before, 1);

			before = vsa.logins();
			onNthRequest(vsa.server.requestHooks, isData, 20, () => vsa.advanceClock(31 * 60_000));
			checkComplete(t, 'VSA skew mid-run', await listAll(), expected, idOf);
			checkLogins(t, 'VSA skew mid-run', vsa.logins() - before, 1);

			before = vsa.logins();
			vsa.advanceClock(-2 * 3600_000); // server now far behind the client: nothing the client does is time-based
			checkComplete(t, 'VSA skew -2h', await listAll(), expected, idOf);
			checkLogins(t, 'VSA skew -2h', vsa.logins() - before, 0);
			figures.faultsInjected += 3;
			expect(problems).toEqual([]);
		});

		it('no loop: a server that rejects every token gets one re-login and a clear error', async () => {
			vsa.envelopeError({ path: '/assetmgmt/agents$', responseCode: 401, times: 1000 });
			const before = vsa.logins();
			const from = vsa.server.log.length;
			figures.runs++;
			const outcome = await listAll();
			vsa.clearFaults();
			const requests = vsa.server.log.slice(from).filter(isData).length;
			expect(outcome.ok).toBe(false);
			if (!outcome.ok) {
				const judged = judgeError(outcome.error);
				expect(judged).toEqual({ uncaught: false, problems: [] });
				expect((outcome.error as Error).message).toMatch(/rejected|session|login/i);
				figures.clearFailures++;
			}
			checkLogins(t, 'VSA always-401', vsa.logins() - before, 1);
			expect(requests).toBeLessThanOrEqual(2);
			expect(problems).toEqual([]);
		});
	});

	describe('Veeam Orchestrator', () =>
		oauthTokenCases({ ...VRO_PLANS, scenario: '3 tokens: VRO revoke/rotate/concurrent/skew', start: async () => vroServer(await startVroEmulator({ plans: PLANS, seed: 7202, versions: ['v7.21', 'v13.1'] })) }, { watch, logs }));

	describe('Veeam Service Provider Console', () =>
		oauthTokenCases({ ...VSPC_VMS, scenario: '3 tokens: VSPC revoke/rotate/concurrent/skew', start: async () => vspcServer(await startVspcEmulator({ companies: 4, vmsPerCompany: VMS / 4, seed: 7203 })) }, { watch, logs }));
});

/** "16 min", "3 h": a clock jump as the test names say it. */
function span(ms: number): string {
	return ms % 3600_000 === 0 ? `${ms / 3600_000} h` : `${ms / 60_000} min`;
}

/**
 * The token cases of an OAuth2 product with single-use refresh tokens (Orchestrator, VSPC), registered
 * inside its describe block: expiry and revocation mid-run, a refresh token rotated by a concurrent
 * execution or by another process, clock skew, and a server that refuses every token.
 */
function oauthTokenCases(p: OAuthList & { scenario: string; start(): Promise<OAuthServer> }, file: FileWatch): void {
	let emu: OAuthServer;
	let h: Harness;
	let cred: string;
	let expected: Set<string>;
	const { figures, problems, tally: t } = scenarioScope(p.scenario, { ...file, secrets: () => emu.secrets().addCredential(h.credentialData(cred)), close: () => emu?.close() });
	const dataRe = new RegExp(p.dataPath);
	const isData = (e: LogEntry) => e.method === 'GET' && dataRe.test(e.path);
	const listAll = () => run(h, { nodeType: p.nodeType(), parameters: p.parameters, credentials: { [p.credentialType]: cred } });
	const grants = () => emu.counters.passwordLogins + emu.counters.refreshGrants + (emu.counters.clientCredentialGrants ?? 0);
	const { label: L, idOf } = p;

	beforeAll(async () => {
		emu = await p.start();
		h = p.harness();
		cred = h.addCredential(p.credentialType, p.credentialData(emu.server.url));
		expected = emu.expected();
		checkComplete(t, 'warm-up', await listAll(), expected, idOf);
	});

	it('access token expired mid-Return-All (refresh token valid): one refresh grant, no password login', async () => {
		const g = grants();
		const pw = emu.counters.passwordLogins;
		onNthRequest(emu.server.requestHooks, isData, 2, () => emu.expireAccessTokens());
		checkComplete(t, `${L} expire mid-run`, await listAll(), expected, idOf);
		checkLogins(t, `${L} expire mid-run`, grants() - g, 1);
		figures.faultsInjected++;
		expect(emu.counters.passwordLogins).toBe(pw);
		expect(problems).toEqual([]);
		// The expiry really met the run: exactly one renewal.
		expect(grants() - g).toBe(1);
	});

	it('all tokens revoked mid-Return-All (refresh dead too): falls back to one password login, full result', async () => {
		const g = grants();
		onNthRequest(emu.server.requestHooks, isData, 3, () => emu.revokeTokens());
		checkComplete(t, `${L} revoke mid-run`, await listAll(), expected, idOf);
		checkLogins(t, `${L} revoke mid-run`, grants() - g, 1);
		figures.faultsInjected++;
		expect(problems).toEqual([]);
		expect(grants() - g).toBe(1);
	});

	it('refresh token rotated by a concurrent execution: both executions complete, one new login each at most', async () => {
		emu.expireAccessTokens();
		const g = grants();
		const [a, b] = await Promise.all([listAll(), listAll()]);
		checkComplete(t, `${L} concurrent A`, a, expected, idOf);
		checkComplete(t, `${L} concurrent B`, b, expected, idOf);
		// One refresh wins (single-use refresh token); the loser's refresh is refused and it logs in with the password.
		checkLogins(t, `${L} concurrent`, grants() - g, 2);
		figures.faultsInjected++;
		const settled = grants();
		checkComplete(t, `${L} after concurrent`, await listAll(), expected, idOf);
		checkLogins(t, `${L} after concurrent`, grants() - settled, 0);
		expect(problems).toEqual([]);
	});

	it('an execution whose first page waits at the server while another execution refreshes: one login each at most, both complete', async () => {
		// A sends its first page with the expired token; the server holds that request 2 s. Meanwhile B
		// meets the same expiry, refreshes (the refresh token is single-use) and finishes. Then A gets its
		// 401 and must recover although the refresh token it started with has been used.
		emu.expireAccessTokens();
		const g = grants();
		emu.server.addFault({ kind: 'delay', delayMs: 2000, method: 'GET', path: p.dataPath, times: 1 });
		const from = emu.server.log.length;
		const a = listAll();
		// B starts only once A's first page is at the server (held there by the delay).
		while (!emu.server.log.slice(from).some(isData)) await new Promise((r) => setTimeout(r, 5));
		const b = listAll();
		const [ra, rb] = await Promise.all([a, b]);
		checkComplete(t, `${L} rotated A`, ra, expected, idOf);
		checkComplete(t, `${L} rotated B`, rb, expected, idOf);
		checkLogins(t, `${L} rotated`, grants() - g, 2);
		figures.faultsInjected++;
		expect(problems).toEqual([]);
	});

	it('a stored refresh token already used elsewhere (rotated by another process): one fallback login, no failure', async () => {
		// Another process refreshed with the stored refresh token and kept the new pair to itself: the
		// stored one is dead, and so is the stored access token.
		const stored = h.credentialData(cred);
		await fetch(emu.tokenUrl, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: String(stored.refreshToken) }),
		});
		emu.expireAccessTokens();
		const g = grants() - 1; // the other process's refresh is not ours
		const failed = emu.counters.failedTokenRequests;
		checkComplete(t, `${L} stale refresh token`, await listAll(), expected, idOf);
		checkLogins(t, `${L} stale refresh token`, grants() - g - 1, 1);
		figures.faultsInjected++;
		// The scenario is real: the dead refresh token was refused before the password login.
		expect(emu.counters.failedTokenRequests).toBe(failed + 1);
		expect(problems).toEqual([]);
	});

	const { accessExpiredMs, refreshExpiredMs } = p.lifetimes;
	it(`clock skew: server ${span(accessExpiredMs)} ahead (access expired) → one refresh; ${span(refreshExpiredMs)} ahead (refresh expired too) → one password login; behind → nothing`, async () => {
		let g = grants();
		emu.advance(accessExpiredMs);
		checkComplete(t, `${L} skew +${span(accessExpiredMs)}`, await listAll(), expected, idOf);
		checkLogins(t, `${L} skew +${span(accessExpiredMs)}`, grants() - g, 1);

		g = grants();
		emu.advance(refreshExpiredMs);
		checkComplete(t, `${L} skew +${span(refreshExpiredMs)}`, await listAll(), expected, idOf);
		checkLogins(t, `${L} skew +${span(refreshExpiredMs)}`, grants() - g, 1);

		g = grants();
		emu.advance(-5 * 3600_000);
		checkComplete(t, `${L} skew -5h`, await listAll(), expected, idOf);
		checkLogins(t, `${L} skew -5h`, grants() - g, 0);
		figures.faultsInjected += 3;
		expect(problems).toEqual([]);
	});

	it('no loop: a server that answers 401 to every token gets one re-login and a clear error', async () => {
		emu.server.addFault({ kind: 'status', status: 401, method: 'GET', path: p.dataPath, ...p.refusal });
		const g = grants();
		const from = emu.server.log.length;
		figures.runs++;
		const outcome = await listAll();
		emu.server.clearFaults();
		const requests = emu.server.log.slice(from).filter(isData).length;
		expect(outcome.ok).toBe(false);
		if (!outcome.ok) {
			expect(judgeError(outcome.error)).toEqual({ uncaught: false, problems: [] });
			figures.clearFailures++;
		}
		checkLogins(t, `${L} always-401`, grants() - g, 1);
		expect(requests).toBeLessThanOrEqual(2);
		expect(problems).toEqual([]);
	});
}
