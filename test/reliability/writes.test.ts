/**
 * 2. Writes never repeat. Non-idempotent operations (run agent procedure, create ticket, add note,
 * failover, clone plan) where the server applies the request and then the connection drops
 * (`resetAfter`): the request reaches the server at most once per item, the server-side effect
 * happens at most once, and the error says the change may have been applied and how to check. Each
 * run has three input items under continueOnFail: the dropped one becomes an error item, the others
 * succeed. Further runs use the other faults a write can meet (429/503 → retried safely; 502/504,
 * reset before handling, timeout → not re-sent). Idempotent GETs recover from the same drop by
 * themselves.
 *
 * VSPC's writes (resolve alarm, start job) carry an idempotency key, X-Request-id, that the server
 * applies once within 5 minutes: there the node resends after a drop, a timeout, a 502/504 and a
 * re-login, and every send of one item must carry the same key (a UUID, never used by another item
 * or run), the server-side effect must happen exactly once and the item succeeds. A 520 (VSPC's
 * 5xx) is not re-sent and becomes an error item quoting the server.
 */
import type { IDataObject, INodeExecutionData, INodeType } from 'n8n-workflow';

import { seededRandom, type Emulator, type FaultRule, type LogEntry } from '../emulators/common/server';
import type { VsaEmulator } from '../emulators/vsa';
import { startVroEmulator, type VroEmulator } from '../emulators/vro';
import { startVspcEmulator, type VspcEmulator } from '../emulators/vspc';
import { errorEnvelope } from '../emulators/vspc/routes';
import type { Harness } from '../harness/n8n';
import { SecretSet } from './secrets';
import { byId, harness, knobRule, lastSeq, startVsa, vroCredentialData, vroNode, vsaCredentialData, vsaNode, vspcCredentialData, vspcHarness, vspcNode } from './support/env';
import { errorItems, judgeError, judgeErrorItem, run } from './support/outcome';
import { fileWatch, scenarioScope } from './support/scope';
import type { Tally } from './support/tally';

const RUNS_PER_OPERATION = 44;
const ITEMS = 3;

/** One write operation under test: its parameters, and how to see per item what reached and changed the server. */
interface WriteCase {
	label: string;
	nodeType: () => INodeType;
	credentials: Record<string, string>;
	server: Emulator;
	parameters: IDataObject;
	/** Input items of run `r`, each naming what it writes (may set up the server for it first). */
	input(r: number): IDataObject[] | Promise<IDataObject[]>;
	/** Path regex of the write request, for the fault rule. */
	path: string;
	method: string;
	/** Which input item a logged request belongs to (undefined: not this operation's write). */
	itemOf(entry: LogEntry, input: IDataObject[]): number | undefined;
	/** The server-side effect count of one item (store/counter based). */
	effects(item: IDataObject): number;
	/** What a successful output item must show. */
	okOutput?(json: IDataObject, item: IDataObject): boolean;
	/**
	 * The idempotency key header the server honours for this write (VSPC: X-Request-id). Set, the
	 * node may resend an item after a fault, but every send of the item must carry one UUID that no
	 * other write used, and the server must apply it once.
	 */
	idempotencyHeader?: string;
}

/** Figures, problems, secrets and — for keyed writes — every idempotency key seen in the test, with the item that sent it. */
type WriteTally = Tally & { keys?: Map<string, string> };

/** A fault armed for the next matching write; `quoted`: server text a resulting error item must quote. */
type WriteFault = Omit<FaultRule, 'method' | 'path' | 'times'> & { quoted?: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether the node must resend a write after this fault: 429/503 (and a 401, after the one re-login)
 * prove the server did not act; for a keyed write also a drop, a timeout or a 502/504, because the
 * server applies a repeated key once.
 */
function retriedSafely(f: WriteFault, keyed: boolean): boolean {
	if (f.kind === 'retryAfter') return true;
	if (f.kind === 'status') return (keyed ? [401, 429, 502, 503, 504] : [401, 429, 503]).includes(f.status ?? 503);
	return keyed && ['resetAfter', 'resetBefore', 'delay'].includes(f.kind);
}

function headerValue(e: LogEntry, name: string): string | undefined {
	const v = e.headers[name.toLowerCase()];
	return Array.isArray(v) ? v[0] : v;
}

/**
 * The keys an item's sends carried: one UUID on every send, never one another item or run used.
 * Returns how many different keys the item sent (more than 1 = the write was repeated as a new one).
 */
function checkKeys(header: string, sends: LogEntry[], who: string, tally: WriteTally): number {
	const values = sends.map((e) => headerValue(e, header));
	if (values.some((v) => v === undefined || !UUID.test(v))) tally.problems.push(`${who}: a send without a UUID in ${header}: ${JSON.stringify(values)}`);
	const distinct = new Set(values.filter((v): v is string => v !== undefined));
	for (const key of distinct) {
		const other = tally.keys?.get(key);
		if (other !== undefined && other !== who) tally.problems.push(`${who}: ${header} ${key} was already sent by ${other}`);
		tally.keys?.set(key, who);
	}
	return distinct.size;
}

const MAY_HAVE_APPLIED = /may have been applied|may have (started|run|been created|been added)/i;

/**
 * Runs one case once with `fault` armed for the first matching write (a list: for the first, second…
 * matching sends, in order), and checks every item: sent to the handler at most once (a keyed write:
 * with one key), effect at most once, a faulted item resent only when that is safe, and — when the
 * fault could have hidden an applied change — an error item that says so.
 */
async function writeRun(h: Harness, c: WriteCase, r: number, fault: WriteFault | WriteFault[], tally: WriteTally, continueOnFail = true): Promise<void> {
	const { figures, problems } = tally;
	const faults = Array.isArray(fault) ? fault : [fault];
	const keyed = c.idempotencyHeader !== undefined;
	const input = await c.input(r);
	const before = input.map((item) => c.effects(item));
	const effectsOf = (i: number) => c.effects(input[i]) - before[i];
	c.server.clearFaults();
	for (const { quoted: _quoted, ...rule } of faults) c.server.addFault({ ...rule, method: c.method, path: c.path, times: 1 });
	const from = lastSeq(c.server);
	figures.runs++;
	figures.itemsExpected += input.length;
	// A 1 s timeout (Request Options) so that the "slow answer" fault times out.
	const parameters = { ...c.parameters, requestOptions: { timeout: 1 } };
	const outcome = await run(h, { nodeType: c.nodeType(), parameters, credentials: c.credentials, input, continueOnFail });
	const entries = c.server.log.filter((e) => e.seq > from && e.method === c.method && new RegExp(c.path, 'i').test(e.path));
	const faulted = entries.filter((e) => e.fault).length;
	figures.faultsInjected += faulted;
	const label = `${c.label} run ${r} (${faults.map((f) => `${f.kind}${f.status ? ` ${f.status}` : ''}`).join(' → ')})`;
	const retried = faults.every((f) => retriedSafely(f, keyed));

	// Per item: its sends, those that reached the server's handler, and effects in the server's store.
	const sends = input.map(() => [] as LogEntry[]);
	for (const e of entries) {
		const i = c.itemOf(e, input);
		if (i !== undefined) sends[i].push(e);
	}
	input.forEach((_item, i) => {
		const effects = effectsOf(i);
		const handled = sends[i].filter((e) => e.route).length;
		const repeated = keyed ? checkKeys(c.idempotencyHeader!, sends[i], `${label} item ${i}`, tally) > 1 : handled > 1;
		if (repeated || effects > 1) {
			figures.repeatedWrites++;
			problems.push(`${label}: item ${i} reached the server ${handled}× (${sends[i].length} sends) and took effect ${effects}×`);
		}
	});
	// The faulted item was resent exactly when that is safe.
	const hit = entries.find((e) => e.fault);
	const hitItem = hit && c.itemOf(hit, input);
	if (hitItem !== undefined) {
		const n = sends[hitItem].length;
		if (retried ? n < 2 : n !== 1) problems.push(`${label}: the faulted item was sent ${n}× (${retried ? 'it should have been resent' : 'it must not be resent'})`);
	}

	const secrets = tally.secrets();
	if (!outcome.ok) {
		// Without continueOnFail the whole node fails on the faulted item.
		const judged = judgeError(outcome.error);
		if (judged.uncaught) figures.uncaught++;
		if (judged.problems.length) figures.unclearMessages++;
		problems.push(...judged.problems.map((p) => `${label}: ${p}`));
		if (continueOnFail) problems.push(`${label}: node failed although continueOnFail is on`);
		else figures.clearFailures++;
		if (!continueOnFail && !keyed && ['resetAfter', 'resetBefore', 'delay'].includes(faults[0].kind) && !MAY_HAVE_APPLIED.test((outcome.error as Error).message)) {
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
	const maybeApplied = !keyed && ['resetAfter', 'resetBefore', 'delay'].includes(faults[0].kind);
	if (faulted > 0 && !retried) {
		// The faulted item must be an error item, the others must succeed.
		if (errors.length !== 1) problems.push(`${label}: expected exactly one error item, got ${errors.length}`);
		const err = errors[0];
		const quoted = faults[0].quoted;
		if (err && quoted !== undefined && !String(err.json.error).includes(quoted)) {
			figures.unclearMessages++;
			problems.push(`${label}: error item does not quote the server ("${quoted}"): ${err.json.error}`);
		}
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

/**
 * Each run's own ITEMS records from a pool read on first use, for writes that can happen once per
 * record (a failover, a job start); a run asked again gets the same ones.
 */
function perRun(what: string, fill: () => string[]): (r: number) => string[] {
	const runs = new Map<number, string[]>();
	let pool: string[] | undefined;
	return (r) => {
		pool ??= fill();
		if (!runs.has(r)) {
			if (pool.length < ITEMS) throw new Error(`the emulator has run out of ${what}: seed more`);
			runs.set(r, pool.splice(0, ITEMS));
		}
		return runs.get(r)!;
	};
}

describe('2. writes never repeat', () => {
	const { watch, logs } = fileWatch();

	describe('Kaseya VSA', () => {
		let vsa: VsaEmulator;
		let h: Harness;
		let cred: string;
		const { figures, problems, tally } = scenarioScope('2 writes: VSA run procedure, create ticket, add note', {
			watch,
			logs,
			secrets: () => new SecretSet().addVsa(vsa).addCredential(h.credentialData(cred)),
			close: () => vsa?.close(),
		});

		beforeAll(async () => {
			vsa = await startVsa({ agents: 600, seed: 7101 });
			h = harness();
			cred = h.addCredential('kaseyaVsaApi', vsaCredentialData(vsa, 'password'));
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
		let h: Harness;
		let cred: string;
		const { figures, problems, tally } = scenarioScope('2 writes: VRO failover, clone plan', {
			watch,
			logs,
			secrets: () => new SecretSet().addVro(vro).addCredential(h.credentialData(cred)),
			close: () => vro?.close(),
		});

		beforeAll(async () => {
			vro = await startVroEmulator({ plans: 1000, seed: 7102 });
			h = harness(true);
			cred = h.addCredential('veeamOrchestratorApi', vroCredentialData(vro, 'v7.21'));
		});

		// Failover needs an enabled Replica/CdpReplica plan in Ready state; every item of every run gets its own plan.
		const plansOf = perRun('Ready plans', () => vro.store.plans.filter((p) => p.enabled && p.state === 'Ready' && (p.planType === 'Replica' || p.planType === 'CdpReplica') && !p.failure).map((p) => p.id));

		const cases = (): WriteCase[] => {
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

	describe('Veeam Service Provider Console (X-Request-id)', () => {
		let vspc: VspcEmulator;
		let h: Harness;
		let cred: string;
		const scope = scenarioScope('2 writes: VSPC resolve alarm, start job (X-Request-id)', {
			watch,
			logs,
			secrets: () => new SecretSet().addVspc(vspc).addCredential(h.credentialData(cred)),
			close: () => vspc?.close(),
		});
		const { problems } = scope;
		const tally: WriteTally = { ...scope.tally, keys: new Map() };
		beforeEach(() => tally.keys!.clear());

		beforeAll(async () => {
			// 48 companies × 4 jobs: every item of every run starts a job of its own.
			vspc = await startVspcEmulator({ companies: 48, vmsPerCompany: 1, seed: 7103 });
			h = vspcHarness();
			cred = h.addCredential('veeamServiceProviderConsoleApi', vspcCredentialData(vspc));
		});

		/** Raises the job-session alarm of a job, or reopens it (status Error), through the emulator's control API; returns the alarm's UID. */
		const raiseAlarm = async (jobUid: string): Promise<string> => {
			const res = await fetch(`${vspc.url}/__emulator/raiseAlarm`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ jobUid, status: 'Error' }) });
			if (!res.ok) throw new Error(`raiseAlarm ${jobUid}: HTTP ${res.status}`);
			return ((await res.json()) as { instanceUid: string }).instanceUid;
		};
		const jobsOf = perRun('idle jobs', () => vspc.store.jobs.filter((j) => !vspc.store.isRunning(j)).map((j) => j.instanceUid));
		const uidItem = (field: string, also: (e: LogEntry, item: IDataObject) => boolean = () => true) => (e: LogEntry, input: IDataObject[]) => {
			const i = input.findIndex((it) => e.path.toLowerCase().includes(`/${String(it[field]).toLowerCase()}/`) && also(e, it));
			return i < 0 ? undefined : i;
		};

		const cases = (): WriteCase[] => [
			{
				label: 'VSPC alarm.resolve',
				nodeType: vspcNode,
				credentials: { veeamServiceProviderConsoleApi: cred },
				server: vspc.emulator,
				parameters: { resource: 'alarm', operation: 'resolve', activeAlarmUid: '={{ $json.alarmUid }}', comment: '={{ $json.comment }}' },
				// Each item reopens the alarm of a job (the jobs in turn), then resolves it with a comment of its own.
				input: async (r) => {
					const items: IDataObject[] = [];
					for (let i = 0; i < ITEMS; i++) items.push({ alarmUid: await raiseAlarm(vspc.store.jobs[(r * ITEMS + i) % vspc.store.jobs.length].instanceUid), comment: `reliability resolve ${r}-${i}` });
					return items;
				},
				method: 'POST',
				path: '/alarms/active/[^/]+/resolve$',
				itemOf: uidItem('alarmUid', (e, it) => e.query.comment === it.comment),
				// The resolution the item made: an activation of the alarm with the item's comment.
				effects: (item) => (vspc.store.alarmHistory.get(String(item.alarmUid)) ?? []).filter((a) => a.status === 'Resolved' && a.remark === item.comment).length,
				okOutput: (json, item) => json.activeAlarmUid === item.alarmUid && json.status === 'Resolved',
				idempotencyHeader: 'X-Request-id',
			},
			{
				label: 'VSPC backupJob.start',
				nodeType: vspcNode,
				credentials: { veeamServiceProviderConsoleApi: cred },
				server: vspc.emulator,
				parameters: { resource: 'backupJob', operation: 'start', jobUid: '={{ $json.jobUid }}' },
				input: (r) => jobsOf(r).map((jobUid) => ({ jobUid })),
				method: 'POST',
				path: '/infrastructure/backupServers/jobs/[^/]+/start$',
				itemOf: uidItem('jobUid'),
				// A job is started once in the whole test: a session exists = it was started (a second start is refused as "already running").
				effects: (item) => (vspc.store.runs.has(String(item.jobUid)) ? 1 : 0),
				okOutput: (json, item) => json.jobUid === item.jobUid && json.action === 'start' && json.queued === true,
				idempotencyHeader: 'X-Request-id',
			},
		];

		/** The rule one of the emulator's own fault knobs adds (VSPC's error bodies), for writeRun to arm; an error item must quote its message. */
		const knob = (arm: () => void): WriteFault => {
			const rule = knobRule(vspc.emulator, arm);
			return { ...rule, quoted: String((JSON.parse(rule.rawBody ?? '{}') as { errors?: Array<{ message?: string }> }).errors?.[0]?.message) };
		};

		it(`${RUNS_PER_OPERATION} runs per operation with the connection dropped after the server applied the write: resent with the same X-Request-id, applied once`, async () => {
			const all = cases();
			const writes = vspc.effects.writes;
			for (const c of all) {
				vspc.emulator.random = seededRandom(7103);
				for (let r = 0; r < RUNS_PER_OPERATION; r++) await writeRun(h, c, r, { kind: 'resetAfter' }, tally, r % 10 !== 9);
			}
			vspc.emulator.clearFaults();
			expect(problems).toEqual([]);
			expect(watch.reasons).toEqual([]);
			// One key per item and run, none shared; every item applied exactly once.
			expect(tally.keys!.size).toBe(all.length * RUNS_PER_OPERATION * ITEMS);
			expect(vspc.effects.writes - writes).toBe(all.length * RUNS_PER_OPERATION * ITEMS);
		});

		it('other faults: throttling, 5xx gateways, resets, timeouts, a refused token, and a 502/504 after the write was applied are resent with the same X-Request-id and applied once; a 520 is not resent', async () => {
			const json = { 'Content-Type': 'application/json; charset=utf-8' };
			const faults: WriteFault[][] = [
				...OTHER_WRITE_FAULTS.map((f) => [f]),
				// 429 with VSPC's throttling body (retryAfter inside errors[0], no Retry-After header).
				[knob(() => vspc.throttle(1, 0))],
				// The token refused: one refresh grant, then the same request again.
				[{ kind: 'status', status: 401, rawBody: JSON.stringify(errorEnvelope('Authorization has been denied for this request.', { type: 'security', code: 401 })), headers: json }],
				// Applied, answer lost; the resend meets a gateway error; the third send gets the first answer.
				[{ kind: 'resetAfter' }, { kind: 'status', status: 502 }],
				// Applied after the client gave up waiting; the resend meets a 504; the third send gets the first answer.
				[{ kind: 'delay', delayMs: 1500 }, { kind: 'status', status: 504 }],
				// VSPC's own 5xx: the server may have acted, and a 520 is not a gateway's: not resent, the item fails quoting the server.
				[knob(() => vspc.serverError(1, 520))],
			];
			const all = cases();
			const writes = vspc.effects.writes;
			for (const c of all) {
				for (const [k, fault] of faults.entries()) await writeRun(h, c, 1000 + k, fault, tally);
			}
			vspc.emulator.clearFaults();
			expect(problems).toEqual([]);
			const notResent = faults.filter((f) => !f.every((x) => retriedSafely(x, true))).length;
			expect(notResent).toBe(1);
			expect(tally.keys!.size).toBe(all.length * faults.length * ITEMS);
			expect(vspc.effects.writes - writes).toBe(all.length * (faults.length * ITEMS - notResent));
		});
	});
});
