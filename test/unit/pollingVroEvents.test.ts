import type { PlanPhase } from '../../nodes/VeeamOrchestrator/planState';
import { isFailedCheck, planChanges, type PlanMark, type PlanObservation, runKindOf } from '../../nodes/VeeamOrchestrator/trigger/events';

/** A plan observation with the fields planChanges reads. */
function obs(state: string, phase: PlanPhase, extra: Partial<PlanObservation['snap']> = {}, test: Partial<Pick<PlanObservation, 'testTime' | 'testResult'>> = {}): PlanObservation {
	return { plan: { id: 'p1', state }, snap: { id: 'p1', name: 'Plan', state, stateName: state, phase, ...extra }, ...test };
}

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('Orchestrator plan changes', () => {
	it('the first observation is a baseline: no change, the mark remembers a run in progress', () => {
		const r = planChanges(undefined, obs('FailoverRunning', 'running'), T0);
		expect(r.finished).toEqual([]);
		expect(r.previousState).toBeUndefined();
		expect(r.mark).toEqual(['FailoverRunning', '', '', '', T0, 'FailoverRunning']);
	});

	it('a run seen running and then settled finishes once, with its duration', () => {
		const running = planChanges(undefined, obs('Ready', 'ready'), T0);
		const seen = planChanges(running.mark, obs('FailoverRunning', 'running'), T0 + 10_000);
		expect(seen.previousState).toBe('Ready');
		expect(seen.finished).toEqual([]);
		const still = planChanges(seen.mark, obs('FailoverRunning', 'running'), T0 + 20_000);
		expect(still.mark[4]).toBe(T0 + 10_000);
		const done = planChanges(still.mark, obs('FailoverComplete', 'failover', { result: 'Success' }), T0 + 70_000);
		expect(done.finished).toEqual([
			{ kind: 'run', operation: 'FailoverRunning', result: 'Success', startedAt: new Date(T0 + 10_000).toISOString(), finishedAt: new Date(T0 + 70_000).toISOString(), durationSeconds: 60 },
		]);
		expect(planChanges(done.mark, obs('FailoverComplete', 'failover', { result: 'Success' }), T0 + 80_000).finished).toEqual([]);
	});

	it('a readiness check ending is reported once, from lastCheckTime, with the server end time', () => {
		const base = planChanges(undefined, obs('Ready', 'ready', { lastCheckTime: '2026-01-01T10:00:00.000Z', lastCheckResult: 'Success' }), T0);
		const seen = planChanges(base.mark, obs('ReadinessCheckRunning', 'running', { lastCheckTime: '2026-01-01T10:00:00.000Z' }), T0 + 1000);
		const end = '2026-01-01T12:00:31.000Z';
		const done = planChanges(seen.mark, obs('Ready', 'ready', { lastCheckTime: end, lastCheckResult: 'Error' }), T0 + 60_000);
		expect(done.finished).toEqual([{ kind: 'readinessCheck', operation: 'ReadinessCheckRunning', result: 'Error', startedAt: new Date(T0 + 1000).toISOString(), finishedAt: end, durationSeconds: 30 }]);
	});

	it('a check that ran entirely between two polls is still reported (start unknown)', () => {
		const base = planChanges(undefined, obs('Ready', 'ready'), T0);
		const done = planChanges(base.mark, obs('Ready', 'ready', { lastCheckTime: '2026-01-01T12:00:05.000Z', lastCheckResult: 'Warning' }), T0 + 60_000);
		expect(done.finished).toEqual([{ kind: 'readinessCheck', operation: null, result: 'Warning', startedAt: null, finishedAt: '2026-01-01T12:00:05.000Z', durationSeconds: null }]);
		expect(done.previousState).toBeUndefined();
	});

	it('a whole run between two polls counts when the plan reached a result state, not for enable/disable', () => {
		const ready: PlanMark = ['Ready', 'Undefined', '', '', null, ''];
		expect(planChanges(ready, obs('RestoreComplete', 'restored', { result: 'Success' }), T0).finished).toMatchObject([{ kind: 'run', result: 'Success', startedAt: null }]);
		expect(planChanges(ready, obs('Halted', 'halted', { result: 'Undefined' }), T0).finished).toMatchObject([{ kind: 'run', result: 'Halted' }]);
		expect(planChanges(ready, obs('Disabled', 'disabled'), T0).finished).toEqual([]);
		const failedOver: PlanMark = ['FailoverComplete', 'Success', '', '', null, ''];
		expect(planChanges(failedOver, obs('Ready', 'ready', { result: 'Success' }), T0).finished).toMatchObject([{ kind: 'run' }]);
		expect(planChanges(['Disabled', '', '', '', null, ''], obs('Ready', 'ready'), T0).finished).toEqual([]);
	});

	it('one running state followed by another ends the first run and starts timing the second', () => {
		const seen: PlanMark = ['ReadinessCheckRunning', '', '', '', T0, 'ReadinessCheckRunning'];
		const next = planChanges(seen, obs('FailoverRunning', 'running'), T0 + 5000);
		expect(next.finished).toMatchObject([{ kind: 'readinessCheck', operation: 'ReadinessCheckRunning', durationSeconds: 5 }]);
		expect(next.mark[4]).toBe(T0 + 5000);
		expect(next.mark[5]).toBe('FailoverRunning');
	});

	it('tests are tracked by lastTestTime', () => {
		const base = planChanges(undefined, obs('Ready', 'ready'), T0);
		const done = planChanges(base.mark, obs('Ready', 'ready', {}, { testTime: '2026-01-01T12:01:00.000Z', testResult: 'Success' }), T0 + 60_000);
		expect(done.finished).toMatchObject([{ kind: 'test', result: 'Success' }]);
	});

	it('names the kind of a running state and judges check results', () => {
		expect(runKindOf('ReadinessCheckRunning')).toBe('readinessCheck');
		expect(runKindOf('X', 'Readiness check in progress')).toBe('readinessCheck');
		expect(runKindOf('DryRun')).toBe('test');
		expect(runKindOf('RestoreRunning')).toBe('run');
		expect(isFailedCheck('Error', false)).toBe(true);
		expect(isFailedCheck('Warning', false)).toBe(false);
		expect(isFailedCheck('Warning', true)).toBe(true);
		expect(isFailedCheck('Success', true)).toBe(false);
		expect(isFailedCheck(null, true)).toBe(false);
	});
});
