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
import { startVroEmulator } from '../emulators/vro';
import { startVspcEmulator } from '../emulators/vspc';
import type { Harness } from '../harness/n8n';
import { SecretSet } from './secrets';
import { harness, startVsa, vsaCredentialData, vsaNode } from './support/env';
import { vroServer, VRO_PLANS, vspcServer, VSPC_VMS } from './support/oauth';
import { run } from './support/outcome';
import { barrierSize, oauthRaceCases, raceCases, rejectedTogether } from './support/race';
import { fileWatch, scenarioScope } from './support/scope';
import { checkComplete, checkLogins } from './support/tally';

/** 20 pages of 100: page 1, then 19 fetched concurrently. */
const PAGES = 20;
const RECORDS = PAGES * 100;
/** VSPC pages hold 500 records: 10 pages of protected VMs. */
const VSPC_PAGES = 10;

describe('3b. rejected at once: one renewal per token loss at every concurrency', () => {
	const { watch, logs } = fileWatch();

	describe('Kaseya VSA (HTTP 401 and 401 inside HTTP 200)', () => {
		let vsa: VsaEmulator;
		let h: Harness;
		let cred: string;
		let expected: Set<string>;
		const { figures, problems, tally: t } = scenarioScope('3b rejected at once: VSA, concurrency 1–20, 1 login each', {
			watch,
			logs,
			secrets: () => new SecretSet().addVsa(vsa).addCredential(h.credentialData(cred)),
			close: () => vsa?.close(),
		});
		const data = { path: '/assetmgmt/agents$', isData: (e: LogEntry) => e.method === 'GET' && /\/assetmgmt\/agents$/.test(e.path) };
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

		it.each(raceCases(PAGES, 11))('concurrency %i, token lost %s: %i-th data request and those in flight rejected together → 1 login', async (concurrency, where, n) => {
			const style = n % 2 === 0 ? 'http' : 'body';
			vsa.configureAuth({ authErrorStyle: style });
			const size = barrierSize(concurrency, n, PAGES);
			const before = vsa.logins();
			const { outcome, sent } = await rejectedTogether(vsa.server, data, n, size, () => vsa.revokeTokens(), () => listAll(concurrency));
			const label = `VSA c=${concurrency} ${where} (${style})`;
			checkComplete(t, label, outcome, expected, idOf);
			checkLogins(t, label, vsa.logins() - before, 1);
			figures.faultsInjected++;
			// That many requests were rejected with the dead token.
			const rejected = sent.filter((e) => e.status === 401 || style === 'body').length;
			expect(rejected).toBeGreaterThanOrEqual(style === 'http' ? size : 0);
			expect(problems).toEqual([]);
			expect(vsa.logins() - before).toBe(1);
		});
	});

	describe('Veeam Orchestrator (single-use refresh tokens)', () =>
		oauthRaceCases({ ...VRO_PLANS, pages: PAGES, mid: 11, start: async () => vroServer(await startVroEmulator({ plans: RECORDS, seed: 7312, versions: ['v13.1'], latencyMs: 0 })) }, { watch, logs }));

	describe('Veeam Service Provider Console (single-use refresh tokens)', () =>
		oauthRaceCases({ ...VSPC_VMS, pages: VSPC_PAGES, mid: 6, start: async () => vspcServer(await startVspcEmulator({ companies: 4, vmsPerCompany: (VSPC_PAGES * 500) / 4, seed: 7313, latencyMs: 0 })) }, { watch, logs }));
});
