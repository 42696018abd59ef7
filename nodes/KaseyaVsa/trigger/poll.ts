import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { operationError } from '../../shared/errors';
import { andFilters } from '../../shared/odata';
import { baselineSnapshot, diffSnapshot, eventItem, MAX_SNAPSHOT_ENTRIES, newState, type PollState } from '../../shared/polling';
import type { CursorEvents, PollEnv, PollPass, TriggerDefinition } from '../../shared/pollRunner';
import { pollCursorEvents, runPoll, sampleCursorEvent } from '../../shared/pollRunner';
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
 * poll() of the Kaseya VSA trigger on the shared poll runner (nodes/shared/pollRunner.ts): what to read
 * for each event and how records become events. The runner writes the new state only after every
 * request of the pass succeeded; a failing server leaves the previous state.
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

type Env = PollEnv<Params>;

const VSA_TRIGGER: TriggerDefinition<Params> = {
	readParams,
	configKey,
	keptPosition: 'The trigger kept its position: the next poll reads again from the same point, so no event is lost.',
	sample: async (env) => (isTransitionEvent(env.params.event) ? await sampleTransition(env, env.params.event) : await sampleCursorEvent(cursorEvents(env, env.params.event as CursorEventName))),
	poll: async (env, config, previous) =>
		isTransitionEvent(env.params.event)
			? await pollTransition(env, env.params.event, config, previous)
			: await pollCursorEvents(env, cursorEvents(env, env.params.event as CursorEventName), config, previous),
};

export async function pollVsaTrigger(ctx: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	return await runPoll(ctx, VSA_TRIGGER);
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

/** The event's lists read with its cursor field and `$filter`, in VSA's OData. */
function cursorEvents(env: Env, event: CursorEventName): CursorEvents<Stream, IDataObject> {
	const def = CURSOR_EVENT_DEFS[event];
	return {
		spec: def.spec,
		pageSize: VSA_PAGE_SIZE,
		streams: () => streamsFor(env, event),
		readNewest: (stream, limit) => vsaList(env.ctx, stream.path, { filter: stream.filter, orderby: orderBy(def, 'desc'), limit, key: def.idField }, env.call),
		readFrom: (stream, cursor, limit) => {
			const filter = andFilters([stream.filter, cursor !== undefined ? def.cursorFilter(cursor) : undefined]);
			return vsaList(env.ctx, stream.path, { filter, orderby: orderBy(def, 'asc'), limit, key: def.idField }, env.call);
		},
		isEvent: def.isEvent,
		typicalSample: def.typicalSample,
		toItem: (row) => eventItem(event, def.objectName, row),
	};
}

// ------------------------------------------------------------------ agent transitions

async function pollTransition(env: Env, event: TransitionEventName, config: string, previous: PollState | undefined): Promise<PollPass> {
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
