/**
 * Plan state machine. Actions are fire-and-start (action pages answer 200 with no content): the POST only moves the plan into a running
 * state; the run then advances over later observations (GET of the plan, a list that contains it, or its
 * runtime details) — `stepsPerPoll` steps per observation, or one step per `stepMs` of Clock time.
 *
 * Preconditions from archive/vao/20/restapi/run_failover.html, archive/vao/30/restapi/undo_plan.html and continue_plan.html: a plan must be enabled to run; Undo only from
 * FAILOVER/FAILBACK/HALTED (replica) or HALTED (storage); Continue only from HALTED; ResetState → DISABLED.
 * State names: `RestoreComplete`/"Restored" is a vendor sample, `FailoverComplete`, `FailbackComplete`,
 * `Halted`, `Ready`, `Disabled` come from a community client; the `…Running` names are our choice (unverified).
 */
import type { Clock } from '../common/server';
import type { FailureSpec, Plan, PlanType, VroStore } from './store';

export type Action =
	| 'Failover' | 'PermanentFailover' | 'Failback' | 'CommitFailback' | 'PrepareToFailback'
	| 'SwitchoverToProduction' | 'Undo' | 'Restore' | 'ReadinessCheck' | 'MalwareScan';

export interface StateInfo {
	/** v3+ `stateName`. */
	name: string;
	/** v1/v2 `planState` (only `Disabled` and `Failover` are documented values; the rest follow that style). */
	legacy: string;
	order: number;
	running?: Action;
}

export const STATES: Record<string, StateInfo> = {
	Disabled: { name: 'Disabled', legacy: 'Disabled', order: 0 },
	Ready: { name: 'Ready', legacy: 'Ready', order: 1 },
	ReadinessCheckRunning: { name: 'Readiness check in progress', legacy: 'ReadinessCheckInProgress', order: 2, running: 'ReadinessCheck' },
	FailoverRunning: { name: 'Failover in progress', legacy: 'FailoverInProgress', order: 3, running: 'Failover' },
	FailoverComplete: { name: 'Failover', legacy: 'Failover', order: 4 },
	PermanentFailoverRunning: { name: 'Permanent failover in progress', legacy: 'PermanentFailoverInProgress', order: 5, running: 'PermanentFailover' },
	PermanentFailoverComplete: { name: 'Permanent failover', legacy: 'PermanentFailover', order: 6 },
	PrepareFailbackRunning: { name: 'Preparing for failback', legacy: 'PrepareFailbackInProgress', order: 7, running: 'PrepareToFailback' },
	PreparedForFailback: { name: 'Ready for failback', legacy: 'PreparedForFailback', order: 8 },
	SwitchoverRunning: { name: 'Switchover in progress', legacy: 'SwitchoverInProgress', order: 9, running: 'SwitchoverToProduction' },
	FailbackRunning: { name: 'Failback in progress', legacy: 'FailbackInProgress', order: 10, running: 'Failback' },
	FailbackComplete: { name: 'Failback', legacy: 'Failback', order: 11 },
	CommitFailbackRunning: { name: 'Commit failback in progress', legacy: 'CommitFailbackInProgress', order: 12, running: 'CommitFailback' },
	UndoRunning: { name: 'Undo in progress', legacy: 'UndoInProgress', order: 13, running: 'Undo' },
	RestoreRunning: { name: 'Restore in progress', legacy: 'RestoreInProgress', order: 14, running: 'Restore' },
	RestoreComplete: { name: 'Restored', legacy: 'Restored', order: 15 },
	MalwareScanRunning: { name: 'Malware scan in progress', legacy: 'MalwareScanInProgress', order: 16, running: 'MalwareScan' },
	Halted: { name: 'Halted', legacy: 'Halted', order: 17 },
};

const REPLICA: PlanType[] = ['Replica', 'CdpReplica'];
const ALL: PlanType[] = ['Replica', 'CdpReplica', 'Restore', 'Storage'];

interface Rule {
	label: string;
	types: PlanType[];
	from: (plan: Plan) => string[];
	running: string;
	needsEnabled?: boolean;
	haltable?: boolean;
}

const RULES: Record<Action, Rule> = {
	Failover: { label: 'failover', types: [...REPLICA, 'Storage'], from: () => ['Ready'], running: 'FailoverRunning', needsEnabled: true, haltable: true },
	PermanentFailover: { label: 'permanent failover', types: REPLICA, from: () => ['Ready', 'FailoverComplete'], running: 'PermanentFailoverRunning', needsEnabled: true, haltable: true },
	Failback: { label: 'failback', types: REPLICA, from: () => ['FailoverComplete'], running: 'FailbackRunning', haltable: true },
	CommitFailback: { label: 'commit failback', types: REPLICA, from: () => ['FailbackComplete'], running: 'CommitFailbackRunning' },
	PrepareToFailback: { label: 'prepare for failback', types: REPLICA, from: () => ['FailoverComplete'], running: 'PrepareFailbackRunning' },
	SwitchoverToProduction: { label: 'switchover to production', types: REPLICA, from: () => ['PreparedForFailback'], running: 'SwitchoverRunning' },
	// Restore-plan undo (RestoreComplete/Halted) is not documented; chosen by analogy (unverified).
	Undo: {
		label: 'undo', types: ALL, running: 'UndoRunning',
		from: (p) => (p.planType === 'Storage' ? ['Halted'] : p.planType === 'Restore' ? ['RestoreComplete', 'Halted'] : ['FailoverComplete', 'FailbackComplete', 'Halted']),
	},
	Restore: { label: 'restore', types: ['Restore'], from: () => ['Ready'], running: 'RestoreRunning', needsEnabled: true, haltable: true },
	// ResetState can chain a readiness check after moving to DISABLED (archive/vao/30/restapi/reset_plan_state.html), so checks run on disabled plans too.
	ReadinessCheck: { label: 'readiness check', types: ALL, from: () => ['Disabled', 'Ready'], running: 'ReadinessCheckRunning' },
	MalwareScan: { label: 'malware scan', types: ['Restore'], from: () => ['Ready'], running: 'MalwareScanRunning' },
};

export const CONTINUE_OPTIONS = ['ProceedToNextVm', 'ProceedToNextStep', 'RetryFailedStep', 'RetryFailedVm', 'ProceedToNextGroup', 'RetryFailedGroup'] as const;
export type ContinueOption = (typeof CONTINUE_OPTIONS)[number];

export type UnitStatus = 'Pending' | 'Success' | 'Error' | 'Skipped';

export interface Unit {
	stepId: string;
	name: string;
	groupId: string;
	groupName: string;
	vmId: string | null;
	vmName: string | null;
	status: UnitStatus;
	message: string | null;
	startTime: string | null;
	endTime: string | null;
}

export interface Execution {
	action: Action;
	/** Stable state the run started from (where a readiness check returns to; what Undo reverses). */
	fromState: string;
	runningState: string;
	units: Unit[];
	pointer: number;
	startedAt: number;
	endedAt: number | null;
	resumedAt: number;
	processedSinceResume: number;
	haltReason: 'user' | 'failure' | null;
	failuresLeft: number;
	hadErrors: boolean;
	result: string;
}

export interface ProgressOptions {
	/** `poll` (default): advance on observation; `time`: one step per `stepMs` of Clock time. */
	mode: 'poll' | 'time';
	stepsPerPoll: number;
	stepMs: number;
}

export class PlanError extends Error {
	constructor(readonly status: number, message: string) {
		super(message);
	}
}

export class PlanEngine {
	/** RuntimeDetails are in-memory on the real server and vanish on reboot (archive/vao/30/restapi/runtime_details.html). */
	readonly runtime = new Map<string, Execution>();

	constructor(private readonly store: VroStore, private readonly clock: Clock, public progress: ProgressOptions) {
		for (const plan of store.plans) if (plan.state === 'Halted') this.seedHalted(plan);
	}

	isRunning(plan: Plan): boolean {
		return STATES[plan.state]?.running !== undefined;
	}

	info(plan: Plan): StateInfo {
		return STATES[plan.state] ?? { name: plan.state, legacy: plan.state, order: 99 };
	}

	/** States an action may start from for this plan (used for `isUndoPossible`). */
	allowedFrom(plan: Plan, action: Action): string[] {
		return RULES[action].types.includes(plan.planType) ? RULES[action].from(plan) : [];
	}

	/** Before a write: in time mode the run has progressed with the clock; in poll mode a write is not a poll. */
	catchUp(plan: Plan): void {
		if (this.progress.mode === 'time') this.sync(plan);
	}

	/** Start an action; throws PlanError (400) when a documented precondition fails. */
	act(plan: Plan, action: Action): void {
		const rule = RULES[action];
		if (!rule.types.includes(plan.planType)) throw new PlanError(400, `The ${rule.label} operation is not supported for ${plan.planType} plans.`);
		this.assertIdle(plan, rule.label);
		if (rule.needsEnabled && !plan.enabled) throw new PlanError(400, `Plan "${plan.name}" is disabled. Enable the plan before running ${rule.label}.`);
		const from = rule.from(plan);
		if (!from.includes(plan.state)) {
			throw new PlanError(400, `Cannot run ${rule.label} for plan "${plan.name}" in state ${this.info(plan).name}. The operation is allowed in: ${from.map((s) => STATES[s].name).join(', ')}.`);
		}
		this.start(plan, action, plan.state);
	}

	private start(plan: Plan, action: Action, fromState: string): void {
		const now = this.clock.now();
		const exec: Execution = {
			action, fromState, runningState: RULES[action].running, units: this.units(plan), pointer: 0, startedAt: now, endedAt: null,
			resumedAt: now, processedSinceResume: 0, haltReason: null, failuresLeft: this.failureApplies(plan.failure, action) ? plan.failure!.times : 0,
			hadErrors: false, result: 'Undefined',
		};
		// Undo of a halted run reverses what that run did, so remember which action halted.
		if (action === 'Undo' && fromState === 'Halted') exec.fromState = `Halted:${this.runtime.get(plan.id)?.action ?? 'Failover'}`;
		this.runtime.set(plan.id, exec);
		plan.state = exec.runningState;
		if (action !== 'ReadinessCheck' && action !== 'MalwareScan') plan.resultName = 'Undefined';
	}

	halt(plan: Plan): void {
		const exec = this.runtime.get(plan.id);
		const running = STATES[plan.state]?.running;
		if (!running || !exec || !RULES[running].haltable) {
			throw new PlanError(400, `Cannot halt plan "${plan.name}" in state ${this.info(plan).name}. Only a running failover, permanent failover, failback or restore can be halted.`);
		}
		this.toHalted(plan, exec, 'user');
	}

	/** Continue only from HALTED (archive/vao/30/restapi/continue_plan.html). Resumes the halted run at the point the option selects. */
	resume(plan: Plan, option: ContinueOption | undefined): void {
		const exec = this.runtime.get(plan.id);
		if (plan.state !== 'Halted' || !exec) throw new PlanError(400, `Cannot continue plan "${plan.name}" in state ${this.info(plan).name}. Only a halted plan can be continued.`);
		const failed = exec.units[exec.pointer];
		if (failed && exec.haltReason === 'failure' && option) {
			const same = (u: Unit, key: 'vmId' | 'groupId') => u[key] === failed[key] && (key === 'groupId' || u.groupId === failed.groupId);
			const key = option.endsWith('Vm') ? 'vmId' : option.endsWith('Group') ? 'groupId' : null;
			if (option === 'ProceedToNextStep') exec.pointer++;
			else if (key && option.startsWith('Proceed')) {
				while (exec.pointer < exec.units.length && same(exec.units[exec.pointer], key)) {
					if (exec.units[exec.pointer].status === 'Pending') exec.units[exec.pointer].status = 'Skipped';
					exec.pointer++;
				}
			} else if (key) {
				while (exec.pointer > 0 && same(exec.units[exec.pointer - 1], key)) exec.pointer--;
				for (let i = exec.pointer; i < exec.units.length && same(exec.units[i], key); i++) exec.units[i].status = 'Pending';
			}
		}
		exec.haltReason = null;
		exec.resumedAt = this.clock.now();
		exec.processedSinceResume = 0;
		plan.state = exec.runningState;
		plan.resultName = 'Undefined';
	}

	enable(plan: Plan): void {
		if (this.isRunning(plan)) this.assertIdle(plan, 'enable');
		if (plan.enabled) return; // idempotent (unverified)
		plan.enabled = true;
		if (plan.state === 'Disabled') plan.state = plan.lastStableState = 'Ready';
	}

	disable(plan: Plan): void {
		this.assertIdle(plan, 'disable');
		if (!plan.enabled) return;
		if (plan.state !== 'Ready') throw new PlanError(400, `Cannot disable plan "${plan.name}" in state ${this.info(plan).name}. Undo or reset the plan first.`);
		plan.enabled = false;
		plan.state = plan.lastStableState = 'Disabled';
	}

	/** ResetState: back to DISABLED (archive/vao/10/restapi/reset_failover.html, archive/vao/30/restapi/reset_plan_state.html); optionally chains a readiness check. */
	resetState(plan: Plan, executeReadinessCheck = false): void {
		this.assertIdle(plan, 'reset state');
		plan.enabled = false;
		plan.state = plan.lastStableState = 'Disabled';
		plan.previousExecutionState = null;
		plan.resultName = 'Undefined';
		if (executeReadinessCheck) this.start(plan, 'ReadinessCheck', 'Disabled');
	}

	resetChangeLog(plan: Plan): void {
		plan.changeLogEntries = 0;
	}

	scheduleAt(plan: Plan, startTime: string): void {
		if (Number.isNaN(Date.parse(startTime))) throw new PlanError(400, `startTime "${startTime}" is not a valid date-time.`);
		plan.schedule = { type: 'OnTime', startTime: new Date(startTime).toISOString() };
	}

	scheduleAfter(plan: Plan, previousPlanId: string): void {
		const prev = this.store.plan(previousPlanId);
		if (!prev) throw new PlanError(400, `Plan ${previousPlanId} to run after was not found.`);
		if (prev.id === plan.id) throw new PlanError(400, 'A plan cannot be scheduled to run after itself.');
		plan.schedule = { type: 'AfterPlan', previousPlanId: prev.id };
	}

	unschedule(plan: Plan): void {
		plan.schedule = null;
	}

	clone(plan: Plan, name?: string): Plan {
		let target = name ?? `${plan.name} - Copy`;
		if (name && this.store.plans.some((p) => p.name.toLowerCase() === name.toLowerCase())) throw new PlanError(400, `A plan named "${name}" already exists.`);
		for (let i = 2; this.store.plans.some((p) => p.name === target); i++) target = `${plan.name} - Copy (${i})`;
		return this.store.clonePlan(plan, target);
	}

	/** Advance a running plan for one observation (poll mode) or to the current Clock time (time mode). */
	sync(plan: Plan): void {
		const exec = this.runtime.get(plan.id);
		if (!exec || !this.isRunning(plan) || exec.haltReason) return;
		let due: number;
		if (this.progress.mode === 'time') {
			const target = Math.floor((this.clock.now() - exec.resumedAt) / Math.max(1, this.progress.stepMs));
			due = target - exec.processedSinceResume;
		} else {
			due = this.progress.stepsPerPoll;
		}
		this.advance(plan, due);
	}

	/** Process up to `n` steps of the current run (also used by the control API). */
	advance(plan: Plan, n: number): void {
		const exec = this.runtime.get(plan.id);
		if (!exec || !this.isRunning(plan) || exec.haltReason) return;
		const iso = new Date(this.clock.now()).toISOString();
		for (let i = 0; i < n && exec.pointer < exec.units.length; i++) {
			exec.processedSinceResume++;
			const unit = exec.units[exec.pointer];
			unit.startTime = iso;
			unit.endTime = iso;
			const fail = plan.failure && exec.failuresLeft > 0 && Math.min(plan.failure.unit, exec.units.length - 1) === exec.pointer;
			if (!fail) {
				unit.status = 'Success';
				unit.message = null;
				exec.pointer++;
				continue;
			}
			exec.failuresLeft--;
			exec.hadErrors = true;
			unit.status = 'Error';
			unit.message = plan.failure!.message;
			// Readiness checks report errors but never halt; `continue`-mode failures move on.
			if (exec.action === 'ReadinessCheck' || exec.action === 'MalwareScan' || plan.failure!.mode === 'continue') {
				exec.pointer++;
				continue;
			}
			this.toHalted(plan, exec, 'failure');
			return;
		}
		if (exec.pointer >= exec.units.length) this.finish(plan, exec);
	}

	/** Run the current action to its end (control API). */
	complete(plan: Plan): void {
		for (let guard = 0; this.isRunning(plan) && guard < 10_000; guard++) this.advance(plan, 1_000_000);
	}

	private finish(plan: Plan, exec: Execution): void {
		exec.endedAt = this.clock.now();
		exec.result = exec.hadErrors ? 'Error' : 'Success';
		plan.previousExecutionState = exec.runningState;
		if (exec.action === 'ReadinessCheck' || exec.action === 'MalwareScan') {
			if (exec.action === 'ReadinessCheck') {
				plan.lastCheckTime = new Date(exec.endedAt).toISOString();
				plan.lastCheckResult = exec.result;
			}
			plan.state = exec.fromState;
			return;
		}
		const to = this.target(exec);
		plan.state = plan.lastStableState = to;
		plan.resultName = exec.result;
	}

	private target(exec: Execution): string {
		switch (exec.action) {
			case 'Failover': return 'FailoverComplete';
			case 'PermanentFailover': return 'PermanentFailoverComplete';
			case 'Failback': case 'SwitchoverToProduction': return 'FailbackComplete';
			case 'PrepareToFailback': return 'PreparedForFailback';
			case 'Restore': return 'RestoreComplete';
			case 'CommitFailback': return 'Ready';
			case 'Undo':
				// Undo failback returns to the failover state; everything else returns to READY.
				return exec.fromState === 'FailbackComplete' || exec.fromState === 'Halted:Failback' ? 'FailoverComplete' : 'Ready';
			default: return exec.fromState;
		}
	}

	private toHalted(plan: Plan, exec: Execution, reason: 'user' | 'failure'): void {
		exec.haltReason = reason;
		plan.previousExecutionState = exec.runningState;
		plan.state = 'Halted';
		plan.resultName = reason === 'failure' ? 'Error' : 'Undefined';
	}

	private assertIdle(plan: Plan, label: string): void {
		if (this.isRunning(plan)) {
			throw new PlanError(400, `Cannot ${label} plan "${plan.name}" while it is running (${this.info(plan).name}). Wait for the operation to finish or halt the plan.`);
		}
	}

	private failureApplies(f: FailureSpec | null, action: Action): boolean {
		return !!f && (!f.actions || f.actions.includes(action));
	}

	/** Flattened steps: each group's own steps, then each VM's steps (drives progress and step results). */
	units(plan: Plan): Unit[] {
		const out: Unit[] = [];
		const unit = (groupId: string, groupName: string, stepId: string, name: string, vmId: string | null, vmName: string | null): Unit =>
			({ stepId, name, groupId, groupName, vmId, vmName, status: 'Pending', message: null, startTime: null, endTime: null });
		for (const g of plan.groups) {
			for (const s of g.steps) out.push(unit(g.id, g.name, s.id, s.name, null, null));
			for (const vm of g.vms) for (const s of vm.steps) out.push(unit(g.id, g.name, s.id, s.name, vm.id, vm.name));
		}
		return out;
	}

	totalProgress(plan: Plan): number {
		const exec = this.runtime.get(plan.id);
		if (!exec || exec.units.length === 0) return 0;
		const done = exec.units.filter((u) => u.status !== 'Pending').length;
		return Math.floor((done / exec.units.length) * 100);
	}

	/** Force a stable state (control API / seeding). Clears any run in progress. */
	setState(plan: Plan, state: string): void {
		if (!STATES[state]) throw new Error(`unknown plan state ${state}; known: ${Object.keys(STATES).join(', ')}`);
		if (STATES[state].running) {
			const action = STATES[state].running!;
			this.start(plan, action, plan.state === 'Halted' || STATES[plan.state].running ? plan.lastStableState : plan.state);
			return;
		}
		this.runtime.delete(plan.id);
		plan.state = state;
		if (state === 'Disabled') plan.enabled = false;
		else plan.enabled = true;
		if (state === 'Halted') this.seedHalted(plan);
		else plan.lastStableState = state;
	}

	/** A seeded HALTED plan looks like a run halted halfway by its step failing. */
	private seedHalted(plan: Plan): void {
		const action: Action = plan.planType === 'Restore' ? 'Restore' : 'Failover';
		const exec: Execution = {
			action, fromState: 'Ready', runningState: RULES[action].running, units: this.units(plan), pointer: 0, startedAt: this.clock.now(), endedAt: null,
			resumedAt: this.clock.now(), processedSinceResume: 0, haltReason: 'failure', failuresLeft: 0, hadErrors: true, result: 'Undefined',
		};
		exec.pointer = Math.floor(exec.units.length / 2);
		exec.units.forEach((u, i) => { if (i < exec.pointer) u.status = 'Success'; });
		exec.units[exec.pointer].status = 'Error';
		exec.units[exec.pointer].message = 'Seeded failure';
		this.runtime.set(plan.id, exec);
		plan.state = 'Halted';
		plan.previousExecutionState = exec.runningState;
		plan.resultName = 'Error';
	}

	/** Emulated server restart: finished runs' runtime details are gone (running/halted runs kept so plans stay consistent). */
	reboot(): void {
		for (const [id, exec] of this.runtime) {
			const plan = this.store.plan(id);
			if (!plan || (!this.isRunning(plan) && plan.state !== 'Halted')) this.runtime.delete(id);
			else if (exec.endedAt !== null) this.runtime.delete(id);
		}
	}
}
