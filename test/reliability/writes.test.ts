/**
 * 2. Writes never repeat. Non-idempotent operations (run agent procedure, create ticket, add note,
 * failover, clone plan) where the server applies the request and then the connection drops
 * (`resetAfter`): the request reaches the server at most once per item, the server-side effect
 * happens at most once, and the error says the change may have been applied and how to check. Each
 * run has three input items under continueOnFail: the dropped one becomes an error item, the others
 * succeed. Further runs use the other faults a write can meet (429/503 → retried safely; 502/504,
 * reset before handling, timeout → not re-sent). Idempotent GETs recover from the same drop by
 * themselves.
 */
import type { IDataObject, INodeExecutionData, INodeType } from 'n8n-workflow';

import { seededRandom, type Emulator, type FaultRule, type LogEntry } from '../emulators/common/server';
import type { VsaEmulator } from '../emulators/vsa';
import { startVroEmulator, VRO_CREDENTIALS, type VroEmulator } from '../emulators/vro';
import type { Harness } from '../harness/n8n';
import { SecretSet } from './secrets';
import { byId, captureN8nLogs, harness, lastSeq, startVsa, vroNode, vsaCredentialData, vsaNode } from './support/env';
import { recordFigures, restartClock, startFigures, type Figures } from './support/figures';
import { errorItems, judgeError, judgeErrorItem, run, watchProcess } from './support/outcome';

const RUNS_PER_OPERATION = 44;
const ITEMS = 3;

/** One write operation under test: its parameters, and how to see per item what reached and changed the server. */
interface WriteCase {
	label: string;
	nodeType: () => INodeType;
	credentials: Record<string, string>;
	server: Emulator;
	parameters: IDataObject;
	/** Input items of run `r`, each naming what it writes. */
	input(r: number): IDataObject[];
	/** Path regex of the write request, for the fault rule. */
	path: string;
	method: string;
	/** Which input item a logged request belongs to (undefined: not this operation's write). */
	itemOf(entry: LogEntry, input: IDataObject[]): number | undefined;
	/** The server-side effect count of one item (store/counter based). */
	effects(item: IDataObject): number;
	/** What a successful output item must show. */
	okOutput?(json: IDataObject, item: IDataObject): boolean;
}

interface WriteTally {
	figures: Figures;
	problems: string[];
	secrets: () => SecretSet;
}

const MAY_HAVE_APPLIED = /may have been applied|may have (started|run|been created|been added)/i;

/**
 * Runs one case once with `fault` armed for the first matching write, and checks every item:
 * sent to the handler at most once, effect at most once, and — when the fault could have hidden an
 * applied change — an error item that says so.
 */
async function writeRun(h: Harness, c: WriteCase, r: number, fault: Omit<FaultRule, 'method' | 'path' | 'times'>, tally: WriteTally, continueOnFail = true): Promise<void> {
	const { figures, problems } = tally;
	const input = c.input(r);
	const before = input.map((item) => c.effects(item));
	const effectsOf = (i: number) => c.effects(input[i]) - before[i];
	c.server.clearFaults();
	c.server.addFault({ ...fault, method: c.method, path: c.path, times: 1 });
	const from = lastSeq(c.server);
	figures.runs++;
	figures.itemsExpected += input.length;
	// A 1 s timeout (Request Options) so that the "slow answer" fault times out.
	const parameters = { ...c.parameters, requestOptions: { timeout: 1 } };
	const outcome = await run(h, { nodeType: c.nodeType(), parameters, credentials: c.credentials, input, continueOnFail });
	const entries = c.server.log.filter((e) => e.seq > from && e.method === c.method && new RegExp(c.path, 'i').test(e.path));
	const faulted = entries.filter((e) => e.fault).length;
	figures.faultsInjected += faulted;
	const label = `${c.label} run ${r} (${fault.kind}${fault.status ? ` ${fault.status}` : ''})`;

	// Per item: requests that reached the server's handler, and effects in the server's store.
	const handled = input.map(() => 0);
	for (const e of entries) {
		const i = c.itemOf(e, input);
		if (i !== undefined && e.route) handled[i]++;
	}
	input.forEach((_item, i) => {
		const effects = effectsOf(i);
		if (handled[i] > 1 || effects > 1) {
			figures.repeatedWrites++;
			problems.push(`${label}: item ${i} reached the server ${handled[i]}× and took effect ${effects}×`);
		}
	});

	const secrets = tally.secrets();
	if (!outcome.ok) {
		// Without continueOnFail the whole node fails on the faulted item.
		const judged = judgeError(outcome.error);
		if (judged.uncaught) figures.uncaught++;
		if (judged.problems.length) figures.unclearMessages++;
		problems.push(...judged.problems.map((p) => `${label}: ${p}`));
		if (continueOnFail) problems.push(`${label}: node failed although continueOnFail is on`);
		else figures.clearFailures++;
		if (!continueOnFail && ['resetAfter', 'resetBefore', 'delay'].includes(fault.kind) && !MAY_HAVE_APPLIED.test((outcome.error as Error).message)) {
			figures.unclearMessages++;
			problems.push(`${label}: error does not say the change may have been applied: ${(outcome.error as Error).message}`);
		}
		const hits = secrets.scan(outcome.error);
		figures.secretHits += hits.length;
		problems.push(...hits.map((x) => `${label}: secret in error: ${x.kind} ${x.around}`));
		return;
	}
	const out: INodeExecutionData[] = outcome.output[0] ?? [];
	figures.itemsReturned += out.length;
	const errors = errorItems(outcome.output);
	figures.clearFailures += errors.length;
	for (const e of errors) {
		const p = judgeErrorItem(e);
		if (p.length) figures.unclearMessages++;
		problems.push(...p.map((x) => `${label}: ${x}`));
	}
	const maybeApplied = ['resetAfter', 'resetBefore', 'delay'].includes(fault.kind);
	if (faulted > 0 && fault.kind !== 'retryAfter' && !(fault.kind === 'status' && [429, 503].includes(fault.status ?? 0))) {
		// The faulted item must be an error item, the others must succeed.
		if (errors.length !== 1) problems.push(`${label}: expected exactly one error item, got ${errors.length}`);
		const err = errors[0];
		if (err && maybeApplied) {
			if (!MAY_HAVE_APPLIED.test(String(err.json.error))) {
				figures.unclearMessages++;
				problems.push(`${label}: error item does not say the change may have been applied: ${err.json.error}`);
			}
			if (!/check/i.test(String(err.json.description ?? ''))) {
				figures.unclearMessages++;
				problems.push(`${label}: error item does not say how to check: ${err.json.description}`);
			}
		}
	} else if (errors.length) {
		problems.push(`${label}: ${errors.length} error item(s) where the write should have been retried safely: ${errors.map((e) => e.json.error).join(' | ')}`);
	}
	// pairedItem keeps input order; successful items show the write's result and took effect exactly once.
	out.forEach((o, k) => {
		const i = typeof o.pairedItem === 'object' && !Array.isArray(o.pairedItem) ? (o.pairedItem as { item: number }).item : k;
		if (o.json.error !== undefined) return;
		const eff = effectsOf(i);
		if (eff !== 1) problems.push(`${label}: item ${i} succeeded but took effect ${eff}×`);
		if (c.okOutput && !c.okOutput(o.json, input[i])) problems.push(`${label}: item ${i} output does not show the write: ${JSON.stringify(o.json).slice(0, 200)}`);
	});
	const hits = secrets.scan(outcome.output);
	figures.secretHits += hits.length;
	problems.push(...hits.map((x) => `${label}: secret in output: ${x.kind} ${x.around}`));
}

/** Other faults a write can meet, each run once per case after the resetAfter runs. */
const OTHER_WRITE_FAULTS: Array<Omit<FaultRule, 'method' | 'path' | 'times'>> = [
	{ kind: 'status', status: 503, headers: { 'Retry-After': '0' } },
	{ kind: 'retryAfter', retryAfter: '0' },
	{ kind: 'status', status: 502 },
	{ kind: 'status', status: 504 },
	{ kind: 'resetBefore' },
	{ kind: 'delay', delayMs: 1500 },
];

describe('2. writes never repeat', () => {
	const watch = watchProcess();
	const logs = captureN8nLogs();
	afterAll(() => watch.stop());

	describe('Kaseya VSA', () => {
		let vsa: VsaEmulator;
		const figures = startFigures('2 writes: VSA run procedure, create ticket, add note');
		beforeAll(() => restartClock(figures));
		const problems: string[] = [];
		beforeEach(() => problems.splice(0));
		let h: Harness;
		let cred: string;
		const tally: WriteTally = { figures, problems, secrets: () => new SecretSet().addVsa(vsa).addCredential(h.credentialData(cred)) };

		beforeAll(async () => {
			vsa = await startVsa({ agents: 600, seed: 7101 });
			h = harness();
			cred = h.addCredential('kaseyaVsaApi', vsaCredentialData(vsa, 'password'));
		});
		afterAll(async () => {
			figures.uncaught += watch.count();
			const logHits = tally.secrets().scan(logs.text());
			figures.secretHits += logHits.length;
			await vsa?.close();
			recordFigures(figures);
		});

		const PROC = 1000108; // "Disk Cleanup", runnable by everyone
		const cases = (): WriteCase[] => {
			const agents = vsa.store.agents;
			const desk = vsa.store.serviceDesks[0];
			const tickets = vsa.store.tickets.filter((t) => t.ServiceDeskId === desk.ServiceDeskId);
			return [
				{
					label: 'VSA agentProcedure.run',
					nodeType: vsaNode,
					credentials: { kaseyaVsaApi: cred },
					server: vsa.server,
					parameters: { resource: 'agentProcedure', operation: 'run', agentId: { __rl: true, mode: 'id', value: '={{ $json.agentId }}' }, procedureId: byId(PROC) },
					input: (r) => Array.from({ length: ITEMS }, (_, i) => ({ agentId: String(agents[(r * ITEMS + i) % agents.length].AgentId) })),
					method: 'PUT',
					path: '/automation/agentprocs/\\d+/\\d+/runnow',
					itemOf: (e, input) => {
						const i = input.findIndex((it) => e.path.includes(`/${it.agentId}/`));
						return i < 0 ? undefined : i;
					},
					effects: (item) => vsa.store.counter(`runnow:${item.agentId}:${PROC}`),
					okOutput: (json) => json.success === true,
				},
				{
					label: 'VSA serviceDeskTicket.create',
					nodeType: vsaNode,
					credentials: { kaseyaVsaApi: cred },
					server: vsa.server,
					parameters: { resource: 'serviceDeskTicket', operation: 'create', serviceDeskId: byId(String(desk.ServiceDeskId)), summary: '={{ $json.summary }}', priority: String(vsa.store.deskLookups.get(String(desk.ServiceDeskId))!.priorities[0].PriorityId) },
					input: (r) => Array.from({ length: ITEMS }, (_, i) => ({ summary: `reliability ticket ${r}-${i}` })),
					method: 'POST',
					path: '/automation/servicedesktickets/\\d+/ticket$',
					itemOf: (e, input) => {
						const i = input.findIndex((it) => (e.body as IDataObject | undefined)?.Summary === it.summary);
						return i < 0 ? undefined : i;
					},
					effects: (item) => vsa.store.tickets.filter((t) => t.Summary === item.summary).length,
					okOutput: (json, item) => json.Summary === item.summary && /^\d+$/.test(String(json.ServiceDeskTicketId)),
				},
				{
					label: 'VSA serviceDeskTicket.addNote',
					nodeType: vsaNode,
					credentials: { kaseyaVsaApi: cred },
					server: vsa.server,
					parameters: { resource: 'serviceDeskTicket', operation: 'addNote', ticketId: '={{ $json.ticketId }}', text: '={{ $json.text }}' },
					input: (r) => Array.from({ length: ITEMS }, (_, i) => ({ ticketId: String(tickets[(r * ITEMS + i) % tickets.length].ServiceDeskTicketId), text: `reliability note ${r}-${i}` })),
					method: 'POST',
					path: '/automation/servicedesktickets/\\d+/notes$',
					itemOf: (e, input) => {
						const i = input.findIndex((it) => (e.body as IDataObject | undefined)?.Text === it.text);
						return i < 0 ? undefined : i;
					},
					effects: (item) => vsa.store.ticketNotes.filter((n) => n.Text === item.text).length,
				},
			];
		};

		it(`${RUNS_PER_OPERATION} runs per operation with the connection dropped after the server applied the write`, async () => {
			for (const c of cases()) {
				vsa.server.random = seededRandom(7101);
				for (let r = 0; r < RUNS_PER_OPERATION; r++) await writeRun(h, c, r, { kind: 'resetAfter' }, tally, r % 10 !== 9);
			}
			vsa.server.clearFaults();
			expect(problems).toEqual([]);
			expect(watch.reasons).toEqual([]);
		});

		it('other faults: 429/503 are retried once safely; 502/504, reset before handling and timeouts are not re-sent', async () => {
			for (const c of cases()) {
				for (const [k, fault] of OTHER_WRITE_FAULTS.entries()) {
					await writeRun(h, c, 1000 + k, fault, tally);
				}
			}
			vsa.server.clearFaults();
			expect(problems).toEqual([]);
		});

		it('idempotent reads recover by themselves from the same drop (agent get, ticket get)', async () => {
			const agent = vsa.store.agents[3];
			const ticket = vsa.store.tickets[5];
			for (let r = 0; r < 20; r++) {
				vsa.server.clearFaults();
				vsa.server.addFault({ kind: r % 2 ? 'resetAfter' : 'resetBefore', method: 'GET', path: '/assetmgmt/agents/\\d+$|/servicedesktickets/\\d+$', times: 1 });
				figures.runs++;
				const params = r % 2 ? { resource: 'agent', operation: 'get', agentId: byId(String(agent.AgentId)) } : { resource: 'serviceDeskTicket', operation: 'get', ticketId: String(ticket.ServiceDeskTicketId) };
				const from = lastSeq(vsa.server);
				const outcome = await run(h, { nodeType: vsaNode(), parameters: params, credentials: { kaseyaVsaApi: cred } });
				figures.faultsInjected += vsa.server.log.filter((e) => e.seq > from && e.fault).length;
				figures.itemsExpected++;
				if (!outcome.ok) {
					problems.push(`GET run ${r}: ${(outcome.error as Error).message}`);
					continue;
				}
				figures.itemsReturned += outcome.output[0].length;
				const json = outcome.output[0][0].json;
				const ok = r % 2 ? String(json.AgentId) === String(agent.AgentId) : String(json.ServiceDeskTicketId) === String(ticket.ServiceDeskTicketId);
				if (!ok) problems.push(`GET run ${r}: wrong record ${JSON.stringify(json).slice(0, 120)}`);
			}
			vsa.server.clearFaults();
			expect(problems).toEqual([]);
		});
	});

	describe('Veeam Orchestrator', () => {
		let vro: VroEmulator;
		const figures = startFigures('2 writes: VRO failover, clone plan');
		beforeAll(() => restartClock(figures));
		const problems: string[] = [];
		beforeEach(() => problems.splice(0));
		let h: Harness;
		let cred: string;
		const tally: WriteTally = { figures, problems, secrets: () => new SecretSet().addVro(vro).addCredential(h.credentialData(cred)) };

		beforeAll(async () => {
			vro = await startVroEmulator({ plans: 1000, seed: 7102 });
			h = harness(true);
			cred = h.addCredential('veeamOrchestratorApi', {
				baseUrl: vro.url,
				apiVersion: 'v7.21',
				authMethod: 'password',
				username: VRO_CREDENTIALS.admin.username,
				password: VRO_CREDENTIALS.admin.password,
				allowUnauthorizedCerts: false,
			});
		});
		afterAll(async () => {
			figures.uncaught += watch.count();
			const logHits = tally.secrets().scan(logs.text());
			figures.secretHits += logHits.length;
			await vro?.close();
			recordFigures(figures);
		});

		// Failover needs an enabled Replica/CdpReplica plan in Ready state; every item of every run gets its own plan.
		const runPlans = new Map<number, string[]>();
		let readyPool: string[] = [];
		const plansOf = (r: number) => {
			if (!runPlans.has(r)) {
				if (readyPool.length < ITEMS) throw new Error('the emulator has run out of Ready plans: seed more plans');
				runPlans.set(r, readyPool.splice(0, ITEMS));
			}
			return runPlans.get(r)!;
		};

		const cases = (): WriteCase[] => {
			if (readyPool.length === 0 && runPlans.size === 0) {
				readyPool = vro.store.plans.filter((p) => p.enabled && p.state === 'Ready' && (p.planType === 'Replica' || p.planType === 'CdpReplica') && !p.failure).map((p) => p.id);
			}
			const source = vro.store.plans[0];
			return [
				{
					label: 'VRO plan.failover',
					nodeType: vroNode,
					credentials: { veeamOrchestratorApi: cred },
					server: vro.emulator,
					parameters: { resource: 'plan', operation: 'failover', planId: { __rl: true, mode: 'id', value: '={{ $json.planId }}' }, waitForCompletion: false },
					input: (r) => plansOf(r).map((planId) => ({ planId })),
					method: 'POST',
					path: '/Plans/[^/]+/Failover$',
					itemOf: (e, input) => {
						const i = input.findIndex((it) => e.path.toLowerCase().includes(String(it.planId).toLowerCase()));
						return i < 0 ? undefined : i;
					},
					// A failover started = the plan left Ready; a second one would be refused by the server, so count sends too (see writeRun).
					effects: (item) => (vro.engine.runtime.get(String(item.planId))?.action === 'Failover' ? 1 : 0),
				},
				{
					label: 'VRO plan.clone',
					nodeType: vroNode,
					credentials: { veeamOrchestratorApi: cred },
					server: vro.emulator,
					parameters: { resource: 'plan', operation: 'clone', planId: byId(source.id), newName: '={{ $json.name }}' },
					input: (r) => Array.from({ length: ITEMS }, (_, i) => ({ name: `reliability clone ${r}-${i}` })),
					method: 'POST',
					path: '/Plans/[^/]+/Clone$',
					itemOf: (e, input) => {
						const i = input.findIndex((it) => (e.body as IDataObject | undefined)?.name === it.name);
						return i < 0 ? undefined : i;
					},
					effects: (item) => vro.store.plans.filter((p) => p.name === item.name).length,
				},
			];
		};

		it(`${RUNS_PER_OPERATION} runs per operation with the connection dropped after the server applied the write`, async () => {
			const all = cases();
			for (const c of all) {
				vro.emulator.random = seededRandom(7102);
				for (let r = 0; r < RUNS_PER_OPERATION; r++) await writeRun(h, c, r, { kind: 'resetAfter' }, tally, r % 10 !== 9);
			}
			vro.emulator.clearFaults();
			expect(problems).toEqual([]);
			expect(watch.reasons).toEqual([]);
		});

		it('other faults: 429/503 are retried once safely; 502/504, reset before handling and timeouts are not re-sent', async () => {
			const all = cases();
			for (const c of all) {
				for (const [k, fault] of OTHER_WRITE_FAULTS.entries()) await writeRun(h, c, 1000 + k, fault, tally);
			}
			vro.emulator.clearFaults();
			expect(problems).toEqual([]);
		});

		it('idempotent reads recover by themselves from the same drop (plan get)', async () => {
			const plan = vro.store.plans[7];
			for (let r = 0; r < 20; r++) {
				vro.emulator.clearFaults();
				vro.emulator.addFault({ kind: r % 2 ? 'resetAfter' : 'resetBefore', method: 'GET', path: `/Plans/${plan.id}$`, times: 1 });
				figures.runs++;
				figures.itemsExpected++;
				const outcome = await run(h, { nodeType: vroNode(), parameters: { resource: 'plan', operation: 'get', planId: byId(plan.id) }, credentials: { veeamOrchestratorApi: cred } });
				figures.faultsInjected++;
				if (!outcome.ok) {
					problems.push(`GET run ${r}: ${(outcome.error as Error).message}`);
					continue;
				}
				figures.itemsReturned += outcome.output[0].length;
				if (String(outcome.output[0][0].json.id) !== plan.id) problems.push(`GET run ${r}: wrong plan`);
			}
			vro.emulator.clearFaults();
			expect(problems).toEqual([]);
		});
	});
});
