import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { isLegacyVersion } from '../../credentials/shared/vroVersions';
import { mapWithConcurrency } from '../shared/concurrency';
import { operationError } from '../shared/errors';
import { fillPath } from '../shared/url';
import type { PlanAction, PlanSnapshot } from './planState';
import { isSettled, PLAN_ACTION_LABELS } from './planState';
import type { LegacyCollection } from './endpoints';
import type { VroContext } from './plans';
import { resolvePlan } from './plans';
import { vroList, vroSend } from './transport';

/**
 * Wait for Completion. Plan actions are fire-and-start (action pages answer 200 with no content, e.g. archive/vao/10/restapi/run_failover.html): the POST returns once accepted, and
 * progress shows in the plan state and (v3+) in RuntimeDetails. The node polls both at an interval
 * until the plan has left its running state, or the timeout.
 */
export interface WaitSettings {
	intervalMs: number;
	timeoutMs: number;
	failOnError: boolean;
}

export function readWaitSettings(values: IDataObject): WaitSettings {
	const o = (values.waitOptions as IDataObject) ?? {};
	const interval = Number(o.pollIntervalSeconds ?? 15);
	const timeout = Number(o.timeoutMinutes ?? 120);
	return {
		intervalMs: Math.max(0, Number.isFinite(interval) ? interval : 15) * 1000,
		timeoutMs: Math.max(0, Number.isFinite(timeout) ? timeout : 120) * 60_000,
		failOnError: o.failOnError !== false,
	};
}

/** Polls needed without any sign of the action before a settled plan is taken as finished. */
export const QUIET_POLLS = 3;

export interface WaitOutcome extends IDataObject {
	planId: string;
	planName: string;
	operation: string;
	apiVersion: string;
	completed: boolean;
	succeeded: boolean;
	halted: boolean;
	state: string;
	stateName: string;
	result: string;
	previousState: string;
	durationSeconds: number;
	polls: number;
	failedSteps: IDataObject[];
}

/** The result word of a finished action: check results for readiness checks, run results otherwise. */
export function resultOf(action: PlanAction, plan: PlanSnapshot, runtime: IDataObject | undefined): string {
	const pick = (...values: unknown[]) => values.find((v): v is string => typeof v === 'string' && v !== '' && v !== 'Running');
	if (action === 'readinessCheck') return pick(runtime?.currentCheckResult, plan.lastCheckResult, plan.result) ?? 'Undefined';
	return pick(plan.result, runtime?.currentRunResult) ?? 'Undefined';
}

export function succeeded(action: PlanAction, plan: PlanSnapshot, result: string): boolean {
	if (action === 'halt') return plan.phase === 'halted';
	if (plan.phase === 'halted') return false;
	return !/error|fail/i.test(result);
}

function stillRunning(runtime: IDataObject | undefined): boolean {
	return runtime?.currentRunResult === 'Running' || runtime?.currentCheckResult === 'Running';
}

export async function waitForPlan(
	vc: VroContext,
	action: PlanAction,
	before: PlanSnapshot,
	collection: LegacyCollection | undefined,
	settings: WaitSettings,
	itemIndex: number,
): Promise<WaitOutcome> {
	const node = vc.ctx.getNode();
	const legacy = isLegacyVersion(vc.conn.version);
	const started = Date.now();
	const label = PLAN_ACTION_LABELS[action];
	let polls = 0;
	let seenRunning = false;
	let plan: IDataObject;
	let snapshot: PlanSnapshot;
	let runtime: IDataObject | undefined;
	for (;;) {
		await sleep(settings.intervalMs);
		if (cancelled(vc)) throw operationError(node, `Stopped waiting for the ${label} of plan "${before.name}": the execution was cancelled`, 'The action keeps running on the server.', itemIndex);
		polls++;
		({ plan, snapshot } = await resolvePlan(vc, before.id, itemIndex, collection));
		runtime = legacy ? undefined : await runtimeDetails(vc, before.id, itemIndex);
		if (snapshot.phase === 'running' || stillRunning(runtime)) seenRunning = true;
		const settled = isSettled(snapshot) && !stillRunning(runtime);
		const changed =
			seenRunning || snapshot.state !== before.state || (action === 'readinessCheck' && !!snapshot.lastCheckTime && snapshot.lastCheckTime !== before.lastCheckTime);
		if (settled && (changed || polls >= QUIET_POLLS)) break;
		if (Date.now() - started >= settings.timeoutMs) {
			const progress = runtime?.totalProgress !== undefined ? `, ${String(runtime.totalProgress)}% done` : '';
			throw operationError(
				node,
				`The ${label} of plan "${before.name}" was still running after ${Math.round(settings.timeoutMs / 60_000)} minutes (state ${snapshot.stateName || snapshot.state}${progress})`,
				'Wait for Completion stopped waiting; the action keeps running on the server. Follow it in the Orchestrator UI or with Runtime Details → Get, or raise "Timeout (Minutes)" in the wait options.',
				itemIndex,
			);
		}
	}
	const result = resultOf(action, snapshot, runtime);
	const ok = succeeded(action, snapshot, result);
	const failed = legacy || (ok && result !== 'Warning') ? { steps: [] } : await collectFailedSteps(vc, before.id, itemIndex);
	const outcome: WaitOutcome = {
		planId: snapshot.id || before.id,
		planName: snapshot.name || before.name,
		operation: action,
		apiVersion: vc.conn.version,
		completed: true,
		succeeded: ok,
		halted: snapshot.phase === 'halted',
		state: snapshot.state,
		stateName: snapshot.stateName,
		result,
		previousState: before.state,
		durationSeconds: Math.round((Date.now() - started) / 100) / 10,
		polls,
		failedSteps: failed.steps,
	};
	if (failed.problem) outcome.failedStepsUnavailable = failed.problem;
	if (snapshot.details) outcome.planStateDetails = snapshot.details;
	if (runtime) outcome.runtimeDetails = runtime;
	else outcome.plan = plan;
	return outcome;
}

function cancelled(vc: VroContext): boolean {
	const ctx = vc.ctx as { getExecutionCancelSignal?: () => AbortSignal | undefined };
	return typeof ctx.getExecutionCancelSignal === 'function' && ctx.getExecutionCancelSignal()?.aborted === true;
}

/** RuntimeDetails of a plan; empty after a server restart (https://helpcenter.veeam.com/archive/vao/30/restapi/runtime_details.html), so a 404 is "none". */
async function runtimeDetails(vc: VroContext, planId: string, itemIndex: number): Promise<IDataObject | undefined> {
	const decoded = await vroSend(vc.ctx, { method: 'GET', path: fillPath('/RuntimeDetails/Plans/{planId}', { planId }), itemIndex }, vc.options);
	return decoded.ok && decoded.data && typeof decoded.data === 'object' ? (decoded.data as IDataObject) : undefined;
}

const FAILED = /error|fail|halt/i;

function isFailedStep(step: IDataObject): boolean {
	return FAILED.test(String(step.result ?? '')) || FAILED.test(String(step.state ?? '')) || (typeof step.errorMessage === 'string' && step.errorMessage !== '');
}

/**
 * Failed steps of the last run, from RuntimeDetails: the groups whose result or state shows an
 * error, their own steps, and the steps of each of their VMs.
 */
export async function collectFailedSteps(vc: VroContext, planId: string, itemIndex: number): Promise<{ steps: IDataObject[]; problem?: string }> {
	// Best effort once the outcome is known: a read that fails here is reported, not allowed to hide the outcome.
	let problem: string | undefined;
	const list = (path: string) =>
		vroList(vc.ctx, path, { itemIndex }, vc.options).catch((error: Error) => {
			problem ??= error.message;
			return [] as IDataObject[];
		});
	const groups = await list(fillPath('/RuntimeDetails/Plans/{planId}/Groups', { planId }));
	const informative = groups.some((g) => g.result !== undefined || g.state !== undefined);
	const suspects = informative ? groups.filter(isFailedStep) : groups;
	const perGroup = await mapWithConcurrency(suspects, vc.options.concurrency, async (group) => {
		const groupId = String(group.id ?? '');
		if (!groupId) return [];
		const [groupSteps, vms] = await Promise.all([
			list(fillPath('/RuntimeDetails/Plans/{planId}/Groups/{groupId}/Steps', { planId, groupId })),
			list(fillPath('/Plans/{planId}/Groups/{groupId}/Vms', { planId, groupId })),
		]);
		const vmSteps = await mapWithConcurrency(vms, vc.options.concurrency, async (vm) =>
			(await list(fillPath('/RuntimeDetails/Plans/{planId}/Vms/{vmId}/Steps', { planId, vmId: String(vm.id ?? '') }))).map((s): IDataObject => ({ ...s, vmName: s.vmName ?? vm.name })),
		);
		return ([...groupSteps, ...vmSteps.flat()] as IDataObject[]).filter(isFailedStep).map((s) => ({
			groupName: group.name ?? null,
			vmName: s.vmName ?? null,
			stepName: s.name ?? null,
			stepId: s.id ?? null,
			result: s.result ?? null,
			errorMessage: s.errorMessage ?? s.message ?? null,
			startTime: s.startTime ?? null,
			endTime: s.endTime ?? null,
		}));
	});
	return { steps: perGroup.flat() as IDataObject[], problem };
}

/** One line per failed step, for an error description. */
export function failedStepsText(steps: IDataObject[]): string {
	return steps
		.slice(0, 10)
		.map((s) => `step "${String(s.stepName)}"${s.vmName ? ` for VM ${String(s.vmName)}` : ''}${s.errorMessage ? `: ${String(s.errorMessage)}` : ''}`)
		.join('; ');
}
