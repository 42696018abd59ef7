import type { IDataObject } from 'n8n-workflow';

import type { VroApiVersion } from '../../credentials/shared/vroVersions';
import { isLegacyVersion } from '../../credentials/shared/vroVersions';

/**
 * Plan states across generations, as pure functions. VAO 1.0/2.0 report `planState` (`Disabled`,
 * `Failover`, …) and `planStateDetails`; v3+ report `state`/`stateName`/`resultName`
 * (https://helpcenter.veeam.com/archive/vao/30/restapi/plans_properties.html). Only
 * some state names are documented (`Disabled`, `Ready`, `Failover`, `FailoverComplete`,
 * `FailbackComplete`, `RestoreComplete`, `Halted`, `Running`), so a state we cannot place is
 * `unknown` and is never used to refuse an action: the server decides then.
 */
export type PlanPhase = 'disabled' | 'ready' | 'running' | 'failover' | 'permanentFailover' | 'failback' | 'restored' | 'halted' | 'unknown';

export interface PlanSnapshot {
	id: string;
	name: string;
	/** Replica, CdpReplica, Restore, Storage (v3+); v1/v2 derive it from the collection. */
	planType?: string;
	state: string;
	stateName: string;
	phase: PlanPhase;
	/** undefined when the server does not say. */
	enabled?: boolean;
	result?: string;
	lastCheckTime?: string;
	lastCheckResult?: string;
	details?: string;
}

export function phaseOf(state: string): PlanPhase {
	const s = state.trim();
	if (/^disabled$/i.test(s)) return 'disabled';
	if (/^ready$/i.test(s)) return 'ready';
	if (/running|inprogress|in progress|^(preparing|processing|starting|stopping|halting|undoing|pending)/i.test(s)) return 'running';
	if (/^halted$/i.test(s)) return 'halted';
	if (/^permanent ?failover(complete)?$/i.test(s)) return 'permanentFailover';
	if (/^failover(complete)?$/i.test(s)) return 'failover';
	if (/^failback(complete)?$/i.test(s)) return 'failback';
	if (/^restored?(complete)?$/i.test(s)) return 'restored';
	return 'unknown';
}

function str(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * A plan as the node reasons about it. `collection` is the v1/v2 collection the plan came from
 * (FailoverPlans = replica plans, RestorePlans = restore plans).
 */
export function snapshotOf(version: VroApiVersion, plan: IDataObject, collection?: string): PlanSnapshot {
	if (isLegacyVersion(version)) {
		const state = str(plan.planState) ?? '';
		let phase = phaseOf(state);
		if (plan.planInUse === true && phase !== 'halted') phase = 'running';
		return {
			id: String(plan.id ?? ''),
			name: String(plan.name ?? ''),
			planType: collection === 'RestorePlans' ? 'Restore' : 'Replica',
			state,
			stateName: state,
			phase,
			enabled: phase === 'disabled' ? false : phase === 'unknown' ? undefined : true,
			result: legacyResult(str(plan.planStateDetails)),
			details: str(plan.planStateDetails),
		};
	}
	const state = str(plan.state) ?? '';
	let phase = phaseOf(state);
	if (phase === 'unknown' && str(plan.stateName)) phase = phaseOf(String(plan.stateName));
	const mode = str(plan.planMode);
	return {
		id: String(plan.id ?? ''),
		name: String(plan.name ?? ''),
		planType: str(plan.planType),
		state,
		stateName: str(plan.stateName) ?? state,
		phase,
		enabled: mode ? /^enabled$/i.test(mode) : phase === 'disabled' ? false : phase === 'unknown' ? undefined : true,
		result: str(plan.resultName),
		lastCheckTime: str(plan.lastCheckTime),
		lastCheckResult: str(plan.lastCheckResult),
	};
}

/** VAO 1.0/2.0 state details ("Complete, no errors, no warnings", …) as a result word. */
export function legacyResult(details: string | undefined): string | undefined {
	if (!details) return undefined;
	if (/no errors/i.test(details)) return /no warnings/i.test(details) || !/warning/i.test(details) ? 'Success' : 'Warning';
	if (/error|fail/i.test(details)) return 'Error';
	if (/warning/i.test(details)) return 'Warning';
	if (/success/i.test(details)) return 'Success';
	return undefined;
}

export type PlanAction =
	| 'enable'
	| 'disable'
	| 'failover'
	| 'permanentFailover'
	| 'failback'
	| 'commitFailback'
	| 'undo'
	| 'restore'
	| 'halt'
	| 'continue'
	| 'resetState'
	| 'readinessCheck'
	| 'prepareFailback'
	| 'switchoverToProduction'
	| 'malwareScan';

export const PLAN_ACTION_LABELS: Record<PlanAction, string> = {
	enable: 'enable',
	disable: 'disable',
	failover: 'failover',
	permanentFailover: 'permanent failover',
	failback: 'failback',
	commitFailback: 'commit failback',
	undo: 'undo',
	restore: 'restore',
	halt: 'halt',
	continue: 'continue',
	resetState: 'reset state',
	readinessCheck: 'readiness check',
	prepareFailback: 'prepare for failback',
	switchoverToProduction: 'switchover to production',
	malwareScan: 'malware scan',
};

const REPLICA = ['Replica', 'CdpReplica'];

interface Rule {
	/** Plan types the action applies to (the "[Applies only to …]" notes of the VAO 3.0 action pages); undefined = all. */
	types?: string[];
	/** Phases the action may start from; only checked when the phase is known. */
	from?: PlanPhase[];
	needsEnabled?: boolean;
	/** Human wording of `from` for the message. */
	fromText?: string;
}

/**
 * Documented preconditions (archive/vao/20/restapi/run_failover.html, archive/vao/30/restapi/undo_plan.html,
 * archive/vao/30/restapi/continue_plan.html on https://helpcenter.veeam.com): a plan must be enabled to run; Undo only from
 * Failover/Failback/Halted (replica) or Halted (storage); Continue only from Halted; and the action
 * endpoints name the plan types they serve. Nothing but Halt is sent to a running plan.
 */
const RULES: Record<PlanAction, Rule> = {
	enable: {},
	disable: {},
	failover: { types: [...REPLICA, 'Storage'], from: ['ready'], needsEnabled: true, fromText: 'Ready' },
	permanentFailover: { types: REPLICA, from: ['ready', 'failover'], needsEnabled: true, fromText: 'Ready or Failover' },
	failback: { types: REPLICA, from: ['failover'], fromText: 'Failover' },
	commitFailback: { types: REPLICA, from: ['failback'], fromText: 'Failback' },
	undo: { from: ['failover', 'failback', 'halted', 'restored'], fromText: 'Failover, Failback or Halted' },
	restore: { types: ['Restore'], from: ['ready'], needsEnabled: true, fromText: 'Ready' },
	halt: { from: ['running'], fromText: 'a running state' },
	continue: { from: ['halted'], fromText: 'Halted' },
	resetState: {},
	// A readiness check verifies a plan that is ready to run (or disabled, e.g. after Reset State); on a plan
	// that is failed over, restored or halted there is nothing to check, and the server refuses it.
	readinessCheck: { from: ['ready', 'disabled'], fromText: 'Ready or Disabled (not failed over, restored or halted)' },
	// No public page states the start states of these three; only the reference's own name is used ("Run
	// Malware Scan for Restore Plan"), and the server decides the rest.
	prepareFailback: {},
	switchoverToProduction: {},
	malwareScan: { types: ['Restore'] },
};

/** Why the action must not be sent to this plan, or undefined when nothing documented forbids it. */
export function preconditionProblem(action: PlanAction, plan: PlanSnapshot): { message: string; description: string } | undefined {
	const label = PLAN_ACTION_LABELS[action];
	const rule = RULES[action];
	const named = `plan "${plan.name || plan.id}"`;
	const stateText = plan.stateName || plan.state || 'unknown';
	if (plan.phase === 'running' && action !== 'halt') {
		return {
			message: `Cannot ${label} ${named}: it is running (${stateText})`,
			description: 'Wait until the current operation has finished (use Wait for Completion), or halt the plan first.',
		};
	}
	if (rule.types && plan.planType && !rule.types.includes(plan.planType)) {
		const alternative = plan.planType === 'Restore' ? ' Restore plans are run with the Restore operation.' : action === 'restore' ? ' Replica and storage plans are run with Failover.' : '';
		return {
			message: `Cannot ${label} ${named}: the operation does not apply to ${plan.planType} plans`,
			description: `The ${label} operation serves ${rule.types.join(', ')} plans.${alternative}`,
		};
	}
	if (rule.needsEnabled && plan.enabled === false) {
		return {
			message: `Cannot ${label} ${named}: the plan is disabled`,
			description: 'A plan must be enabled before it can run. Enable it first (Plan → Enable), after checking it is ready.',
		};
	}
	let from = rule.from;
	if (action === 'undo' && plan.planType === 'Storage') from = ['halted'];
	if (action === 'undo' && plan.planType && REPLICA.includes(plan.planType)) from = ['failover', 'failback', 'halted'];
	if (from && plan.phase !== 'unknown' && !from.includes(plan.phase)) {
		const allowed = action === 'undo' && plan.planType === 'Storage' ? 'Halted' : rule.fromText;
		return {
			message: `Cannot ${label} ${named} in state ${stateText}`,
			description: `The ${label} operation is allowed only from ${allowed}.${action === 'continue' ? ' Only a halted plan can be continued.' : action === 'halt' ? ' There is nothing to halt.' : ''}`,
		};
	}
	return undefined;
}

/** Whether the plan has left every running state. */
export function isSettled(plan: PlanSnapshot): boolean {
	return plan.phase !== 'running';
}
