/**
 * 3b. Rejected at once. A token lost while N pages are in flight, against servers that answer with
 * zero latency and a barrier that releases the N requests carrying the dead token together, so
 * every one of them is rejected at the same moment. This is the race of a fast LAN server: each
 * rejection must wait for the one renewal of the run, not start its own.
 *
 * For every concurrency 1, 2, 5, 10, 20 and a loss after page 1, mid-run and on the last page:
 * exactly 1 login (Kaseya VSA), exactly 1 refresh grant and 0 password logins (Veeam Orchestrator and
 * Veeam Service Provider Console), and a complete result.
 */
import type { IDataObject } from 'n8n-workflow';

import type { LogEntry } from '../emulators/common/server';
import type { VsaEmulator } from '../emulators/vsa';
import { startVroEmulator, VRO_CREDENTIALS, type VroEmulator } from '../emulators/vro';
import { startVspcEmulator, VSPC_CREDENTIALS, type VspcEmulator } from '../emulators/vspc';
import { VeeamServiceProviderConsoleApi } from '../../credentials/VeeamServiceProviderConsoleApi.credentials';
import { VeeamServiceProviderConsole } from '../../nodes/VeeamServiceProviderConsole/VeeamServiceProviderConsole.node';
import { Harness } from '../harness/n8n';
import { SecretSet } from './secrets';
import { captureN8nLogs, harness, startVsa, vroNode, vsaCredentialData, vsaNode } from './support/env';
import { recordFigures, restartClock, startFigures } from './support/figures';
import { run, watchProcess } from './support/outcome';
import { checkComplete, checkLogins, onNthRequest, type Tally } from './support/tally';

/** 20 pages of 100: page 1, then 19 fetched concurrently. */
const PAGES = 20;
const RECORDS = PAGES * 100;
const CONCURRENCIES = [1, 2, 5, 10, 20] as const;
/** Which data request meets the dead token first: the first concurrent page, one mid-run, the last page. */
const LOSSES = [
	['after page 1', 2],
	['mid-run', 11],
	['on the last page', PAGES],
] as const;
const CASES = CONCURRENCIES.flatMap((c) => LOSSES.map(([where, n]) => [c, where, n] as const));

/** Requests held by the barrier: as many as can be in flight once the n-th data request is sent. */
const barrierSize = (concurrency: number, n: number, pages = PAGES) => Math.max(1, Math.min(concurrency, pages - n + 1));

/** VSPC pages hold 500 records: 10 pages of protected VMs. */
const VSPC_PAGES = 10;
const VSPC_CASES = CONCURRENCIES.flatMap((c) =>
	([
		['after page 1', 2],
		['mid-run', 6],
		['on the last page', VSPC_PAGES],
	] as const).map(([where, n]) => [c, where, n] as const),
);

describe('3b. rejected at once: one renewal per token loss at every concurrency', () => {
	const watch = watchProcess();
	const logs = captureN8nLogs();
	afterAll(() => watch.stop());

	describe('Kaseya VSA (HTTP 401 and 401 inside HTTP 200)', () => {
		let vsa: VsaEmulator;
		let h: Harness;
		let cred: string;
		let expected: Set<string>;
		const figures = startFigures('3b rejected at once: VSA, concurrency 1–20, 1 login each');
		beforeAll(() => restartClock(figures));
		const problems: string[] = [];
		beforeEach(() => problems.splice(0));
		const t: Tally = { figures, problems, secrets: () => new SecretSet().addVsa(vsa).addCredential(h.credentialData(cred)) };
		const isData = (e: LogEntry) => e.method === 'GET' && /\/assetmgmt\/agents$/.test(e.path);
		const listAll = (concurrency: number) =>
			run(h, {
				nodeType: vsaNode(),
				parameters: { resource: 'agent', operation: 'getAll', returnAll: true, requestOptions: { concurrency } },
				credentials: { kaseyaVsaApi: cred },
			});
		const idOf = (j: IDataObject) => String(j.AgentId);

		beforeAll(async () => {
			vsa = await startVsa({ agents: RECORDS, seed: 7311, latencyMs: 0 });
			h = harness();
			cred = h.addCredential('kaseyaVsaApi', vsaCredentialData(vsa, 'password'));
			expected = new Set(vsa.store.agents.map((a) => String(a.AgentId)));
			checkComplete(t, 'warm-up', await listAll(5), expected, idOf);
		});
		afterAll(async () => {
			figures.uncaught += watch.count();
			figures.secretHits += t.secrets().scan(logs.text()).length;
			await vsa?.close();
			recordFigures(figures);
		});

		it.each(CASES)('concurrency %i, token lost %s: %i-th data request and those in flight rejected together → 1 login', async (concurrency, where, n) => {
			const style = n % 2 === 0 ? 'http' : 'body';
			vsa.configureAuth({ authErrorStyle: style });
			const size = barrierSize(concurrency, n);
			let held: Promise<void> | undefined;
			onNthRequest(vsa.server.requestHooks, isData, n, () => {
				// Runs before the server handles the request, so this request is the barrier's first arrival.
				vsa.revokeTokens();
				held = vsa.server.addBarrier({ count: size, method: 'GET', path: '/assetmgmt/agents$' });
			});
			const before = vsa.logins();
			const from = vsa.server.log.length;
			const outcome = await listAll(concurrency);
			vsa.server.clearBarriers();
			const label = `VSA c=${concurrency} ${where} (${style})`;
			checkComplete(t, label, outcome, expected, idOf);
			checkLogins(t, label, vsa.logins() - before, 1);
			figures.faultsInjected++;
			// The race really happened: the barrier filled, and that many requests were rejected with the dead token.
			expect(held).toBeDefined();
			await held;
			const rejected = vsa.server.log.slice(from).filter((e) => isData(e) && (e.status === 401 || style === 'body')).length;
			expect(rejected).toBeGreaterThanOrEqual(style === 'http' ? size : 0);
			expect(problems).toEqual([]);
			expect(vsa.logins() - before).toBe(1);
		});
	});

	describe('Veeam Orchestrator (single-use refresh tokens)', () => {
		let vro: VroEmulator;
		let h: Harness;
		let cred: string;
		let expected: Set<string>;
		const figures = startFigures('3b rejected at once: VRO, concurrency 1–20, 1 refresh 0 password');
		beforeAll(() => restartClock(figures));
		const problems: string[] = [];
		beforeEach(() => problems.splice(0));
		const t: Tally = { figures, problems, secrets: () => new SecretSet().addVro(vro).addCredential(h.credentialData(cred)) };
		const isData = (e: LogEntry) => e.method === 'GET' && /\/Plans$/.test(e.path);
		const listAll = (concurrency: number) =>
			run(h, {
				nodeType: vroNode(),
				parameters: { resource: 'plan', operation: 'getAll', returnAll: true, requestOptions: { concurrency } },
				credentials: { veeamOrchestratorApi: cred },
			});
		const idOf = (j: IDataObject) => String(j.id);

		beforeAll(async () => {
			vro = await startVroEmulator({ plans: RECORDS, seed: 7312, versions: ['v13.1'], latencyMs: 0 });
			h = harness(true);
			cred = h.addCredential('veeamOrchestratorApi', {
				baseUrl: vro.url,
				apiVersion: 'v13.1',
				authMethod: 'password',
				username: VRO_CREDENTIALS.admin.username,
				password: VRO_CREDENTIALS.admin.password,
				allowUnauthorizedCerts: false,
			});
			expected = new Set(vro.store.plans.map((p) => p.id));
			checkComplete(t, 'warm-up', await listAll(5), expected, idOf);
		});
		afterAll(async () => {
			figures.uncaught += watch.count();
			figures.secretHits += t.secrets().scan(logs.text()).length;
			await vro?.close();
			recordFigures(figures);
		});

		it.each(CASES)('concurrency %i, access token expired %s: %i-th data request and those in flight rejected together → 1 refresh, 0 password', async (concurrency, where, n) => {
			const size = barrierSize(concurrency, n);
			let held: Promise<void> | undefined;
			onNthRequest(vro.emulator.requestHooks, isData, n, () => {
				vro.expireAccessTokens();
				held = vro.emulator.addBarrier({ count: size, method: 'GET', path: '/Plans$' });
			});
			const refresh = vro.counters.refreshGrants;
			const password = vro.counters.passwordLogins;
			const failed = vro.counters.failedTokenRequests;
			const from = vro.emulator.log.length;
			const outcome = await listAll(concurrency);
			vro.emulator.clearBarriers();
			const label = `VRO c=${concurrency} ${where}`;
			checkComplete(t, label, outcome, expected, idOf);
			checkLogins(t, label, vro.counters.refreshGrants - refresh + vro.counters.passwordLogins - password, 1);
			figures.faultsInjected++;
			expect(held).toBeDefined();
			await held;
			expect(vro.emulator.log.slice(from).filter((e) => isData(e) && e.status === 401).length).toBeGreaterThanOrEqual(size);
			expect(problems).toEqual([]);
			expect(vro.counters.refreshGrants - refresh).toBe(1);
			expect(vro.counters.passwordLogins - password).toBe(0);
			// No single-use refresh token was sent twice.
			expect(vro.counters.failedTokenRequests - failed).toBe(0);
		});
	});

	describe('Veeam Service Provider Console (single-use refresh tokens)', () => {
		let vspc: VspcEmulator;
		let h: Harness;
		let cred: string;
		let expected: Set<string>;
		const figures = startFigures('3b rejected at once: VSPC, concurrency 1–20, 1 refresh 0 password');
		beforeAll(() => restartClock(figures));
		const problems: string[] = [];
		beforeEach(() => problems.splice(0));
		const t: Tally = { figures, problems, secrets: () => new SecretSet().addCredential(h.credentialData(cred)) };
		const isData = (e: LogEntry) => e.method === 'GET' && /\/protectedWorkloads\/virtualMachines$/.test(e.path);
		const listAll = (concurrency: number) =>
			run(h, {
				nodeType: new VeeamServiceProviderConsole(),
				parameters: { resource: 'protectedWorkload', operation: 'getAll', workloadType: 'virtualMachines', returnAll: true, requestOptions: { concurrency } },
				credentials: { veeamServiceProviderConsoleApi: cred },
			});
		const idOf = (j: IDataObject) => String(j.instanceUid);

		beforeAll(async () => {
			vspc = await startVspcEmulator({ companies: 4, vmsPerCompany: (VSPC_PAGES * 500) / 4, seed: 7313, latencyMs: 0 });
			h = new Harness([new VeeamServiceProviderConsoleApi()]);
			cred = h.addCredential('veeamServiceProviderConsoleApi', {
				baseUrl: vspc.url,
				authMethod: 'password',
				username: VSPC_CREDENTIALS.admin.username,
				password: VSPC_CREDENTIALS.admin.password,
				allowUnauthorizedCerts: false,
			});
			expected = new Set(vspc.store.vms.map((v) => v.instanceUid));
			checkComplete(t, 'warm-up', await listAll(5), expected, idOf);
		});
		afterAll(async () => {
			figures.uncaught += watch.count();
			figures.secretHits += t.secrets().scan(logs.text()).length;
			await vspc?.close();
			recordFigures(figures);
		});

		it.each(VSPC_CASES)('concurrency %i, access token expired %s: %i-th data request and those in flight rejected together → 1 refresh, 0 password', async (concurrency, where, n) => {
			const size = barrierSize(concurrency, n, VSPC_PAGES);
			let held: Promise<void> | undefined;
			onNthRequest(vspc.emulator.requestHooks, isData, n, () => {
				vspc.expireAccessTokens();
				held = vspc.emulator.addBarrier({ count: size, method: 'GET', path: '/protectedWorkloads/virtualMachines$' });
			});
			const refresh = vspc.counters.refreshGrants;
			const password = vspc.counters.passwordLogins;
			const failed = vspc.counters.failedTokenRequests;
			const from = vspc.emulator.log.length;
			const outcome = await listAll(concurrency);
			vspc.emulator.clearBarriers();
			const label = `VSPC c=${concurrency} ${where}`;
			checkComplete(t, label, outcome, expected, idOf);
			checkLogins(t, label, vspc.counters.refreshGrants - refresh + vspc.counters.passwordLogins - password, 1);
			figures.faultsInjected++;
			expect(held).toBeDefined();
			await held;
			expect(vspc.emulator.log.slice(from).filter((e) => isData(e) && e.status === 401).length).toBeGreaterThanOrEqual(size);
			expect(problems).toEqual([]);
			expect(vspc.counters.refreshGrants - refresh).toBe(1);
			expect(vspc.counters.passwordLogins - password).toBe(0);
			expect(vspc.counters.failedTokenRequests - failed).toBe(0);
		});
	});
});
