/**
 * Veeam Orchestrator Trigger: poll() in n8n-core's real PollContext, over HTTP against the VRO
 * emulator, across sequences of plan states driven through the emulator's plan engine. Static data
 * is carried between polls as JSON (what n8n persists); manual runs do not persist it.
 */
import type { IDataObject } from 'n8n-workflow';

import { VeeamOrchestratorApi } from '../../credentials/VeeamOrchestratorApi.credentials';
import { VeeamOrchestratorTrigger } from '../../nodes/VeeamOrchestrator/VeeamOrchestratorTrigger.node';
import { startVroEmulator, VRO_CREDENTIALS, type VroEmulator, type VroVersion } from '../emulators/vro';
import { planVisibleIn, type Deps } from '../emulators/vro/respond';
import type { Plan } from '../emulators/vro/store';
import { Poller as TriggerPoller } from '../harness/helpers';

const trigger = new VeeamOrchestratorTrigger();
const admin = VRO_CREDENTIALS.admin;

let vro: VroEmulator;

beforeAll(async () => {
	vro = await startVroEmulator({ seed: 5, plans: 120 });
});

afterAll(async () => {
	await vro.close();
});

afterEach(() => {
	vro.emulator.clearFaults();
	jest.restoreAllMocks();
	// No run is left going: the engine moves a running plan whenever it is read, and the next test's pollers see every plan.
	for (const plan of vro.store.plans) vro.engine.complete(plan);
});

/** The Orchestrator trigger with the admin's credential (no tokens yet) at `apiVersion`, polled like n8n does. */
class Poller extends TriggerPoller {
	constructor(parameters: IDataObject, apiVersion = 'v7.21') {
		const data = { baseUrl: vro.url, apiVersion, authMethod: 'password', username: admin.username, password: admin.password, allowUnauthorizedCerts: false, accessToken: '', refreshToken: '' };
		super(trigger, { type: new VeeamOrchestratorApi(), data }, parameters);
	}
}

const used = new Set<string>();
/**
 * A fresh plan no other test touches: enabled, Ready, of the type asked, not seeded to fail, and listed by API
 * version `visibleIn` when given (older versions do not list CDP plans or some locations; which plans are left
 * depends on the tests run before).
 */
function freshPlan(types: string[] = ['Replica', 'CdpReplica'], visibleIn?: VroVersion): Plan {
	const visible = (p: Plan) => !visibleIn || planVisibleIn({ store: vro.store } as Deps, visibleIn, p);
	const plan = vro.store.plans.find((p) => !used.has(p.id) && p.enabled && p.state === 'Ready' && types.includes(p.planType) && !p.failure && !/seeded to fail/.test(p.description) && visible(p));
	if (!plan) throw new Error('no fresh plan left in the seed');
	used.add(plan.id);
	return plan;
}

const planIdsOf = (items: IDataObject[]) => items.map((i) => (i.plan as IDataObject).id);

describe('planStateChanged', () => {
	it('the first poll is a baseline; a change of state is emitted once with the previous state', async () => {
		const p = new Poller({ event: 'planStateChanged' });
		expect(await p.poll()).toEqual([]);
		expect(await p.poll()).toEqual([]);
		const plan = freshPlan();
		vro.engine.setState(plan, 'Disabled');
		const items = await p.poll();
		expect(items).toEqual([{ event: 'planStateChanged', plan: expect.objectContaining({ id: plan.id, name: plan.name, state: 'Disabled' }), previousState: 'Ready', state: 'Disabled' }]);
		expect(await p.poll()).toEqual([]);
	});

	it('only the chosen states fire; a run moving through states fires at each poll that sees a new one', async () => {
		const any = new Poller({ event: 'planStateChanged' });
		const done = new Poller({ event: 'planStateChanged', states: ['failover'] });
		await any.poll();
		await done.poll();
		const plan = freshPlan(['Replica']);
		vro.engine.act(plan, 'Failover');
		const first = await any.poll();
		expect(first.map((i) => [i.previousState, i.state])).toEqual([['Ready', 'FailoverRunning']]);
		expect(await done.poll()).toEqual([]);
		vro.engine.complete(plan);
		expect((await any.poll()).map((i) => [i.previousState, i.state])).toEqual([['FailoverRunning', 'FailoverComplete']]);
		const entered = await done.poll();
		expect(planIdsOf(entered)).toEqual([plan.id]);
		expect(entered[0].state).toBe('FailoverComplete');
	});

	it('a server error fails the poll with a clear error, keeps the state, and the next poll reports the change', async () => {
		const p = new Poller({ event: 'planStateChanged' });
		await p.poll();
		const plan = freshPlan();
		vro.engine.setState(plan, 'Disabled');
		const before = JSON.stringify(p.staticData);
		vro.emulator.addFault({ kind: 'status', status: 500, path: '/Plans', rawBody: '{"message":"Database is locked"}', headers: { 'Content-Type': 'application/json' } });
		let error: any;
		try {
			await p.poll();
		} catch (e) {
			error = e;
		}
		expect(error?.constructor?.name).toBe('NodeApiError');
		expect(error.message).toMatch(/Plans/);
		expect(String(error.description)).toMatch(/no change is lost/);
		expect(JSON.stringify(p.staticData)).toBe(before);
		vro.emulator.clearFaults();
		expect(planIdsOf(await p.poll())).toEqual([plan.id]);
	});

	it('manual mode returns a real plan as a sample without touching the state', async () => {
		const p = new Poller({ event: 'planStateChanged' });
		await p.poll();
		const before = JSON.stringify(p.staticData);
		const sample = await p.poll('manual');
		expect(sample).toHaveLength(1);
		expect(sample[0]).toMatchObject({ event: 'planStateChanged', previousState: null, plan: expect.objectContaining({ id: expect.any(String) }) });
		expect(JSON.stringify(p.staticData)).toBe(before);
	});

	it('watches only the chosen plans', async () => {
		const watched = freshPlan();
		const other = freshPlan();
		const p = new Poller({ event: 'planStateChanged', planIds: [watched.id] });
		await p.poll();
		expect(Object.keys(((p.staticData['node:Veeam Orchestrator Trigger'] as IDataObject).pollState as IDataObject).snapshot as IDataObject)).toEqual([watched.id]);
		vro.engine.setState(watched, 'Disabled');
		vro.engine.setState(other, 'Disabled');
		expect(planIdsOf(await p.poll())).toEqual([watched.id]);
	});

	it('works on VAO 2.0 (v2 planState) as well', async () => {
		const p = new Poller({ event: 'planStateChanged' }, 'v2');
		await p.poll();
		const plan = freshPlan(undefined, 'v2');
		vro.engine.setState(plan, 'Disabled');
		const items = await p.poll();
		expect(planIdsOf(items)).toEqual([plan.id]);
		expect(items[0]).toMatchObject({ previousState: 'Ready', state: 'Disabled' });
	});
});

describe('planRunFinished', () => {
	it('a run seen running is reported when it ends, with result, start and duration', async () => {
		const realNow = Date.now.bind(Date);
		let offset = 0;
		jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
		const p = new Poller({ event: 'planRunFinished' });
		await p.poll();
		const plan = freshPlan(['Replica']);
		vro.engine.act(plan, 'Failover');
		expect(await p.poll()).toEqual([]); // running: nothing finished yet
		offset += 90_000;
		vro.engine.complete(plan);
		const items = await p.poll();
		expect(items).toEqual([
			{
				event: 'planRunFinished',
				plan: expect.objectContaining({ id: plan.id, state: 'FailoverComplete', resultName: 'Success' }),
				run: { kind: 'run', operation: 'FailoverRunning', result: 'Success', startedAt: expect.any(String), finishedAt: expect.any(String), durationSeconds: 90 },
			},
		]);
		expect(await p.poll()).toEqual([]);
	});

	it('a run that happened entirely between two polls is still reported (start unknown)', async () => {
		const p = new Poller({ event: 'planRunFinished' });
		await p.poll();
		const plan = freshPlan(['Restore']);
		vro.engine.act(plan, 'Restore');
		vro.engine.complete(plan);
		const items = await p.poll();
		expect(planIdsOf(items)).toEqual([plan.id]);
		expect(items[0].run).toMatchObject({ kind: 'run', result: 'Success', startedAt: null, durationSeconds: null });
	});

	it('a halted run is reported with its error; readiness checks are reported as finished runs too', async () => {
		const p = new Poller({ event: 'planRunFinished' });
		await p.poll();
		const failing = freshPlan(['Replica']);
		failing.failure = { unit: 1, mode: 'halt', times: 1, message: 'VM did not boot', actions: ['Failover'] };
		vro.engine.act(failing, 'Failover');
		await p.poll();
		vro.engine.complete(failing);
		const checked = freshPlan();
		vro.engine.act(checked, 'ReadinessCheck');
		vro.engine.complete(checked);
		const items = await p.poll();
		const byPlan = new Map(items.map((i) => [(i.plan as IDataObject).id, i.run as IDataObject]));
		expect(byPlan.get(failing.id)).toMatchObject({ kind: 'run', result: 'Error', operation: 'FailoverRunning' });
		expect((items.find((i) => (i.plan as IDataObject).id === failing.id)!.plan as IDataObject).state).toBe('Halted');
		expect(byPlan.get(checked.id)).toMatchObject({ kind: 'readinessCheck', result: 'Success', finishedAt: checked.lastCheckTime });
		expect(await p.poll()).toEqual([]);
	});
});

describe('readinessCheckFailed', () => {
	it('fires for a check that ended with errors, not for a successful one', async () => {
		const p = new Poller({ event: 'readinessCheckFailed' });
		await p.poll();
		const bad = freshPlan();
		const good = freshPlan();
		bad.failure = { unit: 0, mode: 'continue', times: 1, message: 'Recovery location has no free capacity', actions: ['ReadinessCheck'] };
		vro.engine.act(bad, 'ReadinessCheck');
		vro.engine.act(good, 'ReadinessCheck');
		await p.poll(); // both seen running
		vro.engine.complete(bad);
		vro.engine.complete(good);
		const items = await p.poll();
		expect(items).toEqual([
			{
				event: 'readinessCheckFailed',
				plan: expect.objectContaining({ id: bad.id, lastCheckResult: 'Error' }),
				run: expect.objectContaining({ kind: 'readinessCheck', result: 'Error', operation: 'ReadinessCheckRunning', startedAt: expect.any(String), durationSeconds: expect.any(Number) }),
			},
		]);
		expect(await p.poll()).toEqual([]);
	});

	it('before v5 the result comes from the runtime details', async () => {
		const p = new Poller({ event: 'readinessCheckFailed' }, 'v4');
		await p.poll();
		const bad = freshPlan(undefined, 'v4');
		bad.failure = { unit: 0, mode: 'continue', times: 1, message: 'Datastore missing', actions: ['ReadinessCheck'] };
		vro.engine.act(bad, 'ReadinessCheck');
		await p.poll();
		vro.engine.complete(bad);
		const items = await p.poll();
		expect(planIdsOf(items)).toEqual([bad.id]);
		expect(items[0].run).toMatchObject({ kind: 'readinessCheck', result: 'Error' });
	});

	it('restarts from persisted static data and manual mode does not move it', async () => {
		const p = new Poller({ event: 'readinessCheckFailed' });
		await p.poll();
		const bad = freshPlan();
		bad.failure = { unit: 0, mode: 'continue', times: 1, message: 'Credentials expired', actions: ['ReadinessCheck'] };
		vro.engine.act(bad, 'ReadinessCheck');
		vro.engine.complete(bad);
		const before = JSON.stringify(p.staticData);
		const sample = await p.poll('manual');
		expect(sample[0]).toMatchObject({ event: 'readinessCheckFailed', run: expect.objectContaining({ kind: 'readinessCheck', result: 'Error' }) });
		expect(JSON.stringify(p.staticData)).toBe(before);
		p.restart(); // a new process: fresh credential store, only the persisted static data survives
		expect(planIdsOf(await p.poll())).toEqual([bad.id]);
		expect(await p.poll()).toEqual([]);
	});
});

describe('a scripted sequence of 50 plan changes', () => {
	it('each trigger emits every expected event exactly once, and nothing when nothing changed', async () => {
		vro.engine.progress.stepsPerPoll = 0; // runs end only when the script says so
		try {
			let seed = 11;
			const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
			const changed = new Poller({ event: 'planStateChanged' });
			const finished = new Poller({ event: 'planRunFinished' });
			const failed = new Poller({ event: 'readinessCheckFailed' });
			const all = [changed, finished, failed];
			for (const p of all) expect(await p.poll()).toEqual([]);

			const pool: Plan[] = Array.from({ length: 12 }, (_, i) => freshPlan(i % 3 === 2 ? ['Restore'] : ['Replica', 'CdpReplica']));
			const expected = { changed: [] as string[], finished: [] as string[], failed: [] as string[] };
			const got = { changed: [] as string[], finished: [] as string[], failed: [] as string[] };
			let statesAtLastPoll = new Map(vro.store.plans.map((p) => [p.id, p.state]));
			let touched = new Set<string>();

			const pollAll = async () => {
				for (const i of await changed.poll()) got.changed.push(`${(i.plan as IDataObject).id}:${String(i.previousState)}>${String(i.state)}`);
				for (const i of await finished.poll()) got.finished.push(`${(i.plan as IDataObject).id}:${String((i.run as IDataObject).kind)}:${String((i.run as IDataObject).result)}`);
				for (const i of await failed.poll()) got.failed.push(`${(i.plan as IDataObject).id}`);
				for (const p of vro.store.plans) {
					const before = statesAtLastPoll.get(p.id);
					if (before !== undefined && before !== p.state) expected.changed.push(`${p.id}:${before}>${p.state}`);
				}
				statesAtLastPoll = new Map(vro.store.plans.map((p) => [p.id, p.state]));
				touched = new Set();
			};
			const finish = (plan: Plan, kind: string, willFail: boolean) => {
				vro.engine.complete(plan);
				expected.finished.push(`${plan.id}:${kind}:${willFail ? 'Error' : 'Success'}`);
				if (kind === 'readinessCheck' && willFail) expected.failed.push(plan.id);
			};
			const running = new Map<string, { kind: string; willFail: boolean }>();

			for (let step = 0; step < 50; step++) {
				const candidates = pool.filter((p) => !touched.has(p.id));
				if (candidates.length === 0) {
					await pollAll();
					continue;
				}
				const plan = candidates[Math.floor(rnd() * candidates.length)];
				touched.add(plan.id);
				const run = running.get(plan.id);
				if (run) {
					finish(plan, run.kind, run.willFail);
					running.delete(plan.id);
				} else if (plan.state === 'Disabled') {
					vro.engine.setState(plan, 'Ready');
				} else if (plan.state === 'Ready') {
					const r = rnd();
					if (r < 0.15) {
						vro.engine.setState(plan, 'Disabled');
					} else {
						const kind = r < 0.55 ? 'readinessCheck' : 'run';
						const willFail = kind === 'readinessCheck' && rnd() < 0.4;
						plan.failure = willFail ? { unit: 0, mode: 'continue', times: 1, message: 'scripted check failure', actions: ['ReadinessCheck'] } : null;
						vro.engine.act(plan, kind === 'readinessCheck' ? 'ReadinessCheck' : plan.planType === 'Restore' ? 'Restore' : 'Failover');
						if (rnd() < 0.5) finish(plan, kind, willFail);
						else running.set(plan.id, { kind, willFail });
					}
				} else {
					// FailoverComplete / RestoreComplete: undo, a run back to Ready.
					plan.failure = null;
					vro.engine.act(plan, 'Undo');
					if (rnd() < 0.5) finish(plan, 'run', false);
					else running.set(plan.id, { kind: 'run', willFail: false });
				}
				if (rnd() < 0.3) await pollAll();
			}
			for (const [id, run] of running) {
				const plan = vro.store.plan(id)!;
				if (!touched.has(id)) finish(plan, run.kind, run.willFail);
			}
			await pollAll();
			for (const p of all) expect(await p.poll()).toEqual([]);

			expect(expected.changed.length).toBeGreaterThan(10);
			expect(expected.finished.length).toBeGreaterThan(5);
			expect(expected.failed.length).toBeGreaterThan(0);
			expect([...got.changed].sort()).toEqual([...expected.changed].sort());
			expect([...got.finished].sort()).toEqual([...expected.finished].sort());
			expect([...got.failed].sort()).toEqual([...expected.failed].sort());
		} finally {
			vro.engine.progress.stepsPerPoll = 1;
		}
	});
});
