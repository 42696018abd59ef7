/**
 * 2b. Stop at the first failing item. Without Continue On Fail, a node whose item fails starts no
 * further item: the items already in flight finish (nothing is abandoned half-sent), the error names
 * the failing item, and the server receives no write for any later item. With Continue On Fail every
 * item runs and the failing one becomes an error item. Writes are "run agent procedure now", one
 * agent per item, at concurrency 1, 2, 5, 10 and 20; the server answers HTTP 500 to the 3rd item.
 */
import type { IDataObject } from 'n8n-workflow';

import type { LogEntry } from '../emulators/common/server';
import type { VsaEmulator } from '../emulators/vsa';
import type { Harness } from '../harness/n8n';
import { SecretSet } from './secrets';
import { byId, captureN8nLogs, harness, lastSeq, startVsa, vsaCredentialData, vsaNode } from './support/env';
import { recordFigures, restartClock, startFigures } from './support/figures';
import { errorItems, judgeError, run, watchProcess } from './support/outcome';

const ITEMS = 30;
const FAILING = 2; // the 3rd item
const PROC = 1000108; // "Disk Cleanup", runnable by everyone

describe('2b. stop at the first failing item', () => {
	const watch = watchProcess();
	const logs = captureN8nLogs();
	let vsa: VsaEmulator;
	let h: Harness;
	let cred: string;
	const figures = startFigures('2b stop at first failing item: VSA writes, concurrency 1–20');
	beforeAll(async () => {
		restartClock(figures);
		vsa = await startVsa({ agents: 200, seed: 7321, latencyMs: 0 });
		h = harness();
		cred = h.addCredential('kaseyaVsaApi', vsaCredentialData(vsa));
	});
	afterAll(async () => {
		watch.stop();
		figures.uncaught += watch.count();
		figures.secretHits += new SecretSet().addVsa(vsa).addCredential(h.credentialData(cred)).scan(logs.text()).length;
		await vsa?.close();
		recordFigures(figures);
	});

	let round = 0;
	/** One run of ITEMS writes with the FAILING item refused by the server; returns what reached the server per item. */
	async function writeRun(concurrency: number, continueOnFail: boolean) {
		const agents = vsa.store.agents.slice((round * ITEMS) % 150, ((round * ITEMS) % 150) + ITEMS);
		round++;
		const input = agents.map((a) => ({ agentId: String(a.AgentId) }));
		const isWrite = (e: LogEntry) => e.method === 'PUT' && /\/runnow(getid)?$/.test(e.path);
		const itemOf = (e: LogEntry) => input.findIndex((it) => e.path.includes(`/${it.agentId}/`));
		vsa.server.clearFaults();
		vsa.server.addFault({ kind: 'status', status: 500, method: 'PUT', path: `/automation/agentprocs/${input[FAILING].agentId}/${PROC}/runnow`, rawBody: '{"ResponseCode":500,"Status":"Error","Error":"Procedure could not be scheduled"}', headers: { 'Content-Type': 'application/json' } });
		const from = lastSeq(vsa.server);
		const outcome = await run(h, {
			nodeType: vsaNode(),
			parameters: { resource: 'agentProcedure', operation: 'run', agentId: { __rl: true, mode: 'id', value: '={{ $json.agentId }}' }, procedureId: byId(PROC), requestOptions: { concurrency } },
			credentials: { kaseyaVsaApi: cred },
			input,
			continueOnFail,
		});
		vsa.server.clearFaults();
		const writes = vsa.server.log.filter((e) => e.seq > from && isWrite(e));
		const failedAt = writes.find((e) => itemOf(e) === FAILING)!;
		figures.runs++;
		figures.itemsExpected += ITEMS;
		figures.faultsInjected++;
		return { outcome, writes, failedAt, itemOf };
	}

	it.each([1, 2, 5, 10, 20])('Continue On Fail off, concurrency %i: no item starts after the failure, in-flight items finish, the error names item 3', async (concurrency) => {
		const { outcome, writes, failedAt, itemOf } = await writeRun(concurrency, false);
		expect(outcome.ok).toBe(false);
		if (outcome.ok) return;
		figures.clearFailures++;
		const error = outcome.error as Error & { description?: string };
		expect(judgeError(error)).toEqual({ uncaught: false, problems: [] });
		expect(error.message).toMatch(/Procedure could not be scheduled|500/);
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
});
