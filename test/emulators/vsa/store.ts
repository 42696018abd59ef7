/**
 * Deterministic seeded data of the VSA emulator. Same seed → same orgs, agents, ids and timestamps,
 * so tests can name records. Per-agent detail (history, patch, audit, logs) is generated lazily from
 * a per-agent seed (see details.ts), so startup stays fast with thousands of agents and the data does
 * not depend on the order in which tests look at it. Writes mutate the store and bump `counters`, so
 * tests can check that an effect happened exactly once.
 */
import { createHash } from 'node:crypto';
import { seededRandom } from '../common/server';
import { inferSchema, type EdmType, type Schema } from './odata';
import type {
	OnlineCode,
	ProcedureMeta,
	VsaAgent,
	VsaAgentNote,
	VsaAlarm,
	VsaAsset,
	VsaCredential,
	VsaCustomFieldDef,
	VsaDeskCategory,
	VsaDeskCustomField,
	VsaDeskCustomFieldRule,
	VsaDeskPriority,
	VsaDeskStatus,
	VsaEnvironment,
	VsaMachineGroup,
	VsaOrg,
	VsaProcedure,
	VsaRole,
	VsaScope,
	VsaServiceDesk,
	VsaStaff,
	VsaTicket,
	VsaTicketExtra,
	VsaTicketNote,
	VsaUser,
} from './records';

export * from './records';

export interface VsaUserSeed {
	username: string;
	/** Omit for a PAT-only user. */
	password?: string;
	/** Personal access tokens (GUIDs); a string or `{ token, expiresAt }` (epoch ms). */
	pats?: Array<string | { token: string; expiresAt?: number | null; restApi?: boolean }>;
	/** Password stored only as SHA-1 (set before VSA v6.2): accepted via `pass1` (https://help.kaseya.com/webhelp/EN/RESTAPI/9050000/37320.htm; https://help.kaseya.com/webhelp/en/vsa/9040000/9777.htm). */
	legacySha1?: boolean;
	disabled?: boolean;
	userId?: number;
	roleId?: number;
	scopeId?: string;
}

export interface VsaStoreOptions {
	seed?: number;
	orgs?: number;
	machineGroupsPerOrg?: number;
	agents?: number;
	alarms?: number;
	serviceDesks?: number;
	ticketsPerDesk?: number;
	/** Non-agent devices in /assetmgmt/assets (printers, switches…). */
	extraAssets?: number;
	/** Epoch ms that seeded timestamps are relative to (default 2024-06-01T12:00:00Z). */
	baseTime?: number;
	/** Replaces the default users (see DEFAULT_USERS). */
	users?: VsaUserSeed[];
}

/**
 * Default logins. kadmin/kadmin reproduces Kaseya's published challenge-hash example (https://help.kaseya.com/webhelp/EN/RESTAPI/9050000/37320.htm);
 * apiuser is vectors B (password) and C (PAT).
 */
export const DEFAULT_USERS: VsaUserSeed[] = [
	{ username: 'kadmin', password: 'kadmin', userId: 55957651, roleId: 2, scopeId: '2' },
	{
		username: 'apiuser',
		password: 'S3cret!',
		pats: ['00000000-0000-0000-0000-000000000000'],
		userId: 61234577,
		roleId: 2,
		scopeId: '2',
	},
	{ username: 'legacyuser', password: 'OldPass1', legacySha1: true, userId: 40010023, roleId: 8 },
	{ username: 'disableduser', password: 'Disabled1', disabled: true, userId: 40010024, roleId: 8 },
];

/** VSA timestamps: ISO-8601 with milliseconds and no zone designator (as in the /auth sample, https://help.kaseya.com/webhelp/EN/RESTAPI/9050000/33677.htm). */
export function fmtTime(ms: number): string {
	return new Date(ms).toISOString().replace('Z', '');
}

export function sha256Hex(s: string): string {
	return createHash('sha256').update(s, 'utf8').digest('hex');
}
export function sha1Hex(s: string): string {
	return createHash('sha1').update(s, 'utf8').digest('hex');
}

export type Rng = () => number;
export const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
export const pick = <T>(rng: Rng, arr: readonly T[]): T => arr[Math.floor(rng() * arr.length)];

/** Seed for data derived from one entity, independent of generation order. */
export function derivedSeed(seed: number, ...parts: string[]): number {
	const h = createHash('sha1').update(`${seed}|${parts.join('|')}`).digest();
	return h.readUInt32LE(0);
}

const ORG_NAMES = [
	'Acme Corp',
	"O'Brien Plumbing",
	'Globex Corporation',
	'Initech',
	'Umbrella Health',
	'Stark Industries',
	'Wayne Enterprises',
	'Hooli',
	'Vandelay Industries',
	'Wonka Confections',
	'Cyberdyne Systems',
	'Tyrell Logistics',
	'Soylent Foods',
	'Massive Dynamic',
	'Pied Piper',
	'Dunder Mifflin',
];
const MG_NAMES = ['root', 'servers', 'workstations', 'laptops', 'branch'];
const FIRST = ['Alice', 'Bob', 'Carol', 'Dave', 'Erin', 'Frank', 'Grace', 'Heidi', 'Ivan', 'Judy', 'Mallory', 'Sean'];
const LAST = ['Smith', "O'Brien", 'Jones', 'Garcia', 'Müller', 'Nguyen', 'Patel', 'Kowalski', 'Rossi', 'Tanaka'];
const OS = [
	{ OperatingSystem: 'Windows', OSType: '10', OSInfo: 'Professional x64 Edition Build 19045', OSVersion: '10.0.19045', w: 40 },
	{ OperatingSystem: 'Windows', OSType: '11', OSInfo: 'Professional x64 Edition Build 22631', OSVersion: '10.0.22631', w: 25 },
	{ OperatingSystem: 'Windows', OSType: '2019', OSInfo: 'Server Standard x64 Edition Build 17763', OSVersion: '10.0.17763', w: 12 },
	{ OperatingSystem: 'Windows', OSType: '2022', OSInfo: 'Server Datacenter x64 Edition Build 20348', OSVersion: '10.0.20348', w: 10 },
	{ OperatingSystem: 'Mac OS X', OSType: 'Mac OS X', OSInfo: 'macOS Sonoma 14.4', OSVersion: '14.4', w: 8 },
	{ OperatingSystem: 'Linux', OSType: 'Linux', OSInfo: 'Ubuntu 22.04.4 LTS', OSVersion: '22.04', w: 5 },
];
/** Weighted `Online` distribution: most agents online, a realistic tail of offline/suspended/never. */
const ONLINE: Array<[OnlineCode, number]> = [
	[0, 25],
	[1, 10],
	[2, 5],
	[11, 35],
	[12, 15],
	[198, 5],
	[199, 5],
];
const ALARM_TYPES = [
	{ MonitorType: 0, AlarmType: 'Counter', MonitorName: 'CPU Utilization', subject: 'Monitoring generated Counter ALARM' },
	{ MonitorType: 1, AlarmType: 'Service', MonitorName: 'Print Spooler', subject: 'Monitoring generated Service ALARM' },
	{ MonitorType: 2, AlarmType: 'Process', MonitorName: 'sqlservr.exe', subject: 'Monitoring generated Process ALARM' },
	{ MonitorType: 4, AlarmType: 'Alert', MonitorName: 'Agent Offline', subject: 'is offline' },
	{ MonitorType: 4, AlarmType: 'Alert', MonitorName: 'Low Disk', subject: 'Low disk space' },
	{ MonitorType: 5, AlarmType: 'System Check', MonitorName: 'Web Server', subject: 'System check failed' },
	{ MonitorType: 6, AlarmType: 'Security', MonitorName: 'Antivirus', subject: 'Threat detected' },
	{ MonitorType: 7, AlarmType: 'Log Monitoring', MonitorName: 'Event Log', subject: 'Event log alert' },
];

function weighted<T>(rng: Rng, items: Array<[T, number]>): T {
	const total = items.reduce((s, [, w]) => s + w, 0);
	let r = rng() * total;
	for (const [v, w] of items) {
		r -= w;
		if (r < 0) return v;
	}
	return items[items.length - 1][0];
}

/**
 * Types that inference from values cannot see: fields that may be null in every seeded record, and
 * text fields whose values can look like timestamps.
 */
const TYPE_HINTS: Record<string, Record<string, EdmType>> = {
	Org: { ParentOrgId: 'Edm.Decimal', Website: 'Edm.String' },
	MachineGroup: { ParentMachineGroupId: 'Edm.Decimal' },
	Agent: { LastRebootTime: 'Edm.DateTime', LastCheckInTime: 'Edm.DateTime', FirstCheckIn: 'Edm.DateTime' },
	Alarm: { TicketID: 'Edm.Int32', AlarmEmail: 'Edm.String', Notes: 'Edm.String' },
	// The ticket model's types (PSK Types/KaseyaDefinitions.cs, class KTicket) for fields often null.
	ServiceDeskTicket: {
		Stage: 'Edm.String',
		Severity: 'Edm.String',
		Category: 'Edm.String',
		Resolution: 'Edm.String',
		Submitter: 'Edm.String',
		SubmitterEmail: 'Edm.String',
		Assignee: 'Edm.String',
		Owner: 'Edm.String',
		Organization: 'Edm.String',
		Staff: 'Edm.String',
		Phone: 'Edm.String',
		AgentGuid: 'Edm.Decimal',
		InventoryAssetId: 'Edm.Decimal',
		LastPublicUpdate: 'Edm.DateTime',
		Closed: 'Edm.DateTime',
		Due: 'Edm.DateTime',
		Promised: 'Edm.DateTime',
		Escalation: 'Edm.DateTime',
		StageGoal: 'Edm.String',
		ResolutionDate: 'Edm.String',
		LockedBy: 'Edm.String',
		LockedOn: 'Edm.DateTime',
		SourceType: 'Edm.String',
		Policy: 'Edm.String',
	},
	Asset: { AgentId: 'Edm.Decimal' },
	Staff: { UserId: 'Edm.Int32' },
	User: { DisableUntil: 'Edm.DateTime' },
	AgentCustomField: { FieldValue: 'Edm.String' },
};

export class VsaStore {
	readonly seed: number;
	readonly baseTime: number;
	readonly tenantId = '1';
	environment: VsaEnvironment;
	orgs: VsaOrg[] = [];
	machineGroups: VsaMachineGroup[] = [];
	agents: VsaAgent[] = [];
	agentNotes: VsaAgentNote[] = [];
	alarms: VsaAlarm[] = [];
	procedures: VsaProcedure[] = [];
	procMeta = new Map<number, ProcedureMeta>();
	serviceDesks: VsaServiceDesk[] = [];
	deskLookups = new Map<
		string,
		{
			status: VsaDeskStatus[];
			priorities: VsaDeskPriority[];
			categories: VsaDeskCategory[];
			customfields: VsaDeskCustomField[];
			/** custom field id → how its values are checked */
			customFieldRules: Map<string, VsaDeskCustomFieldRule>;
		}
	>();
	tickets: VsaTicket[] = [];
	/** ticket id → description and custom field values (not part of the ticket model's record) */
	ticketExtras = new Map<string, VsaTicketExtra>();
	ticketNotes: VsaTicketNote[] = [];
	assets: VsaAsset[] = [];
	customFieldDefs: VsaCustomFieldDef[] = [];
	/** agentId → field name → value */
	customFieldValues = new Map<string, Map<string, string | null>>();
	users: VsaUser[] = [];
	roles: VsaRole[] = [];
	scopes: VsaScope[] = [];
	staff: VsaStaff[] = [];
	/** lower-case username → stored login material */
	credentials = new Map<string, VsaCredential>();
	/** Write effects, e.g. `runnow:<agentId>:<procId>`, `note:add`, `alarm:close:<id>`. */
	counters = new Map<string, number>();
	/** OrgId → creation time, for the optional propagation lag of new orgs (KAT VSAModule/README.md v1.6.0). */
	orgCreatedAt = new Map<string, number>();
	/** Lazily generated per-agent detail, keyed `kind|agentId`. */
	readonly detail = new Map<string, unknown>();

	private readonly rng: Rng;
	private readonly used = new Set<string>();
	private readonly schemas = new Map<string, Schema>();
	private agentIndex = new Map<string, VsaAgent>();
	nextAlarmId = 1000;
	nextNoteId = 5001;
	nextRunId = 700001;

	constructor(options: VsaStoreOptions = {}) {
		this.seed = options.seed ?? 1;
		this.baseTime = options.baseTime ?? Date.UTC(2024, 5, 1, 12, 0, 0);
		this.rng = seededRandom(this.seed);
		this.environment = {
			SystemVersion: '9.5.20.2',
			PatchLevel: '9.5.20.2',
			CustomerID: 'EMU-0000-1234',
			TimeZoneOffset: 0,
			AgentVersion: 9050020,
			Attributes: null,
		};
		this.seedDirectory(options.users ?? DEFAULT_USERS);
		this.seedOrgs(options.orgs ?? 12, options.machineGroupsPerOrg ?? 3);
		this.seedAgents(options.agents ?? 2500);
		this.seedAssets(options.extraAssets ?? 200);
		this.seedNotes();
		this.seedAlarms(options.alarms ?? 600);
		this.seedProcedures();
		this.seedCustomFields();
		this.seedServiceDesks(options.serviceDesks ?? 2, options.ticketsPerDesk ?? 150);
	}

	// ------------------------------------------------------------ ids

	/** A fresh random id of exactly `n` digits (never reused within this store). */
	newId(n: number): bigint {
		for (;;) {
			let s = String(1 + Math.floor(this.rng() * 9));
			while (s.length < n) s += String(Math.floor(this.rng() * 10));
			if (!this.used.has(s)) {
				this.used.add(s);
				return BigInt(s);
			}
		}
	}

	count(key: string, by = 1): number {
		const v = (this.counters.get(key) ?? 0) + by;
		this.counters.set(key, v);
		return v;
	}

	counter(key: string): number {
		return this.counters.get(key) ?? 0;
	}

	/** Query schema of a record type; inferred from the records and remembered (so empty lists still validate fields). */
	schemaFor(typeName: string, records: object[]): Schema {
		const known = this.schemas.get(typeName);
		if (known && (records.length === 0 || Object.keys(records[0]).every((k) => k in known.fields))) return known;
		const schema = inferSchema(typeName, records, known);
		Object.assign(schema.fields, TYPE_HINTS[typeName] ?? {});
		if (records.length > 0) this.schemas.set(typeName, schema);
		return schema;
	}

	// ------------------------------------------------------------ lookups (ids as path strings)

	agent(id: string | bigint): VsaAgent | undefined {
		return this.agentIndex.get(canon(id));
	}
	org(id: string | bigint): VsaOrg | undefined {
		const k = canon(id);
		return this.orgs.find((o) => o.OrgId.toString() === k);
	}
	machineGroup(id: string | bigint): VsaMachineGroup | undefined {
		const k = canon(id);
		return this.machineGroups.find((g) => g.MachineGroupId.toString() === k);
	}
	desk(id: string | bigint): VsaServiceDesk | undefined {
		const k = canon(id);
		return this.serviceDesks.find((d) => d.ServiceDeskId.toString() === k);
	}
	ticket(id: string | bigint): VsaTicket | undefined {
		const k = canon(id);
		return this.tickets.find((t) => t.ServiceDeskTicketId.toString() === k);
	}
	alarm(id: string | number): VsaAlarm | undefined {
		const k = canon(id);
		return this.alarms.find((a) => String(a.AlarmId) === k);
	}

	addAgentRecord(agent: VsaAgent): void {
		this.agents.push(agent);
		this.agentIndex.set(agent.AgentId.toString(), agent);
	}

	removeAgent(id: string): boolean {
		const agent = this.agent(id);
		if (!agent) return false;
		this.agents = this.agents.filter((a) => a !== agent);
		this.agentIndex.delete(agent.AgentId.toString());
		this.agentNotes = this.agentNotes.filter((n) => n.AgentId !== agent.AgentId);
		this.customFieldValues.delete(agent.AgentId.toString());
		for (const k of [...this.detail.keys()]) if (k.endsWith(`|${agent.AgentId}`)) this.detail.delete(k);
		return true;
	}

	// ------------------------------------------------------------ mutations used by triggers/tests

	/** Raise a new open alarm (AlarmId strictly increasing, EventDateTime = `at`). */
	addAlarm(input: { agentId?: string | bigint; at: number; alarmType?: string; subject?: string; message?: string }): VsaAlarm {
		const agent = input.agentId !== undefined ? this.agent(input.agentId) : this.agents[0];
		if (!agent) throw new Error(`no agent ${String(input.agentId)}`);
		const type = ALARM_TYPES.find((t) => t.AlarmType === input.alarmType) ?? ALARM_TYPES[0];
		const alarm: VsaAlarm = {
			AlarmId: this.nextAlarmId++,
			AgentId: agent.AgentId,
			MachineName: agent.AgentName,
			MachineGroup: agent.MachineGroup,
			MachineGroupId: agent.MachineGroupId,
			OrgId: agent.OrgId,
			MonitorAlarmStateId: 1,
			State: 'Open',
			MonitorType: type.MonitorType,
			AlarmType: input.alarmType ?? type.AlarmType,
			MonitorName: type.MonitorName,
			AlarmSubject: input.subject ?? `${type.subject} on ${agent.AgentName}`,
			Message: input.message ?? `${type.MonitorName} exceeded its threshold on ${agent.ComputerName}`,
			AlarmEmail: null,
			EventDateTime: fmtTime(input.at),
			TicketID: null,
			AdminName: 'System',
			Notes: null,
			Attributes: null,
		};
		this.alarms.push(alarm);
		return alarm;
	}

	setOnline(agentId: string | bigint, online: OnlineCode, at: number): VsaAgent {
		const agent = this.agent(agentId);
		if (!agent) throw new Error(`no agent ${String(agentId)}`);
		agent.Online = online;
		if (online !== 0 && online !== 198 && online !== 199) agent.LastCheckInTime = fmtTime(at);
		return agent;
	}

	// ------------------------------------------------------------ seeding

	private seedDirectory(users: VsaUserSeed[]): void {
		this.roles = [
			{ RoleId: 2, RoleName: 'Master', RoleTypeIds: [4, 6, 8, 100], Attributes: null },
			{ RoleId: 8, RoleName: 'Technician', RoleTypeIds: [4, 6], Attributes: null },
			{ RoleId: 9, RoleName: 'Help Desk', RoleTypeIds: [4], Attributes: null },
			{ RoleId: 12, RoleName: 'Read Only', RoleTypeIds: [4], Attributes: null },
		];
		this.scopes = [
			{ ScopeId: '2', ScopeName: 'Master', Attributes: null },
			{ ScopeId: this.newId(26).toString(), ScopeName: 'System', Attributes: null },
			{ ScopeId: this.newId(26).toString(), ScopeName: 'Technicians', Attributes: null },
		];
		const staffOrg = this.newId(26);
		const dept = this.newId(26);
		let nextUser = 40010100;
		for (const u of users) {
			const userId = u.userId ?? nextUser++;
			const roleId = u.roleId ?? 8;
			const scopeId = u.scopeId ?? this.scopes[2].ScopeId;
			const first = u.username.charAt(0).toUpperCase() + u.username.slice(1);
			this.users.push({
				UserId: userId,
				AdminName: u.username,
				FirstName: first,
				LastName: 'Admin',
				Email: `${u.username}@msp.example`,
				AdminType: roleId === 2 ? 2 : 3,
				AdminRoleIds: [roleId],
				AdminScopeIds: [scopeId],
				DefaultStaffOrgId: staffOrg,
				DefaultStaffDepartmentId: dept,
				DisableUntil: u.disabled ? '9999-12-31T00:00:00.000' : null,
				Attributes: null,
			});
			this.credentials.set(u.username.toLowerCase(), {
				username: u.username,
				userId,
				roleId,
				scopeId,
				sha256Temp: u.password !== undefined && !u.legacySha1 ? sha256Hex(u.password + u.username) : undefined,
				sha1Temp: u.password !== undefined && u.legacySha1 ? sha1Hex(u.password + u.username) : undefined,
				pats: (u.pats ?? []).map((p) =>
					typeof p === 'string'
						? { token: p, expiresAt: null, revoked: false, restApi: true }
						: { token: p.token, expiresAt: p.expiresAt ?? null, revoked: false, restApi: p.restApi ?? true },
				),
				disabled: !!u.disabled,
			});
			this.staff.push({
				StaffId: this.newId(26),
				StaffFullName: `${first} Admin`,
				StaffName: `${first} Admin`,
				DeptId: dept,
				FirstName: first,
				LastName: 'Admin',
				Email: `${u.username}@msp.example`,
				OrgId: staffOrg,
				DepartmentId: dept,
				UserId: userId,
				Function: 'Technician',
				Attributes: null,
			});
		}
		for (let i = 0; i < 6; i++) {
			const first = FIRST[i];
			const last = LAST[i];
			this.staff.push({
				StaffId: this.newId(26),
				StaffFullName: `${first} ${last}`,
				StaffName: `${first} ${last}`,
				DeptId: dept,
				FirstName: first,
				LastName: last,
				Email: `${first.toLowerCase()}@msp.example`,
				OrgId: staffOrg,
				DepartmentId: dept,
				UserId: null,
				Function: i % 2 ? 'Engineer' : 'Dispatcher',
				Attributes: null,
			});
		}
	}

	private seedOrgs(count: number, mgsPerOrg: number): void {
		const rng = this.rng;
		for (let i = 0; i < count; i++) {
			const name = i === 0 ? 'Kaseya Server' : `${ORG_NAMES[(i - 1) % ORG_NAMES.length]}${i > ORG_NAMES.length ? ` ${i}` : ''}`;
			const ref = i === 0 ? 'kserver' : name.toLowerCase().replace(/[^a-z0-9]+/g, '');
			const org: VsaOrg = {
				OrgId: this.newId(26),
				OrgName: name,
				OrgRef: ref,
				OrgType: i === 0 ? 'MSP' : pick(rng, ['Customer', 'Customer', 'Prospect', 'Partner']),
				DefaultDepartmentName: 'root',
				DefaultMachineGroupName: 'root',
				ParentOrgId: null,
				NoOfEmployees: int(rng, 5, 5000),
				AnnualRevenue: int(rng, 100, 90000) * 1000,
				Website: `https://${ref}.example`,
				ContactInfo: {
					PreferredContactMethod: 'Email',
					PrimaryPhone: `+1-555-${String(int(rng, 1000, 9999))}`,
					PrimaryFax: null,
					PrimaryEmail: `it@${ref}.example`,
					Country: 'US',
					Street: `${int(rng, 1, 999)} Main St`,
					City: pick(rng, ['Boston', 'Austin', 'Denver', 'Miami', 'Seattle']),
					State: pick(rng, ['MA', 'TX', 'CO', 'FL', 'WA']),
					ZipCode: String(int(rng, 10000, 99999)),
					PrimaryTextMessagePhone: null,
				},
				CustomFields: [{ FieldName: 'Contract', FieldValue: pick(rng, ['Gold', 'Silver', 'Bronze']) }],
				Attributes: null,
			};
			this.orgs.push(org);
			let root: bigint | null = null;
			for (let g = 0; g < Math.max(1, mgsPerOrg); g++) {
				const mg: VsaMachineGroup = {
					MachineGroupId: this.newId(26),
					MachineGroupName: MG_NAMES[g % MG_NAMES.length] + (g >= MG_NAMES.length ? String(g) : ''),
					OrgId: org.OrgId,
					ParentMachineGroupId: root,
					Attributes: null,
				};
				if (g === 0) root = mg.MachineGroupId;
				this.machineGroups.push(mg);
			}
		}
	}

	private seedAgents(count: number): void {
		const rng = this.rng;
		const osTable: Array<[(typeof OS)[number], number]> = OS.map((o) => [o, o.w]);
		for (let i = 0; i < count; i++) {
			const mg = this.machineGroups[i % this.machineGroups.length];
			const org = this.orgs.find((o) => o.OrgId === mg.OrgId)!;
			const os = weighted(rng, osTable);
			const server = os.OSType === '2019' || os.OSType === '2022';
			const prefix = server ? 'srv' : os.OperatingSystem === 'Windows' ? 'ws' : os.OperatingSystem === 'Linux' ? 'lnx' : 'mac';
			const machine = `${prefix}-${org.OrgRef.slice(0, 6)}-${String(i + 1).padStart(4, '0')}`;
			const online = weighted(rng, ONLINE);
			const user = `${pick(rng, FIRST)} ${pick(rng, LAST)}`;
			const login = online === 11 || online === 12;
			const lastCheck =
				online === 199 ? null : online === 0 || online === 198 ? this.baseTime - int(rng, 1, 90) * 86400000 : this.baseTime - int(rng, 5, 600) * 1000;
			const ip = `10.${int(rng, 0, 255)}.${int(rng, 0, 255)}.${int(rng, 1, 254)}`;
			const mgFull = `${mg.MachineGroupName}.${org.OrgRef}`;
			this.addAgentRecord({
				AgentId: this.newId(15),
				AgentName: `${machine}.${mgFull}`,
				Online: online,
				OSType: os.OSType,
				OSInfo: os.OSInfo,
				OrgId: org.OrgId,
				MachineGroupId: mg.MachineGroupId,
				MachineGroup: mgFull,
				ComputerName: machine.toUpperCase(),
				IPv6Address: rng() < 0.3 ? `fe80::${int(rng, 4096, 65535).toString(16)}:${int(rng, 4096, 65535).toString(16)}` : null,
				IPAddress: ip,
				OperatingSystem: os.OperatingSystem,
				OSVersion: os.OSVersion,
				LastLoggedInUser: online === 199 ? null : user,
				LastRebootTime: lastCheck === null ? null : fmtTime(lastCheck - int(rng, 1, 30) * 86400000),
				LastCheckInTime: lastCheck === null ? null : fmtTime(lastCheck),
				Country: 'US',
				CurrentUser: login ? user : null,
				Contact: rng() < 0.2 ? `${pick(rng, FIRST)} ${pick(rng, LAST)}` : null,
				TimeZone: pick(rng, ['Eastern Standard Time', 'Central Standard Time', 'Pacific Standard Time', 'UTC']),
				RamMBytes: pick(rng, [4096, 8192, 16384, 32768, 65536]),
				CpuCount: pick(rng, [2, 4, 8, 16]),
				CpuSpeed: pick(rng, [2400, 2900, 3200, 3600]),
				CpuType: pick(rng, ['Intel(R) Core(TM) i5-10500', 'Intel(R) Xeon(R) Silver 4210', 'AMD Ryzen 7 5800U', 'Apple M2']),
				DomainWorkgroup: server || rng() < 0.7 ? `${org.OrgRef}.local (d)` : 'WORKGROUP (w)',
				AgentFlags: 0,
				AgentVersion: 9050020,
				ToolTipNotes: null,
				ShowToolTip: 0,
				DefaultGateway: ip.replace(/\.\d+$/, '.1'),
				DNSServer1: ip.replace(/\.\d+$/, '.2'),
				DNSServer2: null,
				DHCPServer: server ? null : ip.replace(/\.\d+$/, '.2'),
				PrimaryWINS: null,
				SecondaryWINS: null,
				ConnectionGatewayIP: `203.0.113.${int(rng, 1, 254)}`,
				FirstCheckIn: lastCheck === null ? null : fmtTime(this.baseTime - int(rng, 100, 900) * 86400000),
				PrimaryKServer: 'vsa.msp.example:5721',
				SecondaryKServer: null,
				Attributes: null,
			});
		}
	}

	private seedAssets(extra: number): void {
		const rng = this.rng;
		for (const a of this.agents) {
			this.assets.push({
				AssetId: this.newId(15),
				AssetName: a.ComputerName,
				AssetTypeId: a.OSType === '2019' || a.OSType === '2022' ? 2 : 1,
				AssetType: a.OSType === '2019' || a.OSType === '2022' ? 'Server' : 'Workstation',
				AgentId: a.AgentId,
				MachineGroupId: a.MachineGroupId,
				MachineGroup: a.MachineGroup,
				OrgId: a.OrgId,
				IPAddress: a.IPAddress,
				MACAddress: mac(rng),
				DeviceManufacturer: pick(rng, ['Dell Inc.', 'HP', 'Lenovo', 'Apple Inc.']),
				DeviceModel: pick(rng, ['OptiPlex 7090', 'EliteBook 840', 'ThinkPad T14', 'PowerEdge R740']),
				IsComputerAgent: true,
				LastSeenDate: a.LastCheckInTime ?? fmtTime(this.baseTime - 400 * 86400000),
				Attributes: null,
			});
		}
		for (let i = 0; i < extra; i++) {
			const mg = this.machineGroups[i % this.machineGroups.length];
			const kind = pick(rng, [
				{ id: 5, t: 'Printer', m: 'Brother', d: 'HL-L2350DW' },
				{ id: 6, t: 'Switch', m: 'Cisco', d: 'Catalyst 2960' },
				{ id: 7, t: 'Router', m: 'Ubiquiti', d: 'EdgeRouter 4' },
			]);
			const org = this.orgs.find((o) => o.OrgId === mg.OrgId)!;
			this.assets.push({
				AssetId: this.newId(15),
				AssetName: `${kind.t.toLowerCase()}-${String(i + 1).padStart(3, '0')}`,
				AssetTypeId: kind.id,
				AssetType: kind.t,
				AgentId: null,
				MachineGroupId: mg.MachineGroupId,
				MachineGroup: `${mg.MachineGroupName}.${org.OrgRef}`,
				OrgId: mg.OrgId,
				IPAddress: `192.168.${int(rng, 0, 20)}.${int(rng, 2, 250)}`,
				MACAddress: mac(rng),
				DeviceManufacturer: kind.m,
				DeviceModel: kind.d,
				IsComputerAgent: false,
				LastSeenDate: fmtTime(this.baseTime - int(rng, 1, 30) * 3600000),
				Attributes: null,
			});
		}
	}

	private seedNotes(): void {
		const rng = this.rng;
		for (const a of this.agents) {
			const n = rng() < 0.3 ? int(rng, 1, 3) : 0;
			for (let k = 0; k < n; k++) {
				this.agentNotes.push({
					Id: this.nextNoteId++,
					AgentId: a.AgentId,
					User: pick(rng, ['kadmin', 'apiuser']),
					Timestamp: fmtTime(this.baseTime - int(rng, 1, 300) * 86400000),
					Note: pick(rng, ['Replaced disk', 'User reports slowness', "Called O'Brien about reboot", 'Warranty renewed']),
				});
			}
		}
	}

	private seedAlarms(count: number): void {
		const rng = this.rng;
		let t = this.baseTime - count * 3600000;
		for (let i = 0; i < count && this.agents.length > 0; i++) {
			t += int(rng, 60, 7200) * 1000;
			const a = this.agents[int(rng, 0, this.agents.length - 1)];
			const alarm = this.addAlarm({ agentId: a.AgentId, at: Math.min(t, this.baseTime), alarmType: pick(rng, ALARM_TYPES).AlarmType });
			if (rng() < 0.7) {
				alarm.MonitorAlarmStateId = 2;
				alarm.State = 'Closed';
				alarm.Notes = 'Auto-closed';
			}
			this.nextAlarmId += int(rng, 0, 3); // ids are increasing but not contiguous
		}
	}

	private seedProcedures(): void {
		const add = (id: number, name: string, path: string, meta: ProcedureMeta) => {
			this.procedures.push({ AgentProcedureId: id, AgentProcedureName: name, Path: path, Description: `${name} (${path})`, Attributes: null });
			this.procMeta.set(id, meta);
		};
		const sys = { system: true, executable: true, listed: true };
		const ok = { system: false, executable: true, listed: true };
		// 135/136/137: the audit system scripts that ARE runnable (https://help.vsa9.kaseya.com/help/Content/Modules/rest-api/31668.htm); 101: a system script that is not.
		add(135, 'Run Audit Baseline', 'System/Audit', sys);
		add(136, 'Run Audit Latest', 'System/Audit', sys);
		add(137, 'Run Audit SysInfo', 'System/Audit', sys);
		add(101, 'Agent Update', 'System/Agent', sys);
		const shared = [
			['Disk Cleanup', 'Shared/Maintenance'],
			['Reboot If Pending', 'Shared/Maintenance'],
			['Clear Temp Files', 'Shared/Maintenance'],
			['Defrag C Drive', 'Shared/Maintenance'],
			['Install 7-Zip', 'Shared/Software'],
			['Install Chrome', 'Shared/Software'],
			['Uninstall Flash', 'Shared/Software'],
			['Restart Print Spooler', 'Shared/Services'],
			['Restart SQL Service', 'Shared/Services'],
			["Notify O'Brien", 'Shared/Notifications'],
			['Collect Event Logs', 'Shared/Diagnostics'],
			['Network Trace', 'Shared/Diagnostics'],
			['Enable BitLocker', 'Shared/Security'],
			['Run Defender Scan', 'Shared/Security'],
			['Set Power Plan', 'Shared/Configuration'],
		];
		let id = 1000071;
		for (const [name, path] of shared) add((id += 37), name, path, ok);
		add(1001999, 'My Test Script', 'Private/kadmin', ok);
		// Another user's private folder: not listed, and running it is a 404 (no execute permission).
		add(1002999, 'Secret Script', 'Private/otheruser', { system: false, executable: false, listed: false });
	}

	private seedCustomFields(): void {
		this.customFieldDefs = [
			{ FieldName: 'Contract', FieldType: 'string' },
			{ FieldName: 'Warranty End', FieldType: 'date' },
			{ FieldName: 'Rack Unit', FieldType: 'number' },
		];
		const rng = this.rng;
		for (const a of this.agents) {
			if (rng() < 0.5) continue;
			this.customFieldValues.set(a.AgentId.toString(), new Map([['Contract', pick(rng, ['Gold', 'Silver', 'Bronze'])]]));
		}
	}

	private seedServiceDesks(desks: number, perDesk: number): void {
		const rng = this.rng;
		const names = ['Standard', 'Incident Management', 'Projects', 'Onboarding'];
		let ref = 1;
		for (let d = 0; d < desks; d++) {
			const desk: VsaServiceDesk = {
				ServiceDeskId: this.newId(26),
				defaultServDeskDefnFlag: d === 0 ? 'Y' : 'N',
				Prefix: names[d % names.length].slice(0, 3).toUpperCase(),
				ServiceDeskName: names[d % names.length] + (d >= names.length ? ` ${d}` : ''),
				Description: `${names[d % names.length]} service desk`,
			};
			this.serviceDesks.push(desk);
			const id = () => this.newId(26);
			const customDefs: Array<{ name: string; rule: VsaDeskCustomFieldRule }> = [
				{ name: 'BillingCode', rule: { format: 'List', values: ['T&M', 'Contract', 'Warranty'], defaultValue: 'Contract' } },
				{ name: 'ExternalRef', rule: { format: 'String', values: null, defaultValue: null } },
				{ name: 'MinutesWorked', rule: { format: 'Integer', values: null, defaultValue: '0' } },
			];
			const customfields: VsaDeskCustomField[] = customDefs.map((c) => ({ CustomFieldId: id(), FieldName: c.name }));
			const lk = {
				status: ['New', 'In Progress', 'On Hold', 'Resolved', 'Closed'].map((StatusName) => ({ StatusId: id(), StatusName })),
				// Server order, deliberately not sorted (the pick-list sorts them).
				priorities: ['Medium', 'Critical', 'High', 'Low'].map((PriorityName) => ({ PriorityId: id(), PriorityName })),
				categories: ['Hardware', 'Software', 'Network', 'Account'].map((CategoryName) => ({ CategoryId: id(), CategoryName })),
				customfields,
				customFieldRules: new Map(customfields.map((f, i) => [f.CustomFieldId.toString(), customDefs[i].rule])),
			};
			this.deskLookups.set(desk.ServiceDeskId.toString(), lk);
			let t = this.baseTime - perDesk * 7200000;
			for (let k = 0; k < perDesk; k++) {
				t += int(rng, 600, 14400) * 1000;
				const agent = this.agents.length && rng() < 0.6 ? pick(rng, this.agents) : undefined;
				const org = agent ? this.orgs.find((o) => o.OrgId === agent.OrgId)! : pick(rng, this.orgs);
				const staff = rng() < 0.7 ? pick(rng, this.staff).StaffName : null;
				const submitter = `${pick(rng, FIRST)} ${pick(rng, LAST)}`;
				const status = pick(rng, lk.status).StatusName;
				const created = Math.min(t, this.baseTime);
				const modified = Math.min(t + int(rng, 0, 86400) * 1000, this.baseTime);
				const ticket: VsaTicket = {
					ServiceDeskId: desk.ServiceDeskId,
					ServiceDeskTicketId: this.newId(15),
					TicketRef: `${desk.ServiceDeskName.slice(0, 3).toUpperCase()}${String(ref++).padStart(6, '0')}`,
					Summary: pick(rng, ['Printer offline', 'Cannot log in', 'VPN drops', 'Disk almost full', 'New laptop request', "O'Brien's mailbox full"]),
					TicketStatus: status,
					Stage: pick(rng, ['Identified', 'Tier1', 'Tier2']),
					Priority: pick(rng, lk.priorities).PriorityName,
					Severity: null,
					Category: pick(rng, lk.categories).CategoryName,
					Resolution: null,
					Submitter: submitter,
					SubmitterEmail: `${submitter.split(' ')[0].toLowerCase()}@${org.OrgRef}.example`,
					Assignee: staff,
					Owner: staff,
					Organization: org.OrgName,
					Staff: null,
					Phone: null,
					AgentGuid: agent?.AgentId ?? null,
					InventoryAssetId: null,
					CreatedDate: fmtTime(created),
					ModifiedDate: fmtTime(modified),
					LastPublicUpdate: fmtTime(modified),
					Closed: status === 'Closed' ? fmtTime(modified) : null,
					Due: null,
					Promised: null,
					Escalation: null,
					StageGoal: null,
					ResolutionDate: null,
					LockedBy: null,
					LockedOn: null,
					SourceType: pick(rng, ['Email', 'Manual', 'Portal']),
					Policy: null,
				};
				this.ticketExtras.set(ticket.ServiceDeskTicketId.toString(), {
					Description: 'Reported via portal',
					customFields: new Map(customfields.map((f, i) => [f.CustomFieldId.toString(), customDefs[i].rule.defaultValue])),
				});
				this.tickets.push(ticket);
				const notes = int(rng, 0, 3);
				for (let n = 0; n < notes; n++) {
					this.ticketNotes.push({
						Id: this.newId(15),
						ServiceDeskTicketId: ticket.ServiceDeskTicketId,
						Author: pick(rng, ['kadmin', 'apiuser', 'System']),
						Timestamp: ticket.ModifiedDate,
						Text: pick(rng, ['Called user', 'Waiting on vendor', 'Rebooted machine', 'Escalated']),
						Hidden: rng() < 0.2,
						SystemFlag: false,
					});
				}
			}
		}
	}
}

function mac(rng: Rng): string {
	return Array.from({ length: 6 }, () => int(rng, 0, 255).toString(16).padStart(2, '0').toUpperCase()).join('-');
}

/** Canonical decimal text of an id given as path text or number (leading zeros dropped). */
export function canon(id: string | number | bigint): string {
	if (typeof id === 'bigint') return id.toString();
	const s = String(id).trim();
	return /^\d+$/.test(s) ? BigInt(s).toString() : s;
}

export function createVsaStore(options: VsaStoreOptions = {}): VsaStore {
	return new VsaStore(options);
}
