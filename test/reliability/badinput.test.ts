/**
 * 5. Bad input. More than 1,000 generated bad server responses (HTML login pages, truncated and
 * non-JSON bodies, wrong content types, XML, redirects that would carry the Authorization header
 * away, odd status codes, envelopes with missing or odd fields, huge bodies), each answered to a
 * read, a paged read, per-item reads under continueOnFail, a write and the login — plus bad
 * parameters (malformed server URLs, IDs that are not IDs, filter values carrying quotes and OData
 * operators, empty strings, oversized numbers). Zero uncaught exceptions; every failure a
 * NodeApiError/NodeOperationError a technician can read; no malformed answer presented as data; no
 * secret in any of it; nothing follows a redirect.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, INodeType } from 'n8n-workflow';

import type { Emulator, LogEntry } from '../emulators/common/server';
import type { VsaEmulator } from '../emulators/vsa';
import { startVroEmulator, VRO_CREDENTIALS, type VroEmulator } from '../emulators/vro';
import { rlAsGiven } from '../harness/helpers';
import type { Harness } from '../harness/n8n';
import { SecretSet } from './secrets';
import { generateBadResponses, type BadResponse } from './support/badResponses';
import { byId, captureN8nLogs, type CredData, harness, startVsa, vroNode, vsaCredentialData, vsaNode } from './support/env';
import { recordFigures, restartClock, startFigures, type Figures } from './support/figures';
import { errorItems, judgeError, judgeErrorItem, run, watchProcess } from './support/outcome';

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
	if (!outcome.ok) {
		const judged = judgeError(outcome.error);
		if (judged.uncaught) c.figures.uncaught++;
		if (judged.problems.length) c.figures.unclearMessages++;
		else c.figures.clearFailures++;
		c.problems.push(...judged.problems.map((p) => `${label}: ${p}`));
		const hits = secrets.scan(outcome.error);
		c.figures.secretHits += hits.length;
		c.problems.push(...hits.map((x) => `${label}: secret in error: ${x.kind} ${x.around}`));
		return;
	}
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
		const figures = startFigures('5 bad input: VSA responses + parameters');
		beforeAll(() => restartClock(figures));
		const problems: string[] = [];
		beforeEach(() => problems.splice(0));
		const secrets = () => {
			const s = new SecretSet().addVsa(vsa);
			for (const c of h.credentials.store.values()) s.addCredential(c.data);
			return s;
		};

		beforeAll(async () => {
			vsa = await startVsa({ agents: 300, seed: 7501 });
			h = harness();
			cred = h.addCredential('kaseyaVsaApi', vsaCredentialData(vsa, 'password'));
		});
		afterAll(async () => {
			figures.uncaught += watch.count();
			figures.secretHits += secrets().scan(logs.text()).length;
			await vsa?.close();
			recordFigures(figures);
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
					const judged = judgeError(outcome.error);
					if (judged.uncaught) figures.uncaught++;
					if (judged.problems.length) figures.unclearMessages++;
					else figures.clearFailures++;
					problems.push(...judged.problems.map((p) => `filter ${JSON.stringify(probe)}: ${p}`));
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
				if (outcome.ok) {
					continue;
				}
				const judged = judgeError(outcome.error);
				if (judged.uncaught) figures.uncaught++;
				if (judged.problems.length) figures.unclearMessages++;
				else figures.clearFailures++;
				problems.push(...judged.problems.map((p) => `${r.label}: ${p}`));
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
				if (!outcome.ok) {
					problems.push(`continueOnFail bad id ${JSON.stringify(bad)}: node failed: ${(outcome.error as Error).message}`);
					continue;
				}
				const out = outcome.output[0];
				const errors = errorItems(outcome.output);
				for (const e of errors) {
					const p = judgeErrorItem(e);
					if (p.length) figures.unclearMessages++;
					problems.push(...p.map((x) => `continueOnFail bad id ${JSON.stringify(bad)}: ${x}`));
				}
				figures.clearFailures += errors.length;
				const okIds = out.filter((o) => o.json.error === undefined).map((o) => String(o.json.AgentId));
				if (errors.length !== 1 || okIds.join() !== ids.join()) problems.push(`continueOnFail bad id ${JSON.stringify(bad)}: ${errors.length} error items, results ${okIds.join()}`);
				const paired = out.map((o) => (o.pairedItem as { item: number }).item);
				if (paired.join() !== '0,1,2,3') problems.push(`continueOnFail bad id ${JSON.stringify(bad)}: pairedItem ${paired.join()}`);
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
				const s = secrets().add('password inside a URL', 'UrlSecret-4711');
				if (outcome.ok) {
					continue;
				}
				const judged = judgeError(outcome.error);
				if (judged.uncaught) figures.uncaught++;
				if (judged.problems.length) figures.unclearMessages++;
				else figures.clearFailures++;
				problems.push(...judged.problems.map((p) => `baseUrl ${JSON.stringify(baseUrl)}: ${p}`));
				const hits = s.scan(outcome.error);
				figures.secretHits += hits.length;
				problems.push(...hits.map((x) => `baseUrl ${JSON.stringify(baseUrl)}: secret in error: ${x.kind} ${x.around}`));
			}
			expect(problems).toEqual([]);
		});
	});

	describe('Veeam Orchestrator', () => {
		let vro: VroEmulator;
		let h: Harness;
		let cred: string;
		let fresh = 0;
		const figures = startFigures('5 bad input: VRO responses + parameters');
		beforeAll(() => restartClock(figures));
		const problems: string[] = [];
		beforeEach(() => problems.splice(0));
		const secrets = () => {
			const s = new SecretSet().addVro(vro);
			for (const c of h.credentials.store.values()) s.addCredential(c.data);
			return s;
		};
		const credData = (extra: CredData = {}): CredData => ({
			baseUrl: vro.url,
			apiVersion: 'v7.21',
			authMethod: 'password',
			username: VRO_CREDENTIALS.admin.username,
			password: VRO_CREDENTIALS.admin.password,
			allowUnauthorizedCerts: false,
			...extra,
		});

		beforeAll(async () => {
			vro = await startVroEmulator({ plans: 300, seed: 7502, versions: ['v7.21'] });
			h = harness(true);
			cred = h.addCredential('veeamOrchestratorApi', credData());
		});
		afterAll(async () => {
			figures.uncaught += watch.count();
			figures.secretHits += secrets().scan(logs.text()).length;
			await vro?.close();
			recordFigures(figures);
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
				if (outcome.ok) {
					continue;
				}
				const judged = judgeError(outcome.error);
				if (judged.uncaught) figures.uncaught++;
				if (judged.problems.length) figures.unclearMessages++;
				else figures.clearFailures++;
				problems.push(...judged.problems.map((p) => `${r.label}: ${p}`));
			}
			expect(problems).toEqual([]);
		});

		it('malformed server URLs and API versions in the credential: a clear login error, no secret', async () => {
			const variants: CredData[] = [
				{ baseUrl: '' },
				{ baseUrl: 'vro.example.com:9898' },
				{ baseUrl: 'https://' },
				{ baseUrl: 'http://[::1' },
				{ baseUrl: 'https://127.0.0.1:1' },
				{ baseUrl: 'http://vro-reliability.invalid:9898' },
				{ baseUrl: 'https://svc:UrlSecret-4712@127.0.0.1:1' },
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
				const s = secrets().add('password inside a URL', 'UrlSecret-4712').add('wrong password', 'wrong-password-but-long');
				if (outcome.ok) {
					continue;
				}
				const judged = judgeError(outcome.error);
				if (judged.uncaught) figures.uncaught++;
				if (judged.problems.length) figures.unclearMessages++;
				else figures.clearFailures++;
				problems.push(...judged.problems.map((p) => `credential ${JSON.stringify(v)}: ${p}`));
				const hits = s.scan(outcome.error);
				figures.secretHits += hits.length;
				problems.push(...hits.map((x) => `credential ${JSON.stringify(v)}: secret in error: ${x.kind} ${x.around}`));
			}
			expect(problems).toEqual([]);
		});
	});
});
