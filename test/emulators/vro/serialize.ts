/** Resource representations per API version (field lists from the Help Center properties pages and PV Swagger_VAO-APIv1.json; additions marked unverified). */
import type { Execution, PlanEngine, Unit } from './plans';
import type { Group, Plan, RecoveryLocation, Scope, Site, Step, Vm, VroStore } from './store';
import { atLeast, type VroVersion } from './versions';

type Item = Record<string, unknown>;
const link = (href: string) => ({ self: { href } });

export function legacySite(s: Site, base: string): Item {
	const { name, id, serverName, contactName, contactEmail, contactTel, description, type } = s;
	return { name, id, serverName, contactName, contactEmail, contactTel, description, type, _links: link(`${base}/Sites/${id}`) };
}

export function site(s: Site): Item {
	return { id: s.id, name: s.name, serverName: s.serverName, description: s.description, type: s.type };
}

export function legacyScope(s: Scope, base: string): Item {
	return { name: s.name, id: s.id, description: s.description, _links: link(`${base}/Sites/${s.siteId}/Scopes/${s.id}`) };
}

export function scope(s: Scope): Item {
	return { id: s.id, name: s.name, description: s.description, siteId: s.siteId };
}

export function legacyLocation(l: RecoveryLocation, base: string): Item {
	return {
		name: l.name, id: l.id, description: l.description, storageUsageThreshold: l.storageUsageThreshold,
		ivr: l.type === 'Restore', reip: l.useReIp, networkMapping: l.useNetworkMapping, _links: link(`${base}/RecoveryLocations/${l.id}`),
	};
}

export function location(l: RecoveryLocation): Item {
	return {
		id: l.id, type: l.type, name: l.name, description: l.description, isOriginal: l.isOriginal, useReIp: l.useReIp,
		useNetworkMapping: l.useNetworkMapping, computeGroups: l.computeGroups,
		reIpRules: l.useReIp ? [{ sourceIp: '10.1.*.*', targetIp: '172.16.*.*', targetMask: '255.255.0.0' }] : [],
		networkMappingRules: l.useNetworkMapping ? [{ sourceNetwork: 'VM Network', targetNetwork: 'DR Network' }] : [],
		availability: l.availability,
	};
}

/** v1/v2 `planStateDetails`: the two documented texts plus progress/halt texts in the same style (unverified). */
function stateDetails(plan: Plan, engine: PlanEngine): string {
	const exec = engine.runtime.get(plan.id);
	if (engine.isRunning(plan)) return `In progress, ${engine.totalProgress(plan)}% complete`;
	if (plan.state === 'Halted') {
		const failed = exec?.units.find((u) => u.status === 'Error');
		return exec?.haltReason === 'failure' && failed ? `Halted: step "${failed.name}" failed${failed.vmName ? ` for VM ${failed.vmName}` : ''}: ${failed.message}` : 'Halted by user';
	}
	if (plan.resultName === 'Success') return 'Complete, no errors, no warnings';
	if (plan.resultName === 'Error') return 'Complete with errors';
	return plan.lastCheckTime ? `Last readiness check: ${plan.lastCheckResult}` : 'Never checked or tested';
}

export function legacyPlan(v: VroVersion, plan: Plan, d: { store: VroStore; engine: PlanEngine }, base: string): Item {
	const s = plan.schedule;
	const prev = s?.previousPlanId ? d.store.plan(s.previousPlanId) : undefined;
	const o: Item = {
		name: plan.name, id: plan.id, contactName: plan.contactName, contactEmail: plan.contactEmail, contactTel: plan.contactTel,
		description: plan.description, planState: d.engine.info(plan).legacy, planStateDetails: stateDetails(plan, d.engine),
		scheduleEnabled: !!s, scheduleType: s?.type ?? null, scheduleAfter: s?.previousPlanId ?? null,
		scheduleAfterPlanName: prev?.name ?? null, scheduleTime: s?.startTime ?? null, siteId: plan.siteId,
	};
	if (v === 'v2') Object.assign(o, { planInUse: d.engine.isRunning(plan), siteScopeId: plan.scopeId, targetRPO: plan.targetRPO, targetRTO: plan.targetRTO });
	o._links = link(`${base}/${plan.planType === 'Restore' ? 'RestorePlans' : 'FailoverPlans'}/${plan.id}`);
	return o;
}

/** `planVerificationState` values are not documented; derived from the last readiness check (unverified). */
function verification(plan: Plan): string {
	if (plan.lastCheckResult === 'Undefined') return 'NotVerified';
	return plan.lastCheckResult === 'Success' ? 'Verified' : 'VerifiedWithIssues';
}

/** v3+ `RecoveryPlanInfo` (archive/vao/30/restapi/plans_properties.html) with v5/v6 additions from the changelogs. */
export function plan(v: VroVersion, p: Plan, d: { store: VroStore; engine: PlanEngine }): Item {
	const info = d.engine.info(p);
	const sc = d.store.scope(p.scopeId);
	const loc = d.store.location(p.recoveryLocationId);
	const o: Item = {
		id: p.id, planType: p.planType, recoveryLocationId: p.recoveryLocationId, serverId: p.siteId, siteScopeId: p.scopeId,
		siteScopeName: sc?.name ?? null, name: p.name, state: p.state, stateName: info.name, stateOrder: info.order, resultName: p.resultName,
		lastStableState: p.lastStableState, lastStableStateName: d.engine.info({ ...p, state: p.lastStableState }).name,
		previousExecutionState: p.previousExecutionState, reportTemplateId: p.reportTemplateId, description: p.description,
	};
	if (atLeast(v, 'v5')) {
		// Fields a VRO 6/13 status script reads from /Plans (vro-get-planstatus.ps1, repository not resolved); exact names partly unverified.
		Object.assign(o, {
			planMode: p.enabled ? 'Enabled' : 'Disabled', planVerificationState: verification(p),
			currentCheckResult: p.lastCheckResult, currentTestResult: p.lastTestResult, lastCheckTime: p.lastCheckTime,
			lastCheckResult: p.lastCheckResult, lastTestTime: p.lastTestTime, lastTestResult: p.lastTestResult,
			nearestTestScheduleTime: p.schedule?.startTime ?? null,
		});
	}
	if (atLeast(v, 'v6')) {
		Object.assign(o, {
			recoveryLocationName: loc?.name ?? null, recoveryLocationType: loc?.type ?? null, containsAgentGroups: false,
			storageRecoveryLocations: p.planType === 'Storage' && loc ? [{ id: loc.id, name: loc.name }] : [],
		});
	}
	return o;
}

export function group(v: VroVersion, planId: string, g: Group): Item {
	const o: Item = { id: g.id, name: g.name, planId, vmCount: g.vms.length, stepCount: g.steps.length };
	if (atLeast(v, 'v5')) o.groupCategory = g.category;
	return o;
}

export function vm(planId: string, groupId: string, x: Vm): Item {
	return { id: x.id, name: x.name, planId, groupId };
}

export function step(v: VroVersion, s: Step, owner: { groupId: string; vmId: string | null }): Item {
	const o: Item = { id: s.id, name: s.name, type: s.type, groupId: owner.groupId, vmId: owner.vmId };
	if (atLeast(v, 'v5')) o.prohibitedOperations = [];
	return o;
}

/** PlanRuntimeDetails (archive/vao/30/restapi/runtime_details_properties.html) + v5 additions (archive/vdro/50/rest/changelog.html); v5 dropped `serverId`. */
export function runtime(v: VroVersion, p: Plan, d: { store: VroStore; engine: PlanEngine }): Item {
	const exec = d.engine.runtime.get(p.id);
	const info = d.engine.info(p);
	const checkRunning = exec?.action === 'ReadinessCheck' && d.engine.isRunning(p);
	const o: Item = {
		id: p.id, name: p.name, state: p.state, stateName: info.name, stateOrder: info.order, resultName: p.resultName,
		isEditingByCurrentUser: false, currentEditingUser: null, lastStableState: p.lastStableState,
		lastStableStateName: d.engine.info({ ...p, state: p.lastStableState }).name,
		totalProgress: exec ? d.engine.totalProgress(p) : 0,
		currentRunResult: exec && exec.action !== 'ReadinessCheck' ? runResult(exec, d.engine.isRunning(p)) : 'Undefined',
		currentTestResult: p.lastTestResult,
		currentCheckResult: checkRunning ? 'Running' : p.lastCheckResult,
		planType: p.planType, recoveryLocationId: p.recoveryLocationId, siteScopeId: p.scopeId,
	};
	if (!atLeast(v, 'v5')) o.serverId = p.siteId;
	else {
		const loc = d.store.location(p.recoveryLocationId);
		Object.assign(o, {
			planMode: p.enabled ? 'Enabled' : 'Disabled', planVerificationState: verification(p),
			vendor: loc?.type === 'HyperV' ? 'Microsoft' : loc?.type === 'AzureCloud' ? 'Azure' : 'VMware',
			isUndoPossible: d.engine.allowedFrom(p, 'Undo').includes(p.state),
			isReversePossible: (p.planType === 'Replica' || p.planType === 'CdpReplica') && p.state === 'FailoverComplete',
		});
	}
	return o;
}

function runResult(exec: Execution, running: boolean): string {
	if (running) return 'Running';
	if (exec.haltReason) return exec.haltReason === 'failure' ? 'Error' : 'Halted';
	return exec.result;
}

export function groupRuntime(v: VroVersion, g: Group, units: Unit[], halted: boolean): Item {
	const mine = units.filter((u) => u.groupId === g.id);
	const done = mine.filter((u) => u.status !== 'Pending').length;
	const failed = mine.some((u) => u.status === 'Error');
	const state = done === 0 ? 'Pending' : done === mine.length ? 'Complete' : halted ? 'Halted' : 'Running';
	const o: Item = {
		id: g.id, name: g.name, state, progress: mine.length ? Math.floor((done / mine.length) * 100) : 100,
		result: failed ? 'Error' : done === mine.length && mine.length > 0 ? 'Success' : 'Undefined',
	};
	if (atLeast(v, 'v5')) o.groupCategory = g.category;
	return o;
}

export function stepRuntime(u: Unit): Item {
	return {
		id: u.stepId, name: u.name, groupId: u.groupId, vmId: u.vmId, vmName: u.vmName,
		state: u.status === 'Pending' ? 'Pending' : u.status === 'Skipped' ? 'Skipped' : 'Complete',
		result: u.status === 'Success' ? 'Success' : u.status === 'Error' ? 'Error' : 'Undefined',
		errorMessage: u.message, startTime: u.startTime, endTime: u.endTime,
	};
}
