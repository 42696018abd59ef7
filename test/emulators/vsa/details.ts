/**
 * Per-agent detail (procedure history, scheduled procedures, patch, audit, logs), generated on first
 * access from a seed derived from (store seed, AgentId, kind) and then kept in the store, so writes
 * (run now, schedule, scan) mutate it and reads are stable. Shapes are the emulator's choice where
 * the public sources (KAT VSAModule/private/VSAEndpointMaps.ps1) list only paths; record fields follow models.ts.
 */
import { seededRandom } from '../common/server';
import { derivedSeed, fmtTime, int, pick, type Rng, type VsaAgent, type VsaStore } from './store';
import type { VsaProcHistory, VsaScheduledProc } from './records';

const DAY = 86400000;

function lazy<T>(store: VsaStore, kind: string, agent: VsaAgent, gen: (rng: Rng) => T): T {
	const key = `${kind}|${agent.AgentId}`;
	if (!store.detail.has(key)) store.detail.set(key, gen(seededRandom(derivedSeed(store.seed, kind, agent.AgentId.toString()))));
	return store.detail.get(key) as T;
}

// ---------------------------------------------------------------- agent procedures (PSK KAgentProcedureHistory, KScheduledAgentProcedure)

export function procHistory(store: VsaStore, agent: VsaAgent): VsaProcHistory[] {
	return lazy(store, 'prochistory', agent, (rng) => {
		const procs = store.procedures.filter((p) => store.procMeta.get(p.AgentProcedureId)?.listed);
		const n = int(rng, 0, 8);
		const out: VsaProcHistory[] = [];
		for (let i = 0; i < n; i++) {
			const p = pick(rng, procs);
			out.push({
				AgentId: agent.AgentId,
				AgentProcedureId: p.AgentProcedureId,
				ScriptName: p.AgentProcedureName,
				LastExecutionTime: fmtTime(store.baseTime - int(rng, 1, 60) * DAY),
				Status: pick(rng, ['Success THEN', 'Success THEN', 'Success ELSE', 'Failed THEN in step 2']),
				Admin: pick(rng, ['kadmin', 'apiuser', 'System']),
			});
		}
		return out.sort((a, b) => (a.LastExecutionTime < b.LastExecutionTime ? -1 : 1));
	});
}

export function scheduledProcs(store: VsaStore, agent: VsaAgent): VsaScheduledProc[] {
	return lazy(store, 'scheduledprocs', agent, (rng) => {
		const procs = store.procedures.filter((p) => !store.procMeta.get(p.AgentProcedureId)?.system);
		const n = rng() < 0.3 ? int(rng, 1, 2) : 0;
		const out: VsaScheduledProc[] = [];
		for (let i = 0; i < n; i++) {
			const p = procs[(i * 3 + int(rng, 0, 2)) % procs.length];
			if (out.some((s) => s.AgentProcedureId === p.AgentProcedureId)) continue;
			out.push({
				AgentId: agent.AgentId,
				AgentProcedureId: p.AgentProcedureId,
				AgentProcedureName: p.AgentProcedureName,
				NextRunTime: fmtTime(store.baseTime + int(rng, 1, 14) * DAY),
				Recurrence: pick(rng, ['Days', 'Weeks', 'Never']),
				ScheduledBy: 'kadmin',
				SkipIfOffLine: true,
				PowerUpIfOffLine: false,
				Attributes: null,
			});
		}
		return out;
	});
}

// ---------------------------------------------------------------- patch (PSK KPatch; history and status UNSEEN)

export interface VsaMissingPatch {
	AgentId: bigint;
	PatchDataId: number;
	KBArticleId: string;
	SecurityBulletin: string | null;
	UpdateTitle: string;
	UpdateClassification: string;
	Product: string;
	/** PSK KPatch (DOC 33668) names the date LastPublishedDate. */
	LastPublishedDate: string;
	PatchApprovalStatus: 'Approved' | 'Denied' | 'Pending Approval';
	RebootRequired: boolean;
	Attributes: null;
}

export interface VsaPatchHistory {
	AgentId: bigint;
	PatchDataId: number;
	KBArticle: string;
	UpdateTitle: string;
	UpdateClassification: string;
	InstallDate: string;
	InstalledBy: string;
	InstallStatus: 'Installed' | 'Failed';
	Attributes: null;
}

export interface VsaPatchStatus {
	AgentId: bigint;
	TotalPatches: number;
	InstalledPatches: number;
	MissingPatches: number;
	DeniedPatches: number;
	PendingPatches: number;
	FailedPatches: number;
	LastPatchScan: string | null;
	NextPatchScan: string | null;
	PatchPolicy: string;
	RebootPending: boolean;
	Attributes: null;
}

const CLASSES = ['Security Update', 'Critical Update', 'Update Rollup', 'Update', 'Definition Update'];
const PRODUCTS = ['Windows 10', 'Windows Server 2019', 'Microsoft Edge', 'Office 365', '.NET Framework'];

function kb(rng: Rng): string {
	return `KB50${int(rng, 10000, 49999)}`;
}

export function missingPatches(store: VsaStore, agent: VsaAgent): VsaMissingPatch[] {
	return lazy(store, 'patchmissing', agent, (rng) => {
		if (agent.OperatingSystem !== 'Windows') return [];
		return Array.from({ length: int(rng, 0, 15) }, (_, i) => {
			const cls = pick(rng, CLASSES);
			return {
				AgentId: agent.AgentId,
				PatchDataId: 90000 + i * 7 + int(rng, 0, 6),
				KBArticleId: kb(rng),
				SecurityBulletin: cls === 'Security Update' ? `MS24-${String(int(rng, 1, 120)).padStart(3, '0')}` : null,
				UpdateTitle: `${int(rng, 2023, 2024)}-${String(int(rng, 1, 12)).padStart(2, '0')} ${cls} for ${pick(rng, PRODUCTS)}`,
				UpdateClassification: cls,
				Product: pick(rng, PRODUCTS),
				LastPublishedDate: fmtTime(store.baseTime - int(rng, 5, 200) * DAY),
				PatchApprovalStatus: pick(rng, ['Approved', 'Approved', 'Denied', 'Pending Approval'] as const),
				RebootRequired: rng() < 0.5,
				Attributes: null,
			};
		});
	});
}

export function patchHistory(store: VsaStore, agent: VsaAgent): VsaPatchHistory[] {
	return lazy(store, 'patchhistory', agent, (rng) => {
		if (agent.OperatingSystem !== 'Windows') return [];
		return Array.from({ length: int(rng, 10, 40) }, (_, i) => {
			const cls = pick(rng, CLASSES);
			return {
				AgentId: agent.AgentId,
				PatchDataId: 80000 + i,
				KBArticle: kb(rng),
				UpdateTitle: `${cls} for ${pick(rng, PRODUCTS)}`,
				UpdateClassification: cls,
				InstallDate: fmtTime(store.baseTime - (40 - i) * 3 * DAY),
				InstalledBy: 'System',
				InstallStatus: rng() < 0.95 ? ('Installed' as const) : ('Failed' as const),
				Attributes: null,
			};
		});
	});
}

export function patchStatus(store: VsaStore, agent: VsaAgent): VsaPatchStatus {
	return lazy(store, 'patchstatus', agent, (rng) => {
		const missing = missingPatches(store, agent);
		const history = patchHistory(store, agent);
		const windows = agent.OperatingSystem === 'Windows';
		return {
			AgentId: agent.AgentId,
			TotalPatches: missing.length + history.length,
			InstalledPatches: history.filter((h) => h.InstallStatus === 'Installed').length,
			MissingPatches: missing.filter((m) => m.PatchApprovalStatus !== 'Denied').length,
			DeniedPatches: missing.filter((m) => m.PatchApprovalStatus === 'Denied').length,
			PendingPatches: missing.filter((m) => m.PatchApprovalStatus === 'Pending Approval').length,
			FailedPatches: history.filter((h) => h.InstallStatus === 'Failed').length,
			LastPatchScan: windows ? fmtTime(store.baseTime - int(rng, 1, 7) * DAY) : null,
			NextPatchScan: windows ? fmtTime(store.baseTime + int(rng, 1, 7) * DAY) : null,
			PatchPolicy: windows ? pick(rng, ['Workstations - Standard', 'Servers - Manual']) : 'None',
			RebootPending: rng() < 0.2,
			Attributes: null,
		};
	});
}

// ---------------------------------------------------------------- audit (KAT Get-VSAAudit.ps1; PSK audit classes)

export const AUDIT_CATEGORIES = [
	'credentials',
	'groups',
	'members',
	'useraccounts',
	'hardware/diskvolumes',
	'hardware/pcianddisk',
	'hardware/printers',
	'hardware/purchaseandwarrantyexpire',
	'software/addremoveprograms',
	'software/installedapplications',
	'software/licenses',
	'software/securityproducts',
	'software/startupapps',
] as const;
export type AuditCategory = (typeof AUDIT_CATEGORIES)[number];
/** Categories that describe one thing per agent and so answer a single record, not a collection. */
export const SINGLE_RECORD_AUDIT: ReadonlySet<string> = new Set(['hardware/purchaseandwarrantyexpire']);

export function auditSummary(store: VsaStore, agent: VsaAgent): Record<string, unknown> {
	return lazy(store, 'auditsummary', agent, (rng) => ({
		AgentId: agent.AgentId,
		MachineName: agent.AgentName,
		ComputerName: agent.ComputerName,
		GroupName: agent.MachineGroup,
		Manufacturer: pick(rng, ['Dell Inc.', 'HP', 'Lenovo', 'Apple Inc.']),
		ProductName: pick(rng, ['OptiPlex 7090', 'EliteBook 840 G8', 'ThinkPad T14', 'PowerEdge R740']),
		SysSerialNumber: Array.from({ length: 7 }, () => pick(rng, [...'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789'])).join(''),
		ChassisType: pick(rng, ['Desktop', 'Notebook', 'Rack Mount Chassis']),
		OsType: agent.OSType,
		OsInfo: agent.OSInfo,
		CpuType: agent.CpuType,
		CpuSpeed: agent.CpuSpeed,
		CpuCount: agent.CpuCount,
		RamMBytes: agent.RamMBytes,
		IpAddress: agent.IPAddress,
		MacAddr: Array.from({ length: 6 }, () => int(rng, 0, 255).toString(16).padStart(2, '0').toUpperCase()).join('-'),
		DefaultGateway: agent.DefaultGateway,
		DnsServer1: agent.DNSServer1,
		LastBaselineAudit: fmtTime(store.baseTime - int(rng, 100, 600) * DAY),
		LastLatestAudit: fmtTime(store.baseTime - int(rng, 1, 7) * DAY),
		LastSysInfoAudit: fmtTime(store.baseTime - int(rng, 1, 30) * DAY),
		Attributes: null,
	}));
}

const APPS = [
	['Google Chrome', 'Google LLC'],
	['Mozilla Firefox', 'Mozilla'],
	['7-Zip', 'Igor Pavlov'],
	['Microsoft Office 365', 'Microsoft Corporation'],
	['Adobe Acrobat Reader', 'Adobe Inc.'],
	['Zoom', 'Zoom Video Communications'],
	['Notepad++', 'Notepad++ Team'],
	['Microsoft Teams', 'Microsoft Corporation'],
	['VLC media player', 'VideoLAN'],
	['Slack', "Slack Technologies"],
];

export function auditCategory(store: VsaStore, agent: VsaAgent, cat: AuditCategory): unknown {
	return lazy(store, `audit:${cat}`, agent, (rng) => {
		const A = agent.AgentId;
		const n = (lo: number, hi: number) => int(rng, lo, hi);
		switch (cat) {
			case 'credentials':
				return Array.from({ length: n(0, 3) }, (_, i) => ({ AgentId: A, Username: `svc_backup${i}`, Domain: agent.DomainWorkgroup.split(' ')[0], CredentialType: 'Domain', Description: 'Backup service account' }));
			case 'groups':
				return ['Administrators', 'Users', 'Remote Desktop Users', 'Backup Operators'].map((g) => ({ AgentId: A, GroupName: g, Description: `${g} group`, GroupType: 'Local' }));
			case 'members':
				return ['Administrator', 'kaseyaadmin', 'Domain Admins', 'Domain Users'].map((m, i) => ({ AgentId: A, GroupName: i < 3 ? 'Administrators' : 'Users', MemberName: m }));
			case 'useraccounts':
				return Array.from({ length: n(2, 8) }, (_, i) => ({ AgentId: A, UserName: i === 0 ? 'Administrator' : `user${i}`, FullName: i === 0 ? '' : `User ${i}`, Description: '', Disabled: i === 0, LockedOut: false, PasswordRequired: true, LastLogon: fmtTime(store.baseTime - n(0, 60) * DAY) }));
			case 'hardware/diskvolumes':
				return ['C:', 'D:'].slice(0, n(1, 2)).map((d) => {
					const total = pick(rng, [256000, 512000, 1024000]);
					const used = Math.floor(total * (0.2 + rng() * 0.75));
					return { AgentId: A, Drive: d, Type: 'Fixed', Format: 'NTFS', Label: d === 'C:' ? 'OS' : 'Data', TotalMBytes: total, UsedMBytes: used, FreeMBytes: total - used };
				});
			case 'hardware/pcianddisk':
				return [
					{ AgentId: A, Type: 'Disk', Vendor: 'Samsung', Product: 'SSD 980 PRO 1TB', Notes: '' },
					{ AgentId: A, Type: 'PCI', Vendor: 'Intel Corporation', Product: 'Ethernet Connection I219-LM', Notes: '' },
					{ AgentId: A, Type: 'PCI', Vendor: 'NVIDIA', Product: 'Quadro P620', Notes: '' },
				];
			case 'hardware/printers':
				return Array.from({ length: n(0, 3) }, (_, i) => ({ AgentId: A, PrinterName: `Printer ${i + 1}`, Port: `IP_10.0.0.${20 + i}`, Model: 'HP LaserJet Pro M404' }));
			case 'hardware/purchaseandwarrantyexpire':
				return { AgentId: A, PurchaseDate: fmtTime(store.baseTime - n(200, 1500) * DAY), WarrantyExpireDate: fmtTime(store.baseTime + n(-300, 900) * DAY), Attributes: null };
			case 'software/addremoveprograms':
				return APPS.slice(0, n(3, APPS.length)).map(([name, vendor]) => ({ AgentId: A, ApplicationName: name, Publisher: vendor, Version: `${n(1, 120)}.${n(0, 9)}.${n(0, 999)}`, UninstallString: `MsiExec.exe /X{${name.length}}` }));
			case 'software/installedapplications':
				// Many rows per agent (executables), so this collection pages past 100.
				return Array.from({ length: n(40, 180) }, (_, i) => {
					const [name, vendor] = APPS[i % APPS.length];
					return { AgentId: A, ApplicationName: `${name.replace(/\s+/g, '').toLowerCase()}${i}.exe`, Description: name, Version: `${n(1, 30)}.${n(0, 9)}`, Manufacturer: vendor, ProductName: name, DirectoryPath: `C:\\Program Files\\${name}`, FileSize: n(10000, 90000000), LastModifiedDate: fmtTime(store.baseTime - n(1, 400) * DAY) };
				});
			case 'software/licenses':
				return [{ AgentId: A, Publisher: 'Microsoft Corporation', Title: agent.OSInfo, ProductKey: 'XXXXX-XXXXX-XXXXX-XXXXX-3V66T', LicenseCode: '00330-80000-00000-AA', Version: agent.OSVersion, InstallDate: agent.FirstCheckIn }];
			case 'software/securityproducts':
				return [
					{ AgentId: A, ProductType: 'AntiVirus', ProductName: 'Microsoft Defender Antivirus', Manufacturer: 'Microsoft Corporation', Version: '4.18.24030', IsActive: true, IsUpToDate: rng() < 0.9 },
					{ AgentId: A, ProductType: 'Firewall', ProductName: 'Windows Firewall', Manufacturer: 'Microsoft Corporation', Version: agent.OSVersion, IsActive: true, IsUpToDate: true },
				];
			case 'software/startupapps':
				return Array.from({ length: n(1, 6) }, (_, i) => ({ AgentId: A, AppName: APPS[i][0], AppCommand: `"C:\\Program Files\\${APPS[i][0]}\\start.exe" --autorun`, UserName: 'All Users' }));
		}
	});
}

// ---------------------------------------------------------------- logs (KAT VSAEndpointMaps.ps1; PSK log classes)

export const LOGS = ['agent', 'agentprocedure', 'alarms', 'configurationchanges', 'legacyremotecontrol', 'remotecontrol', 'monitoractions', 'networkstats', 'logmonitoring'] as const;
export const EVENT_LOGS = ['application', 'directoryservice', 'dnsserver', 'internetexplorer', 'security', 'system'] as const;

/** 150 rows per agent and log (more than one 100-record page), newest last. Every row has `Time` (PsKaseya filters on it). */
export function agentLog(store: VsaStore, agent: VsaAgent, log: string): Array<Record<string, unknown>> {
	return lazy(store, `log:${log}`, agent, (rng) => {
		const rows: Array<Record<string, unknown>> = [];
		const count = 150;
		for (let i = 0; i < count; i++) {
			const Time = fmtTime(store.baseTime - (count - i) * int(rng, 1800, 5400) * 1000);
			const base = { AgentId: agent.AgentId, Time };
			if (log.startsWith('eventlog/')) {
				const type = pick(rng, ['Information', 'Information', 'Warning', 'Error']);
				rows.push({ ...base, LogType: log.slice('eventlog/'.length), EventType: type, Source: pick(rng, ['Service Control Manager', 'Microsoft-Windows-Kernel-General', 'MsiInstaller', 'Schannel']), Category: 'None', EventId: pick(rng, [7036, 12, 1033, 36874, 4624]), User: pick(rng, ['N/A', 'SYSTEM', "CORP\\o'brien"]), Computer: agent.ComputerName, Description: `${type} event ${i}` });
				continue;
			}
			switch (log) {
				case 'agentprocedure':
					// PSK KAgentProcedureLog: LastExecution, ProcedureHistory, Status, Admin.
					rows.push({ ...base, LastExecution: Time, ProcedureHistory: pick(rng, ['Disk Cleanup', 'Run Audit Latest', 'Install Chrome']), Status: pick(rng, ['Success THEN', 'Failed ELSE']), Admin: 'kadmin' });
					break;
				case 'alarms':
					rows.push({ ...base, AlarmType: pick(rng, ['Counter', 'Service', 'Alert']), Message: `Alarm ${i}` });
					break;
				case 'networkstats':
					rows.push({ ...base, Application: pick(rng, ['chrome.exe', 'svchost.exe', 'teams.exe']), BytesSent: int(rng, 1000, 9000000), BytesReceived: int(rng, 1000, 90000000) });
					break;
				case 'monitoractions':
					rows.push({ ...base, MonitorName: pick(rng, ['CPU', 'Disk', 'Memory']), Action: pick(rng, ['Create Alarm', 'Email', 'Run Script']), Message: `Monitor action ${i}` });
					break;
				case 'remotecontrol':
				case 'legacyremotecontrol':
					// PSK KRemoteControlLog has StartTime/LastActiveTime; KLegacyRemoteControlLog has Time.
					rows.push({ ...base, ...(log === 'remotecontrol' ? { StartTime: Time, LastActiveTime: Time } : {}), Admin: pick(rng, ['kadmin', 'apiuser']), SessionType: log === 'remotecontrol' ? 'Live Connect' : 'K-VNC', DurationSeconds: int(rng, 30, 3600) });
					break;
				case 'configurationchanges':
					rows.push({ ...base, Admin: pick(rng, ['kadmin', 'System']), Message: pick(rng, ['Check-in control changed', 'Temp directory changed', 'Agent renamed']) });
					break;
				default:
					rows.push({ ...base, Message: pick(rng, ['Agent checked in', 'Agent started', 'KServer connection restored', 'Agent upgraded']) });
			}
		}
		return rows;
	});
}

/**
 * Learn every record type's fields up front, so a `$filter` on an empty collection (an agent with no
 * scheduled procedures, say) validates field names just like a non-empty one. Generating detail for
 * a few agents here is harmless: it is the same deterministic data a later request would create.
 */
export function warmSchemas(store: VsaStore): void {
	const firstNonEmpty = <T extends object>(typeName: string, gen: (a: VsaAgent) => T[]) => {
		for (const a of store.agents.slice(0, 200)) {
			const rows = gen(a);
			if (rows.length > 0) return void store.schemaFor(typeName, rows);
		}
	};
	const s = store;
	for (const [name, rows] of [
		['Agent', s.agents],
		['Org', s.orgs],
		['MachineGroup', s.machineGroups],
		['AgentNote', s.agentNotes],
		['Alarm', s.alarms],
		['Asset', s.assets],
		['AgentProcedure', s.procedures],
		['CustomField', s.customFieldDefs],
		['ServiceDesk', s.serviceDesks],
		['ServiceDeskTicket', s.tickets],
		['ServiceDeskTicketNote', s.ticketNotes],
		['User', s.users],
		['Role', s.roles],
		['Scope', s.scopes],
		['Staff', s.staff],
	] as Array<[string, object[]]>)
		store.schemaFor(name, rows);
	for (const lk of store.deskLookups.values()) {
		for (const kind of ['status', 'priorities', 'categories', 'customfields'] as const) store.schemaFor(`ServiceDesk.${kind}`, lk[kind]);
		break;
	}
	store.schemaFor('AgentCustomField', [{ AgentId: 1n, FieldName: '', FieldType: '', FieldValue: '' }]);
	firstNonEmpty('AuditSummary', (a) => [auditSummary(store, a)]);
	firstNonEmpty('ProcedureHistory', (a) => procHistory(store, a));
	firstNonEmpty('ScheduledProcedure', (a) => scheduledProcs(store, a));
	firstNonEmpty('MissingPatch', (a) => missingPatches(store, a));
	firstNonEmpty('PatchHistory', (a) => patchHistory(store, a));
	for (const cat of AUDIT_CATEGORIES) {
		if (SINGLE_RECORD_AUDIT.has(cat)) continue;
		firstNonEmpty(`Audit.${cat}`, (a) => auditCategory(store, a, cat) as object[]);
	}
	for (const log of LOGS) firstNonEmpty(`Log.${log}`, (a) => agentLog(store, a, log));
	firstNonEmpty('Log.eventlog', (a) => agentLog(store, a, 'eventlog/system'));
}
