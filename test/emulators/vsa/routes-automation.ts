/** Agent procedures (KAT *-VSAAP*.ps1), alarms (KAT Get-/Close-VSAAlarm.ps1) and Service Desk tickets (KAT *-VSASD*.ps1). */
import { list, requireAgent, type Ctx, type VsaRoute } from './context';
import { procHistory, scheduledProcs } from './details';
import {
	arrayField,
	badRequest,
	boolField,
	errorEnvelope,
	idParam,
	intField,
	keyValueBody,
	noContent,
	notFound,
	ok,
	readBody,
	requireObject,
	strField,
	VsaHttpError,
} from './http';
import { clone, JsonNumber } from './json';
import { parseDateTime } from './odata';
import { fmtTime, type VsaAgent, type VsaProcedure, type VsaTicket } from './store';

// ---------------------------------------------------------------- agent procedures

/** Run-now 404 rules (https://help.vsa9.kaseya.com/help/Content/Modules/rest-api/31668.htm): unknown procedure, a system script other than audits 135/136/137, no execute permission. */
function runnableProcedure(ctx: Ctx): { agent: VsaAgent; proc: VsaProcedure } {
	const agent = requireAgent(ctx);
	const id = Number(idParam(ctx.p.procId, 'agentProcId'));
	const proc = ctx.vsa.store.procedures.find((p) => p.AgentProcedureId === id);
	const meta = ctx.vsa.store.procMeta.get(id);
	if (!proc || !meta || (meta.system && ![135, 136, 137].includes(id)) || !meta.executable)
		throw notFound(`Agent procedure ${id} does not exist or you do not have permission to run it.`);
	return { agent, proc };
}

function recordRun(ctx: Ctx, agent: VsaAgent, proc: VsaProcedure): void {
	const store = ctx.vsa.store;
	store.count(`runnow:${agent.AgentId}:${proc.AgentProcedureId}`);
	store.count('runnow');
	procHistory(store, agent).push({
		AgentId: agent.AgentId,
		AgentProcedureId: proc.AgentProcedureId,
		ScriptName: proc.AgentProcedureName,
		LastExecutionTime: fmtTime(ctx.vsa.clock.now()),
		Status: 'Success THEN',
		Admin: ctx.session.username,
	});
}

const REPEAT = ['Never', 'Minutes', 'Hours', 'Days', 'Weeks', 'Months', 'Years'];
const INTERVAL = ['Minutes', 'Hours', 'Days'];

function enumValue(obj: Record<string, unknown>, name: string, path: string, allowed: string[]): string | undefined {
	const v = strField(obj, name);
	if (v === undefined || v === null) return undefined;
	const hit = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
	if (!hit) throw badRequest(`Error converting value "${v}" to type '${name}'. Path '${path}'.`);
	return hit;
}

function hhmm(obj: Record<string, unknown>, name: string, path: string): void {
	const v = strField(obj, name);
	if (v && !/^T([01]\d|2[0-3])[0-5]\d$/.test(v)) throw badRequest(`'${v}' is not a valid time for ${path}; expected "THHmm" (e.g. "T0930").`);
}

function isoField(obj: Record<string, unknown>, name: string, path: string): number | undefined {
	const v = strField(obj, name);
	if (!v) return undefined;
	const ms = parseDateTime(v);
	if (ms === undefined) throw badRequest(`Could not convert string to DateTime: ${v}. Path '${path}'.`);
	return ms;
}

function sub(body: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
	return body[name] === undefined || body[name] === null ? undefined : requireObject(body[name], name);
}

/** Schedule body of https://help.kaseya.com/webhelp/EN/RESTAPI/9050000/31766.htm: typed fields validated, unknown fields ignored as Json.NET does. */
function validateSchedule(ctx: Ctx, body: Record<string, unknown>): { next: number; repeat: string; skip: boolean; powerUp: boolean } {
	boolField(body, 'ServerTimeZone');
	const skip = boolField(body, 'SkipIfOffLine') ?? false;
	const powerUp = boolField(body, 'PowerUpIfOffLine') ?? false;
	for (const p of arrayField(body, 'ScriptPrompts', 'Kaseya.ScriptPrompt') ?? []) {
		const o = requireObject(p, 'ScriptPrompt');
		strField(o, 'Caption');
		strField(o, 'Name', { required: true });
		strField(o, 'Value');
	}
	let repeat = 'Never';
	const rec = sub(body, 'Recurrence');
	if (rec) {
		repeat = enumValue(rec, 'Repeat', 'Recurrence.Repeat', REPEAT) ?? 'Never';
		for (const f of ['Times', 'SpecificDayOfMonth', 'EndAfterIntervalTimes']) intField(rec, f);
		for (const f of ['DaysOfWeek', 'DayOfMonth', 'MonthOfYear']) strField(rec, f);
		hhmm(rec, 'EndAt', 'Recurrence.EndAt');
		isoField(rec, 'EndOn', 'Recurrence.EndOn');
	}
	// Both live-tested clients always send Distribution (KAT New-VSAAPScheduled.ps1, PSK AgentProcedures.ps1),
	// KAT also SchedInAgentTime; a body without Distribution is unproven, so it is refused.
	const dist = sub(body, 'Distribution');
	if (!dist) throw badRequest('Distribution is required.');
	enumValue(dist, 'Interval', 'Distribution.Interval', INTERVAL);
	if (dist.Magnitude === undefined || dist.Magnitude === null) throw badRequest('Distribution.Magnitude is required.');
	intField(dist, 'Magnitude');
	boolField(body, 'SchedInAgentTime');
	const start = sub(body, 'Start');
	let next = ctx.vsa.clock.now() + 3600000;
	if (start) {
		next = isoField(start, 'StartOn', 'Start.StartOn') ?? next;
		hhmm(start, 'StartAt', 'Start.StartAt');
	}
	const excl = sub(body, 'Exclusion');
	if (excl) {
		hhmm(excl, 'From', 'Exclusion.From');
		hhmm(excl, 'To', 'Exclusion.To');
	}
	return { next, repeat, skip, powerUp };
}

// ---------------------------------------------------------------- alarms

/**
 * `false` = only alarms new since this session's previous alarm-list request (KAT VSAModule/public/Get-VSAAlarm.ps1, stateful per
 * session token). A session's first request has seen nothing, so it gets every alarm; the mark moves
 * to the newest alarm existing at request time, whatever the filter or page — the delta is one-shot,
 * so a client that pages through `false` loses rows (page the `true` list with a filter instead).
 */
function alarmList(ctx: Ctx, all: boolean) {
	const store = ctx.vsa.store;
	const mark = ctx.session.alarmMark;
	const rows = all || mark === null ? store.alarms : store.alarms.filter((a) => a.AlarmId > mark);
	const res = list(ctx, 'Alarm', rows);
	const newest = store.alarms.reduce((m, a) => Math.max(m, a.AlarmId), mark ?? 0);
	ctx.session.alarmMark = newest;
	return res;
}

// ---------------------------------------------------------------- service desk

function requireDesk(ctx: Ctx) {
	const id = idParam(ctx.p.deskId, 'serviceDeskId');
	const desk = ctx.vsa.store.desk(id);
	if (!desk) throw notFound(`Service desk ${id} does not exist.`);
	return { desk, lookups: ctx.vsa.store.deskLookups.get(desk.ServiceDeskId.toString())! };
}

function requireTicket(ctx: Ctx): VsaTicket {
	const id = idParam(ctx.p.ticketId, 'ticketId');
	const t = ctx.vsa.store.ticket(id);
	if (!t) throw notFound(`Ticket ${id} does not exist.`);
	return t;
}

function ticketLookups(ctx: Ctx, t: VsaTicket) {
	return ctx.vsa.store.deskLookups.get(t.ServiceDeskId.toString())!;
}

function touch(ctx: Ctx, t: VsaTicket, what: string): void {
	t.ModifiedDate = fmtTime(ctx.vsa.clock.now());
	ctx.vsa.store.count(`ticket:${what}:${t.ServiceDeskTicketId}`);
}

/**
 * HTTP 500 text of the create endpoint for a Priority/Status/Category that is not a number: it
 * int-parses them (Evidence: comment in KAT VSAModule/public/New-VSASDTicket.ps1). The envelope around
 * the text is the emulator's usual error envelope (the real one is unseen).
 */
export const NOT_A_NUMBER = 'Input string was not in a correct format.';

/** A lookup id sent in the create body: digits (string or JSON number), else the server's 500. */
function numericBodyId(body: Record<string, unknown>, name: string): bigint | undefined {
	const v = body[name];
	if (v === undefined || v === null || v === '') return undefined;
	const text = v instanceof JsonNumber ? v.raw : typeof v === 'string' ? v.trim() : undefined;
	if (text === undefined || !/^-?\d+$/.test(text)) throw new VsaHttpError(500, NOT_A_NUMBER);
	return BigInt(text);
}

/**
 * Body fields of a new ticket that a public client sends (Evidence: KAT New-VSASDTicket.ps1 builds the
 * body from exactly these). Anything else is rejected: the real server's handling of other names is
 * unseen, so the emulator does not pretend to accept them.
 */
const CREATE_FIELDS = new Set(['Summary', 'Description', 'Category', 'Status', 'Priority', 'Severity', 'Assignee', 'Creator', 'SubmitterName', 'SubmitterEmail', 'Attributes']);

function createTicket(ctx: Ctx): VsaTicket {
	const store = ctx.vsa.store;
	const { desk, lookups } = requireDesk(ctx);
	const body = requireObject(readBody(ctx.req), 'ServiceDeskTicketModel');
	const unknown = Object.keys(body).filter((k) => !CREATE_FIELDS.has(k));
	if (unknown.length > 0) throw badRequest(`The request is invalid. Unknown field(s) in ServiceDeskTicketModel: ${unknown.join(', ')}.`);
	const summary = strField(body, 'Summary', { required: true })!;
	const priorityId = numericBodyId(body, 'Priority');
	const statusId = numericBodyId(body, 'Status');
	const categoryId = numericBodyId(body, 'Category');
	// Severity has no lookup a client reads; how the server parses it is unseen, so only a number passes.
	numericBodyId(body, 'Severity');
	// KAT makes Priority mandatory because the server rejects a ticket without it (KAT
	// VSAModule/Tests/VSAModule.WriteFunctions.Tests.ps1); the server's text for it is unseen.
	if (priorityId === undefined) throw badRequest('Priority is required.');
	const find = <T>(rows: T[], idOf: (x: T) => bigint, id: bigint | undefined, what: string): T | undefined => {
		if (id === undefined) return undefined;
		const hit = rows.find((x) => idOf(x) === id);
		if (!hit) throw notFound(`${what} ${id} does not exist in this service desk.`);
		return hit;
	};
	const priority = find(lookups.priorities, (p) => p.PriorityId, priorityId, 'Priority')!;
	const status = find(lookups.status, (s) => s.StatusId, statusId, 'Status') ?? lookups.status[0];
	const category = find(lookups.categories, (c) => c.CategoryId, categoryId, 'Category');
	const now = fmtTime(ctx.vsa.clock.now());
	const count = store.tickets.filter((t) => t.ServiceDeskId === desk.ServiceDeskId).length;
	const ticket: VsaTicket = {
		ServiceDeskId: desk.ServiceDeskId,
		ServiceDeskTicketId: store.newId(15),
		TicketRef: `${desk.ServiceDeskName.slice(0, 3).toUpperCase()}${String(count + 1000).padStart(6, '0')}`,
		Summary: summary,
		TicketStatus: status.StatusName,
		Stage: null,
		Priority: priority.PriorityName,
		Severity: null,
		Category: category?.CategoryName ?? null,
		Resolution: null,
		Submitter: strField(body, 'SubmitterName') ?? ctx.session.username,
		SubmitterEmail: strField(body, 'SubmitterEmail') ?? null,
		Assignee: strField(body, 'Assignee') ?? null,
		Owner: null,
		Organization: null,
		Staff: null,
		Phone: null,
		AgentGuid: null,
		InventoryAssetId: null,
		CreatedDate: now,
		ModifiedDate: now,
		LastPublicUpdate: now,
		Closed: null,
		Due: null,
		Promised: null,
		Escalation: null,
		StageGoal: null,
		ResolutionDate: null,
		LockedBy: null,
		LockedOn: null,
		SourceType: 'API',
		Policy: null,
	};
	store.tickets.push(ticket);
	store.ticketExtras.set(ticket.ServiceDeskTicketId.toString(), {
		Description: strField(body, 'Description') ?? '',
		customFields: new Map([...lookups.customFieldRules].map(([id, rule]) => [id, rule.defaultValue])),
	});
	store.count('ticket:create');
	return ticket;
}

const deskLookupRoute = (kind: 'status' | 'priorities' | 'categories' | 'customfields'): VsaRoute => ({
	method: 'GET',
	path: `/automation/servicedesks/{deskId}/${kind}`,
	handler: (ctx) => list(ctx, `ServiceDesk.${kind}`, requireDesk(ctx).lookups[kind]),
});

function setTicketLookup(kind: 'status' | 'priority') {
	return (ctx: Ctx) => {
		const t = requireTicket(ctx);
		const lk = ticketLookups(ctx, t);
		const id = BigInt(idParam(ctx.p.valueId, `${kind}Id`));
		if (kind === 'status') {
			const entry = lk.status.find((l) => l.StatusId === id);
			if (!entry) throw notFound(`Status ${id} does not exist in this service desk.`);
			t.TicketStatus = entry.StatusName;
		} else {
			const entry = lk.priorities.find((l) => l.PriorityId === id);
			if (!entry) throw notFound(`Priority ${id} does not exist in this service desk.`);
			t.Priority = entry.PriorityName;
		}
		touch(ctx, t, kind);
		return ok(true);
	};
}

/**
 * PUT of a ticket custom field. The body is the value as a bare JSON string, e.g. `"Gold"` (Evidence:
 * KAT Update-VSASDTicketCustomField.ps1, AE Update-KaseyaServiceDeskTicketCustomField.ps1, TT VSA.py).
 * Any other shape (an object, a key/value array, a number) is rejected; the real server's text for
 * that is unseen.
 */
function setTicketCustomField(ctx: Ctx) {
	const store = ctx.vsa.store;
	const t = requireTicket(ctx);
	const id = canonId(idParam(ctx.p.fieldId, 'fieldId'));
	const values = store.ticketExtras.get(t.ServiceDeskTicketId.toString())?.customFields;
	const rule = ticketLookups(ctx, t).customFieldRules.get(id);
	if (!values || !rule || !values.has(id)) throw notFound(`Custom field ${id} does not exist in this service desk.`);
	const value = readBody(ctx.req);
	if (typeof value !== 'string') throw badRequest('The request is invalid. The body must be the new value as a JSON string, e.g. "Gold".');
	if (rule.format === 'Integer' && !/^-?\d+$/.test(value)) throw badRequest(`'${value}' is not a valid Integer.`);
	if (rule.format === 'List' && !rule.values!.includes(value)) throw badRequest(`'${value}' is not one of the values of this field: ${rule.values!.join(', ')}.`);
	values.set(id, value);
	touch(ctx, t, `customfield:${id}`);
	return ok(true);
}

const canonId = (id: string) => BigInt(id).toString();

export const automationRoutes: VsaRoute[] = [
	// -------------------------------------------------------------- agent procedures
	{
		method: 'GET',
		path: '/automation/agentprocs',
		handler: (ctx) =>
			list(ctx, 'AgentProcedure', ctx.vsa.store.procedures.filter((p) => ctx.vsa.store.procMeta.get(p.AgentProcedureId)?.listed)),
	},
	{
		method: 'PUT',
		path: '/automation/agentprocs/{agentId}/{procId}/runnow',
		handler: (ctx) => {
			const { agent, proc } = runnableProcedure(ctx);
			recordRun(ctx, agent, proc);
			return noContent();
		},
	},
	{
		method: 'PUT',
		path: '/automation/agentprocs/{agentId}/{procId}/runnowgetid',
		handler: (ctx) => {
			// KAT Start-VSAAPReturnId.ps1 sends a JSON object ({} or ScriptPrompts/CallbackUrl); no source shows it without a body.
			requireObject(readBody(ctx.req), 'RunNowModel');
			const { agent, proc } = runnableProcedure(ctx);
			recordRun(ctx, agent, proc);
			return ok(ctx.vsa.store.nextRunId++);
		},
	},
	{
		method: 'PUT',
		path: '/automation/agentprocs/{agentId}/{procId}/schedule',
		handler: (ctx) => {
			const { agent, proc } = runnableProcedure(ctx);
			const scheduleBody = requireObject(readBody(ctx.req), 'ScheduleModel');
			const sched = validateSchedule(ctx, scheduleBody);
			ctx.vsa.store.detail.set(`schedulebody|${agent.AgentId}|${proc.AgentProcedureId}`, scheduleBody);
			const list = scheduledProcs(ctx.vsa.store, agent).filter((s) => s.AgentProcedureId !== proc.AgentProcedureId);
			list.push({
				AgentId: agent.AgentId,
				AgentProcedureId: proc.AgentProcedureId,
				AgentProcedureName: proc.AgentProcedureName,
				NextRunTime: fmtTime(sched.next),
				Recurrence: sched.repeat,
				ScheduledBy: ctx.session.username,
				SkipIfOffLine: sched.skip,
				PowerUpIfOffLine: sched.powerUp,
				Attributes: null,
			});
			ctx.vsa.store.detail.set(`scheduledprocs|${agent.AgentId}`, list);
			ctx.vsa.store.count(`schedule:${agent.AgentId}:${proc.AgentProcedureId}`);
			return noContent();
		},
	},
	{
		method: 'DELETE',
		path: '/automation/agentprocs/{agentId}/{procId}',
		handler: (ctx) => {
			const agent = requireAgent(ctx);
			const id = Number(idParam(ctx.p.procId, 'agentProcId'));
			if (!ctx.vsa.store.procedures.some((p) => p.AgentProcedureId === id)) throw notFound(`Agent procedure ${id} does not exist.`);
			// Idempotent: cancelling a procedure that is not scheduled is still a 204 (unverified).
			const rest = scheduledProcs(ctx.vsa.store, agent).filter((s) => s.AgentProcedureId !== id);
			ctx.vsa.store.detail.set(`scheduledprocs|${agent.AgentId}`, rest);
			ctx.vsa.store.count(`unschedule:${agent.AgentId}:${id}`);
			return noContent();
		},
	},
	{ method: 'GET', path: '/automation/agentprocs/{agentId}/history', handler: (ctx) => list(ctx, 'ProcedureHistory', procHistory(ctx.vsa.store, requireAgent(ctx))) },
	{
		method: 'GET',
		path: '/automation/agentprocs/{agentId}/scheduledprocs',
		handler: (ctx) => list(ctx, 'ScheduledProcedure', scheduledProcs(ctx.vsa.store, requireAgent(ctx))),
	},

	// -------------------------------------------------------------- alarms
	{ method: 'GET', path: '/assetmgmt/alarms/true', handler: (ctx) => alarmList(ctx, true) },
	{ method: 'GET', path: '/assetmgmt/alarms/false', handler: (ctx) => alarmList(ctx, false) },
	{
		method: 'GET',
		path: '/assetmgmt/alarms/{alarmId}',
		handler: (ctx) => {
			const id = idParam(ctx.p.alarmId, 'alarmId');
			const alarm = ctx.vsa.store.alarm(id);
			if (!alarm) throw notFound(`Alarm ${id} does not exist.`);
			return ok(clone(alarm));
		},
	},
	{
		method: 'PUT',
		path: '/assetmgmt/alarms/{alarmId}/close',
		handler: (ctx) => {
			const id = idParam(ctx.p.alarmId, 'alarmId');
			const alarm = ctx.vsa.store.alarm(id);
			if (!alarm) throw notFound(`Alarm ${id} does not exist.`);
			const notes = keyValueBody(readBody(ctx.req), true).get('notes');
			alarm.MonitorAlarmStateId = 2;
			alarm.State = 'Closed';
			if (notes !== undefined && notes !== null) alarm.Notes = String(notes);
			ctx.vsa.store.count(`alarm:close:${alarm.AlarmId}`);
			return ok(true);
		},
	},

	// -------------------------------------------------------------- service desk
	{ method: 'GET', path: '/automation/servicedesks', handler: (ctx) => list(ctx, 'ServiceDesk', ctx.vsa.store.serviceDesks) },
	{
		method: 'GET',
		path: '/automation/servicedesks/{deskId}/tickets',
		handler: (ctx) => {
			const { desk } = requireDesk(ctx);
			return list(ctx, 'ServiceDeskTicket', ctx.vsa.store.tickets.filter((t) => t.ServiceDeskId === desk.ServiceDeskId));
		},
	},
	deskLookupRoute('status'),
	deskLookupRoute('priorities'),
	deskLookupRoute('categories'),
	deskLookupRoute('customfields'),
	{
		// No "all tickets" collection: KAT VSAEndpointMaps.ps1 lists tickets per desk only.
		method: 'GET',
		path: '/automation/servicedesktickets',
		handler: () => errorEnvelope(403, 'Forbidden'),
	},
	{ method: 'GET', path: '/automation/servicedesktickets/{ticketId}', handler: (ctx) => ok(clone(requireTicket(ctx))) },
	{
		method: 'POST',
		path: '/automation/servicedesktickets/{deskId}/ticket',
		handler: (ctx) => ok(clone(createTicket(ctx))),
	},
	{
		method: 'GET',
		path: '/automation/servicedesktickets/{ticketId}/notes',
		handler: (ctx) => {
			const t = requireTicket(ctx);
			return list(ctx, 'ServiceDeskTicketNote', ctx.vsa.store.ticketNotes.filter((n) => n.ServiceDeskTicketId === t.ServiceDeskTicketId));
		},
	},
	{
		method: 'POST',
		path: '/automation/servicedesktickets/{ticketId}/notes',
		handler: (ctx) => {
			const store = ctx.vsa.store;
			const t = requireTicket(ctx);
			// Body as KAT and aaronengels send it: {"Text": …, "Hidden": bool, "SystemFlag": bool}.
			const body = requireObject(readBody(ctx.req), 'ServiceDeskNoteModel');
			const text = strField(body, 'Text', { required: true })!;
			store.ticketNotes.push({
				Id: store.newId(15),
				ServiceDeskTicketId: t.ServiceDeskTicketId,
				Author: ctx.session.username,
				Timestamp: fmtTime(ctx.vsa.clock.now()),
				Text: text,
				Hidden: boolField(body, 'Hidden') ?? false,
				SystemFlag: boolField(body, 'SystemFlag') ?? false,
			});
			touch(ctx, t, 'note');
			return ok(true);
		},
	},
	{
		method: 'GET',
		path: '/automation/servicedesktickets/{ticketId}/customfields/{fieldId}',
		handler: (ctx) => {
			const t = requireTicket(ctx);
			const id = canonId(idParam(ctx.p.fieldId, 'fieldId'));
			const field = ticketLookups(ctx, t).customfields.find((f) => f.CustomFieldId.toString() === id);
			const value = ctx.vsa.store.ticketExtras.get(t.ServiceDeskTicketId.toString())?.customFields.get(id);
			if (!field) throw notFound(`Custom field ${id} does not exist in this service desk.`);
			// The record of one ticket field value is unseen; the emulator answers id, name and value.
			return ok({ CustomFieldId: field.CustomFieldId, FieldName: field.FieldName, Value: value ?? null });
		},
	},
	{ method: 'PUT', path: '/automation/servicedesktickets/{ticketId}/customfields/{fieldId}', handler: setTicketCustomField },
	{ method: 'PUT', path: '/automation/servicedesktickets/{ticketId}/status/{valueId}', handler: setTicketLookup('status') },
	{ method: 'PUT', path: '/automation/servicedesktickets/{ticketId}/priority/{valueId}', handler: setTicketLookup('priority') },
	{
		method: 'PUT',
		path: '/automation/servicedesks/assign/{ticketId}/{staffId}',
		handler: (ctx) => {
			const t = requireTicket(ctx);
			const id = BigInt(idParam(ctx.p.staffId, 'staffId'));
			const staff = ctx.vsa.store.staff.find((s) => s.StaffId === id);
			if (!staff) throw new VsaHttpError(404, `Staff ${id} does not exist.`);
			t.Assignee = staff.StaffName;
			touch(ctx, t, 'assign');
			return ok(true);
		},
	},
];
