/**
 * Orchestrator plan actions through the node (Harness, n8n's real helpers) against the emulator's plan
 * state machine: Wait for Completion on every generation, halt/continue, undo, failback, readiness
 * checks with results, failures with failed steps, preconditions refused without sending the action,
 * writes never re-sent, and the two "Done when" workflows of the issue.
 */
import type { IDataObject } from 'n8n-workflow';

import { VeeamOrchestrator } from '../../nodes/VeeamOrchestrator/VeeamOrchestrator.node';
import { startVroEmulator, VRO_VERSIONS, type Plan, type VroEmulator, type VroVersion } from '../emulators/vro';
import { failure, rl, vroSession } from '../harness/helpers';

const NODE = new VeeamOrchestrator();
/** Poll without pausing: the emulator advances plans per observation, not per second. */
const WAIT = { waitForCompletion: true, waitOptions: { pollIntervalSeconds: 0 } };

let vro: VroEmulator;
beforeAll(async () => {
	vro = await startVroEmulator({ seed: 9, plans: 250 });
});
afterAll(async () => {
	await vro.close();
});

function setup(server: VroEmulator, apiVersion: VroVersion) {
	const { harness: h, credId: id } = vroSession(server.url, apiVersion);
	const json = async (parameters: IDataObject) => (await h.execute({ nodeType: NODE, parameters, credentials: { veeamOrchestratorApi: id } }))[0].map((i) => i.json);
	const one = async (parameters: IDataObject) => (await json(parameters))[0];
	return { h, id, json, one };
}


const used = new Set<string>();
function units(p: Plan): number {
	return p.groups.reduce((n, g) => n + g.steps.length + g.vms.reduce((m, vm) => m + vm.steps.length, 0), 0);
}
/** A seeded plan no other test has touched, visible in version `v` (and `accept`ed, when a test needs a particular one). */
function take(v: VroVersion, type: Plan['planType'], state = 'Ready', enabled = true, server = vro, accept: (p: Plan) => boolean = () => true): Plan {
	const visible = (p: Plan) => {
		const loc = server.store.location(p.recoveryLocationId);
		if (v === 'v1' && p.planType !== 'Replica') return false;
		if (v === 'v2' && p.planType !== 'Replica' && !(p.planType === 'Restore' && loc?.type === 'Restore')) return false;
		return !loc || loc.type === 'Restore' || (loc.type === 'Storage' && v !== 'v1' && v !== 'v2');
	};
	const plan = server.store.plans.find((p) => !used.has(p.id) && p.planType === type && p.state === state && p.enabled === enabled && !p.failure && units(p) >= 4 && visible(p) && accept(p));
	if (!plan) throw new Error(`no unused ${type} plan in ${state}`);
	used.add(plan.id);
	return plan;
}


/** Action requests (anything but GET and token calls) sent during `fn`; `query` only when one was sent. */
async function writes(fn: () => Promise<unknown>, server = vro): Promise<Array<{ method: string; path: string; body: unknown; query?: Record<string, string> }>> {
	const before = server.requests().length;
	await fn().catch(() => undefined);
	return server
		.requests()
		.slice(before)
		.filter((r) => r.method !== 'GET' && !/token$/i.test(r.path))
		.map((r) => ({ method: r.method, path: r.path, body: r.body, ...(Object.keys(r.query).length ? { query: { ...r.query } } : {}) }));
}

/** VAO 1.0 `Run` body with the Swagger's required launch options at their defaults (date = the moment of the call). */
const v1RunBody = (mode: string) => ({
	mode,
	planLaunchOptions: { restorePointRule: { date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), mode: 'NearestBefore' }, executeChainedPlans: false },
});

const legacy = (v: VroVersion) => v === 'v1' || v === 'v2';

describe('failover with Wait for Completion, on every API version', () => {
	test.each(VRO_VERSIONS.map((v) => [v]))('%s', async (v) => {
		const plan = take(v, 'Replica');
		const { one } = setup(vro, v);
		let out: IDataObject = {};
		const sent = await writes(async () => (out = await one({ resource: 'plan', operation: 'failover', planId: rl(plan.id), ...WAIT })));
		expect(sent).toEqual([
			v === 'v1'
				? { method: 'POST', path: `/v1/FailoverPlans/${plan.id}/Run`, body: v1RunBody('FailoverNow') }
				: v === 'v2'
					? { method: 'POST', path: `/v2/FailoverPlans/${plan.id}/Run`, body: { mode: 'FailoverNow' } }
					: { method: 'POST', path: `/api/${v}/Plans/${plan.id}/Failover`, body: undefined },
		]);
		expect(out).toMatchObject({
			planId: plan.id,
			planName: plan.name,
			operation: 'failover',
			apiVersion: v,
			completed: true,
			succeeded: true,
			halted: false,
			state: legacy(v) ? 'Failover' : 'FailoverComplete',
			result: 'Success',
			previousState: 'Ready',
			failedSteps: [],
		});
		expect(out.polls).toBeGreaterThan(1);
		expect(plan.state).toBe('FailoverComplete');
	});
});

describe('action options reach the server in each generation\'s shape', () => {
	test('v1 Run with planLaunchOptions; v7.21 Failover with its own fields', async () => {
		const options = { actionOptions: { restorePointDate: '2026-01-31T23:00:00Z', restorePointMode: 'NearestAfter', executeChainedPlans: true, protectStorageVolumes: true } };
		const old = take('v1', 'Replica');
		const v1 = await writes(() => setup(vro, 'v1').one({ resource: 'plan', operation: 'failover', planId: rl(old.id), ...options }));
		expect(v1).toEqual([
			{
				method: 'POST',
				path: `/v1/FailoverPlans/${old.id}/Run`,
				body: { mode: 'FailoverNow', planLaunchOptions: { restorePointRule: { date: '2026-01-31T23:00:00.000Z', mode: 'NearestAfter' }, executeChainedPlans: true } },
			},
		]);
		const plan = take('v7.21', 'Replica');
		const v7 = await writes(() => setup(vro, 'v7.21').one({ resource: 'plan', operation: 'failover', planId: rl(plan.id), ...options }));
		expect(v7[0].body).toEqual({ executeChainedPlans: true, restorePointDate: '2026-01-31T23:00:00.000Z', protectStorageVolumes: true });
		const halt = await writes(() => setup(vro, 'v7.21').one({ resource: 'plan', operation: 'halt', planId: rl(plan.id), fullStop: true }));
		expect(halt).toEqual([{ method: 'POST', path: `/api/v7.21/Plans/${plan.id}/Halt`, body: { fullStop: true } }]);
	});
});

describe('plan lifecycles', () => {
	test.each([['v1'], ['v7.21'], ['v13']])('%s: halt a running failover, then continue it to the end', async (v) => {
		const plan = take(v as VroVersion, 'Replica');
		const { one } = setup(vro, v as VroVersion);
		expect(await one({ resource: 'plan', operation: 'failover', planId: rl(plan.id) })).toMatchObject({ accepted: true, previousState: 'Ready' });
		const halted = await one({ resource: 'plan', operation: 'halt', planId: rl(plan.id), fullStop: true, ...WAIT });
		expect(halted).toMatchObject({ operation: 'halt', succeeded: true, halted: true, state: 'Halted' });
		if (v === 'v1') {
			// VAO 1.0 requires executionContinueOptions and documents no default: refused before sending.
			const refused = await writes(async () => {
				const e = await failure(one({ resource: 'plan', operation: 'continue', planId: rl(plan.id), ...WAIT }));
				expect(e.message).toBe('API v1 (VAO 1.0) needs a Continue Option');
			});
			expect(refused).toEqual([]);
		}
		const option = v === 'v1' ? { executionContinueOptions: 'RetryFailedStep' } : {};
		const sent = await writes(async () => {
			const resumed = await one({ resource: 'plan', operation: 'continue', planId: rl(plan.id), ...option, ...WAIT });
			expect(resumed).toMatchObject({ operation: 'continue', succeeded: true, halted: false, result: 'Success', previousState: 'Halted' });
		});
		expect(sent).toEqual([{ method: 'POST', path: v === 'v1' ? `/v1/FailoverPlans/${plan.id}/Run/Continue` : `/api/${v}/Plans/${plan.id}/Continue`, body: v === 'v1' ? option : undefined }]);
		expect(plan.state).toBe('FailoverComplete');
	});

	test.each([['v1'], ['v3'], ['v7.21']])('%s: failover, failback, commit failback; and undo of a failover', async (v) => {
		const version = v as VroVersion;
		const { one } = setup(vro, version);
		const plan = take(version, 'Replica');
		await one({ resource: 'plan', operation: 'failover', planId: rl(plan.id), ...WAIT });
		expect(await one({ resource: 'plan', operation: 'failback', planId: rl(plan.id), ...WAIT })).toMatchObject({ succeeded: true, state: legacy(version) ? 'Failback' : 'FailbackComplete' });
		expect(await one({ resource: 'plan', operation: 'commitFailback', planId: rl(plan.id), ...WAIT })).toMatchObject({ succeeded: true, state: 'Ready' });
		const other = take(version, 'Replica');
		await one({ resource: 'plan', operation: 'failover', planId: rl(other.id), ...WAIT });
		expect(await one({ resource: 'plan', operation: 'undo', planId: rl(other.id), ...WAIT })).toMatchObject({ operation: 'undo', succeeded: true, state: 'Ready', previousState: legacy(version) ? 'Failover' : 'FailoverComplete' });
	});

	test('v7.21: permanent failover', async () => {
		const plan = take('v7.21', 'Replica');
		expect(await setup(vro, 'v7.21').one({ resource: 'plan', operation: 'permanentFailover', planId: rl(plan.id), ...WAIT })).toMatchObject({ succeeded: true, state: 'PermanentFailoverComplete' });
	});

	test.each([['v2'], ['v7.21']])('%s: restore plan with Wait for Completion', async (v) => {
		const plan = take(v as VroVersion, 'Restore');
		const { one } = setup(vro, v as VroVersion);
		let out: IDataObject = {};
		const sent = await writes(async () => (out = await one({ resource: 'plan', operation: 'restore', planId: rl(plan.id), ...WAIT })));
		expect(sent[0].path).toBe(v === 'v2' ? `/v2/RestorePlans/${plan.id}/Run` : `/api/v7.21/Plans/${plan.id}/Restore`);
		expect(out).toMatchObject({ succeeded: true, state: v === 'v2' ? 'Restored' : 'RestoreComplete', result: 'Success' });
	});

	test('v7.21: reset state with a readiness check afterwards; v1: Reset with all three Swagger-required flags', async () => {
		const plan = take('v7.21', 'Replica');
		const { one } = setup(vro, 'v7.21');
		await one({ resource: 'plan', operation: 'failover', planId: rl(plan.id), ...WAIT });
		expect(await one({ resource: 'plan', operation: 'resetState', planId: rl(plan.id), executeReadinessCheck: true, ...WAIT })).toMatchObject({ succeeded: true, state: 'Disabled' });
		expect(plan.lastCheckResult).toBe('Success');
		const old = take('v1', 'Replica');
		const sent = await writes(() => setup(vro, 'v1').one({ resource: 'plan', operation: 'resetState', planId: rl(old.id) }));
		expect(sent).toEqual([{ method: 'POST', path: `/v1/FailoverPlans/${old.id}/Reset`, body: { resetState: true, resetChangeLog: false, resetConfiguration: false } }]);
		expect(old.state).toBe('Disabled');
	});
});

describe('readiness checks report their result', () => {
	test.each([['v2'], ['v3'], ['v7.21']])('%s: a healthy plan checks Success', async (v) => {
		const plan = take(v as VroVersion, 'Replica');
		const out = await setup(vro, v as VroVersion).one({ resource: 'plan', operation: 'readinessCheck', planId: rl(plan.id), ...WAIT });
		expect(out).toMatchObject({ operation: 'readinessCheck', succeeded: true, state: 'Ready', result: 'Success', failedSteps: [] });
	});

	test('v7.21: a check that finds a problem reports Error and the failed step, without failing the item', async () => {
		const plan = take('v7.21', 'Replica');
		plan.failure = { unit: 1, mode: 'continue', times: 1, message: 'Replica restore point is older than the RPO (injected)' };
		const out = await setup(vro, 'v7.21').one({ resource: 'plan', operation: 'readinessCheck', planId: rl(plan.id), ...WAIT });
		expect(out).toMatchObject({ succeeded: false, result: 'Error', state: 'Ready' });
		expect(out.failedSteps).toEqual([expect.objectContaining({ errorMessage: 'Replica restore point is older than the RPO (injected)', result: 'Error' })]);
	});
});

describe('a failing run', () => {
	test('v7.21: fails the item with the failed step; with "Error If the Plan Fails" off it is output', async () => {
		// Its second step is a VM's heartbeat check, whichever plans other tests took before.
		const plan = take('v7.21', 'Replica', 'Ready', true, vro, (p) => {
			const second = vro.engine.units(p)[1];
			return second?.name === 'Check VM Heartbeat' && second.vmId !== null;
		});
		plan.failure = { unit: 1, mode: 'halt', times: 1, message: 'Heartbeat was not received within the timeout (injected)' };
		const { one } = setup(vro, 'v7.21');
		const f = await failure(one({ resource: 'plan', operation: 'failover', planId: rl(plan.id), ...WAIT }));
		expect(f.message).toBe(`The failover of plan "${plan.name}" ended halted (state Halted)`);
		expect(f.description).toMatch(/Failed: step "Check VM Heartbeat" for VM [\w-]+: Heartbeat was not received within the timeout \(injected\)/);
		expect(f.description).toMatch(/Continue .* or Undo/);
		// The halted run can be retried (the injected failure happened once); the run keeps its recorded error.
		const retried = await one({ resource: 'plan', operation: 'continue', planId: rl(plan.id), executionContinueOptions: 'RetryFailedStep', waitForCompletion: true, waitOptions: { pollIntervalSeconds: 0, failOnError: false } });
		expect(retried).toMatchObject({ halted: false, state: 'FailoverComplete', result: 'Error', succeeded: false });

		const second = take('v7.21', 'Replica');
		second.failure = { unit: 1, mode: 'halt', times: 1, message: 'Script exited with code 1 (injected)' };
		const out = await one({ resource: 'plan', operation: 'failover', planId: rl(second.id), waitForCompletion: true, waitOptions: { pollIntervalSeconds: 0, failOnError: false } });
		expect(out).toMatchObject({ succeeded: false, halted: true, state: 'Halted', result: 'Error' });
		expect((out.failedSteps as IDataObject[])[0]).toMatchObject({ errorMessage: 'Script exited with code 1 (injected)' });
	});

	test('v1: the failure is described with the server\'s state details', async () => {
		const plan = take('v1', 'Replica');
		plan.failure = { unit: 1, mode: 'halt', times: 1, message: 'VM did not boot (injected)' };
		const f = await failure(setup(vro, 'v1').one({ resource: 'plan', operation: 'failover', planId: rl(plan.id), ...WAIT }));
		expect(f.message).toMatch(/ended halted \(state Halted\)/);
		expect(f.description).toMatch(/The server says: "Halted: .*VM did not boot \(injected\)"/);
	});

	test('the timeout stops waiting with the last state, and the action keeps running', async () => {
		const plan = take('v7.21', 'Replica');
		const f = await failure(setup(vro, 'v7.21').one({ resource: 'plan', operation: 'failover', planId: rl(plan.id), waitForCompletion: true, waitOptions: { pollIntervalSeconds: 0, timeoutMinutes: 0 } }));
		expect(f.message).toMatch(new RegExp(`The failover of plan "${plan.name.replace(/[()]/g, '.')}" was still running after 0 minutes \\(state Failover in progress, \\d+% done\\)`));
		expect(plan.state).toBe('FailoverRunning');
	});
});

describe('preconditions are refused without sending the action', () => {
	test.each([
		['v1', () => take('v1', 'Replica', 'Disabled', false), 'failover', /Cannot failover plan ".*": the plan is disabled/],
		['v7.21', () => take('v7.21', 'Replica', 'Disabled', false), 'failover', /Cannot failover plan ".*": the plan is disabled|in state Disabled/],
		['v3', () => take('v3', 'Replica'), 'continue', /Cannot continue plan ".*" in state Ready/],
		['v2', () => take('v2', 'Replica'), 'undo', /Cannot undo plan ".*" in state Ready/],
		['v7.21', () => take('v7.21', 'Replica'), 'restore', /does not apply to Replica plans/],
		['v13', () => take('v13', 'Restore'), 'failover', /does not apply to Restore plans/],
		['v5', () => take('v5', 'Replica'), 'halt', /Cannot halt plan ".*" in state Ready/],
		['v7.21', () => take('v7.21', 'Storage', 'FailoverComplete'), 'undo', /Cannot undo plan ".*" in state Failover/],
	])('%s: %s', async (v, pick, operation, message) => {
		const plan = (pick as () => Plan)();
		const state = plan.state;
		let f = { message: '', description: '' };
		const sent = await writes(async () => (f = await failure(setup(vro, v as VroVersion).one({ resource: 'plan', operation, planId: rl(plan.id) }))));
		expect(f.message).toMatch(message);
		expect(f.description).toMatch(/Nothing was sent to the server/);
		expect(sent).toEqual([]);
		expect(plan.state).toBe(state);
	});

	test('v7.21: nothing but Halt is sent to a running plan', async () => {
		const plan = take('v7.21', 'Replica');
		const { one } = setup(vro, 'v7.21');
		await one({ resource: 'plan', operation: 'failover', planId: rl(plan.id) });
		const sent = await writes(async () => expect((await failure(one({ resource: 'plan', operation: 'readinessCheck', planId: rl(plan.id) }))).message).toMatch(/it is running \(Failover in progress\)/));
		expect(sent).toEqual([]);
	});

	test('v2: a restore plan has no Undo on VAO 2.0', async () => {
		const plan = take('v2', 'Restore', 'RestoreComplete');
		const sent = await writes(async () => expect((await failure(setup(vro, 'v2').one({ resource: 'plan', operation: 'undo', planId: rl(plan.id) }))).message).toMatch(/it is a restore plan, and API v2 has undo only for FailoverPlans/));
		expect(sent).toEqual([]);
	});
});

describe('writes are never re-sent', () => {
	test('a connection that breaks after the server applied a failover is reported, not retried', async () => {
		const plan = take('v7.21', 'Replica');
		vro.emulator.faults.push({ kind: 'resetAfter', method: 'POST', path: `/Plans/${plan.id}/Failover`, times: 1 });
		let f = { message: '', description: '' };
		const sent = await writes(async () => (f = await failure(setup(vro, 'v7.21').one({ resource: 'plan', operation: 'failover', planId: rl(plan.id), ...WAIT }))));
		expect(sent).toHaveLength(1);
		expect(f.message).toMatch(/broke during POST \/api\/v7\.21\/Plans\/.*\/Failover .*the change may have been applied/);
		expect(plan.state).toBe('FailoverRunning');
	});

	test('a 503 before the action is applied is retried (the server refused it)', async () => {
		const plan = take('v7.21', 'Replica');
		vro.emulator.faults.push({ kind: 'status', status: 503, method: 'POST', path: `/Plans/${plan.id}/ReadinessCheck`, times: 1, headers: { 'Retry-After': '0' } });
		const sent = await writes(() => setup(vro, 'v7.21').one({ resource: 'plan', operation: 'readinessCheck', planId: rl(plan.id) }));
		expect(sent).toHaveLength(2);
		expect(plan.state).toBe('ReadinessCheckRunning');
	});
});

describe('configuration writes', () => {
	test('enable and disable (v1, v7.21)', async () => {
		for (const v of ['v1', 'v7.21'] as VroVersion[]) {
			const plan = take(v, 'Replica', 'Disabled', false);
			const { one } = setup(vro, v);
			expect(await one({ resource: 'plan', operation: 'enable', planId: rl(plan.id) })).toMatchObject({ success: true, operation: 'enable', planId: plan.id });
			expect(plan).toMatchObject({ enabled: true, state: 'Ready' });
			await one({ resource: 'plan', operation: 'disable', planId: rl(plan.id) });
			expect(plan).toMatchObject({ enabled: false, state: 'Disabled' });
		}
	});

	test('schedule at a time and after another plan, then unschedule (v1 and v7.21 routes)', async () => {
		const prev = take('v7.21', 'Replica');
		for (const v of ['v1', 'v7.21'] as VroVersion[]) {
			const plan = take(v, 'Replica');
			const { one } = setup(vro, v);
			const at = await writes(() => one({ resource: 'plan', operation: 'schedule', planId: rl(plan.id), scheduleType: 'time', startTime: '2031-05-04T22:00:00' }));
			const startTime = new Date('2031-05-04T22:00:00').toISOString();
			expect(at).toEqual([
				v === 'v1'
					? { method: 'POST', path: `/v1/FailoverPlans/${plan.id}/Schedule`, body: { startTime } }
					: { method: 'PUT', path: `/api/v7.21/Plans/${plan.id}/Schedule/SaveTime`, query: { startTime }, body: undefined },
			]);
			expect(plan.schedule).toMatchObject({ type: 'OnTime' });
			const after = await writes(() => one({ resource: 'plan', operation: 'schedule', planId: rl(plan.id), scheduleType: 'afterPlan', previousPlanId: rl(prev.id) }));
			expect(after).toEqual([
				v === 'v1'
					? { method: 'POST', path: `/v1/FailoverPlans/${plan.id}/Schedule`, body: { previousPlanId: prev.id } }
					: { method: 'PUT', path: `/api/v7.21/Plans/${plan.id}/Schedule/SaveRunAfter`, query: { previousPlanId: prev.id }, body: undefined },
			]);
			expect(plan.schedule).toEqual({ type: 'AfterPlan', previousPlanId: prev.id });
			const un = await writes(() => one({ resource: 'plan', operation: 'unschedule', planId: rl(plan.id) }));
			expect(un[0]).toMatchObject(v === 'v1' ? { method: 'POST', path: `/v1/FailoverPlans/${plan.id}/Schedule/Disable` } : { method: 'DELETE', path: `/api/v7.21/Plans/${plan.id}/Schedule` });
			expect(plan.schedule).toBeNull();
		}
	});

	test.each([['v3'], ['v4'], ['v5'], ['v6'], ['v7'], ['v7.1'], ['v7.2'], ['v7.21'], ['v13']])('%s: schedule at a time and after a plan go in the query string of PUT', async (v) => {
		const version = v as VroVersion;
		const prev = take(version, 'Restore');
		const plan = take(version, 'Restore');
		const { one } = setup(vro, version);
		const at = await writes(() => one({ resource: 'plan', operation: 'schedule', planId: rl(plan.id), scheduleType: 'time', startTime: '2031-05-04T22:00:00Z' }));
		expect(at).toEqual([{ method: 'PUT', path: `/api/${v}/Plans/${plan.id}/Schedule/SaveTime`, query: { startTime: '2031-05-04T22:00:00.000Z' }, body: undefined }]);
		expect(plan.schedule).toMatchObject({ type: 'OnTime' });
		const after = await writes(() => one({ resource: 'plan', operation: 'schedule', planId: rl(plan.id), scheduleType: 'afterPlan', previousPlanId: rl(prev.id) }));
		expect(after).toEqual([{ method: 'PUT', path: `/api/${v}/Plans/${plan.id}/Schedule/SaveRunAfter`, query: { previousPlanId: prev.id }, body: undefined }]);
		expect(plan.schedule).toEqual({ type: 'AfterPlan', previousPlanId: prev.id });
	});

	test('v13.1: "at a time" is refused before sending (the reference replaced it with an unseen POST); "after a plan" is sent', async () => {
		const prev = take('v13.1', 'Restore');
		const plan = take('v13.1', 'Restore');
		const { one } = setup(vro, 'v13.1');
		const sent = await writes(async () => {
			const e = await failure(one({ resource: 'plan', operation: 'schedule', planId: rl(plan.id), scheduleType: 'time', startTime: '2031-05-04T22:00:00Z' }));
			expect(e.message).toBe('Schedule at a time is not available on Orchestrator API v13.1 (Recovery Orchestrator 13.1)');
			expect(e.description).toContain('v3 to v13');
			expect(e.description).toContain('Nothing was sent');
		});
		expect(sent).toEqual([]);
		const after = await writes(() => one({ resource: 'plan', operation: 'schedule', planId: rl(plan.id), scheduleType: 'afterPlan', previousPlanId: rl(prev.id) }));
		expect(after).toEqual([{ method: 'PUT', path: `/api/v13.1/Plans/${plan.id}/Schedule/SaveRunAfter`, query: { previousPlanId: prev.id }, body: undefined }]);
	});

	test('v5: clone a plan', async () => {
		const plan = take('v5', 'Replica');
		const out = await setup(vro, 'v5').one({ resource: 'plan', operation: 'clone', planId: rl(plan.id), newName: `${plan.name} (DR test copy)` });
		expect(out).toMatchObject({ name: `${plan.name} (DR test copy)`, planType: 'Replica', state: 'Disabled' });
		expect(vro.store.plan(String(out.id))).toBeDefined();
	});
});

describe('Done when (issue 3)', () => {
	test('v7.21: list 250 plans with Return All, readiness check with Wait for Completion and its result, logout; an expired access token is renewed with the refresh grant', async () => {
		const server = await startVroEmulator({ seed: 21, plans: 250 });
		try {
			const { h, id, json, one } = setup(server, 'v7.21');
			// One workflow, three Veeam Orchestrator nodes sharing the credential (the Harness runs them in turn).
			const plans = await json({ resource: 'plan', operation: 'getAll', returnAll: true });
			expect(plans).toHaveLength(250);
			expect(server.counters).toMatchObject({ passwordLogins: 1, refreshGrants: 0 });

			server.expireAccessTokens(); // 15 minutes later: the refresh token (120 min) is still valid
			const target = plans.find((p) => p.planType === 'Replica' && p.planMode === 'Enabled' && p.state === 'Ready')!;
			const check = await one({ resource: 'plan', operation: 'readinessCheck', planId: rl(String(target.id)), ...WAIT });
			expect(check).toMatchObject({ planId: target.id, operation: 'readinessCheck', completed: true, result: 'Success', state: 'Ready' });
			expect(server.counters).toMatchObject({ passwordLogins: 1, refreshGrants: 1 });

			const logout = await one({ resource: 'session', operation: 'logout' });
			expect(logout).toMatchObject({ loggedOut: true, tokensCleared: true });
			expect(h.credentialData(id)).toMatchObject({ accessToken: '', refreshToken: '' });
			expect(server.counters).toMatchObject({ passwordLogins: 1, refreshGrants: 1, failedTokenRequests: 0 });
		} finally {
			await server.close();
		}
	});

	test('v1 (VAO 1.0): list failover plans with OData paging, then a failover with Wait for Completion', async () => {
		const server = await startVroEmulator({ seed: 22, plans: 800, versions: ['v1'] });
		try {
			const { one, json } = setup(server, 'v1');
			const plans = await json({ resource: 'plan', operation: 'getAll', returnAll: true });
			const pages = server.requests({ method: 'GET', path: /^\/v1\/FailoverPlans$/ });
			expect(pages.length).toBeGreaterThan(2);
			expect(pages.map((p) => p.query)).toEqual(pages.map((_, i) => (i === 0 ? { $top: '100' } : { $top: '100', $skip: String(i * 100) })));
			expect(plans.length).toBe(server.store.plans.filter((p) => p.planType === 'Replica').length);
			const target = take('v1', 'Replica', 'Ready', true, server);
			const out = await one({ resource: 'plan', operation: 'failover', planId: rl(target.id), ...WAIT });
			expect(out).toMatchObject({ operation: 'failover', completed: true, succeeded: true, state: 'Failover', result: 'Success', planStateDetails: 'Complete, no errors, no warnings' });
			expect(target.state).toBe('FailoverComplete');
		} finally {
			await server.close();
		}
	});
});

describe('VAO 1.0 Run bodies carry every field the vendor Swagger marks required', () => {
	test('failover, failback and commit failback send mode + planLaunchOptions{restorePointRule{date, mode}, executeChainedPlans}', async () => {
		const plan = take('v1', 'Replica');
		const { one } = setup(vro, 'v1');
		const sent = await writes(async () => {
			await one({ resource: 'plan', operation: 'failover', planId: rl(plan.id), ...WAIT });
			await one({ resource: 'plan', operation: 'failback', planId: rl(plan.id), ...WAIT });
			await one({ resource: 'plan', operation: 'commitFailback', planId: rl(plan.id), ...WAIT });
		});
		expect(sent).toEqual(['FailoverNow', 'Failback', 'CommitFailBack'].map((mode) => ({ method: 'POST', path: `/v1/FailoverPlans/${plan.id}/Run`, body: v1RunBody(mode) })));
		expect(plan.state).toBe('Ready');
		const other = take('v1', 'Replica');
		const permanent = await writes(() => one({ resource: 'plan', operation: 'permanentFailover', planId: rl(other.id) }));
		expect(permanent).toEqual([{ method: 'POST', path: `/v1/FailoverPlans/${other.id}/Run`, body: v1RunBody('PermanentFailoverNow') }]);
	});

	test('v2 failback puts its location and tag options inside planLaunchOptions', async () => {
		const plan = take('v2', 'Replica');
		const { one } = setup(vro, 'v2');
		await one({ resource: 'plan', operation: 'failover', planId: rl(plan.id), ...WAIT });
		const location = vro.store.locations.find((l) => l.type === 'Restore')!;
		const sent = await writes(() => one({ resource: 'plan', operation: 'failback', planId: rl(plan.id), actionOptions: { recoveryLocationId: location.id, failbackRestoreVMTags: true }, ...WAIT }));
		expect(sent).toEqual([{ method: 'POST', path: `/v2/FailoverPlans/${plan.id}/Run`, body: { mode: 'Failback', planLaunchOptions: { failbackRestoreVMTags: true, recoveryLocationId: location.id } } }]);
		expect(plan.state).toBe('FailbackComplete');
	});
});

describe('VRO plan operations added in v5 and v13', () => {
	test.each([['v5'], ['v7.21'], ['v13'], ['v13.1']])('%s: failover, prepare for failback, switchover to production', async (v) => {
		const version = v as VroVersion;
		const plan = take(version, 'Replica');
		const { one } = setup(vro, version);
		await one({ resource: 'plan', operation: 'failover', planId: rl(plan.id), ...WAIT });
		const sent = await writes(async () => {
			expect(await one({ resource: 'plan', operation: 'prepareFailback', planId: rl(plan.id), ...WAIT })).toMatchObject({ operation: 'prepareFailback', succeeded: true, state: 'PreparedForFailback', previousState: 'FailoverComplete' });
			expect(await one({ resource: 'plan', operation: 'switchoverToProduction', planId: rl(plan.id), ...WAIT })).toMatchObject({ operation: 'switchoverToProduction', succeeded: true, state: 'FailbackComplete' });
		});
		expect(sent).toEqual([
			{ method: 'POST', path: `/api/${v}/Plans/${plan.id}/PrepareToFailback`, body: undefined },
			{ method: 'POST', path: `/api/${v}/Plans/${plan.id}/SwitchoverToProduction`, body: undefined },
		]);
	});

	test.each([['v13'], ['v13.1']])('%s: malware scan of a restore plan', async (v) => {
		const plan = take(v as VroVersion, 'Restore');
		const sent = await writes(async () => {
			expect(await setup(vro, v as VroVersion).one({ resource: 'plan', operation: 'malwareScan', planId: rl(plan.id), ...WAIT })).toMatchObject({ operation: 'malwareScan', completed: true, state: 'Ready' });
		});
		expect(sent).toEqual([{ method: 'POST', path: `/api/${v}/Plans/${plan.id}/MalwareScan`, body: undefined }]);
	});

	test('malware scan of a replica plan is refused before sending ("Run Malware Scan for Restore Plan")', async () => {
		const plan = take('v13', 'Replica', 'Disabled', false);
		const sent = await writes(async () => {
			const e = await failure(setup(vro, 'v13').one({ resource: 'plan', operation: 'malwareScan', planId: rl(plan.id) }));
			expect(e.message).toBe(`Cannot malware scan plan "${plan.name}": the operation does not apply to Replica plans`);
		});
		expect(sent).toEqual([]);
	});

	test.each([
		['prepareFailback', 'v4', 'Plan → Prepare for Failback', 'v5 and later'],
		['switchoverToProduction', 'v3', 'Plan → Switchover to Production', 'v5 and later'],
		['malwareScan', 'v7.21', 'Plan → Malware Scan', 'v13 and later'],
	])('%s on %s is refused before anything is sent', async (operation, v, label, range) => {
		const plan = take(v as VroVersion, 'Restore');
		const sent = await writes(async () => {
			const e = await failure(setup(vro, v as VroVersion).one({ resource: 'plan', operation, planId: rl(plan.id) }));
			expect(e.message).toMatch(new RegExp(`^${label} is not available on Orchestrator API ${v.replace('.', '\\.')} `));
			expect(e.description).toContain(`has it on ${range}`);
		});
		expect(sent).toEqual([]);
	});
});
