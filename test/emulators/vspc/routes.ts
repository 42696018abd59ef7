/**
 * Routes of the VSPC emulator, all under /api/v3. Paths, query parameters and answers follow the code generated from
 * the REST 3.6.1 OpenAPI document (Cenvora/veeam-spc veeam_spc/v3_6_1/api/<tag>/<operation>.py, named per route below)
 * and the Help Center pages cited in query.ts and auth.ts.
 *
 * Envelope: `{meta: {pagingInfo: {total, count, offset}}, data: [...], errors: null}` for lists, `{meta: null, data: {...},
 * errors: null}` for one resource, `{errors: [], data: null, meta: null}` for actions (EmptyResponse), and
 * `{errors: [{message, type, code, parameterName?}], data: null, meta: null}` for failures
 * (https://helpcenter.veeam.com/docs/vac/rest/errors.html; models response_error.py, empty_response.py).
 *
 * Choices where the sources are silent (documented, strict):
 * - X-Client-Version: absent is accepted (several public clients never send it); the versions VSPC 9.1 lists as
 *   supported (3.5, 3.5.1, 3.6, 3.6.1) are accepted; any other value → 400 with parameterName "X-Client-Version"
 *   (on POST /token: 400 invalid_request, the only error shape that operation declares). Answers do not vary with the
 *   version (fields added in 3.6 are simply absent from the seeded records).
 * - X-Request-id must be a UUID (400 otherwise). On POST/PATCH/DELETE, the same id on the same method + path within
 *   5 minutes replays the first answer without a second effect ("Random UID that you can assign to a request for
 *   idempotence … an operation is idempotent only during 5 minute time interval", header description in
 *   https://helpcenter.veeam.com/references/vac/9.1/rest/tag/Configuration); what the real server sends on a replay is
 *   unverified.
 * - A path UID that is not a UUID → 400; an unknown UID → 404 naming the resource.
 * - Unknown routes → 404, a known path with another method → 405, both with the error envelope.
 * - Action POSTs take no body (400 if one is sent). Starting a running job or stopping an idle one → 400 with error
 *   code 1000 ("operation not possible now"); acknowledging an acknowledged/resolved alarm or resolving a resolved one
 *   → 400 code 1000. A stopped session ends as Failed ("Job has been stopped by user.").
 * - Company users see their own company's records only (roles per x-veeam-vspc-admitted-roles; exact scoping unverified).
 */
import type { EmulatorRequest, EmulatorResponse, Route } from '../common/server';
import type { AuthService, Principal } from './auth';
import { badParameter, IGNORED_PAGING, onlyQuery, page, project, readCollectionQuery, readSingleQuery, VspcError } from './query';
import type { ActiveAlarm, BackupServerJob, VspcStore } from './store';
import { vspcTime } from './store';

export const API = '/api/v3';
export const SUPPORTED_CLIENT_VERSIONS = ['3.5', '3.5.1', '3.6', '3.6.1'];
export const IDEMPOTENCY_WINDOW_MS = 5 * 60_000;

export interface Deps {
	store: VspcStore;
	auth: AuthService;
	/** Answers already given per `METHOD path X-Request-id`, replayed within the window. */
	replays: Map<string, { at: number; response: EmulatorResponse }>;
	/** Effects applied by writes (a replay applies none). */
	effects: { writes: number };
}

export function errorEnvelope(message: string, extra: { type?: string; code?: number; parameterName?: string; retryAfter?: number } = {}): Record<string, unknown> {
	const error: Record<string, unknown> = { message, type: extra.type ?? 'logical', code: extra.code ?? 400 };
	if (extra.parameterName) error.parameterName = extra.parameterName;
	if (extra.retryAfter !== undefined) error.retryAfter = extra.retryAfter;
	return { errors: [error], data: null, meta: null };
}

function fail(e: VspcError): EmulatorResponse {
	return { status: e.status, body: errorEnvelope(e.message, { code: e.extra.code ?? e.status, type: e.extra.type, parameterName: e.extra.parameterName, retryAfter: e.extra.retryAfter }) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uid(req: EmulatorRequest, name: string): string {
	const value = req.params[name];
	if (!UUID.test(value)) throw badParameter(name, `The value '${value}' is not valid for ${name}.`);
	return value.toLowerCase();
}

function header(req: EmulatorRequest, name: string): string | undefined {
	const v = req.headers[name.toLowerCase()];
	return Array.isArray(v) ? v[0] : v;
}

const single = (data: unknown): EmulatorResponse => ({ status: 200, body: { meta: null, data, errors: null } });
const done = (): EmulatorResponse => ({ status: 200, body: { errors: [], data: null, meta: null } });

interface Ctx {
	req: EmulatorRequest;
	p: Principal;
}

type Handler = (ctx: Ctx) => EmulatorResponse;

/** Wraps a handler with version, auth, read-only, X-Request-id and error mapping. */
function guarded(d: Deps, method: string, handler: Handler): (req: EmulatorRequest) => EmulatorResponse {
	return (req) => {
		try {
			const version = header(req, 'x-client-version');
			if (version !== undefined && !SUPPORTED_CLIENT_VERSIONS.includes(version)) {
				throw badParameter('X-Client-Version', `REST API version '${version}' is not supported. Supported versions: ${SUPPORTED_CLIENT_VERSIONS.join(', ')}.`);
			}
			const p = d.auth.principal(header(req, 'authorization'));
			if (!p) throw new VspcError(401, 'Authorization has been denied for this request.', { type: 'security', code: 401 });
			const write = method !== 'GET';
			if (write && p.readOnly) throw new VspcError(403, 'Access denied: this API key or token grants read-only access.', { type: 'security', code: 403 });
			const requestId = header(req, 'x-request-id');
			if (requestId !== undefined && !UUID.test(requestId)) throw badParameter('x-request-id', `The value '${requestId}' is not a valid UID for x-request-id.`);
			if (!write || requestId === undefined) return handler({ req, p });
			const key = `${method} ${req.path.toLowerCase()} ${requestId.toLowerCase()}`;
			const now = d.store.clock.now();
			const seen = d.replays.get(key);
			if (seen && now - seen.at < IDEMPOTENCY_WINDOW_MS) return seen.response;
			const response = runWrite(d, handler, { req, p });
			d.replays.set(key, { at: now, response });
			return response;
		} catch (e) {
			if (e instanceof VspcError) return fail(e);
			throw e;
		}
	};
}

function runWrite(d: Deps, handler: Handler, ctx: Ctx): EmulatorResponse {
	try {
		return handler(ctx);
	} catch (e) {
		if (e instanceof VspcError) return fail(e);
		throw e;
	}
}

function noBody(req: EmulatorRequest): void {
	if (req.rawBody.length > 0) throw badParameter('body', 'This operation takes no request body.');
}

/** Company users see their own organization's records; provider users see all. */
function scoped<T>(d: Deps, p: Principal, records: T[], org: (r: T) => string | null): T[] {
	if (p.organizationUid === d.store.providerUid) return records;
	return records.filter((r) => org(r) === p.organizationUid);
}

function findOr404<T>(records: T[], match: (r: T) => boolean, what: string, id: string): T {
	const found = records.find(match);
	if (!found) throw new VspcError(404, `${what} with UID ${id} was not found.`, { code: 404 });
	return found;
}

export function buildRoutes(d: Deps): Route[] {
	const { store } = d;
	const routes: Route[] = [];
	const add = (method: string, path: string, handler: Handler) => routes.push({ method, pattern: `${API}${path}`, handler: guarded(d, method, handler) });
	const list = <T>(path: string, records: (p: Principal) => T[], sample: T, extra: readonly string[] = [], pre?: (req: EmulatorRequest, rows: T[]) => T[]) =>
		add('GET', path, ({ req, p }) => {
			const q = readCollectionQuery(req.query, sample, extra);
			const rows = records(p);
			return { status: 200, body: page(pre ? pre(req, rows) : rows, q) };
		});
	const one = <T>(path: string, param: string, records: (p: Principal) => T[], key: (r: T) => string, what: string, sample: T) =>
		add('GET', path, ({ req, p }) => {
			const id = uid(req, param);
			const select = readSingleQuery(req.query, sample);
			return single(project(findOr404(records(p), (r) => key(r).toLowerCase() === id, what, id), select));
		});

	// about/get_about_information.py
	add('GET', '/about', ({ req }) => {
		readSingleQuery(req.query, {});
		return single({
			installationId: store.providerUid,
			installationDate: vspcTime(store.clock.now() - 400 * 86_400_000),
			serverVersion: '9.1.0.30713',
			actualVawVersion: '6.3.1.1074',
			actualValVersion: '6.3.0.1181',
			actualVamVersion: '2.2.0.226',
			windowsManagementAgentVersion: '9.1.0.30713',
			linuxManagementAgentVersion: '9.1.0.30713',
			macManagementAgentVersion: '9.1.0.30713',
		});
	});

	// companies/get_companies.py, get_company.py
	const companies = (p: Principal) => scoped(d, p, store.companies, (c) => c.instanceUid);
	list('/organizations/companies', companies, store.companies[0]);
	one('/organizations/companies/{companyUid}', 'companyUid', companies, (c) => c.instanceUid, 'Company', store.companies[0]);

	// locations/get_locations.py, get_location.py
	const locations = (p: Principal) => scoped(d, p, store.locations, (l) => l.organizationUid);
	list('/organizations/locations', locations, store.locations[0]);
	one('/organizations/locations/{locationUid}', 'locationUid', locations, (l) => l.instanceUid, 'Location', store.locations[0]);

	// cloud_connect/get_sites.py, get_site.py (provider scope)
	const sites = (p: Principal) => (p.organizationUid === store.providerUid ? store.sites : []);
	list('/infrastructure/sites', sites, store.sites[0]);
	one('/infrastructure/sites/{siteUid}', 'siteUid', sites, (s) => s.siteUid, 'Site', store.sites[0]);

	// backup_servers/get_backup_servers.py, get_backup_server.py
	const servers = (p: Principal) => scoped(d, p, store.backupServers, (s) => s.organizationUid);
	list('/infrastructure/backupServers', servers, store.backupServers[0]);

	// backup_server_jobs/get_backup_server_jobs.py, get_backup_server_jobs_by_server.py, get_backup_server_job.py
	const jobs = (p: Principal) => scoped(d, p, store.jobs, (j) => j.organizationUid).map((j) => store.jobNow(j));
	list('/infrastructure/backupServers/jobs', jobs, store.jobs[0]);
	one('/infrastructure/backupServers/jobs/{jobUid}', 'jobUid', jobs, (j) => j.instanceUid, 'Job', store.jobs[0]);
	// `/backupServers/jobs` and `/backupServers/{backupServerUid}`: the router prefers literal segments.
	one('/infrastructure/backupServers/{backupServerUid}', 'backupServerUid', servers, (s) => s.instanceUid, 'Backup server', store.backupServers[0]);
	add('GET', '/infrastructure/backupServers/{backupServerUid}/jobs', ({ req, p }) => {
		const serverUid = uid(req, 'backupServerUid');
		findOr404(servers(p), (s) => s.instanceUid.toLowerCase() === serverUid, 'Backup server', serverUid);
		const q = readCollectionQuery(req.query, store.jobs[0]);
		return { status: 200, body: page(jobs(p).filter((j) => j.backupServerUid.toLowerCase() === serverUid), q) };
	});

	// backup_server_jobs/get_backup_server_backup_vm_v_sphere_job_configuration.py — only the retry schedule is served.
	add('GET', '/infrastructure/backupServers/jobs/backupVmJobs/vSphere/{jobUid}/configuration', ({ req, p }) => {
		const id = uid(req, 'jobUid');
		readSingleQuery(req.query, {});
		const job = findOr404(
			jobs(p).filter((j) => j.type === 'BackupVm'),
			(j) => j.instanceUid.toLowerCase() === id,
			'Backup job',
			id,
		);
		const server = store.backupServers.find((s) => s.instanceUid === job.backupServerUid);
		const retry = store.retry.get(job.instanceUid);
		return single({
			instanceUid: job.instanceUid,
			originalUid: job.instanceUid,
			name: job.name,
			description: job.description,
			isDisabled: !job.isEnabled,
			backupServerUid: job.backupServerUid,
			backupServerName: server?.name ?? null,
			schedule: { retry: retry ? { ...retry } : null },
		});
	});

	// backup_server_jobs/start_backup_server_job.py, stop_backup_server_job.py
	const jobForWrite = (req: EmulatorRequest, p: Principal): BackupServerJob => {
		const id = uid(req, 'jobUid');
		noBody(req);
		onlyQuery(req.query, IGNORED_PAGING);
		return findOr404(scoped(d, p, store.jobs, (j) => j.organizationUid), (j) => j.instanceUid.toLowerCase() === id, 'Job', id);
	};
	add('POST', '/infrastructure/backupServers/jobs/{jobUid}/start', ({ req, p }) => {
		const job = jobForWrite(req, p);
		if (store.isRunning(job)) throw new VspcError(400, `Job "${job.name}" is already running.`, { code: 1000 });
		const planned = store.plannedRuns.get(job.instanceUid);
		store.plannedRuns.delete(job.instanceUid);
		const retry = store.retry.get(job.instanceUid);
		store.runs.set(job.instanceUid, {
			startMs: store.clock.now(),
			attempts: planned ?? [{ result: 'Success', durationSec: 300 }],
			awaitMinutes: retry?.awaitMinutes ?? 10,
		});
		d.effects.writes++;
		return done();
	});
	add('POST', '/infrastructure/backupServers/jobs/{jobUid}/stop', ({ req, p }) => {
		const job = jobForWrite(req, p);
		if (!store.isRunning(job)) throw new VspcError(400, `Job "${job.name}" is not running.`, { code: 1000 });
		store.runs.get(job.instanceUid)!.stoppedAtMs = store.clock.now();
		d.effects.writes++;
		return done();
	});

	// protected_workloads/get_protected_virtual_machines.py, get_protected_computers_managed_by_console.py,
	// get_protected_computers_managed_by_backup_server.py
	list('/protectedWorkloads/virtualMachines', (p) => scoped(d, p, store.vms, (v) => v.organizationUid), store.vms[0]);
	list('/protectedWorkloads/computersManagedByConsole', (p) => scoped(d, p, store.computersByConsole, (c) => c.organizationUid), store.computersByConsole[0]);
	list('/protectedWorkloads/computersManagedByBackupServer', (p) => scoped(d, p, store.computersByServer, (c) => c.organizationUid), store.computersByServer[0]);

	// alarms/get_active_alarms.py, get_active_alarm.py, get_active_alarm_history.py
	const alarms = (p: Principal) => scoped(d, p, store.alarms, (a) => a.object.organizationUid);
	list('/alarms/active', alarms, store.alarms[0]);
	one('/alarms/active/{activeAlarmUid}', 'activeAlarmUid', alarms, (a) => a.instanceUid, 'Active alarm', store.alarms[0]);
	add('GET', '/alarms/active/{activeAlarmUid}/history', ({ req, p }) => {
		const id = uid(req, 'activeAlarmUid');
		const alarm = findOr404(alarms(p), (a) => a.instanceUid.toLowerCase() === id, 'Active alarm', id);
		const history = store.alarmHistory.get(alarm.instanceUid) ?? [];
		const q = readCollectionQuery(req.query, history[0] ?? alarm.lastActivation);
		return { status: 200, body: page(history, q) };
	});

	// alarms/acknowledge_active_alarm.py, resolve_active_alarm.py: `comment` and `resolveOnClients` in the query, no body.
	const alarmAction = (status: 'Acknowledged' | 'Resolved') => ({ req, p }: Ctx) => {
		const id = uid(req, 'activeAlarmUid');
		noBody(req);
		onlyQuery(req.query, ['comment', 'resolveOnClients', ...IGNORED_PAGING]);
		const comment = req.query.comment;
		if (comment === undefined) throw badParameter('comment', 'The comment parameter is required.');
		const onClients = req.query.resolveOnClients;
		if (onClients !== 'true' && onClients !== 'false') throw badParameter('resolveOnClients', "The resolveOnClients parameter is required and must be 'true' or 'false'.");
		const alarm: ActiveAlarm = findOr404(alarms(p), (a) => a.instanceUid.toLowerCase() === id, 'Active alarm', id);
		const current = alarm.lastActivation.status;
		if (current === 'Resolved' || (status === 'Acknowledged' && current === 'Acknowledged')) {
			throw new VspcError(400, `The alarm is already ${current.toLowerCase()}.`, { code: 1000 });
		}
		store.activate(alarm, { instanceUid: store.uuid(), time: vspcTime(store.clock.now()), status, message: alarm.lastActivation.message, remark: comment });
		d.effects.writes++;
		return done();
	};
	add('POST', '/alarms/active/{activeAlarmUid}/acknowledge', alarmAction('Acknowledged'));
	add('POST', '/alarms/active/{activeAlarmUid}/resolve', alarmAction('Resolved'));

	// licensing/get_organizations_license_usage.py: organizationUid, organizationType, providerUid, serverUid, serverType.
	const usageParams = ['organizationUid', 'organizationType', 'providerUid', 'serverUid', 'serverType'] as const;
	list(
		'/licensing/usage/organizations',
		(p) => scoped(d, p, store.licenseUsage, (u) => u.organizationUid),
		store.licenseUsage[0],
		usageParams,
		(req, rows) => {
			const q = req.query;
			for (const name of ['organizationUid', 'providerUid', 'serverUid']) if (q[name] !== undefined && !UUID.test(q[name])) throw badParameter(name, `The value '${q[name]}' is not valid for ${name}.`);
			if (q.organizationType !== undefined && !['Company', 'Provider', 'Reseller', 'Unknown'].includes(q.organizationType)) throw badParameter('organizationType', `The value '${q.organizationType}' is not valid for organizationType.`);
			if (q.serverType !== undefined && !['BackupAndReplication', 'CloudConnect', 'VB365', 'VONE', 'VSPC', 'Unknown'].includes(q.serverType)) throw badParameter('serverType', `The value '${q.serverType}' is not valid for serverType.`);
			return rows
				.filter((u) => q.organizationUid === undefined || u.organizationUid.toLowerCase() === q.organizationUid.toLowerCase())
				.filter((u) => q.organizationType === undefined || u.organizationType === q.organizationType)
				.filter((u) => q.providerUid === undefined || (u.providerUid ?? '').toLowerCase() === q.providerUid.toLowerCase())
				.map((u) => ({
					...u,
					servers: u.servers.filter((s) => (q.serverUid === undefined || s.serverUid.toLowerCase() === q.serverUid.toLowerCase()) && (q.serverType === undefined || s.serverType === q.serverType)),
				}));
		},
	);

	return routes;
}
