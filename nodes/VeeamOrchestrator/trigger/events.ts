import type { IDataObject } from 'n8n-workflow';

import type { SnapshotEntry } from '../../shared/polling';
import type { PlanPhase, PlanSnapshot } from '../planState';
import { phaseOf as phaseOfState } from '../planState';

/**
 * The Veeam Orchestrator trigger's events, as pure functions over what a poll observes of each plan.
 * The Orchestrator has no event or history API: a plan's `state`, `resultName` and (v5+)
 * `lastCheckTime`/`lastTestTime` are all there is, so the trigger keeps, per plan, a compact mark of
 * what it saw last and reports the differences:
 *   - planStateChanged: the plan's state is another one;
 *   - planRunFinished: a run, test or readiness check ended (seen running before and settled now; or
 *     a new lastCheckTime/lastTestTime; or the plan reached a result state the last poll did not see);
 *   - readinessCheckFailed: a readiness check ended with an error (optionally: or a warning).
 * Start times are when a poll first saw the plan running, so durations are precise to one poll interval.
 */
export type VroTriggerEvent = 'planStateChanged' | 'planRunFinished' | 'readinessCheckFailed';
export const VRO_TRIGGER_EVENTS: readonly VroTriggerEvent[] = ['planStateChanged', 'planRunFinished', 'readinessCheckFailed'];

/**
 * What the trigger remembers of one plan (JSON, in static data):
 * `[state, result, lastCheckTime, lastTestTime, runningSinceMs, runningState]`; the last two are set
 * while the plan is seen running (when the run was first seen, and which running state it was).
 */
export type PlanMark = [state: string, result: string, checkTime: string, testTime: string, runningSinceMs: number | null, runningState: string];

/** One plan as a poll sees it: the raw record, the node's normalised view, and test fields (v5+). */
export interface PlanObservation {
	plan: IDataObject;
	snap: PlanSnapshot;
	testTime?: string;
	testResult?: string;
}

export type RunKind = 'readinessCheck' | 'test' | 'run';

export interface RunInfo {
	kind: RunKind;
	/** The running state the run was seen in (e.g. FailoverRunning), when a poll saw it running. */
	operation: string | null;
	result: string | null;
	startedAt: string | null;
	/** The server's end time (lastCheckTime/lastTestTime), else the poll that saw the run ended; null when unknown. */
	finishedAt: string | null;
	durationSeconds: number | null;
}

export interface PlanChanges {
	/** Set when the state differs from the last poll. */
	previousState?: string;
	/** Runs that ended since the last poll (a check and a run can both end between two polls). */
	finished: RunInfo[];
	mark: PlanMark;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));

export function isPlanMark(entry: SnapshotEntry | undefined): entry is PlanMark {
	return Array.isArray(entry) && entry.length === 6;
}

/** Which kind of operation a running state is (by its name: "ReadinessCheckRunning", "Readiness check in progress", a test/dry run…). */
export function runKindOf(state: string, stateName = ''): RunKind {
	const text = `${state} ${stateName}`;
	if (/readiness|check/i.test(text)) return 'readinessCheck';
	if (/test|dry ?run|drill/i.test(text)) return 'test';
	return 'run';
}

/** States a plan rests in after a run did something (rather than after enable/disable/reset). */
const RESULT_PHASES: PlanPhase[] = ['failover', 'permanentFailover', 'failback', 'restored', 'halted'];

export function markOf(o: PlanObservation, runningSinceMs: number | null, runningState: string): PlanMark {
	return [o.snap.state, str(o.snap.result), str(o.snap.lastCheckTime), str(o.testTime), runningSinceMs, runningState];
}

/**
 * What changed for one plan since its mark. `nowMs` is the poll's time (the start of a run seen now,
 * the end of a run whose server gives no end time).
 */
export function planChanges(previous: PlanMark | undefined, o: PlanObservation, nowMs: number): PlanChanges {
	const running = o.snap.phase === 'running';
	if (!previous) return { finished: [], mark: markOf(o, running ? nowMs : null, running ? o.snap.state : '') };
	const [prevState, , prevCheck, prevTest, prevSince, prevRunningState] = previous;
	const wasRunning = prevSince !== null;
	const finished: RunInfo[] = [];
	const nowIso = new Date(nowMs).toISOString();
	const run = (kind: RunKind, result: string | null, finishedAt: string | null, startedMs: number | null): RunInfo => {
		const end = finishedAt && Number.isFinite(Date.parse(finishedAt)) ? finishedAt : nowIso;
		const duration = startedMs === null ? null : Math.max(0, Math.round((Date.parse(end) - startedMs) / 1000));
		return {
			kind,
			operation: startedMs !== null && prevRunningState ? prevRunningState : null,
			result: result || null,
			startedAt: startedMs === null ? null : new Date(startedMs).toISOString(),
			finishedAt: end,
			durationSeconds: duration,
		} satisfies RunInfo;
	};
	const prevKind = wasRunning ? runKindOf(prevRunningState) : undefined;
	// The run seen running goes on while the plan is in that same running state.
	const sameRunGoesOn = running && wasRunning && o.snap.state === prevRunningState;
	const since = (kind: RunKind) => (prevKind === kind && !sameRunGoesOn ? prevSince : null);

	// Readiness checks and tests: a new end time says one finished (v5+), even if no poll saw it run.
	const check = str(o.snap.lastCheckTime);
	const test = str(o.testTime);
	const checkEnded = check !== '' && check !== prevCheck;
	const testEnded = test !== '' && test !== prevTest;
	if (checkEnded) finished.push(run('readinessCheck', o.snap.lastCheckResult ?? null, check, since('readinessCheck')));
	if (testEnded) finished.push(run('test', o.testResult ?? null, test, since('test')));

	if (wasRunning && !sameRunGoesOn) {
		// The running state a poll saw has ended (the plan settled, or runs another operation now).
		if (prevKind === 'run') finished.push(run('run', runResult(o), null, prevSince));
		else if (prevKind === 'readinessCheck' && !checkEnded) finished.push(run('readinessCheck', o.snap.lastCheckResult ?? null, null, prevSince));
		else if (prevKind === 'test' && !testEnded) finished.push(run('test', o.testResult ?? null, null, prevSince));
	} else if (!wasRunning && !running && o.snap.state !== prevState) {
		// A whole run happened between two polls: the plan went from one resting state to a result
		// state (failover, failback, restored, halted), or from a result state back to Ready (undo,
		// commit failback). Enable/disable/reset (Disabled ↔ Ready, → Disabled) are not runs.
		const fromResult = RESULT_PHASES.includes(phaseOfState(prevState));
		if (RESULT_PHASES.includes(o.snap.phase) || (fromResult && o.snap.phase === 'ready')) finished.push(run('run', runResult(o), null, null));
	}

	const nextSince = running ? (sameRunGoesOn ? prevSince : nowMs) : null;
	return {
		...(o.snap.state !== prevState ? { previousState: prevState } : {}),
		finished,
		mark: markOf(o, nextSince, running ? o.snap.state : ''),
	};
}

/** A run's result: the plan's result name; a halted plan that reports none was halted. */
function runResult(o: PlanObservation): string | null {
	const result = str(o.snap.result);
	if (result && !/^undefined$/i.test(result)) return result;
	return o.snap.phase === 'halted' ? 'Halted' : result || null;
}

/** A readiness check "failed": its result is an error (or, when asked, a warning). */
export function isFailedCheck(result: string | null, includeWarnings: boolean): boolean {
	if (!result) return false;
	if (/error|fail/i.test(result)) return true;
	return includeWarnings && /warn/i.test(result);
}
