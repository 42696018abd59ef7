/**
 * 2b. Stop at the first failing item. Without Continue On Fail, a node whose item fails starts no
 * further item: the items already in flight finish (nothing is abandoned half-sent), the error names
 * the failing item, and the server receives no write for any later item. With Continue On Fail every
 * item runs and the failing one becomes an error item. Writes are one per item at concurrency 1, 2,
 * 5, 10 and 20, and the server refuses the 3rd item's: Kaseya VSA "run agent procedure now" answered
 * HTTP 500, VSPC "start backup job" answered with its 5xx (520) envelope. VSPC writes also carry an
 * X-Request-id each, distinct between items.
 */
import type { IDataObject, INodeType } from 'n8n-workflow';

import type { Emulator, LogEntry } from '../emulators/common/server';
import { startVspcEmulator } from '../emulators/vspc';
import type { Harness } from '../harness/n8n';
import { SecretSet } from './secrets';
import { byId, type CredData, harness, lastSeq, startVsa, vsaCredentialData, vsaNode, vspcCredentialData, vspcHarness, vspcNode } from './support/env';
import { errorItems, judgeError, run } from './support/outcome';
import { type FileWatch, fileWatch, scenarioScope } from './support/scope';

const ITEMS = 30;
const FAILING = 2; // the 3rd item
const PROC = 1000108; // "Disk Cleanup", runnable by everyone

/** A running emulator as the cases need it. */
interface StopServer {
	server: Emulator;
	close(): Promise<void>;
	secrets(): SecretSet;
	/** ITEMS record ids for round `round`, each written once per round. */
	records(round: number): string[];
	/** Arms the server's refusal of the write for record `id`. */
	refuse(id: string): void;
}

interface StopProduct {
	/** Figures row. */
	scenario: string;
	start(): Promise<StopServer>;
	harness(): Harness;
	credentialType: string;
	credentialData(url: string): CredData;
	nodeType(): INodeType;
	/** The write operation, its record taken from `$json.id`; without requestOptions. */
	parameters: IDataObject;
	isWrite(e: LogEntry): boolean;
	/** What the node's error quotes of the refusal. */
	refusal: RegExp;
	/** The idempotency key header every write must carry, distinct per item. */
	idempotencyHeader?: string;
}

/** The 2b cases for one product, registered inside its describe block. */
function stopCases(p: StopProduct, file: FileWatch): void {
	let emu: StopServer;
	let h: Harness;
	let cred: string;
	const { figures } = scenarioScope(p.scenario, { ...file, secrets: () => emu.secrets().addCredential(h.credentialData(cred)), close: () => emu?.close() });
	beforeAll(async () => {
		emu = await p.start();
		h = p.harness();
		cred = h.addCredential(p.credentialType, p.credentialData(emu.server.url));
	});

	let round = 0;
	/** One run of ITEMS writes with the FAILING item refused by the server; returns what reached the server per item. */
	async function writeRun(concurrency: number, continueOnFail: boolean) {
		const input = emu.records(round++).map((id) => ({ id }));
		const itemOf = (e: LogEntry) => input.findIndex((it) => e.path.includes(`/${it.id}/`));
		emu.server.clearFaults();
		emu.refuse(input[FAILING].id);
		const from = lastSeq(emu.server);
		const outcome = await run(h, { nodeType: p.nodeType(), parameters: { ...p.parameters, requestOptions: { concurrency } }, credentials: { [p.credentialType]: cred }, input, continueOnFail });
		emu.server.clearFaults();
		const writes = emu.server.log.filter((e) => e.seq > from && p.isWrite(e));
		const failedAt = writes.find((e) => itemOf(e) === FAILING)!;
		figures.runs++;
		figures.itemsExpected += ITEMS;
		figures.faultsInjected++;
		if (p.idempotencyHeader) {
			// Every write carries a key of its own.
			const keys = writes.map((e) => e.headers[p.idempotencyHeader!.toLowerCase()]);
			expect(keys.every((k) => typeof k === 'string' && /^[0-9a-f-]{36}$/i.test(k))).toBe(true);
			expect(new Set(keys).size).toBe(writes.length);
		}
		return { outcome, writes, failedAt, itemOf };
	}

	it.each([1, 2, 5, 10, 20])('Continue On Fail off, concurrency %i: no item starts after the failure, in-flight items finish, the error names item 3', async (concurrency) => {
		const { outcome, writes, failedAt, itemOf } = await writeRun(concurrency, false);
		expect(outcome.ok).toBe(false);
		if (outcome.ok) return;
		figures.clearFailures++;
		const error = outcome.error as Error & { description?: string };
		expect(judgeError(error)).toEqual({ uncaught: false, problems: [] });
		expect(error.message).toMatch(p.refusal);
		expect(error.description).toMatch(new RegExp(`Item ${FAILING + 1} of ${ITEMS} failed, so the node stopped`));
		expect(failedAt).toBeDefined();
		expect(writes.length).toBeGreaterThan(FAILING);
		// Items start in order, so at most concurrency-1 items after the failing one can have started.
		const items = new Set(writes.map(itemOf));
		expect(Math.max(...items)).toBeLessThanOrEqual(FAILING + concurrency - 1);
		// Every request that was sent got its answer (nothing abandoned mid-flight).
		expect(writes.every((e) => e.status !== 0)).toBe(true);
		// After the failure was answered, only items that had already started reached the server.
		const startedLate = writes.filter((e) => e.seq > failedAt.seq && itemOf(e) > FAILING + concurrency - 1);
		expect(startedLate).toEqual([]);
		// Each item reached the server at most once.
		expect(writes.length).toBe(items.size);
	});

	it.each([1, 5, 20])('Continue On Fail on, concurrency %i: every item runs, item 3 becomes an error item', async (concurrency) => {
		const { outcome, writes, itemOf } = await writeRun(concurrency, true);
		expect(outcome.ok).toBe(true);
		if (!outcome.ok) return;
		const out = outcome.output[0];
		const errors = errorItems(outcome.output);
		figures.itemsReturned += out.length;
		figures.clearFailures += errors.length;
		expect(out).toHaveLength(ITEMS);
		expect(errors).toHaveLength(1);
		expect(errors[0].pairedItem).toEqual({ item: FAILING });
		expect(new Set(writes.map(itemOf)).size).toBe(ITEMS);
		expect(out.filter((o) => (o.json as IDataObject).error === undefined)).toHaveLength(ITEMS - 1);
	});
}

describe('2b. stop at the first failing item', () => {
	const { watch, logs } = fileWatch();

	describe('Kaseya VSA: run agent procedure', () =>
		stopCases(
			{
				scenario: '2b stop at first failing item: VSA writes, concurrency 1–20',
				start: async () => {
					const vsa = await startVsa({ agents: 200, seed: 7321, latencyMs: 0 });
					return {
						server: vsa.server,
						close: () => vsa.close(),
						secrets: () => new SecretSet().addVsa(vsa),
						records: (round) => vsa.store.agents.slice((round * ITEMS) % 150, ((round * ITEMS) % 150) + ITEMS).map((a) => String(a.AgentId)),
						refuse: (id) =>
							vsa.server.addFault({ kind: 'status', status: 500, method: 'PUT', path: `/automation/agentprocs/${id}/${PROC}/runnow`, rawBody: '{"ResponseCode":500,"Status":"Error","Error":"Procedure could not be scheduled"}', headers: { 'Content-Type': 'application/json' } }),
					};
				},
				harness: () => harness(),
				credentialType: 'kaseyaVsaApi',
				credentialData: (url) => vsaCredentialData({ url }),
				nodeType: vsaNode,
				parameters: { resource: 'agentProcedure', operation: 'run', agentId: { __rl: true, mode: 'id', value: '={{ $json.id }}' }, procedureId: byId(PROC) },
				isWrite: (e) => e.method === 'PUT' && /\/runnow(getid)?$/.test(e.path),
				refusal: /Procedure could not be scheduled|500/,
			},
			{ watch, logs },
		));

	describe('Veeam Service Provider Console: start backup job', () =>
		stopCases(
			{
				scenario: '2b stop at first failing item: VSPC job starts, concurrency 1–20',
				start: async () => {
					// 64 companies × 4 jobs: every round starts 30 jobs of its own (a started job is busy for the rest of the test).
					const vspc = await startVspcEmulator({ companies: 64, vmsPerCompany: 1, seed: 7322, latencyMs: 0 });
					return {
						server: vspc.emulator,
						close: () => vspc.close(),
						secrets: () => new SecretSet().addVspc(vspc),
						records: (round) => vspc.store.jobs.slice(round * ITEMS, (round + 1) * ITEMS).map((j) => j.instanceUid),
						refuse: (id) => vspc.serverError(1, 520, `/jobs/${id}/start$`),
					};
				},
				harness: vspcHarness,
				credentialType: 'veeamServiceProviderConsoleApi',
				credentialData: (url) => vspcCredentialData({ url }),
				nodeType: vspcNode,
				parameters: { resource: 'backupJob', operation: 'start', jobUid: '={{ $json.id }}' },
				isWrite: (e) => e.method === 'POST' && /\/infrastructure\/backupServers\/jobs\/[^/]+\/start$/.test(e.path),
				refusal: /internal error on POST \/api\/v3\/infrastructure\/backupServers\/jobs\/[^/]+\/start \(520\): Unspecified error occurred on the server side/,
				idempotencyHeader: 'X-Request-id',
			},
			{ watch, logs },
		));
});
