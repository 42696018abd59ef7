import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { CallOptions } from '../../shared/descriptions';
import { DEFAULT_CONCURRENCY, DEFAULT_MAX_RECORDS } from '../../shared/descriptions';
import { operationError } from '../../shared/errors';
import { DEFAULT_TIMEOUT_MS } from '../../shared/http';
import { andFilters } from '../../shared/odata';
import {
	baselineSnapshot,
	baselineState,
	compareCursor,
	diffSnapshot,
	eventItem,
	mergeStreams,
	MAX_SNAPSHOT_ENTRIES,
	newState,
	nextState,
	pagesForBudget,
	type PollState,
	readState,
	type StreamRead,
	writeState,
} from '../../shared/polling';
import { VSA_PAGE_SIZE, vsaList } from '../transport';
import {
	buildBaseFilter,
	CURSOR_EVENT_DEFS,
	type CursorEventDef,
	type CursorEventName,
	isTransitionEvent,
	onlineClass,
	type TransitionEventName,
	TRANSITIONS,
	type VsaTriggerEvent,
	type VsaTriggerFilters,
} from './events';

/**
 * poll() of the Kaseya VSA trigger: thin IO around nodes/shared/polling.ts. The new state is
 * computed from the old one and what this poll read, and written to the workflow's static data
 * only after every request of the pass succeeded; a failing server leaves the previous state.
 */
interface Params {
	event: VsaTriggerEvent;
	filters: VsaTriggerFilters;
	/** Chosen Service Desk ids; empty = every desk. */
	deskIds: string[];
	minDurationMs: number;
	includeExisting: boolean;
}

const ID = /^\d{1,30}$/;

function readParams(ctx: IPollFunctions): Params {
	const event = ctx.getNodeParameter('event', 'alarmCreated') as VsaTriggerEvent;
	if (!(event in CURSOR_EVENT_DEFS) && !isTransitionEvent(event)) {
		throw operationError(ctx.getNode(), `Unknown event "${String(event)}"`, 'Choose an event in the trigger.');
	}
	const id = (name: string, label: string): string | undefined => {
		const raw = ctx.getNodeParameter(name, '', { extractValue: true }) as unknown;
		const value = String(raw ?? '').trim();
		if (value === '') return undefined;
		if (!ID.test(value)) throw operationError(ctx.getNode(), `${label} "${value}" is not a VSA ID`, `A VSA ${label} ID is made of digits only. Pick it from the list or paste the number.`);
		return value;
	};
	const filters: VsaTriggerFilters = {};
	let deskIds: string[] = [];
	let minDurationMs = 0;
	if (event === 'ticketCreated' || event === 'ticketUpdated') {
		deskIds = ((ctx.getNodeParameter('serviceDeskIds', []) as unknown[]) ?? []).map((d) => String(d).trim()).filter((d) => d !== '');
		for (const d of deskIds) {
			if (!ID.test(d)) throw operationError(ctx.getNode(), `Service Desk "${d}" is not a VSA ID`, 'Pick the Service Desks from the list.');
		}
		deskIds = [...new Set(deskIds)].sort();
	} else {
		filters.orgId = id('organization', 'Organization');
		filters.machineGroupId = id('machineGroup', 'Machine Group');
		if (event === 'alarmCreated') {
			const alarmType = String(ctx.getNodeParameter('alarmType', '') ?? '').trim();
			if (alarmType) filters.alarmType = alarmType;
		}
		if (isTransitionEvent(event)) {
			const minutes = Number(ctx.getNodeParameter('minDuration', 0));
			minDurationMs = Number.isFinite(minutes) && minutes > 0 ? Math.round(minutes * 60_000) : 0;
		}
	}
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	return { event, filters, deskIds, minDurationMs, includeExisting: options.includeExisting === true };
}

/** What the stored state was built for: another event or other filters start a new baseline. */
export function configKey(p: Params): string {
	return JSON.stringify([p.event, p.filters.orgId ?? '', p.filters.machineGroupId ?? '', p.filters.alarmType ?? '', p.deskIds]);
}

function callOptions(budgetMs: number | undefined): CallOptions {
	const timeoutMs = budgetMs && budgetMs > 0 ? Math.min(DEFAULT_TIMEOUT_MS, Math.max(5_000, Math.floor(budgetMs / 3))) : DEFAULT_TIMEOUT_MS;
	return { concurrency: DEFAULT_CONCURRENCY, timeoutMs, maxRecords: DEFAULT_MAX_RECORDS };
}

interface Env {
	ctx: IPollFunctions;
	params: Params;
	call: CallOptions;
	budgetMs?: number;
	startedMs: number;
}

export async function pollVsaTrigger(ctx: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const params = readParams(ctx);
	const budgetMs = ctx.getPollBudgetMs?.();
	const env: Env = { ctx, params, call: callOptions(budgetMs), budgetMs, startedMs: Date.now() };
	try {
		if (ctx.getMode() === 'manual') {
			// "Fetch test event": a real recent item; static data is neither read nor written.
			const sample = isTransitionEvent(params.event) ? await sampleTransition(env, params.event) : await sampleCursor(env, params.event as CursorEventName);
			return sample ? [[sample]] : null;
		}
		const stored = ctx.getWorkflowStaticData('node');
		const config = configKey(params);
		const previous = readState(stored, config);
		const result = isTransitionEvent(params.event)
			? await pollTransition(env, params.event, config, previous)
			: await pollCursor(env, params.event as CursorEventName, config, previous);
		writeState(stored, result.state);
		return result.items.length > 0 ? [result.items] : null;
	} catch (error) {
		throw keepsPosition(ctx, error);
	}
}

/** Says in the error that nothing was lost: the state was not moved, the next poll reads again. */
function keepsPosition(ctx: IPollFunctions, error: unknown): Error {
	const note = 'The trigger kept its position: the next poll reads again from the same point, so no event is lost.';
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (!String(error.description ?? '').includes(note)) error.description = error.description ? `${error.description} ${note}` : note;
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { description: note });
}

// ------------------------------------------------------------------ cursor events

interface Stream {
	path: string;
	filter?: string;
}

async function streamsFor(env: Env, event: VsaTriggerEvent): Promise<Stream[]> {
	const base = andFilters(buildBaseFilter(event, env.params.filters));
	switch (event) {
		case 'alarmCreated':
			return [{ path: '/assetmgmt/alarms/true', filter: base }];
		case 'ticketCreated':
		case 'ticketUpdated': {
			// Tickets exist only per desk: a bare /automation/servicedesktickets answers 403 (KAT VSAModule/public/Get-VSASDTicket.ps1).
			let desks = env.params.deskIds;
			if (desks.length === 0) {
				const all = await vsaList(env.ctx, '/automation/servicedesks', { orderby: 'ServiceDeskId', key: 'ServiceDeskId' }, env.call);
				desks = all.map((d) => String(d.ServiceDeskId));
			}
			return desks.map((id) => ({ path: `/automation/servicedesks/${encodeURIComponent(id)}/tickets` }));
		}
		default:
			return [{ path: '/assetmgmt/agents', filter: base }];
	}
}

/** By the cursor, then by id so equal cursor values come in a stable order across pages. */
function orderBy(def: CursorEventDef, direction: 'asc' | 'desc'): string {
	const suffix = direction === 'desc' ? ' desc' : '';
	return def.idField === def.cursorField ? `${def.cursorField}${suffix}` : `${def.cursorField}${suffix},${def.idField}${suffix}`;
}

async function readNewest(env: Env, def: CursorEventDef, stream: Stream, limit: number): Promise<IDataObject[]> {
	return await vsaList(env.ctx, stream.path, { filter: stream.filter, orderby: orderBy(def, 'desc'), limit, key: def.idField }, env.call);
}

async function pollCursor(env: Env, event: CursorEventName, config: string, previous: PollState | undefined): Promise<{ items: INodeExecutionData[]; state: PollState }> {
	const def = CURSOR_EVENT_DEFS[event];
	const streams = await streamsFor(env, event);
	if (!previous && !env.params.includeExisting) {
		// Baseline: start after the newest existing record, emit nothing.
		const newest = (await Promise.all(streams.map((s) => readNewest(env, def, s, VSA_PAGE_SIZE)))).flat();
		return { items: [], state: baselineState(config, newest, def.spec) };
	}
	const state: PollState = previous ?? { ...newState(config), baselined: true };
	const limit = pagesForBudget(env.budgetMs) * VSA_PAGE_SIZE;
	const deadline = env.startedMs + (env.budgetMs ?? 300_000) / 2;
	const reads: Array<StreamRead<IDataObject>> = [];
	for (const stream of streams) {
		if (reads.length > 0 && Date.now() > deadline) {
			// Out of budget: the lists not read yet hold everything after the cursor back until the next poll.
			reads.push({ items: [], truncated: true });
			continue;
		}
		const filter = andFilters([stream.filter, state.cursor !== undefined ? def.cursorFilter(state.cursor) : undefined]);
		const items = await vsaList(env.ctx, stream.path, { filter, orderby: orderBy(def, 'asc'), limit, key: def.idField }, env.call);
		reads.push({ items, truncated: items.length >= limit });
	}
	const { items: fresh } = mergeStreams(reads, state, def.spec);
	const events = fresh.filter((row) => def.spec.cursor(row) !== undefined && (def.isEvent?.(row) ?? true));
	return {
		items: events.map((row) => eventItem(event, def.objectName, row)),
		state: nextState(state, fresh, def.spec),
	};
}

async function sampleCursor(env: Env, event: CursorEventName): Promise<INodeExecutionData | undefined> {
	const def = CURSOR_EVENT_DEFS[event];
	const streams = await streamsFor(env, event);
	let best: IDataObject | undefined;
	for (const stream of streams) {
		const rows = (await readNewest(env, def, stream, 10)).filter((r) => def.spec.cursor(r) !== undefined);
		const events = rows.filter((r) => def.isEvent?.(r) ?? true);
		const row = events.find((r) => def.typicalSample?.(r) ?? true) ?? events[0] ?? rows[0];
		if (row && (!best || compareCursor(def.spec.cursor(row)!, def.spec.cursor(best)!) > 0)) best = row;
	}
	return best ? eventItem(event, def.objectName, best) : undefined;
}

// ------------------------------------------------------------------ agent transitions

async function pollTransition(env: Env, event: TransitionEventName, config: string, previous: PollState | undefined): Promise<{ items: INodeExecutionData[]; state: PollState }> {
	const rule = TRANSITIONS[event];
	const filter = andFilters(buildBaseFilter(event, env.params.filters));
	// A transition needs every agent's current state: one full list (paged, 100 per page).
	const agents = await vsaList(env.ctx, '/assetmgmt/agents', { filter, orderby: 'AgentId', key: 'AgentId' }, env.call);
	if (agents.length > MAX_SNAPSHOT_ENTRIES) {
		throw operationError(
			env.ctx.getNode(),
			`Too many agents to watch: ${agents.length} (at most ${MAX_SNAPSHOT_ENTRIES})`,
			'The trigger remembers the state of every agent it watches. Choose an Organization or Machine Group to watch fewer agents, or use several triggers.',
		);
	}
	const byId = new Map(agents.map((a) => [String(a.AgentId), a]));
	const observed = agents.map((a) => ({ id: String(a.AgentId), state: Number(a.Online) }));
	const now = Date.now();
	if (!previous) {
		const state: PollState = { ...newState(config), baselined: true, snapshot: baselineSnapshot(observed) };
		const existing = env.params.includeExisting ? agents.filter((a) => onlineClass(Number(a.Online)) === rule.to) : [];
		return { items: existing.map((a) => eventItem(event, 'agent', a, { previousOnline: null, online: a.Online ?? null, changedAt: null })), state };
	}
	const diff = diffSnapshot(previous.snapshot ?? {}, observed, now, { classify: onlineClass, minDurationMs: env.params.minDurationMs });
	const items = diff.transitions
		.filter((t) => onlineClass(t.from) === rule.from && onlineClass(t.to) === rule.to)
		.map((t) => eventItem(event, 'agent', byId.get(t.id)!, { previousOnline: Number(t.from), online: Number(t.to), changedAt: new Date(t.sinceMs).toISOString() }));
	return { items, state: { ...previous, snapshot: diff.snapshot } };
}

async function sampleTransition(env: Env, event: TransitionEventName): Promise<INodeExecutionData | undefined> {
	const filter = andFilters([...buildBaseFilter(event, env.params.filters), TRANSITIONS[event].sampleFilter]);
	const [agent] = await vsaList(env.ctx, '/assetmgmt/agents', { filter, orderby: 'LastCheckInTime desc,AgentId', limit: 1, key: 'AgentId' }, env.call);
	return agent ? eventItem(event, 'agent', agent, { previousOnline: null, online: agent.Online ?? null, changedAt: null }) : undefined;
}
