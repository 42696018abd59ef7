import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { isLegacyVersion } from '../../../credentials/shared/vroVersions';
import { operationError } from '../../shared/errors';
import { eventItem, MAX_SNAPSHOT_ENTRIES, newState, type PollState, type SnapshotEntry } from '../../shared/polling';
import type { PollEnv, PollPass, TriggerDefinition } from '../../shared/pollRunner';
import { runPoll } from '../../shared/pollRunner';
import { fillPath } from '../../shared/url';
import type { PlanPhase } from '../planState';
import { snapshotOf } from '../planState';
import { listPlans, type VroContext } from '../plans';
import { vroConnection, vroRequest } from '../transport';
import { isFailedCheck, isPlanMark, planChanges, type PlanObservation, type RunInfo, VRO_TRIGGER_EVENTS, type VroTriggerEvent } from './events';

/**
 * The Veeam Orchestrator trigger: one read of the plan list per poll (paged in the API version's
 * style by the Orchestrator transport), compared with the marks kept in static data. The shared poll
 * runner writes the new marks only after the whole pass succeeded.
 */
interface Params {
	event: VroTriggerEvent;
	/** Chosen plan ids; empty = every plan. */
	planIds: string[];
	/** planStateChanged: phases entered that count; empty = any. */
	phases: PlanPhase[];
	includeWarnings: boolean;
	includeExisting: boolean;
}

function readParams(ctx: IPollFunctions): Params {
	const event = ctx.getNodeParameter('event', 'planStateChanged') as VroTriggerEvent;
	if (!VRO_TRIGGER_EVENTS.includes(event)) throw operationError(ctx.getNode(), `Unknown event "${String(event)}"`, 'Choose an event in the trigger.');
	const list = (name: string) => [...new Set(((ctx.getNodeParameter(name, []) as unknown[]) ?? []).map((v) => String(v).trim()).filter((v) => v !== ''))].sort();
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	return {
		event,
		planIds: list('planIds'),
		phases: event === 'planStateChanged' ? (list('states') as PlanPhase[]) : [],
		includeWarnings: event === 'readinessCheckFailed' && ctx.getNodeParameter('includeWarnings', false) === true,
		includeExisting: options.includeExisting === true,
	};
}

/** The marks are the same for every event; another plan selection starts a new baseline. */
export function configKey(p: Params): string {
	return JSON.stringify([p.event, p.planIds]);
}

const KEPT_POSITION = 'The trigger kept what it knew of every plan: the next poll compares again from there, so no change is lost.';

async function contextOf(env: PollEnv<Params>): Promise<VroContext> {
	return { ctx: env.ctx, conn: await vroConnection(env.ctx), options: env.call };
}

/** One pass: every watched plan compared with its mark; a run or state change since the last pass is an event. */
async function pollPlans(env: PollEnv<Params>, config: string, previous: PollState | undefined): Promise<PollPass> {
	const { params } = env;
	const vc = await contextOf(env);
	const observed = await observePlans(vc, params);
	const now = Date.now();
	const snapshot: Record<string, SnapshotEntry> = {};
	const items: Array<{ json: IDataObject; order: number; at: string }> = [];
	const prior = previous?.snapshot ?? {};
	for (const [index, o] of observed.entries()) {
		const entry = prior[o.snap.id];
		const changes = planChanges(previous && isPlanMark(entry) ? entry : undefined, o, now);
		snapshot[o.snap.id] = changes.mark;
		if (!previous) {
			if (params.includeExisting) items.push(...existingItems(params, o).map((json) => ({ json, order: index, at: '' })));
			continue;
		}
		await completeCheckResults(vc, o, changes.finished);
		for (const json of eventItems(params, o, changes.previousState, changes.finished)) {
			items.push({ json, order: index, at: String((json.run as IDataObject | undefined)?.finishedAt ?? '') });
		}
	}
	// Oldest first: runs by their end time; state changes (seen now) in list order after them.
	items.sort((a, b) => (a.at === b.at ? a.order - b.order : a.at === '' ? 1 : b.at === '' ? -1 : a.at < b.at ? -1 : 1));
	return { items: items.map((i) => ({ json: i.json })), state: { ...(previous ?? newState(config)), baselined: true, snapshot } };
}

/** The Orchestrator trigger on the shared poll runner: what it reads (the plan list) and how plans become events. */
const VRO_TRIGGER: TriggerDefinition<Params> = {
	readParams,
	configKey,
	keptPosition: KEPT_POSITION,
	// "Fetch test event": a real plan as a sample.
	sample: async (env) => sampleItem(env.params, await observePlans(await contextOf(env), env.params)),
	poll: pollPlans,
};

export async function pollVroTrigger(ctx: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	return await runPoll(ctx, VRO_TRIGGER);
}

async function observePlans(vc: VroContext, params: Params): Promise<PlanObservation[]> {
	const plans = await listPlans(vc, {}, undefined, 0);
	const wanted = params.planIds.length > 0 ? new Set(params.planIds) : undefined;
	const out: PlanObservation[] = [];
	for (const plan of plans) {
		// v1/v2 keep restore plans in their own collection, visible in the self link.
		const collection = String((plan._links as IDataObject | undefined)?.self ? ((plan._links as IDataObject).self as IDataObject).href ?? '' : '').includes('RestorePlans') ? 'RestorePlans' : undefined;
		const snap = snapshotOf(vc.conn.version, plan, collection);
		if (wanted && !wanted.has(snap.id)) continue;
		out.push({
			plan,
			snap,
			testTime: typeof plan.lastTestTime === 'string' ? plan.lastTestTime : undefined,
			testResult: typeof plan.lastTestResult === 'string' ? plan.lastTestResult : undefined,
		});
	}
	if (out.length > MAX_SNAPSHOT_ENTRIES) {
		throw operationError(vc.ctx.getNode(), `Too many plans to watch: ${out.length} (at most ${MAX_SNAPSHOT_ENTRIES})`, 'Choose the plans to watch in the trigger.');
	}
	return out;
}

/** Before v5 a plan does not carry its last check result; the runtime details do (currentCheckResult). */
async function completeCheckResults(vc: VroContext, o: PlanObservation, finished: RunInfo[]): Promise<void> {
	const check = finished.find((r) => r.kind === 'readinessCheck' && r.result === null);
	if (!check || isLegacyVersion(vc.conn.version)) return;
	const details = (await vroRequest(vc.ctx, { method: 'GET', path: fillPath('/RuntimeDetails/Plans/{planId}', { planId: o.snap.id }) }, vc.options)) as IDataObject;
	const result = details?.currentCheckResult;
	if (typeof result === 'string' && result !== '' && !/^(undefined|running)$/i.test(result)) check.result = result;
}

function eventItems(params: Params, o: PlanObservation, previousState: string | undefined, finished: RunInfo[]): IDataObject[] {
	switch (params.event) {
		case 'planStateChanged':
			if (previousState === undefined) return [];
			if (params.phases.length > 0 && !params.phases.includes(o.snap.phase)) return [];
			return [eventItem('planStateChanged', 'plan', o.plan, { previousState, state: o.snap.state }).json];
		case 'planRunFinished':
			return finished.map((run) => eventItem('planRunFinished', 'plan', o.plan, { run: run as unknown as IDataObject }).json);
		case 'readinessCheckFailed':
			return finished
				.filter((run) => run.kind === 'readinessCheck' && isFailedCheck(run.result, params.includeWarnings))
				.map((run) => eventItem('readinessCheckFailed', 'plan', o.plan, { run: run as unknown as IDataObject }).json);
	}
}

/** What "Include Existing Items" emits on the first poll: the current state, the last results. */
function existingItems(params: Params, o: PlanObservation): IDataObject[] {
	const last = lastRuns(o);
	switch (params.event) {
		case 'planStateChanged':
			if (params.phases.length > 0 && !params.phases.includes(o.snap.phase)) return [];
			return [eventItem('planStateChanged', 'plan', o.plan, { previousState: null, state: o.snap.state }).json];
		case 'planRunFinished':
			return last.map((run) => eventItem('planRunFinished', 'plan', o.plan, { run: run as unknown as IDataObject }).json);
		case 'readinessCheckFailed':
			return last
				.filter((run) => run.kind === 'readinessCheck' && isFailedCheck(run.result, params.includeWarnings))
				.map((run) => eventItem('readinessCheckFailed', 'plan', o.plan, { run: run as unknown as IDataObject }).json);
	}
}

/** The plan's last known results as runs with no observed start (samples and Include Existing Items). */
function lastRuns(o: PlanObservation): RunInfo[] {
	const runs: RunInfo[] = [];
	const at = (value: string | undefined) => (value && Number.isFinite(Date.parse(value)) ? value : null);
	if (at(o.snap.lastCheckTime) && o.snap.lastCheckResult && !/^undefined$/i.test(o.snap.lastCheckResult)) {
		runs.push({ kind: 'readinessCheck', operation: null, result: o.snap.lastCheckResult, startedAt: null, finishedAt: o.snap.lastCheckTime!, durationSeconds: null });
	}
	if (at(o.testTime) && o.testResult && !/^undefined$/i.test(o.testResult)) {
		runs.push({ kind: 'test', operation: null, result: o.testResult, startedAt: null, finishedAt: o.testTime!, durationSeconds: null });
	}
	if (o.snap.phase !== 'running' && o.snap.result && !/^undefined$/i.test(o.snap.result)) {
		runs.push({ kind: 'run', operation: null, result: o.snap.result, startedAt: null, finishedAt: null, durationSeconds: null });
	}
	return runs;
}

function sampleItem(params: Params, observed: PlanObservation[]): INodeExecutionData | undefined {
	for (const o of observed) {
		const items = existingItems(params, o);
		if (items.length > 0) return { json: items[0] };
	}
	// Nothing matches yet: show the shape with the first plan.
	const o = observed[0];
	if (!o) return undefined;
	if (params.event === 'planStateChanged') return eventItem('planStateChanged', 'plan', o.plan, { previousState: null, state: o.snap.state });
	return eventItem(params.event, 'plan', o.plan, { run: null });
}
