/**
 * 1. Nothing lost, nothing doubled. Return All over 5,000 VSA agents, 1,000 Orchestrator plans and
 * 10,000 VSPC protected VMs (20 pages of 500; VSPC's own 429 body joins the mix),
 * through the real nodes in n8n's execution context, while 10 % of the list's GET requests fail
 * transiently: 429 with Retry-After, 502, 503, 504, a connection reset before or after the server
 * handled the request, and a response slower than the node's timeout (Request Options › Timeout =
 * 1 s, delay 1.5 s). Every run must return exactly the full set of IDs with no duplicate, or fail with
 * a clear error. Seeded: the fault sequence comes from the emulator's seeded RNG, reset per run.
 */
import type { IDataObject, INodeExecutionData, INodeType } from 'n8n-workflow';

import { VSPC_API_KEY_MARKER } from '../../credentials/shared/vspcLogin';
import { seededRandom, type Emulator, type FaultRule } from '../emulators/common/server';
import type { VsaEmulator } from '../emulators/vsa';
import { startVroEmulator, VRO_CREDENTIALS, type VroEmulator, type VroVersion } from '../emulators/vro';
import { startVspcEmulator, type VspcEmulator } from '../emulators/vspc';
import type { Harness } from '../harness/n8n';
import { SecretSet } from './secrets';
import { addFaultMix, faultsSince, harness, knobRule, lastSeq, startVsa, vroCredentialData, vroNode, vsaCredentialData, vsaNode, vspcCredentialData, vspcHarness, vspcNode } from './support/env';
import { retryWaitMs, type Figures } from './support/figures';
import { run, tallyFailure, type Outcome } from './support/outcome';
import { fileWatch, scenarioScope } from './support/scope';

const RATE = 0.1;
const TIMEOUT_S = 1;
const DELAY_MS = 1500;

/** The transient faults of the mix. 429s carry Retry-After: 0 (or an HTTP date in the past) so runs stay fast; 5xx and resets use the real backoff. */
function transientKinds(run: number): Array<Omit<FaultRule, 'probability'>> {
	return [
		{ kind: 'retryAfter', retryAfter: run % 2 === 0 ? '0' : new Date(Date.now() - 1000).toUTCString() },
		{ kind: 'status', status: 502, rawBody: '<html><body><h1>502 Bad Gateway</h1></body></html>', headers: { 'Content-Type': 'text/html' } },
		{ kind: 'status', status: 503, rawBody: 'Service Unavailable' },
		{ kind: 'status', status: 504, rawBody: '<html><head><title>504 Gateway Time-out</title></head></html>', headers: { 'Content-Type': 'text/html' } },
		{ kind: 'resetBefore' },
		{ kind: 'resetAfter' },
		{ kind: 'delay', delayMs: DELAY_MS },
	];
}

interface RunCheck {
	h: Harness;
	nodeType: INodeType;
	parameters: IDataObject;
	credentials: Record<string, string>;
	expected: Set<string>;
	idOf: (json: IDataObject) => string;
	figures: Figures;
	secrets: () => SecretSet;
	problems: string[];
	label: string;
}

async function returnAllRun(c: RunCheck): Promise<void> {
	c.figures.runs++;
	c.figures.itemsExpected += c.expected.size;
	const outcome = await run(c.h, { nodeType: c.nodeType, parameters: c.parameters, credentials: c.credentials });
	const secrets = c.secrets();
	if (!outcome.ok) return tallyFailure(c, c.label, outcome.error, secrets);
	const items: INodeExecutionData[] = outcome.output[0] ?? [];
	c.figures.itemsReturned += items.length;
	const seen = new Set<string>();
	let dups = 0;
	for (const item of items) {
		const id = c.idOf(item.json);
		if (seen.has(id)) dups++;
		seen.add(id);
	}
	const missing = [...c.expected].filter((id) => !seen.has(id)).length;
	const extra = [...seen].filter((id) => !c.expected.has(id)).length;
	c.figures.duplicates += dups;
	if (missing > 0 || extra > 0) {
		c.figures.silentPartial++;
		c.problems.push(`${c.label}: returned ${items.length} items: ${missing} missing, ${extra} unexpected, ${dups} duplicates`);
	}
	const hits = secrets.scan(outcome.output);
	c.figures.secretHits += hits.length;
	c.problems.push(...hits.map((hit) => `${c.label}: secret in output: ${hit.kind} (${hit.encoding}) ${hit.around}`));
}

/** One seeded run under the fault mix: `kinds` on 10 % of the list's GETs (`path`), then returnAllRun; counts the faults and the time they cost. */
async function faultedRun(server: Emulator, seed: number, path: string, kinds: Array<Omit<FaultRule, 'probability'>>, c: RunCheck): Promise<void> {
	server.clearFaults();
	server.random = seededRandom(seed);
	addFaultMix(server, { method: 'GET', path }, kinds, RATE);
	const from = lastSeq(server);
	await returnAllRun(c);
	c.figures.faultsInjected += faultsSince(server, from);
	c.figures.retryWaitMs += retryWaitMs(server.log, from);
}

/** A 429 asking for 2 s on the list's first GET (`path`): `list` must succeed, its retry sent about 2 s later, not sooner. */
async function honoursRetryAfter(server: Emulator, path: string, list: () => Promise<Outcome>): Promise<void> {
	server.clearFaults();
	server.addFault({ kind: 'retryAfter', retryAfter: '2', method: 'GET', path, times: 1 });
	const from = lastSeq(server);
	const outcome = await list();
	expect(outcome.ok).toBe(true);
	const calls = server.log.filter((e) => e.seq > from && new RegExp(path).test(e.path));
	expect(calls).toHaveLength(2);
	expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(1900);
}

describe('1. Return All under transient faults: nothing lost, nothing doubled', () => {
	const { watch, logs } = fileWatch();

	describe('Kaseya VSA: 5,000 agents', () => {
		let vsa: VsaEmulator;
		const { figures, problems } = scenarioScope('1 Return All: VSA 5,000 agents, 10% GET faults', { close: () => vsa?.close() });

		beforeAll(async () => {
			vsa = await startVsa({ agents: 5000, seed: 7001 });
		});

		it('20 seeded runs (PAT and challenge-hash credentials) return every agent exactly once, or fail clearly', async () => {
			const h = harness();
			const pat = h.addCredential('kaseyaVsaApi', vsaCredentialData(vsa, 'personalAccessToken'), 'vsa-pat');
			const hash = h.addCredential('kaseyaVsaApi', vsaCredentialData(vsa, 'password'), 'vsa-hash');
			const expected = new Set(vsa.store.agents.map((a) => String(a.AgentId)));
			expect(expected.size).toBe(5000);
			const secrets = () => new SecretSet().addVsa(vsa).addCredential(h.credentialData(pat)).addCredential(h.credentialData(hash));
			for (let r = 0; r < 20; r++) {
				await faultedRun(vsa.server, 7001 + r, '/assetmgmt/agents$', transientKinds(r), {
					h,
					nodeType: vsaNode(),
					parameters: { resource: 'agent', operation: 'getAll', returnAll: true, requestOptions: { timeout: TIMEOUT_S } },
					credentials: { kaseyaVsaApi: r % 2 === 0 ? pat : hash },
					expected,
					idOf: (json) => String(json.AgentId),
					figures,
					secrets,
					problems,
					label: `VSA run ${r}`,
				});
			}
			vsa.server.clearFaults();
			// One login per credential: transient faults never cost a login.
			figures.extraLogins += Math.max(0, vsa.logins() - 2);
			const logHits = secrets().scan(logs.text());
			figures.secretHits += logHits.length;
			figures.uncaught += watch.count();
			expect({ problems, logHits, unhandled: watch.reasons }).toEqual({ problems: [], logHits: [], unhandled: [] });
			expect(vsa.logins()).toBe(2);
			expect(secrets().size).toBeGreaterThan(6); // PAT, hash values, session tokens: the scan is not vacuous
			expect(figures.faultsInjected).toBeGreaterThan(50);
		});

		it('honours Retry-After: a 429 asking for 2 s is retried after about 2 s, not sooner', async () => {
			const h = harness();
			const id = h.addCredential('kaseyaVsaApi', vsaCredentialData(vsa));
			await honoursRetryAfter(vsa.server, '/assetmgmt/agents$', () => run(h, { nodeType: vsaNode(), parameters: { resource: 'agent', operation: 'getAll', returnAll: false, limit: 5 }, credentials: { kaseyaVsaApi: id } }));
		});
	});

	describe('Veeam Orchestrator: 1,000 plans', () => {
		let vro: VroEmulator;
		const { figures, problems } = scenarioScope('1 Return All: VRO 1,000 plans, 10% GET faults', { close: () => vro?.close() });
		const versions: VroVersion[] = ['v7.21', 'v13.1', 'v4', 'v1'];

		beforeAll(async () => {
			vro = await startVroEmulator({ plans: 1000, seed: 7002 });
		});

		it('40 seeded runs over four API generations return every plan exactly once, or fail clearly', async () => {
			const h = harness(true);
			const creds: Record<string, string> = {};
			for (const v of versions) {
				creds[v] = h.addCredential('veeamOrchestratorApi', vroCredentialData(vro, v), `vro-${v}`);
			}
			const secrets = () => {
				const s = new SecretSet().addVro(vro);
				for (const id of Object.values(creds)) s.addCredential(h.credentialData(id));
				return s;
			};
			// Expected ids per version, read straight from the emulator's own HTTP API (not through our client).
			const expected: Record<string, Set<string>> = {};
			for (const v of versions) expected[v] = await planIdsOverHttp(vro, v);
			expect(expected['v7.21'].size).toBe(1000);
			const loginsBefore = vro.counters.passwordLogins + vro.counters.refreshGrants;
			for (let r = 0; r < 40; r++) {
				const v = versions[r % versions.length];
				await faultedRun(vro.emulator, 7002 + r, 'Plans$', transientKinds(r), {
					h,
					nodeType: vroNode(),
					parameters: { resource: 'plan', operation: 'getAll', returnAll: true, requestOptions: { timeout: TIMEOUT_S } },
					credentials: { veeamOrchestratorApi: creds[v] },
					expected: expected[v],
					idOf: (json) => String(json.id ?? json.Id ?? json.planId),
					figures,
					secrets,
					problems,
					label: `VRO ${v} run ${r}`,
				});
			}
			vro.emulator.clearFaults();
			const logins = vro.counters.passwordLogins + vro.counters.refreshGrants - loginsBefore;
			figures.extraLogins += Math.max(0, logins - versions.length);
			const logHits = secrets().scan(logs.text());
			figures.secretHits += logHits.length;
			figures.uncaught += watch.count();
			expect({ problems, logHits, unhandled: watch.reasons }).toEqual({ problems: [], logHits: [], unhandled: [] });
			expect(logins).toBe(versions.length);
			expect(secrets().size).toBeGreaterThan(6);
			expect(figures.faultsInjected).toBeGreaterThan(25);
		});
	});

	describe('Veeam Service Provider Console: 10,000 protected VMs', () => {
		const TYPE = 'veeamServiceProviderConsoleApi';
		const PATH = '/protectedWorkloads/virtualMachines$';
		let vspc: VspcEmulator;
		const { figures, problems } = scenarioScope('1 Return All: VSPC 10,000 protected VMs, 10% GET faults', { close: () => vspc?.close() });
		const parameters = { resource: 'protectedWorkload', operation: 'getAll', workloadType: 'virtualMachines', returnAll: true, requestOptions: { timeout: TIMEOUT_S } };

		beforeAll(async () => {
			vspc = await startVspcEmulator({ companies: 4, vmsPerCompany: 2500, seed: 7003 });
		});

		it('20 seeded runs (password and API key credentials), VSPC\'s own 429 body in the mix, return every VM exactly once, or fail clearly', async () => {
			const h = vspcHarness();
			const password = h.addCredential(TYPE, vspcCredentialData(vspc), 'vspc-password');
			const key = h.addCredential(TYPE, vspcCredentialData(vspc, 'apiKey'), 'vspc-key');
			const expected = new Set(vspc.store.vms.map((v) => v.instanceUid));
			expect(expected.size).toBe(10000);
			// In API-key mode the credential's hidden token field holds the word "apiKey", not a secret.
			const secrets = () => new SecretSet().addVspc(vspc).addCredential(h.credentialData(password)).addCredential(h.credentialData(key)).allow(VSPC_API_KEY_MARKER);
			// 429 with VSPC's throttling envelope (retryAfter inside errors[0], no Retry-After header).
			const throttled = knobRule(vspc.emulator, () => vspc.throttle(1, 0));
			const logins = () => vspc.counters.passwordLogins + vspc.counters.refreshGrants;
			const loginsBefore = logins();
			for (let r = 0; r < 20; r++) {
				await faultedRun(vspc.emulator, 7003 + r, PATH, [...transientKinds(r), throttled], {
					h,
					nodeType: vspcNode(),
					parameters,
					credentials: { [TYPE]: r % 2 === 0 ? password : key },
					expected,
					idOf: (json) => String(json.instanceUid),
					figures,
					secrets,
					problems,
					label: `VSPC run ${r}`,
				});
			}
			vspc.emulator.clearFaults();
			// One password login for the password credential, none for the API key: transient faults never cost a login.
			const spent = logins() - loginsBefore;
			figures.extraLogins += Math.max(0, spent - 1);
			const logHits = secrets().scan(logs.text());
			figures.secretHits += logHits.length;
			figures.uncaught += watch.count();
			expect({ problems, logHits, unhandled: watch.reasons }).toEqual({ problems: [], logHits: [], unhandled: [] });
			expect(spent).toBe(1);
			expect(secrets().size).toBeGreaterThan(6);
			expect(figures.faultsInjected).toBeGreaterThan(25);
			// The VSPC-shaped 429 really was among them.
			expect(vspc.emulator.log.filter((e) => e.status === 429 && e.fault === 'status').length).toBeGreaterThan(0);
		});

		it('honours Retry-After: a 429 asking for 2 s is retried after about 2 s, not sooner', async () => {
			const h = vspcHarness();
			const id = h.addCredential(TYPE, vspcCredentialData(vspc));
			await honoursRetryAfter(vspc.emulator, PATH, () => run(h, { nodeType: vspcNode(), parameters: { ...parameters, returnAll: false, limit: 5 }, credentials: { [TYPE]: id } }));
		});
	});
});

/** All plan ids a version lists, fetched without our client: token grant, then one big page (or OData pages). */
async function planIdsOverHttp(vro: VroEmulator, v: VroVersion): Promise<Set<string>> {
	const form = new URLSearchParams({ grant_type: 'password', username: VRO_CREDENTIALS.admin.username, password: VRO_CREDENTIALS.admin.password });
	const token = (await (await fetch(vro.tokenUrl(v), { method: 'POST', body: form, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })).json()) as { access_token: string };
	const get = async (url: string) => {
		const res = await fetch(url, { headers: { Authorization: `Bearer ${token.access_token}`, Accept: 'application/json' } });
		if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
		return (await res.json()) as unknown;
	};
	const ids = new Set<string>();
	const add = (list: unknown) => {
		for (const p of list as Array<Record<string, unknown>>) ids.add(String(p.id ?? p.Id));
	};
	if (v === 'v1' || v === 'v2') {
		add(await get(`${vro.base(v)}/FailoverPlans?$top=100000`));
		if (v === 'v2') add(await get(`${vro.base(v)}/RestorePlans?$top=100000`));
	} else {
		const body = (await get(`${vro.base(v)}/Plans${v === 'v3' ? '' : '?limit=100000'}`)) as { data: unknown[] };
		add(body.data);
	}
	return ids;
}
