/**
 * 5. Bad input. More than 1,000 generated bad server responses (HTML login pages, truncated and
 * non-JSON bodies, wrong content types, XML, redirects that would carry the Authorization header
 * away, odd status codes, envelopes with missing or odd fields, huge bodies), each answered to a
 * read, a paged read, per-item reads under continueOnFail, a write and the login — plus bad
 * parameters (malformed server URLs, IDs that are not IDs, filter values carrying quotes and OData
 * operators, empty strings, oversized numbers). Zero uncaught exceptions; every failure a
 * NodeApiError/NodeOperationError a technician can read; no malformed answer presented as data; no
 * secret in any of it; nothing follows a redirect.
 *
 * For Kaseya VSA, the Orchestrator and VSPC. VSPC's UIDs: names, numbers, near-UIDs and paths where a
 * UID belongs are refused before anything is sent; a well-formed UID the server does not have gets one
 * request and the server's 404, quoted; no write is applied; with a password and an API-key credential.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, INodeType } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { VSPC_API_KEY_MARKER } from '../../credentials/shared/vspcLogin';

import type { Emulator, LogEntry } from '../emulators/common/server';
import type { VsaEmulator } from '../emulators/vsa';
import { startVroEmulator, VRO_CREDENTIALS, type VroEmulator } from '../emulators/vro';
import { startVspcEmulator, type VspcEmulator } from '../emulators/vspc';
import { rlAsGiven } from '../harness/helpers';
import type { Harness } from '../harness/n8n';
import { SecretSet } from './secrets';
import { generateBadResponses, type BadResponse } from './support/badResponses';
import { byId, captureN8nLogs, type CredData, harness, startVsa, vroCredentialData, vroNode, vsaCredentialData, vsaNode, vspcCredentialData, vspcHarness, vspcNode } from './support/env';
import type { Figures } from './support/figures';
import { errorItems, judgeErrorItem, run, tallyFailure, watchProcess, type Outcome } from './support/outcome';
import { scenarioScope } from './support/scope';

/** A server that records every request reaching it: redirects must never lead here. */
async function startThief(): Promise<{ url: string; hits: Array<{ path: string; authorization?: string }>; close: () => Promise<void> }> {
	const hits: Array<{ path: string; authorization?: string }> = [];
	const server = http.createServer((req, res) => {
		hits.push({ path: req.url ?? '', authorization: req.headers.authorization });
		res.writeHead(200, { 'Content-Type': 'application/json' });
		res.end('{"stolen": true}');
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		hits,
		close: () => new Promise<void>((r) => server.close(() => r())),
	};
}

interface Target {
	label: string;
	nodeType: () => INodeType;
	parameters: IDataObject;
	input?: IDataObject[];
	/** Fault scope: method and path regex of the requests that get the bad answer. */
	method: string;
	path: string;
	/** Bad answers only from the n-th matching request on (a later page of a Return All). */
	fromRequest?: number;
	/** Only one matching request gets the bad answer (per-item continueOnFail check). */
	once?: boolean;
	continueOnFail?: boolean;
	/** Run with a credential that has no token yet, so the login itself gets the bad answer. */
	freshLogin?: boolean;
	/** Also receives the huge bodies. */
	huge?: boolean;
	/** The record id of an output item (per-item targets). */
	idOf?: (json: IDataObject) => unknown;
}

interface Ctx {
	h: Harness;
	server: Emulator;
	credentialType: string;
	credential: () => string;
	freshCredential: () => string;
	figures: Figures;
	problems: string[];
	secrets: () => SecretSet;
}

/** Arms `bad` for the target's requests, runs the node, judges the outcome. */
async function badResponseRun(c: Ctx, t: Target, bad: BadResponse): Promise<void> {
	const label = `${t.label} ← ${bad.name}`;
	c.server.clearFaults();
	const fault = { kind: 'body' as const, method: t.method, path: t.path, status: bad.status, contentType: bad.contentType, rawBody: bad.body, headers: bad.headers, times: t.once ? 1 : 1_000_000 };
	const fromRequest = t.fromRequest ?? 1;
	if (fromRequest > 1) {
		let seen = 0;
		const re = new RegExp(t.path, 'i');
		const hook = (e: LogEntry) => {
			if (e.method === t.method && re.test(e.path) && ++seen === fromRequest - 1) {
				c.server.addFault(fault);
				c.server.requestHooks.splice(c.server.requestHooks.indexOf(hook), 1);
			}
		};
		c.server.requestHooks.push(hook);
	} else {
		c.server.addFault(fault);
	}
	const cred = t.freshLogin ? c.freshCredential() : c.credential();
	c.figures.runs++;
	c.figures.badInputs++;
	const outcome = await run(c.h, { nodeType: t.nodeType(), parameters: t.parameters, credentials: { [c.credentialType]: cred }, input: t.input, continueOnFail: t.continueOnFail });
	c.server.requestHooks.length = 0;
	c.server.clearFaults();
	c.figures.faultsInjected++;
	const secrets = c.secrets();
	if (!outcome.ok) return tallyFailure(c, label, outcome.error, secrets);
	const out = outcome.output[0] ?? [];
	const errors = errorItems(outcome.output);
	for (const e of errors) {
		const p = judgeErrorItem(e);
		if (p.length) c.figures.unclearMessages++;
		c.problems.push(...p.map((x) => `${label}: ${x}`));
	}
	const hits = secrets.scan(outcome.output);
	c.figures.secretHits += hits.length;
	c.problems.push(...hits.map((x) => `${label}: secret in output: ${x.kind} ${x.around}`));
	if (t.continueOnFail && t.once) {
		// One item met the bad answer: it is an error item (or, for an acceptable answer, a result); the others succeed.
		// One item met the bad answer; the others must succeed with their own record. The bad answer may
		// also have been recovered from (a 401 page costs one re-login and the retry gets the record).
		const good = out.filter((o) => o.json.error === undefined);
		const inputIds = (t.input ?? []).map((i) => String(i.id));
		const wrong = good.filter((o) => !inputIds.includes(String(t.idOf?.(o.json as IDataObject))));
		const recovered = errors.length === 0 && wrong.length === 0 && good.length === inputIds.length;
		if (bad.mustFail && errors.length !== 1 && !recovered) {
			c.figures.acceptedBad++;
			c.problems.push(`${label}: expected 1 error item and ${out.length - 1} results, got ${errors.length} error items: ${JSON.stringify(wrong.map((o) => o.json)).slice(0, 200)}`);
		}
		if (good.length < inputIds.length - 1) c.problems.push(`${label}: the other items did not succeed (${good.length} results)`);
		return;
	}
	c.figures.clearFailures += errors.length;
	if (errors.length > 0) return;
	if (bad.mustFail) {
		c.figures.acceptedBad++;
		c.problems.push(`${label}: presented as success: ${JSON.stringify(out.map((o) => o.json)).slice(0, 200)}`);
	}
}

const ODATA_PROBES = [
	"O'Brien",
	"' or 1 eq 1 or '",
	"x') or substringof('a', AgentName) or ('",
	"')",
	'eq',
	' and Online eq 1',
	'%27',
	"\\'",
	"'; DROP TABLE agents; --",
	'&$top=1',
	'$filter=AgentId gt 0',
	'\u2019 or \u2018',
	'\u0000',
	'*',
	'AgentName',
	"''''",
];

/**
 * A run of four items under continueOnFail whose 2nd names a bad ID: exactly that item is an error
 * item a technician can read, the others return their own records (`ids`, in order), pairedItem intact.
 */
function checkOneBadItem(t: { figures: Figures; problems: string[] }, label: string, outcome: Outcome, ids: string[], idOf: (json: IDataObject) => unknown): void {
	if (!outcome.ok) {
		t.problems.push(`${label}: node failed: ${(outcome.error as Error).message}`);
		return;
	}
	const out = outcome.output[0];
	const errors = errorItems(outcome.output);
	for (const e of errors) {
		const p = judgeErrorItem(e);
		if (p.length) t.figures.unclearMessages++;
		t.problems.push(...p.map((x) => `${label}: ${x}`));
	}
	t.figures.clearFailures += errors.length;
	const okIds = out.filter((o) => o.json.error === undefined).map((o) => String(idOf(o.json)));
	if (errors.length !== 1 || okIds.join() !== ids.join()) t.problems.push(`${label}: ${errors.length} error items, results ${okIds.join()}`);
	const paired = out.map((o) => (o.pairedItem as { item: number }).item);
	if (paired.join() !== '0,1,2,3') t.problems.push(`${label}: pairedItem ${paired.join()}`);
}

/** Server URLs a credential may hold that cannot work: empty, no scheme, cut short, unreachable, unresolvable, with a password inside. */
function badServerUrls(product: string, port: number, urlSecret: string): CredData[] {
	return ['', `${product}.example.com:${port}`, 'https://', 'http://[::1', 'https://127.0.0.1:1', `http://${product}-reliability.invalid:${port}`, `https://svc:${urlSecret}@127.0.0.1:1`].map((baseUrl) => ({ baseUrl }));
}

/** `s` with the secret fields of every credential the harness holds. */
function withCredentials(s: SecretSet, h: Harness): SecretSet {
	for (const c of h.credentials.store.values()) s.addCredential(c.data);
	return s;
}

describe('5. bad input', () => {
	const watch = watchProcess();
	const logs = captureN8nLogs();
	let thief: Awaited<ReturnType<typeof startThief>>;
	beforeAll(async () => {
		thief = await startThief();
	});
	afterAll(async () => {
		watch.stop();
		await thief?.close();
	});

	describe('Kaseya VSA', () => {
		let vsa: VsaEmulator;
		let h: Harness;
		let cred: string;
		let fresh = 0;
		const secrets = () => withCredentials(new SecretSet().addVsa(vsa), h);
		const { figures, problems } = scenarioScope('5 bad input: VSA responses + parameters', { watch, logs, secrets, close: () => vsa?.close() });

		beforeAll(async () => {
			vsa = await startVsa({ agents: 300, seed: 7501 });
			h = harness();
			cred = h.addCredential('kaseyaVsaApi', vsaCredentialData(vsa, 'password'));
		});

		const ctx = (): Ctx => ({
			h,
			server: vsa.server,
			credentialType: 'kaseyaVsaApi',
			credential: () => cred,
			freshCredential: () => h.addCredential('kaseyaVsaApi', vsaCredentialData(vsa, fresh % 2 ? 'password' : 'personalAccessToken'), `vsa-fresh-${fresh++}`),
			figures,
			problems,
			secrets,
		});

		it('generated bad responses to reads, paged reads, per-item reads, writes and the login', async () => {
			const agents = vsa.store.agents;
			const desk = vsa.store.serviceDesks[0];
			const targets: Target[] = [
				{ label: 'VSA agent.getAll limit', nodeType: vsaNode, parameters: { resource: 'agent', operation: 'getAll', returnAll: false, limit: 10 }, method: 'GET', path: '/assetmgmt/agents$', huge: true },
				{ label: 'VSA agent.getAll returnAll page 2+', nodeType: vsaNode, parameters: { resource: 'agent', operation: 'getAll', returnAll: true }, method: 'GET', path: '/assetmgmt/agents$', fromRequest: 2 },
				{
					label: 'VSA agent.get ×3 continueOnFail',
					nodeType: vsaNode,
					parameters: { resource: 'agent', operation: 'get', agentId: { __rl: true, mode: 'id', value: '={{ $json.id }}' }, requestOptions: { concurrency: 1 } },
					input: agents.slice(0, 3).map((a) => ({ id: String(a.AgentId) })),
					method: 'GET',
					path: '/assetmgmt/agents/\\d+$',
					once: true,
					continueOnFail: true,
					idOf: (json) => json.AgentId,
				},
				{ label: 'VSA serviceDeskTicket.create', nodeType: vsaNode, parameters: { resource: 'serviceDeskTicket', operation: 'create', serviceDeskId: byId(String(desk.ServiceDeskId)), summary: 'bad input probe', priority: String(vsa.store.deskLookups.get(String(desk.ServiceDeskId))!.priorities[0].PriorityId) }, method: 'POST', path: '/ticket$' },
				{ label: 'VSA agentProcedure.run', nodeType: vsaNode, parameters: { resource: 'agentProcedure', operation: 'run', agentId: byId(String(agents[0].AgentId)), procedureId: byId(1000108) }, method: 'PUT', path: '/runnow' },
				{ label: 'VSA login (GET /auth)', nodeType: vsaNode, parameters: { resource: 'agent', operation: 'getAll', returnAll: false, limit: 1 }, method: 'GET', path: '/api/v1.0/auth$', freshLogin: true, huge: true },
			];
			const responses = generateBadResponses('vsa', { seed: 7501, redirectTo: thief.url, huge: true });
			const c = ctx();
			for (const t of targets) for (const bad of responses) if (!bad.huge || t.huge) await badResponseRun(c, t, bad);
			figures.uncaught += watch.count();
			expect(thief.hits).toEqual([]);
			expect(problems).toEqual([]);
			expect(watch.reasons).toEqual([]);
		});

		it('filter values with quotes and OData operators stay literal text (no injection), and match what the store holds', async () => {
			for (const probe of ODATA_PROBES) {
				figures.runs++;
				figures.badInputs++;
				const outcome = await run(h, {
					nodeType: vsaNode(),
					parameters: { resource: 'agent', operation: 'getAll', returnAll: true, filters: { nameContains: probe } },
					credentials: { kaseyaVsaApi: cred },
				});
				const expected = vsa.store.agents.filter((a) => String(a.AgentName).toLowerCase().includes(probe.toLowerCase())).length;
				if (!outcome.ok) {
					tallyFailure({ figures, problems }, `filter ${JSON.stringify(probe)}`, outcome.error);
					continue;
				}
				figures.itemsExpected += expected;
				if (outcome.output[0].length !== expected) {
					figures.silentPartial++;
					problems.push(`filter ${JSON.stringify(probe)}: ${outcome.output[0].length} agents, the store holds ${expected} matching ones (filter injection?)`);
				}
			}
			expect(problems).toEqual([]);
		});

		it('IDs that are not IDs, empty strings and oversized numbers: refused clearly before anything is sent (or answered 4xx), never a wrong path', async () => {
			// Text a user could type or an expression could produce, and values of the wrong type.
			const badIds: unknown[] = ['abc', '12 34', '-1', '1e5', '../../auth', '..%2F..%2Fauth', "1' or '1'='1", '', '   ', '１２３', '9'.repeat(40), '0x1F', '123/456', '123?x=1', '123#frag', '\u0000', 'null', '1.0', '+1', undefined, null, { a: 1 }, [1, 2], true, 12.5, 1e21, -0, Number.NaN];
			const runs: Array<{ label: string; parameters: IDataObject; input?: IDataObject[] }> = [];
			for (const id of badIds) {
				const shown = typeof id === 'string' ? JSON.stringify(id) : String(JSON.stringify(id) ?? id);
				runs.push({ label: `agent.get id ${shown}`, parameters: { resource: 'agent', operation: 'get', agentId: rlAsGiven(id) } });
				runs.push({ label: `ticket.addNote ticketId ${shown}`, parameters: { resource: 'serviceDeskTicket', operation: 'addNote', ticketId: id as IDataObject[string], text: 'probe' } });
				runs.push({ label: `procedure.run procedureId ${shown}`, parameters: { resource: 'agentProcedure', operation: 'run', agentId: byId(String(vsa.store.agents[0].AgentId)), procedureId: rlAsGiven(id) } });
			}
			const desk = String(vsa.store.serviceDesks[0].ServiceDeskId);
			runs.push({ label: 'ticket.create empty summary', parameters: { resource: 'serviceDeskTicket', operation: 'create', serviceDeskId: byId(desk), summary: '' } });
			runs.push({ label: 'ticket.create whitespace summary', parameters: { resource: 'serviceDeskTicket', operation: 'create', serviceDeskId: byId(desk), summary: '   ' } });
			runs.push({ label: 'ticket.addNote empty text', parameters: { resource: 'serviceDeskTicket', operation: 'addNote', ticketId: String(vsa.store.tickets[0].ServiceDeskTicketId), text: '' } });
			for (const limit of [0, -5, 1.5, 1e12, Number.MAX_SAFE_INTEGER, 1e309, Number.NaN]) {
				runs.push({ label: `agent.getAll limit ${limit}`, parameters: { resource: 'agent', operation: 'getAll', returnAll: false, limit } });
			}
			for (const ro of [{ timeout: 1e12 }, { timeout: -1 }, { concurrency: 1e9 }, { concurrency: 0 }, { maxRecords: 0.5 }, { maxRecords: 1e308 }, { timeout: 'soon' }]) {
				runs.push({ label: `agent.getAll requestOptions ${JSON.stringify(ro)}`, parameters: { resource: 'agent', operation: 'getAll', returnAll: false, limit: 3, requestOptions: ro } });
			}
			runs.push({ label: 'agent.getAll unknown resource', parameters: { resource: 'nope', operation: 'getAll' } });
			runs.push({ label: 'agent.getAll unknown operation', parameters: { resource: 'agent', operation: 'explode' } });
			runs.push({ label: 'agent.getAll organization id not an id', parameters: { resource: 'agent', operation: 'getAll', returnAll: true, filters: { organizationId: "1 or 1 eq 1" } } });
			for (const r of runs) {
				figures.runs++;
				figures.badInputs++;
				const from = vsa.server.log.length;
				const outcome = await run(h, { nodeType: vsaNode(), parameters: r.parameters, credentials: { kaseyaVsaApi: cred } });
				const sent = vsa.server.log.slice(from).filter((e) => !/\/auth$/.test(e.path));
				// Nothing sent may escape the operation's own route: no traversal, no other resource.
				for (const e of sent) {
					const traversal = e.path.split('/').some((seg) => /^(\.|%2e){1,2}$/i.test(seg));
					if (traversal || /\/auth$/i.test(e.path) || (e.route === undefined && e.status === 404 && !/agents|servicedesktickets|agentprocs/.test(e.path))) {
						problems.push(`${r.label}: request escaped its route: ${e.method} ${e.path}`);
					}
				}
				if (!outcome.ok) tallyFailure({ figures, problems }, r.label, outcome.error);
			}
			expect(problems).toEqual([]);
		});

		it('continueOnFail: one item with a bad ID becomes an error item, the other items succeed', async () => {
			const ids = vsa.store.agents.slice(10, 13).map((a) => String(a.AgentId));
			for (const bad of ['abc', '../x', '', '9'.repeat(40), '999999999999999']) {
				figures.runs++;
				figures.badInputs++;
				const input = [{ id: ids[0] }, { id: bad }, { id: ids[1] }, { id: ids[2] }];
				const outcome = await run(h, { nodeType: vsaNode(), parameters: { resource: 'agent', operation: 'get', agentId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } }, credentials: { kaseyaVsaApi: cred }, input, continueOnFail: true });
				checkOneBadItem({ figures, problems }, `continueOnFail bad id ${JSON.stringify(bad)}`, outcome, ids, (json) => json.AgentId);
			}
			expect(problems).toEqual([]);
		});

		it('malformed server URLs in the credential: a clear login error, no secret', async () => {
			const urls = ['', '   ', 'vsa.example.com', 'htp://x', 'https://', 'http://[::1', 'javascript:alert(1)', 'ftp://127.0.0.1/', 'https://127.0.0.1:1', 'http://127.0.0.1:99999', 'https://exa mple.com', 'http://kaseya-reliability.invalid', 'https://admin:UrlSecret-4711@127.0.0.1:1/', `${vsa.url}/api/v1.0/auth?x=1#y`, `${vsa.url}/some/portal`];
			for (const [i, baseUrl] of urls.entries()) {
				figures.runs++;
				figures.badInputs++;
				const id = h.addCredential('kaseyaVsaApi', vsaCredentialData(vsa, 'personalAccessToken', { baseUrl }), `vsa-url-${i}`);
				const outcome = await run(h, { nodeType: vsaNode(), parameters: { resource: 'agent', operation: 'getAll', returnAll: false, limit: 1 }, credentials: { kaseyaVsaApi: id } });
				if (!outcome.ok) tallyFailure({ figures, problems }, `baseUrl ${JSON.stringify(baseUrl)}`, outcome.error, secrets().add('password inside a URL', 'UrlSecret-4711'));
			}
			expect(problems).toEqual([]);
		});
	});

	describe('Veeam Orchestrator', () => {
		let vro: VroEmulator;
		let h: Harness;
		let cred: string;
		let fresh = 0;
		const secrets = () => withCredentials(new SecretSet().addVro(vro), h);
		const { figures, problems } = scenarioScope('5 bad input: VRO responses + parameters', { watch, logs, secrets, close: () => vro?.close() });
		const credData = (extra: CredData = {}): CredData => vroCredentialData(vro, 'v7.21', extra);

		beforeAll(async () => {
			vro = await startVroEmulator({ plans: 300, seed: 7502, versions: ['v7.21'] });
			h = harness(true);
			cred = h.addCredential('veeamOrchestratorApi', credData());
		});

		it('generated bad responses to reads, paged reads, per-item reads, writes and the login', async () => {
			const plans = vro.store.plans;
			const ready = plans.find((p) => p.enabled && p.state === 'Ready' && p.planType === 'Replica' && !p.failure)!;
			const c: Ctx = {
				h,
				server: vro.emulator,
				credentialType: 'veeamOrchestratorApi',
				credential: () => cred,
				freshCredential: () => h.addCredential('veeamOrchestratorApi', fresh % 2 ? credData() : credData({ authMethod: 'clientCredentials', ...VRO_CREDENTIALS.client }), `vro-fresh-${fresh++}`),
				figures,
				problems,
				secrets,
			};
			const targets: Target[] = [
				{ label: 'VRO plan.getAll limit', nodeType: vroNode, parameters: { resource: 'plan', operation: 'getAll', returnAll: false, limit: 10 }, method: 'GET', path: '/Plans$', huge: true },
				{ label: 'VRO plan.getAll returnAll page 2+', nodeType: vroNode, parameters: { resource: 'plan', operation: 'getAll', returnAll: true }, method: 'GET', path: '/Plans$', fromRequest: 2 },
				{
					label: 'VRO plan.get ×3 continueOnFail',
					nodeType: vroNode,
					parameters: { resource: 'plan', operation: 'get', planId: { __rl: true, mode: 'id', value: '={{ $json.id }}' }, requestOptions: { concurrency: 1 } },
					input: plans.slice(0, 3).map((p) => ({ id: p.id })),
					method: 'GET',
					path: '/Plans/[^/]+$',
					once: true,
					continueOnFail: true,
					idOf: (json) => json.id,
				},
				{ label: 'VRO plan.clone', nodeType: vroNode, parameters: { resource: 'plan', operation: 'clone', planId: byId(plans[1].id), newName: 'bad input probe' }, method: 'POST', path: '/Clone$' },
				{ label: 'VRO plan.failover', nodeType: vroNode, parameters: { resource: 'plan', operation: 'failover', planId: byId(ready.id), waitForCompletion: false }, method: 'POST', path: '/Failover$' },
				{ label: 'VRO login (POST /api/token)', nodeType: vroNode, parameters: { resource: 'plan', operation: 'getAll', returnAll: false, limit: 1 }, method: 'POST', path: '/api/token$', freshLogin: true, huge: true },
			];
			const responses = generateBadResponses('vro', { seed: 7502, redirectTo: thief.url, huge: true });
			for (const t of targets) for (const bad of responses) if (!bad.huge || t.huge) await badResponseRun(c, t, bad);
			figures.uncaught += watch.count();
			expect(thief.hits).toEqual([]);
			expect(problems).toEqual([]);
			expect(watch.reasons).toEqual([]);
		});

		it('IDs that are not IDs, filters that are not JSON, empty strings and oversized numbers: clear errors, never a wrong path', async () => {
			const badIds = ['not-a-guid', '../Plans', '..%2F..%2Fapi%2Ftoken', '', '   ', 'x'.repeat(5000), "' or 1=1 --", '{}', '3fa85f64-5717-4562-b3fc-2c963f66afa6/Failover', 'null', '\u0000'];
			const runs: Array<{ label: string; parameters: IDataObject }> = [];
			for (const id of badIds) {
				runs.push({ label: `plan.get id ${JSON.stringify(id).slice(0, 40)}`, parameters: { resource: 'plan', operation: 'get', planId: byId(id) } });
				runs.push({ label: `plan.failover id ${JSON.stringify(id).slice(0, 40)}`, parameters: { resource: 'plan', operation: 'failover', planId: byId(id), waitForCompletion: false } });
			}
			for (const filter of ['not json', '{"property":"name"}', '[{"property":"name","operator":"~=","value":"x"}]', '[1,2,3]', "[{\"property\":\"name'\",\"operator\":\"==\",\"value\":\"O'Brien\"}]", '['.repeat(5000)]) {
				runs.push({ label: `plan.getAll filter ${filter.slice(0, 30)}`, parameters: { resource: 'plan', operation: 'getAll', returnAll: true, filters: { filter } } });
			}
			for (const limit of [0, -5, 1.5, 1e12, 1e309, Number.NaN]) runs.push({ label: `plan.getAll limit ${limit}`, parameters: { resource: 'plan', operation: 'getAll', returnAll: false, limit } });
			runs.push({ label: 'unknown resource', parameters: { resource: 'nope', operation: 'getAll' } });
			runs.push({ label: 'unknown operation', parameters: { resource: 'plan', operation: 'explode' } });
			runs.push({ label: 'plan.clone empty name', parameters: { resource: 'plan', operation: 'clone', planId: byId(vro.store.plans[2].id), newName: '' } });
			runs.push({ label: 'plan.clone huge name', parameters: { resource: 'plan', operation: 'clone', planId: byId(vro.store.plans[2].id), newName: 'n'.repeat(100_000) } });
			for (const r of runs) {
				figures.runs++;
				figures.badInputs++;
				const from = vro.emulator.log.length;
				const outcome = await run(h, { nodeType: vroNode(), parameters: r.parameters, credentials: { veeamOrchestratorApi: cred } });
				for (const e of vro.emulator.log.slice(from)) {
					// A value may contain "../" as long as it stays inside one encoded segment.
					const traversal = e.path.split('/').some((seg) => /^(\.|%2e){1,2}$/i.test(seg));
					if (traversal || (/\/token$/i.test(e.path) && e.method !== 'POST')) problems.push(`${r.label}: request escaped its route: ${e.method} ${e.path}`);
				}
				if (!outcome.ok) tallyFailure({ figures, problems }, r.label, outcome.error);
			}
			expect(problems).toEqual([]);
		});

		it('malformed server URLs and API versions in the credential: a clear login error, no secret', async () => {
			const variants: CredData[] = [
				...badServerUrls('vro', 9898, 'UrlSecret-4712'),
				{ apiVersion: 'v99' },
				{ apiVersion: '' },
				{ apiVersion: 'v1' },
				{ apiVersion: 'v3' },
				{ authMethod: 'clientCredentials', clientId: '', clientSecret: '' },
				{ authMethod: 'clientCredentials', apiVersion: 'v1', ...VRO_CREDENTIALS.client },
				{ username: '', password: '' },
				{ username: 'VRO\\admin', password: 'wrong-password-but-long' },
				{ username: 'admin\u0000', password: VRO_CREDENTIALS.admin.password },
			];
			for (const [i, v] of variants.entries()) {
				figures.runs++;
				figures.badInputs++;
				const id = h.addCredential('veeamOrchestratorApi', credData(v), `vro-bad-${i}`);
				const outcome = await run(h, { nodeType: vroNode(), parameters: { resource: 'plan', operation: 'getAll', returnAll: false, limit: 1 }, credentials: { veeamOrchestratorApi: id } });
				if (!outcome.ok) tallyFailure({ figures, problems }, `credential ${JSON.stringify(v)}`, outcome.error, secrets().add('password inside a URL', 'UrlSecret-4712').add('wrong password', 'wrong-password-but-long'));
			}
			expect(problems).toEqual([]);
		});
	});

	describe('Veeam Service Provider Console', () => {
		const TYPE = 'veeamServiceProviderConsoleApi';
		const ZERO_UID = '00000000-0000-4000-8000-000000000000';
		let vspc: VspcEmulator;
		let h: Harness;
		let cred: string;
		let keyCred: string;
		let fresh = 0;
		// In API-key mode the credential's hidden token field holds the word "apiKey", not a secret.
		const secrets = () => withCredentials(new SecretSet().addVspc(vspc), h).allow(VSPC_API_KEY_MARKER);
		const { figures, problems } = scenarioScope('5 bad input: VSPC responses + parameters', { watch, logs, secrets, close: () => vspc?.close() });

		beforeAll(async () => {
			// 600 protected VMs: two pages of 500.
			vspc = await startVspcEmulator({ companies: 4, vmsPerCompany: 150, seed: 7503 });
			h = vspcHarness();
			cred = h.addCredential(TYPE, vspcCredentialData(vspc));
			keyCred = h.addCredential(TYPE, vspcCredentialData(vspc, 'apiKey'), 'vspc-key');
		});

		/** Runs the node with `parameters`; returns the outcome and the requests it sent besides the login. */
		const probe = async (credential: string, parameters: IDataObject, input?: IDataObject[], continueOnFail?: boolean) => {
			figures.runs++;
			figures.badInputs++;
			const from = vspc.emulator.log.length;
			const outcome = await run(h, { nodeType: vspcNode(), parameters, credentials: { [TYPE]: credential }, input, continueOnFail });
			const sent = vspc.emulator.log.slice(from).filter((e) => !/\/api\/v3\/(token|about)$/.test(e.path));
			// Nothing sent may leave the API: no traversal, no other service of the host.
			for (const e of sent) if (!e.path.startsWith('/api/v3/') || e.path.split('/').some((seg) => /^(\.|%2e){1,2}$/i.test(seg))) problems.push(`${JSON.stringify(parameters).slice(0, 80)}: request escaped its route: ${e.method} ${e.path}`);
			return { outcome, sent };
		};

		it('generated bad responses to reads, paged reads, per-item reads, writes and the login', async () => {
			const jobs = vspc.store.jobs;
			const alarm = vspc.store.alarms.find((a) => a.lastActivation.status === 'Error')!;
			const c: Ctx = {
				h,
				server: vspc.emulator,
				credentialType: TYPE,
				credential: () => cred,
				freshCredential: () => h.addCredential(TYPE, vspcCredentialData(vspc), `vspc-fresh-${fresh++}`),
				figures,
				problems,
				secrets,
			};
			const targets: Target[] = [
				{ label: 'VSPC alarm.getAll limit', nodeType: vspcNode, parameters: { resource: 'alarm', operation: 'getAll', returnAll: false, limit: 10 }, method: 'GET', path: '/alarms/active$', huge: true },
				{ label: 'VSPC protectedWorkload.getAll returnAll page 2+', nodeType: vspcNode, parameters: { resource: 'protectedWorkload', operation: 'getAll', workloadType: 'virtualMachines', returnAll: true }, method: 'GET', path: '/protectedWorkloads/virtualMachines$', fromRequest: 2 },
				{
					label: 'VSPC backupJob.get ×3 continueOnFail',
					nodeType: vspcNode,
					parameters: { resource: 'backupJob', operation: 'get', jobUid: '={{ $json.id }}', requestOptions: { concurrency: 1 } },
					input: jobs.slice(0, 3).map((j) => ({ id: j.instanceUid })),
					method: 'GET',
					path: '/infrastructure/backupServers/jobs/[^/]+$',
					once: true,
					continueOnFail: true,
					idOf: (json) => json.instanceUid,
				},
				{ label: 'VSPC alarm.acknowledge', nodeType: vspcNode, parameters: { resource: 'alarm', operation: 'acknowledge', activeAlarmUid: alarm.instanceUid, comment: 'bad input probe' }, method: 'POST', path: '/acknowledge$' },
				{ label: 'VSPC backupJob.start', nodeType: vspcNode, parameters: { resource: 'backupJob', operation: 'start', jobUid: jobs[1].instanceUid }, method: 'POST', path: '/start$' },
				{ label: 'VSPC login (POST /api/v3/token)', nodeType: vspcNode, parameters: { resource: 'company', operation: 'getAll', returnAll: false, limit: 1 }, method: 'POST', path: '/api/v3/token$', freshLogin: true, huge: true },
			];
			const writes = vspc.effects.writes;
			const responses = generateBadResponses('vspc', { seed: 7503, redirectTo: thief.url, huge: true });
			for (const t of targets) for (const bad of responses) if (!bad.huge || t.huge) await badResponseRun(c, t, bad);
			figures.uncaught += watch.count();
			expect(thief.hits).toEqual([]);
			expect(problems).toEqual([]);
			expect(watch.reasons).toEqual([]);
			// Every write met a bad answer instead of the server's handler: nothing was applied.
			expect(vspc.effects.writes - writes).toBe(0);
		});

		it("IDs that are not UIDs, names where UIDs belong, paths that leave /api/v3: refused before anything is sent; unknown UIDs: one request and the server's 404 quoted; nothing applied, no secret (password and API key)", async () => {
			const job = vspc.store.jobs[2];
			const alarm = vspc.store.alarms[0];
			const company = vspc.store.companies[1];
			// What a user could type or an expression could produce where a UID belongs: names, numbers, near-UIDs, paths, other types.
			const notUids: unknown[] = [job.name, company.name, alarm.object.objectName, 'not-a-uid', '42', '', '   ', '../../token', '..%2F..%2Ftoken', `${job.instanceUid}/stop`, `${job.instanceUid}?x=1`, `{${job.instanceUid}}`, job.instanceUid.replace(/-/g, ''), `${job.instanceUid}0`, "' or 1=1 --", '{}', 'null', '\u0000', 'x'.repeat(5000), 42, null, undefined, { a: 1 }, [job.instanceUid], true];
			const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v).slice(0, 40) : String(JSON.stringify(v) ?? v));
			const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
			const uidParameters = (id: unknown): Array<[string, IDataObject]> => [
				['backupJob.get jobUid', { resource: 'backupJob', operation: 'get', jobUid: id as IDataObject[string] }],
				['backupJob.start jobUid', { resource: 'backupJob', operation: 'start', jobUid: id as IDataObject[string] }],
				['backupJob.stop jobUid', { resource: 'backupJob', operation: 'stop', jobUid: id as IDataObject[string] }],
				['alarm.acknowledge activeAlarmUid', { resource: 'alarm', operation: 'acknowledge', activeAlarmUid: id as IDataObject[string], comment: 'probe' }],
				['alarm.resolve activeAlarmUid', { resource: 'alarm', operation: 'resolve', activeAlarmUid: id as IDataObject[string], comment: 'probe' }],
				['company.get companyUid', { resource: 'company', operation: 'get', companyUid: rlAsGiven(id) }],
				['backupServer.get backupServerUid', { resource: 'backupServer', operation: 'get', backupServerUid: rlAsGiven(id) }],
			];
			// Optional UID filters: blank means "all", anything else must be a UID.
			const filterParameters = (id: unknown): Array<[string, IDataObject]> => [
				['alarm.getAll companyUid', { resource: 'alarm', operation: 'getAll', returnAll: true, companyUid: rlAsGiven(id) }],
				['backupJob.getAll backupServerUid', { resource: 'backupJob', operation: 'getAll', returnAll: true, backupServerUid: rlAsGiven(id) }],
				['licenseUsage.get companyUid', { resource: 'licenseUsage', operation: 'get', companyUid: rlAsGiven(id) }],
			];
			const customPaths = ['../token', '/api/v3/../../__emulator/state', '..%2F..%2F__emulator%2Fstate', '%2e%2e/token', 'https://127.0.0.1:1/x', '//evil.example/x', '/alarms/active?limit=1', 'alarms\\active', ''];
			const refused: Array<[string, IDataObject]> = [
				...notUids.flatMap((id) => uidParameters(id).map(([what, p]): [string, IDataObject] => [`${what} ${show(id)}`, p])),
				...notUids.filter((id) => !blank(id)).flatMap((id) => filterParameters(id).map(([what, p]): [string, IDataObject] => [`${what} ${show(id)}`, p])),
				...customPaths.map((path): [string, IDataObject] => [`customApi path ${show(path)}`, { resource: 'customApi', operation: 'request', method: 'GET', path }]),
				['alarm.getAll sort by a property that is not offered', { resource: 'alarm', operation: 'getAll', returnAll: true, sort: { field: "name'); DROP TABLE alarms; --" } }],
				['unknown resource', { resource: 'nope', operation: 'getAll' }],
				['unknown operation', { resource: 'alarm', operation: 'explode' }],
			];
			// Well-formed UIDs the server does not have, or has as something else.
			const unknown: Array<[string, IDataObject]> = [
				['backupJob.get an unknown UID', { resource: 'backupJob', operation: 'get', jobUid: ZERO_UID }],
				['backupJob.start a company UID', { resource: 'backupJob', operation: 'start', jobUid: company.instanceUid }],
				['backupJob.stop an alarm UID', { resource: 'backupJob', operation: 'stop', jobUid: alarm.instanceUid }],
				['alarm.acknowledge a job UID', { resource: 'alarm', operation: 'acknowledge', activeAlarmUid: job.instanceUid, comment: 'probe' }],
				['alarm.resolve an unknown UID', { resource: 'alarm', operation: 'resolve', activeAlarmUid: ZERO_UID, comment: 'probe' }],
				['company.get a job UID', { resource: 'company', operation: 'get', companyUid: rlAsGiven(job.instanceUid) }],
				['backupServer.get a company UID', { resource: 'backupServer', operation: 'get', backupServerUid: rlAsGiven(company.instanceUid) }],
			];
			const writes = vspc.effects.writes;
			let checked = 0;
			for (const [how, credential] of [['password', cred], ['API key', keyCred]]) {
				for (const [what, parameters] of refused) {
					const label = `${how}: ${what}`;
					const { outcome, sent } = await probe(credential, parameters);
					if (outcome.ok) {
						problems.push(`${label}: accepted (${sent.length} request(s) sent)`);
						continue;
					}
					tallyFailure({ figures, problems }, label, outcome.error, secrets());
					if (!(outcome.error instanceof NodeOperationError) || sent.length > 0) problems.push(`${label}: not refused before sending: ${(outcome.error as Error).constructor.name}, sent ${sent.map((e) => `${e.method} ${e.path}`).join(', ').slice(0, 200)}`);
					checked++;
				}
				for (const [what, parameters] of unknown) {
					const label = `${how}: ${what}`;
					const { outcome, sent } = await probe(credential, parameters);
					if (outcome.ok) {
						problems.push(`${label}: accepted: ${JSON.stringify(outcome.output[0]?.[0]?.json).slice(0, 120)}`);
						continue;
					}
					tallyFailure({ figures, problems }, label, outcome.error, secrets());
					const error = outcome.error as Error & { httpCode?: string };
					// The server's own answer, quoted, from the one request it got.
					if (!(error instanceof NodeApiError) || error.httpCode !== '404' || !/with UID [0-9a-f-]{36} was not found/.test(error.message)) problems.push(`${label}: not the server's 404 quoted: ${error.constructor.name} ${error.httpCode} ${error.message}`);
					if (sent.length !== 1 || sent[0].status !== 404) problems.push(`${label}: ${sent.length} request(s) (${sent.map((e) => e.status).join(', ')}), expected one answered 404`);
					checked++;
				}
			}
			expect(problems).toEqual([]);
			expect(checked).toBe(2 * (refused.length + unknown.length));
			expect(vspc.effects.writes - writes).toBe(0);
		});

		it('continueOnFail: one item with a bad UID becomes an error item, the other items succeed', async () => {
			const uids = vspc.store.jobs.slice(4, 7).map((j) => j.instanceUid);
			for (const bad of ['abc', '../x', '', vspc.store.jobs[4].name, ZERO_UID]) {
				const { outcome } = await probe(cred, { resource: 'backupJob', operation: 'get', jobUid: '={{ $json.id }}' }, [{ id: uids[0] }, { id: bad }, { id: uids[1] }, { id: uids[2] }], true);
				checkOneBadItem({ figures, problems }, `continueOnFail bad UID ${JSON.stringify(bad)}`, outcome, uids, (json) => json.instanceUid);
			}
			expect(problems).toEqual([]);
		});

		it('malformed server URLs and bad logins in the credential: a clear login error, no secret', async () => {
			const variants: CredData[] = [
				...badServerUrls('vspc', 1280, 'UrlSecret-4713'),
				{ baseUrl: `${vspc.url}/api/v2` },
				{ username: '', password: '' },
				{ username: 'vspc\\administrator', password: 'wrong-password-but-long' },
				{ username: 'vspc\\mfa-operator', password: 'Operator!2026' },
				{ username: 'admin\u0000', password: 'Provider!2026' },
				{ authMethod: 'apiKey', apiKey: '' },
				{ authMethod: 'apiKey', apiKey: 'vspc-not-a-key-0d5e3b9a71c24f68' },
				{ authMethod: 'apiKey', apiKey: `Bearer ${vspcCredentialData(vspc, 'apiKey').apiKey as string}` },
			];
			for (const [i, v] of variants.entries()) {
				const id = h.addCredential(TYPE, vspcCredentialData(vspc, 'password', v), `vspc-bad-${i}`);
				const { outcome } = await probe(id, { resource: 'company', operation: 'getAll', returnAll: false, limit: 1 });
				const s = secrets().add('password inside a URL', 'UrlSecret-4713').add('wrong password', 'wrong-password-but-long').add('wrong API key', 'vspc-not-a-key-0d5e3b9a71c24f68');
				if (outcome.ok) problems.push(`credential ${JSON.stringify(v)}: accepted`);
				else tallyFailure({ figures, problems }, `credential ${JSON.stringify(v)}`, outcome.error, s);
			}
			expect(problems).toEqual([]);
		});
	});
});
