/**
 * Seeded VSPC data: a provider, a few client companies with locations, one Cloud Connect site, one managed
 * Veeam Backup & Replication server per company with its jobs, protected VMs and computers, active alarms and
 * current license usage. Record shapes follow the REST 3.6.1 models (Cenvora/veeam-spc veeam_spc/v3_6_1/models:
 * company.py, organization_location.py, site.py, backup_server.py, backup_server_job.py,
 * protected_virtual_machine.py, protected_computer_managed_by_console.py,
 * protected_computer_managed_by_backup_server.py, cloud_agent.py, active_alarm.py, alarm_object.py, alarm_activation.py,
 * organization_current_license_usage.py, current_license_usage_workload.py). Only fields the emulator can fill
 * meaningfully are present; the server may send more.
 */
import type { Clock } from '../common/server';

export type JobResult = 'Success' | 'Warning' | 'Failed';
export type JobStatus = 'None' | 'Idle' | 'Starting' | 'Running' | 'Stopping' | JobResult | 'Unknown';
export type AlarmStatus = 'Error' | 'Warning' | 'Info' | 'Resolved' | 'Acknowledged' | 'Unknown';

export interface SeededUser {
	userName: string;
	password: string;
	role: string;
	/** Organization the user belongs to (provider or a company). */
	organizationUid: string;
	/** An MFA user: the password grant answers with an `mfa_token` instead of tokens. */
	mfa?: boolean;
}

export interface ApiKey {
	key: string;
	userName: string;
	isReadAccessOnly: boolean;
	enabled: boolean;
}

export interface Company {
	instanceUid: string;
	name: string;
	status: 'Active' | 'Disabled';
	resellerUid: string | null;
	subscriptionPlanUid: string | null;
	isRestAccessEnabled: boolean;
	isAlarmDetectEnabled: boolean;
	companyServices: { hostedServices: Record<string, unknown>; remoteServices: Record<string, unknown> };
	loginUrl: string;
}

export interface Location {
	instanceUid: string;
	organizationUid: string;
	name: string;
	quotaGb: number;
	type: 'Default' | 'Custom' | 'Hosted';
}

/** A Cloud Connect site (model cloud_agent.py of GET /infrastructure/sites). */
export interface Site {
	siteName: string;
	siteUid: string;
	description: string | null;
	backupServerUid: string;
	managementAgentUid: string;
	maintenanceModeIsEnabled: boolean;
	tenantManagementInCloudConnectIsEnabled: boolean;
}

export interface BackupServer {
	instanceUid: string;
	name: string;
	organizationUid: string;
	locationUid: string;
	managementAgentUid: string;
	version: string;
	displayVersion: string;
	installationUid: string;
	backupServerRoleType: 'Client' | 'CloudConnect' | 'Hosted';
	status: 'Healthy' | 'Warning' | 'Inaccessible';
	inHighAvailabilityCluster: boolean;
}

export interface BackupServerJob {
	instanceUid: string;
	uniqueUid: string;
	name: string;
	description: string;
	createdBy: string;
	creationTime: string;
	backupServerUid: string;
	locationUid: string;
	siteUid: string | null;
	organizationUid: string;
	mappedOrganizationUid: string | null;
	type: string;
	status: JobStatus;
	isEnabled: boolean;
	lastRun: string | null;
	lastEndTime: string | null;
	lastDuration: number | null;
	processingRate: number;
	avgDuration: number;
	transferredData: number;
	backupChainSize: number;
	bottleneck: string;
	scheduleType: string;
	failureMessage: string | null;
	targetType: string;
	destination: string;
	retentionLimit: number;
	retentionLimitType: string;
	isGfsOptionEnabled: boolean;
}

/** Retry settings of a job (schedule.retry in the job configuration; defaults 3 retries, 10 minutes apart). */
export interface RetrySettings {
	isEnabled: boolean;
	retryCount: number;
	awaitMinutes: number;
}

/** A session in progress: attempts run one after another, `awaitMinutes` apart, each `durationSec` long. */
export interface JobRun {
	startMs: number;
	attempts: Array<{ result: JobResult; durationSec: number; failureMessage?: string }>;
	awaitMinutes: number;
	/** Set when the run was stopped: the attempt running at that moment ends then as Failed. */
	stoppedAtMs?: number;
}

export interface ProtectedVm {
	instanceUid: string;
	backupServerUid: string;
	organizationUid: string;
	name: string;
	hierarchyRef: string;
	objectUid: string;
	ipAddresses: string[];
	provisionedSourceSize: number;
	usedSourceSize: number;
	totalRestorePointSize: number;
	latestRestorePointSize: number;
	restorePoints: number;
	latestRestorePointDate: string;
	jobUid: string;
	malwareState: string;
}

export interface ProtectedComputerByConsole {
	backupAgentUid: string;
	organizationUid: string;
	name: string;
	numberOfJobs: number;
	operationMode: string;
	latestRestorePointDate: string;
}

export interface ProtectedComputerByServer {
	instanceUid: string;
	backupServerUid: string;
	organizationUid: string;
	name: string;
	guestOs: string;
	ipAddresses: string[];
	platformType: string;
	operationMode: string;
	protectionGroups: string[];
	sourceInstanceUid: string;
	malwareState: string;
	latestRestorePointDate: string;
}

export interface AlarmActivation {
	instanceUid: string;
	time: string;
	status: AlarmStatus;
	message: string;
	remark: string | null;
}

export interface ActiveAlarm {
	instanceUid: string;
	alarmTemplateUid: string;
	repeatCount: number;
	area: 'vspc' | 'vone';
	object: {
		instanceUid: string;
		type: string;
		organizationUid: string;
		locationUid: string | null;
		managementAgentUid: string | null;
		computerName: string | null;
		objectUid: string | null;
		objectName: string;
	};
	lastActivation: AlarmActivation;
}

export interface LicenseUsage {
	organizationUid: string;
	organizationType: 'Company' | 'Provider' | 'Reseller';
	providerUid: string | null;
	servers: Array<{
		serverUid: string;
		serverType: 'BackupAndReplication' | 'CloudConnect' | 'VB365' | 'VONE' | 'VSPC';
		workloads: Array<{
			id: string;
			description: string;
			unitType: 'Instances' | 'Points';
			rentalUnits: number;
			newUnits: number;
			usedUnits: number;
			rentalCount: number;
			newCount: number;
			usedCount: number;
			workloadsByPlatform: unknown[];
		}>;
	}>;
}

export interface StoreOptions {
	seed?: number;
	/** Client companies (default 4). */
	companies?: number;
	/** Protected VMs per company (default 30). */
	vmsPerCompany?: number;
}

/** Deterministic UUIDs from a seeded generator (mulberry32). */
function uuidMaker(seed: number): () => string {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return () => {
		const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16));
		hex[12] = '4';
		hex[16] = '89ab'[Math.floor(next() * 4)];
		const s = hex.join('');
		return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
	};
}

/** VSPC's timestamp format: 7 fractional digits and an explicit offset (real data carries local offsets). */
export function vspcTime(ms: number, offsetMinutes = 60): string {
	const local = new Date(ms + offsetMinutes * 60_000).toISOString().replace('Z', '');
	const sign = offsetMinutes >= 0 ? '+' : '-';
	const abs = Math.abs(offsetMinutes);
	const off = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
	return `${local}0000${off}`;
}

const COMPANY_NAMES = ['Acme Dental', 'Birch Legal', 'Cobalt Logistics', 'Dune Architects', 'Elm Veterinary', 'Fjord Shipping', 'Granite Accounting', 'Harbor Clinics'];
const JOB_KINDS = [
	{ suffix: 'VM Backup', type: 'BackupVm' },
	{ suffix: 'Backup Copy', type: 'BackupCopy' },
	{ suffix: 'SQL Logs', type: 'SqlLogBackup' },
	{ suffix: 'File Share', type: 'BackupFile' },
] as const;

export class VspcStore {
	readonly providerUid: string;
	readonly users: SeededUser[] = [];
	readonly apiKeys: ApiKey[] = [];
	readonly companies: Company[] = [];
	readonly locations: Location[] = [];
	readonly sites: Site[] = [];
	readonly backupServers: BackupServer[] = [];
	readonly jobs: BackupServerJob[] = [];
	readonly retry = new Map<string, RetrySettings>();
	readonly runs = new Map<string, JobRun>();
	/** Attempts the next start of a job will have (control API); a plain successful attempt otherwise. */
	readonly plannedRuns = new Map<string, JobRun['attempts']>();
	readonly vms: ProtectedVm[] = [];
	readonly computersByConsole: ProtectedComputerByConsole[] = [];
	readonly computersByServer: ProtectedComputerByServer[] = [];
	readonly alarms: ActiveAlarm[] = [];
	readonly alarmHistory = new Map<string, AlarmActivation[]>();
	readonly licenseUsage: LicenseUsage[] = [];
	readonly uuid: () => string;

	constructor(
		readonly clock: Clock,
		options: StoreOptions = {},
	) {
		this.uuid = uuidMaker(options.seed ?? 1);
		const uuid = this.uuid;
		const now = clock.now();
		this.providerUid = uuid();
		const providerLocation = uuid();
		this.locations.push({ instanceUid: providerLocation, organizationUid: this.providerUid, name: 'Provider HQ', quotaGb: 0, type: 'Default' });

		const ccServer: BackupServer = {
			instanceUid: uuid(),
			name: 'cc-vbr-01.provider.example',
			organizationUid: this.providerUid,
			locationUid: providerLocation,
			managementAgentUid: uuid(),
			version: '12.3.1.1139',
			displayVersion: '12.3.1.1139',
			installationUid: uuid(),
			backupServerRoleType: 'CloudConnect',
			status: 'Healthy',
			inHighAvailabilityCluster: false,
		};
		this.backupServers.push(ccServer);
		this.sites.push({
			siteName: 'Cloud Connect EU',
			siteUid: uuid(),
			description: null,
			backupServerUid: ccServer.instanceUid,
			managementAgentUid: ccServer.managementAgentUid,
			maintenanceModeIsEnabled: false,
			tenantManagementInCloudConnectIsEnabled: false,
		});

		this.users.push({ userName: 'vspc\\administrator', password: 'Provider!2026', role: 'PortalAdministrator', organizationUid: this.providerUid });
		this.users.push({ userName: 'vspc\\mfa-operator', password: 'Operator!2026', role: 'PortalOperator', organizationUid: this.providerUid, mfa: true });
		this.apiKeys.push({ key: 'vspc-seeded-api-key-4baccb809a3578f4xZGp74ik1k54wD03Y25fJ7', userName: 'vspc\\administrator', isReadAccessOnly: false, enabled: true });
		this.apiKeys.push({ key: 'vspc-seeded-readonly-key-9c1f2e77b0d4a6e5QmT8xLr2Vn6Kp3Ws', userName: 'vspc\\administrator', isReadAccessOnly: true, enabled: true });

		const companyCount = options.companies ?? 4;
		const vmsPerCompany = options.vmsPerCompany ?? 30;
		for (let c = 0; c < companyCount; c++) {
			const name = COMPANY_NAMES[c % COMPANY_NAMES.length] + (c >= COMPANY_NAMES.length ? ` ${Math.floor(c / COMPANY_NAMES.length) + 1}` : '');
			const company: Company = {
				instanceUid: uuid(),
				name,
				status: c === companyCount - 1 && companyCount > 2 ? 'Disabled' : 'Active',
				resellerUid: null,
				subscriptionPlanUid: null,
				isRestAccessEnabled: c === 0,
				isAlarmDetectEnabled: true,
				companyServices: { hostedServices: {}, remoteServices: {} },
				loginUrl: 'https://vspc.provider.example:1280',
			};
			this.companies.push(company);
			const loc: Location = { instanceUid: uuid(), organizationUid: company.instanceUid, name: `${name} — Main Office`, quotaGb: 500, type: 'Default' };
			this.locations.push(loc);
			if (c % 2 === 0) this.locations.push({ instanceUid: uuid(), organizationUid: company.instanceUid, name: `${name} — Branch`, quotaGb: 100, type: 'Custom' });
			if (c === 0) this.users.push({ userName: 'acme\\owner', password: 'Owner!2026', role: 'CompanyOwner', organizationUid: company.instanceUid });

			const server: BackupServer = {
				instanceUid: uuid(),
				name: `vbr-${name.split(' ')[0].toLowerCase()}.client.example`,
				organizationUid: company.instanceUid,
				locationUid: loc.instanceUid,
				managementAgentUid: uuid(),
				version: '12.3.1.1139',
				displayVersion: '12.3.1.1139',
				installationUid: uuid(),
				backupServerRoleType: 'Client',
				status: c === 1 ? 'Warning' : 'Healthy',
				inHighAvailabilityCluster: false,
			};
			this.backupServers.push(server);

			const jobUids: string[] = [];
			JOB_KINDS.forEach((kind, k) => {
				// Seeded results: every company has a failed VM backup (c even) or a warning copy job (c odd).
				const result: JobResult = k === 0 && c % 2 === 0 ? 'Failed' : k === 1 && c % 2 === 1 ? 'Warning' : 'Success';
				const lastRunMs = now - (6 - k) * 3_600_000 - c * 60_000;
				const job: BackupServerJob = {
					instanceUid: uuid(),
					uniqueUid: uuid(),
					name: `${name} ${kind.suffix}`,
					description: `Created by VSPC seed for ${name}`,
					createdBy: 'vspc\\administrator',
					creationTime: vspcTime(now - 90 * 86_400_000),
					backupServerUid: server.instanceUid,
					locationUid: loc.instanceUid,
					siteUid: null,
					organizationUid: company.instanceUid,
					mappedOrganizationUid: null,
					type: kind.type,
					status: result,
					isEnabled: true,
					lastRun: vspcTime(lastRunMs),
					lastEndTime: vspcTime(lastRunMs + 900_000),
					lastDuration: 900,
					processingRate: 52_428_800,
					avgDuration: 880,
					transferredData: 10_737_418_240,
					backupChainSize: 107_374_182_400,
					bottleneck: 'Source',
					scheduleType: 'Daily',
					failureMessage: result === 'Failed' ? 'Error: Failed to connect to host esx01: The operation has timed out.' : result === 'Warning' ? 'Warning: 1 of 12 VMs processed with warnings.' : null,
					targetType: kind.type === 'BackupCopy' ? 'Cloud' : 'Local',
					destination: kind.type === 'BackupCopy' ? 'Cloud Connect EU' : 'Default Backup Repository',
					retentionLimit: 14,
					retentionLimitType: 'RestorePoints',
					isGfsOptionEnabled: false,
				};
				this.jobs.push(job);
				this.retry.set(job.instanceUid, { isEnabled: kind.type === 'BackupVm', retryCount: 3, awaitMinutes: 10 });
				jobUids.push(job.instanceUid);
			});

			for (let v = 0; v < vmsPerCompany; v++) {
				this.vms.push({
					instanceUid: uuid(),
					backupServerUid: server.instanceUid,
					organizationUid: company.instanceUid,
					name: `${name.split(' ')[0].toLowerCase()}-vm-${String(v + 1).padStart(3, '0')}`,
					hierarchyRef: `vm-${1000 + v}`,
					objectUid: uuid(),
					ipAddresses: [`10.${c}.0.${v + 10}`],
					provisionedSourceSize: 107_374_182_400,
					usedSourceSize: 53_687_091_200 + v * 1_048_576,
					totalRestorePointSize: 64_424_509_440,
					latestRestorePointSize: 4_294_967_296,
					restorePoints: 14,
					latestRestorePointDate: vspcTime(now - (v % 48) * 3_600_000),
					jobUid: jobUids[0],
					malwareState: v === 7 && c === 0 ? 'Suspicious' : 'Clean',
				});
			}
			for (let p = 0; p < 3; p++) {
				this.computersByConsole.push({
					backupAgentUid: uuid(),
					organizationUid: company.instanceUid,
					name: `${name.split(' ')[0].toUpperCase()}-LAPTOP-${p + 1}`,
					numberOfJobs: 1,
					operationMode: p === 2 ? 'Server' : 'Workstation',
					latestRestorePointDate: vspcTime(now - (p + 1) * 86_400_000),
				});
				this.computersByServer.push({
					instanceUid: uuid(),
					backupServerUid: server.instanceUid,
					organizationUid: company.instanceUid,
					name: `${name.split(' ')[0].toUpperCase()}-SRV-${p + 1}`,
					guestOs: 'Microsoft Windows Server 2022',
					ipAddresses: [`10.${c}.1.${p + 10}`],
					platformType: 'Windows',
					operationMode: 'Server',
					protectionGroups: ['Servers'],
					sourceInstanceUid: uuid(),
					malwareState: 'Clean',
					latestRestorePointDate: vspcTime(now - (p + 2) * 3_600_000),
				});
			}

			// Active alarms: a job-session alarm for each failed/warning job, plus a resolved and an info alarm.
			for (const job of this.jobs.filter((j) => j.organizationUid === company.instanceUid && (j.status === 'Failed' || j.status === 'Warning'))) {
				this.addAlarm({
					templateUid: JOB_SESSION_TEMPLATE,
					type: 'BackupServerJob',
					organizationUid: company.instanceUid,
					locationUid: loc.instanceUid,
					managementAgentUid: server.managementAgentUid,
					computerName: server.name,
					objectUid: job.instanceUid,
					objectName: job.name,
					status: job.status === 'Failed' ? 'Error' : 'Warning',
					message: `Job session for "${job.name}" finished with ${job.status === 'Failed' ? 'error' : 'warning'}.\r\n${job.failureMessage ?? ''}`,
					atMs: now - 3 * 3_600_000 - c * 60_000,
				});
			}
			this.addAlarm({
				templateUid: AGENT_TEMPLATE,
				type: 'BackupAgent',
				organizationUid: company.instanceUid,
				locationUid: loc.instanceUid,
				managementAgentUid: uuid(),
				computerName: `${name.split(' ')[0].toUpperCase()}-LAPTOP-1`,
				objectUid: null,
				objectName: `${name.split(' ')[0].toUpperCase()}-LAPTOP-1`,
				status: c === 1 ? 'Error' : 'Resolved',
				message: 'Backup agent job state\n\n',
				atMs: now - 26 * 3_600_000 - c * 60_000,
			});

			this.licenseUsage.push({
				organizationUid: company.instanceUid,
				organizationType: 'Company',
				providerUid: this.providerUid,
				servers: [
					{
						serverUid: server.instanceUid,
						serverType: 'BackupAndReplication',
						workloads: [
							{ id: uuid(), description: 'Virtual machines', unitType: 'Instances', rentalUnits: vmsPerCompany, newUnits: 2, usedUnits: 0, rentalCount: vmsPerCompany, newCount: 2, usedCount: 0, workloadsByPlatform: [] },
							{ id: uuid(), description: 'Servers', unitType: 'Instances', rentalUnits: 3, newUnits: 0, usedUnits: 0, rentalCount: 3, newCount: 0, usedCount: 0, workloadsByPlatform: [] },
							{ id: uuid(), description: 'Workstations', unitType: 'Instances', rentalUnits: 0.99, newUnits: 0, usedUnits: 0, rentalCount: 3, newCount: 0, usedCount: 0, workloadsByPlatform: [] },
						],
					},
				],
			});
		}
		this.addAlarm({
			templateUid: INTERNAL_TEMPLATE,
			type: 'Internal',
			organizationUid: this.providerUid,
			locationUid: providerLocation,
			managementAgentUid: null,
			computerName: null,
			objectUid: null,
			objectName: 'Veeam Service Provider Console',
			status: 'Info',
			message: 'License will expire in 30 days.\n\n',
			atMs: now - 48 * 3_600_000,
		});
		this.licenseUsage.push({ organizationUid: this.providerUid, organizationType: 'Provider', providerUid: null, servers: [] });
	}

	/** Raises a new triggered alarm (or a new activation of an existing one for the same object and template). */
	addAlarm(a: {
		templateUid: string;
		type: string;
		organizationUid: string;
		locationUid: string | null;
		managementAgentUid: string | null;
		computerName: string | null;
		objectUid: string | null;
		objectName: string;
		status: AlarmStatus;
		message: string;
		atMs?: number;
	}): ActiveAlarm {
		const activation: AlarmActivation = { instanceUid: this.uuid(), time: vspcTime(a.atMs ?? this.clock.now()), status: a.status, message: a.message, remark: null };
		const existing = this.alarms.find((x) => x.alarmTemplateUid === a.templateUid && x.object.objectName === a.objectName && x.object.organizationUid === a.organizationUid);
		if (existing) {
			this.activate(existing, activation);
			return existing;
		}
		const alarm: ActiveAlarm = {
			instanceUid: this.uuid(),
			alarmTemplateUid: a.templateUid,
			repeatCount: 1,
			area: 'vspc',
			object: {
				instanceUid: this.uuid(),
				type: a.type,
				organizationUid: a.organizationUid,
				locationUid: a.locationUid,
				managementAgentUid: a.managementAgentUid,
				computerName: a.computerName,
				objectUid: a.objectUid,
				objectName: a.objectName,
			},
			lastActivation: activation,
		};
		this.alarms.push(alarm);
		this.alarmHistory.set(alarm.instanceUid, [activation]);
		return alarm;
	}

	/** A status change: a new activation with its own UID and time; repeatCount counts the changes. */
	activate(alarm: ActiveAlarm, activation: AlarmActivation): void {
		alarm.lastActivation = activation;
		alarm.repeatCount++;
		this.alarmHistory.get(alarm.instanceUid)?.push(activation);
	}

	/**
	 * The job record as of now: a run in progress (started with /start or the control API) decides status,
	 * lastRun, lastEndTime, lastDuration and failureMessage. Between attempts the job shows the failed attempt
	 * (the reference finds no "retry pending" flag on the record).
	 */
	jobNow(job: BackupServerJob): BackupServerJob {
		const run = this.runs.get(job.instanceUid);
		if (!run) return job;
		const now = this.clock.now();
		let attemptStart = run.startMs;
		let view: BackupServerJob = { ...job };
		for (const attempt of run.attempts) {
			if (now < attemptStart) break;
			const plannedEnd = attemptStart + attempt.durationSec * 1000;
			const stopped = run.stoppedAtMs !== undefined && run.stoppedAtMs < plannedEnd;
			const end = stopped ? run.stoppedAtMs! : plannedEnd;
			if (now < end) {
				view = { ...view, status: 'Running', lastRun: vspcTime(attemptStart), failureMessage: null };
				return view;
			}
			const result: JobResult = stopped ? 'Failed' : attempt.result;
			view = {
				...view,
				status: result,
				lastRun: vspcTime(attemptStart),
				lastEndTime: vspcTime(end),
				lastDuration: Math.round((end - attemptStart) / 1000),
				failureMessage: stopped ? 'Job has been stopped by user.' : result === 'Success' ? null : (attempt.failureMessage ?? (result === 'Failed' ? 'Error: Processing failed.' : 'Warning: processed with warnings.')),
			};
			if (stopped) return view;
			attemptStart = end + run.awaitMinutes * 60_000;
		}
		return view;
	}

	/** True while a run has an attempt running or a retry still to come. */
	isRunning(job: BackupServerJob): boolean {
		const run = this.runs.get(job.instanceUid);
		if (!run) return false;
		return this.jobNow(job).status === 'Running';
	}
}

export const JOB_SESSION_TEMPLATE = '0f3a2b7c-1d4e-4f5a-8b6c-7d8e9f0a1b2c';
export const AGENT_TEMPLATE = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
export const INTERNAL_TEMPLATE = '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e';
