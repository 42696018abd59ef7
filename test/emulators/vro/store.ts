/**
 * Deterministic seeded data of one Orchestrator server: sites, scopes, recovery locations, users,
 * client accounts and plans (with groups, VMs and steps). Same seed + options ⇒ same data.
 * Field sets follow the Help Center properties pages; serialisation per API version lives in serialize.ts.
 */
import { seededRandom } from '../common/server';

export type PlanType = 'Replica' | 'CdpReplica' | 'Restore' | 'Storage';
/** `Restore`/`Storage` are documented for v3; AzureCloud from v7, HyperV from v7.2 (docs/vro/rest/changelog.html). */
export type LocationType = 'Restore' | 'Storage' | 'AzureCloud' | 'HyperV';
export type Role = 'Administrator' | 'PlanAuthor' | 'PlanOperator' | 'None';

export interface Site {
	id: string;
	name: string;
	serverName: string;
	contactName: string;
	contactEmail: string;
	contactTel: string;
	description: string;
	type: 'Dr' | 'Production';
}

export interface Scope {
	id: string;
	name: string;
	description: string;
	siteId: string;
	newInstances: number;
}

export interface RecoveryLocation {
	id: string;
	name: string;
	description: string;
	type: LocationType;
	isOriginal: boolean;
	useReIp: boolean;
	useNetworkMapping: boolean;
	storageUsageThreshold: number;
	computeGroups: string[];
	availability: string;
}

export interface Step {
	id: string;
	name: string;
	type: string;
	parameters: { name: string; value: string | number | boolean }[];
}

export interface Vm {
	id: string;
	name: string;
	steps: Step[];
}

export interface Group {
	id: string;
	name: string;
	/** Inventory groups hold VMs; virtual groups hold plan-level steps only (archive/vao/30/restapi/plans_methods.html). */
	category: 'Inventory' | 'Virtual';
	vms: Vm[];
	steps: Step[];
}

export interface FailureSpec {
	/** Index in the plan's flattened step list (group steps, then each VM's steps). */
	unit: number;
	/** `halt`: the plan halts at the failed step; `continue`: the step errors and the run goes on. */
	mode: 'halt' | 'continue';
	/** How many attempts of that step fail (a retry after that succeeds). */
	times: number;
	/** Restrict to these actions (default: every action, readiness checks included). */
	actions?: string[];
	message: string;
}

export interface Schedule {
	type: 'OnTime' | 'AfterPlan';
	startTime?: string;
	previousPlanId?: string;
}

export interface Plan {
	id: string;
	name: string;
	description: string;
	planType: PlanType;
	siteId: string;
	scopeId: string;
	recoveryLocationId: string | null;
	enabled: boolean;
	state: string;
	lastStableState: string;
	previousExecutionState: string | null;
	resultName: string;
	contactName: string;
	contactEmail: string;
	contactTel: string;
	targetRPO: number;
	targetRTO: number;
	reportTemplateId: string;
	schedule: Schedule | null;
	groups: Group[];
	lastCheckTime: string | null;
	lastCheckResult: string;
	lastTestTime: string | null;
	lastTestResult: string;
	changeLogEntries: number;
	failure: FailureSpec | null;
	createdAt: string;
}

export interface User {
	name: string;
	password: string;
	role: Role;
	/** `null` = every scope (administrators). */
	scopeIds: string[] | null;
	rootClientId: string;
}

export interface ClientAccount {
	clientId: string;
	clientSecret: string;
	ownerUser: string;
	createdAt: string;
}

export interface Credential {
	id: string;
	userName: string;
	description: string;
	type: string;
}

export interface StoreOptions {
	seed?: number;
	/** Number of plans (default 250). */
	plans?: number;
}

/** Fixed epoch for seeded timestamps, so snapshots do not depend on the wall clock. */
const EPOCH = Date.UTC(2024, 4, 1);

export const SEEDED_USERS = {
	admin: { name: 'VRO\\admin', password: 'Orchestrator!2024', role: 'Administrator' as Role },
	author: { name: 'VRO\\planauthor', password: 'Author!2024', role: 'PlanAuthor' as Role },
	operator: { name: 'VRO\\operator', password: 'Operator!2024', role: 'PlanOperator' as Role },
	viewer: { name: 'VRO\\viewer', password: 'Viewer!2024', role: 'None' as Role },
};

export const SEEDED_CLIENT = {
	clientId: '5a3c1f0e-7d2b-4c3a-9e1f-0b6d2c4e8a01',
	clientSecret: 'vro-seeded-client-secret-9f2d7c',
	ownerUser: SEEDED_USERS.admin.name,
};

const APPS = ['ERP', 'CRM', 'Exchange', 'SharePoint', 'SQL Cluster', 'Web Shop', 'File Services', 'AD Core', 'Billing', 'HR Portal', 'Intranet', 'Citrix', 'SAP', 'Monitoring', 'Backup Proxy'];
const TIERS = ['Web', 'App', 'DB', 'Cache', 'Edge'];

const STEP_SETS: Record<PlanType, string[][]> = {
	Replica: [['Process Replica VM', 'Check VM Heartbeat'], ['Process Replica VM', 'Check VM Heartbeat', 'Verify Web Site'], ['Process Replica VM', 'Check VM Heartbeat', 'Run Script']],
	CdpReplica: [['Process CDP Replica VM', 'Check VM Heartbeat'], ['Process CDP Replica VM', 'Check VM Heartbeat', 'Verify DNS']],
	Restore: [['Restore VM', 'Check VM Heartbeat'], ['Restore VM', 'Check VM Heartbeat', 'Verify SQL Database'], ['Restore VM', 'Check VM Heartbeat', 'Verify Exchange Mailbox']],
	Storage: [['Process Storage VM', 'Check VM Heartbeat'], ['Process Storage VM', 'Check VM Heartbeat', 'Run Script']],
};

export class VroStore {
	readonly seed: number;
	private readonly rng: () => number;
	sites: Site[] = [];
	scopes: Scope[] = [];
	locations: RecoveryLocation[] = [];
	users: User[] = [];
	clients: ClientAccount[] = [];
	credentials: Credential[] = [];
	plans: Plan[] = [];
	private planIndex = new Map<string, Plan>();
	private counter = 0;

	constructor(options: StoreOptions = {}) {
		this.seed = options.seed ?? 1;
		this.rng = seededRandom(this.seed * 7919 + 17);
		this.seedInfrastructure();
		const n = options.plans ?? 250;
		for (let i = 0; i < n; i++) this.addPlan(this.makePlan(i));
	}

	/** Deterministic RFC 4122-looking GUID. */
	guid(): string {
		const hex = (n: number) => Array.from({ length: n }, () => Math.floor(this.rng() * 16).toString(16)).join('');
		return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(this.rng() * 4)]}${hex(3)}-${hex(12)}`;
	}

	pick<T>(list: readonly T[]): T {
		return list[Math.floor(this.rng() * list.length)];
	}

	int(min: number, max: number): number {
		return min + Math.floor(this.rng() * (max - min + 1));
	}

	private seedInfrastructure(): void {
		const dr: Site = { id: this.guid(), name: 'DR Site Amsterdam', serverName: 'vro01.dr.example.local', contactName: 'DR Team', contactEmail: 'dr-team@example.com', contactTel: '+31 20 555 0100', description: 'Orchestrator server (DR site)', type: 'Dr' };
		const prod: Site = { id: this.guid(), name: 'Production Site Utrecht', serverName: 'vbr01.prod.example.local', contactName: 'Ops Team', contactEmail: 'ops@example.com', contactTel: '+31 30 555 0200', description: 'Production site', type: 'Production' };
		this.sites = [dr, prod];
		this.scopes = ['Default Scope', 'Tenant A', 'Tenant B', 'Finance'].map((name, i) => ({ id: this.guid(), name, description: `${name} plans`, siteId: dr.id, newInstances: i }));
		const loc = (name: string, type: LocationType, extra: Partial<RecoveryLocation> = {}): RecoveryLocation => ({
			id: this.guid(), name, description: `${type} recovery location ${name}`, type, isOriginal: false, useReIp: false, useNetworkMapping: false,
			storageUsageThreshold: 80, computeGroups: [], availability: 'Available', ...extra,
		});
		this.locations = [
			loc('Original Location', 'Restore', { isOriginal: true }),
			loc('DR Cluster Amsterdam', 'Restore', { useReIp: true, useNetworkMapping: true, computeGroups: ['esx-dr-cluster-01'] }),
			loc('DR Cluster Rotterdam', 'Restore', { useNetworkMapping: true, computeGroups: ['esx-dr-cluster-02'] }),
			loc('NetApp SnapMirror DR', 'Storage', { computeGroups: ['esx-dr-cluster-01'] }),
			loc('Azure West Europe', 'AzureCloud', { useReIp: true, computeGroups: ['rg-vro-westeurope'] }),
			loc('Hyper-V Cluster Eindhoven', 'HyperV', { computeGroups: ['hv-cluster-01'] }),
		];
		this.users = Object.values(SEEDED_USERS).map((u, i) => ({
			...u,
			scopeIds: u.role === 'Administrator' ? null : [this.scopes[1].id],
			rootClientId: `00000000-0000-4000-8000-00000000000${i + 1}`,
		}));
		this.clients = [{ ...SEEDED_CLIENT, createdAt: new Date(EPOCH).toISOString() }];
		this.credentials = [
			{ id: this.guid(), userName: 'HV\\svc-vro', description: 'Standalone Hyper-V hosts', type: 'Standard' },
			{ id: this.guid(), userName: 'root', description: 'Linux helper appliance', type: 'Linux' },
		];
	}

	/** Distribution: 35% Replica, 15% CDP, 30% Restore (a fifth of them to Azure/Hyper-V), 20% Storage. */
	private makePlan(i: number): Plan {
		const r = this.rng();
		const planType: PlanType = r < 0.35 ? 'Replica' : r < 0.5 ? 'CdpReplica' : r < 0.8 ? 'Restore' : 'Storage';
		const app = this.pick(APPS);
		const loc = (t: LocationType) => this.locations.filter((l) => l.type === t);
		let recoveryLocationId: string | null = null;
		if (planType === 'Storage') recoveryLocationId = loc('Storage')[0].id;
		if (planType === 'Restore') {
			const special = this.rng() < 0.2;
			recoveryLocationId = special ? this.pick([...loc('AzureCloud'), ...loc('HyperV')]).id : this.pick(loc('Restore')).id;
		}
		const groups: Group[] = [];
		const groupCount = this.int(1, 3);
		for (let g = 0; g < groupCount; g++) {
			const tier = TIERS[g % TIERS.length];
			const vms: Vm[] = [];
			const vmCount = this.int(1, 4);
			const stepSet = this.pick(STEP_SETS[planType]);
			for (let v = 0; v < vmCount; v++) {
				const vmName = `${app.toLowerCase().replace(/\s+/g, '-')}-${tier.toLowerCase()}-${String(i).padStart(4, '0')}-${v + 1}`;
				vms.push({ id: this.guid(), name: vmName, steps: stepSet.map((s) => this.makeStep(s)) });
			}
			groups.push({ id: this.guid(), name: `${app} ${tier} Group`, category: 'Inventory', vms, steps: [] });
		}
		if (this.rng() < 0.3) {
			groups.unshift({ id: this.guid(), name: 'Pre-Recovery Tasks', category: 'Virtual', vms: [], steps: [this.makeStep('Send Email'), this.makeStep('Run Script')] });
		}
		const enabled = this.rng() < 0.85;
		const stable = this.initialState(planType, enabled);
		const checked = this.rng() < 0.6;
		const plan: Plan = {
			id: this.guid(),
			name: `${planType === 'CdpReplica' ? 'CDP' : planType} - ${app} ${String(i + 1).padStart(4, '0')}`,
			description: `${app} ${planType} plan`,
			planType,
			siteId: this.sites[0].id,
			scopeId: this.scopes[i % this.scopes.length].id,
			recoveryLocationId,
			enabled,
			state: stable,
			lastStableState: stable === 'Halted' ? 'Ready' : stable,
			previousExecutionState: null,
			resultName: stable === 'Ready' || stable === 'Disabled' ? 'Undefined' : 'Success',
			contactName: 'DR Team',
			contactEmail: 'dr-team@example.com',
			contactTel: '+31 20 555 0100',
			targetRPO: this.pick([15, 60, 240, 1440]),
			targetRTO: this.pick([30, 60, 120, 480]),
			reportTemplateId: '7f4a2f5e-0000-4000-8000-000000000001',
			schedule: null,
			groups,
			lastCheckTime: checked ? new Date(EPOCH - this.int(1, 90) * 3_600_000).toISOString() : null,
			lastCheckResult: checked ? this.pick(['Success', 'Success', 'Success', 'Warning']) : 'Undefined',
			lastTestTime: null,
			lastTestResult: 'Undefined',
			changeLogEntries: this.int(0, 12),
			failure: null,
			createdAt: new Date(EPOCH - this.int(30, 400) * 86_400_000).toISOString(),
		};
		// Seeded faulty plans (documented in index.ts): every 40th plan from #13 halts at its 2nd step,
		// every 40th from #27 logs an error at its 2nd step and carries on.
		if (i % 40 === 13 || i % 40 === 27) {
			plan.failure = { unit: 1, mode: i % 40 === 13 ? 'halt' : 'continue', times: 1, message: 'Heartbeat was not received within the timeout (seeded failure)' };
			plan.description += ' (seeded to fail at step 2)';
		}
		return plan;
	}

	private initialState(planType: PlanType, enabled: boolean): string {
		if (!enabled) return 'Disabled';
		const r = this.rng();
		if (r < 0.9) return 'Ready';
		if (r >= 0.98) return 'Halted'; // PlanEngine gives seeded HALTED plans a half-done failed run
		if (planType === 'Restore') return 'RestoreComplete';
		if (planType === 'Storage') return 'FailoverComplete';
		return r < 0.95 ? 'FailoverComplete' : 'FailbackComplete';
	}

	makeStep(name: string): Step {
		const params: Step['parameters'] = [
			{ name: 'Timeout', value: 300 },
			{ name: 'RetryCount', value: this.int(0, 3) },
		];
		if (name === 'Run Script') params.push({ name: 'ScriptPath', value: 'C:\\Scripts\\post-recovery.ps1' });
		if (name === 'Verify Web Site') params.push({ name: 'Url', value: 'https://shop.example.com/health' });
		if (name === 'Send Email') params.push({ name: 'Recipients', value: 'dr-team@example.com' });
		return { id: this.guid(), name, type: name.replace(/\s+/g, ''), parameters: params };
	}

	addPlan(plan: Plan): Plan {
		this.plans.push(plan);
		this.planIndex.set(plan.id.toLowerCase(), plan);
		this.counter++;
		return plan;
	}

	removePlan(id: string): boolean {
		const plan = this.plan(id);
		if (!plan) return false;
		this.plans.splice(this.plans.indexOf(plan), 1);
		this.planIndex.delete(plan.id.toLowerCase());
		return true;
	}

	/** GUIDs compare case-insensitively, as .NET Guid route parameters do. */
	plan(id: string): Plan | undefined {
		return this.planIndex.get(id.toLowerCase());
	}

	/** A new seeded plan (for trigger tests that need plans to appear); draws until the requested type comes up. */
	createPlan(overrides: Partial<Plan> = {}): Plan {
		let plan = this.makePlan(this.counter);
		for (let i = 0; i < 200 && overrides.planType && plan.planType !== overrides.planType; i++) plan = this.makePlan(this.counter);
		if (overrides.planType && plan.planType !== overrides.planType) throw new Error(`could not draw a ${overrides.planType} plan`);
		return this.addPlan({ ...plan, ...overrides });
	}

	/** Deep copy with fresh ids (Clone, v5+). */
	clonePlan(source: Plan, name: string): Plan {
		const copyStep = (s: Step): Step => ({ ...s, id: this.guid(), parameters: s.parameters.map((p) => ({ ...p })) });
		const groups = source.groups.map((g) => ({
			...g,
			id: this.guid(),
			steps: g.steps.map(copyStep),
			vms: g.vms.map((vm) => ({ ...vm, id: this.guid(), steps: vm.steps.map(copyStep) })),
		}));
		return this.addPlan({
			...source, id: this.guid(), name, groups, enabled: false, state: 'Disabled', lastStableState: 'Disabled',
			previousExecutionState: null, resultName: 'Undefined', schedule: null, failure: null,
			lastCheckTime: null, lastCheckResult: 'Undefined', lastTestTime: null, lastTestResult: 'Undefined', changeLogEntries: 0,
		});
	}

	site(id: string): Site | undefined {
		return this.sites.find((s) => s.id.toLowerCase() === id.toLowerCase());
	}

	scope(id: string): Scope | undefined {
		return this.scopes.find((s) => s.id.toLowerCase() === id.toLowerCase());
	}

	location(id: string | null): RecoveryLocation | undefined {
		if (!id) return undefined;
		return this.locations.find((l) => l.id.toLowerCase() === id.toLowerCase());
	}

	user(name: string): User | undefined {
		return this.users.find((u) => u.name.toLowerCase() === name.toLowerCase());
	}

	vmCount(plans: Plan[]): number {
		return plans.reduce((n, p) => n + p.groups.reduce((m, g) => m + g.vms.length, 0), 0);
	}
}
