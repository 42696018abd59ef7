import type { IDataObject } from 'n8n-workflow';

/**
 * Poll state of a polling trigger, product-neutral and pure: what the trigger remembers between
 * polls in n8n's workflow static data (`this.getWorkflowStaticData('node')`, which n8n keys by node
 * name and persists with the workflow — never in module variables, so several n8n processes agree).
 *
 * Two kinds of events:
 *  - **Cursor streams** (new alarms, created/updated tickets, added agents): the server filters
 *    `field >= cursor`; items whose key is already in `seen` (the keys emitted at the cursor value)
 *    are dropped, so items sharing one timestamp are neither repeated nor missed.
 *  - **State transitions** (agent went offline/online, plan state changed): a compact snapshot
 *    `id → state` is compared with the current list.
 *
 * Every poll computes a new state from the old one and what it fetched, and the caller writes it
 * only after the whole pass succeeded (GmailTrigger can advance its cursor over items it never
 * fetched; this design cannot). Items are emitted oldest first, one n8n item per event, shaped
 * `{ event, <objectName>: {...the server's record...}, ...event fields }`.
 */

export const POLL_STATE_VERSION = 1;
/** Most keys remembered in `seen`. Keys at the cursor value are the newest, so they are kept first. */
export const MAX_SEEN_KEYS = 1000;
/** Most entries in a transition snapshot (agents of a tenant); beyond this the user must filter. */
export const MAX_SNAPSHOT_ENTRIES = 50_000;

/**
 * A snapshot entry, JSON only. For diffSnapshot: the state code last reported (emitted or
 * baselined) and, while a different state waits for its minimum duration, `[reported, current,
 * sinceMs]`. A trigger that tracks more than one value per object stores its own small array.
 */
export type SnapshotEntry = string | number | Array<string | number | null>;
type PendingEntry = [reported: string | number, current: string | number, sinceMs: number];

export interface PollState {
	version: typeof POLL_STATE_VERSION;
	/** What the state was built for (event + filters). Another value means: start a new baseline. */
	config: string;
	/** True once a baseline exists (the first non-manual poll sets it and emits nothing by default). */
	baselined: boolean;
	/** Highest cursor value of the last complete pass (an id or a server timestamp); absent = from the start. */
	cursor?: string;
	/** Keys already emitted, newest last, at most MAX_SEEN_KEYS; the keys at `cursor` are always the tail. */
	seen: string[];
	/** Transition events only: id → entry. */
	snapshot?: Record<string, SnapshotEntry>;
}

/** How a cursor stream reads its items. */
export interface CursorSpec<T> {
	/** Identity of one event (an alarm id; a ticket id + modification time for updates). */
	key(item: T): string;
	/** The value the server filters on with `>=` (an integer id or a timestamp). */
	cursor(item: T): string | undefined;
}

// ------------------------------------------------------------------ state in static data

export function newState(config: string): PollState {
	return { version: POLL_STATE_VERSION, config, baselined: false, seen: [] };
}

/**
 * The state stored for this configuration, or undefined when there is none (first poll, another
 * event or other filters, or data this version does not understand): then the poll sets a baseline.
 */
export function readState(stored: IDataObject | undefined, config: string): PollState | undefined {
	const raw = stored?.pollState as unknown;
	if (!raw || typeof raw !== 'object') return undefined;
	const s = raw as Partial<PollState>;
	if (s.version !== POLL_STATE_VERSION || s.config !== config || s.baselined !== true) return undefined;
	if (!Array.isArray(s.seen) || !s.seen.every((k) => typeof k === 'string')) return undefined;
	if (s.cursor !== undefined && typeof s.cursor !== 'string') return undefined;
	if (s.snapshot !== undefined && (typeof s.snapshot !== 'object' || s.snapshot === null || Array.isArray(s.snapshot))) return undefined;
	return {
		version: POLL_STATE_VERSION,
		config: s.config,
		baselined: true,
		...(s.cursor !== undefined ? { cursor: s.cursor } : {}),
		seen: [...s.seen],
		...(s.snapshot ? { snapshot: { ...s.snapshot } } : {}),
	};
}

/**
 * Replaces the trigger's static data with the new state (one key, `pollState`; JSON-safe). An
 * unchanged state is not written, so n8n does not save the workflow after every quiet poll.
 * Returns whether anything was written.
 */
export function writeState(stored: IDataObject, state: PollState): boolean {
	const json = JSON.stringify(canonical(state));
	const keys = Object.keys(stored);
	if (keys.length === 1 && keys[0] === 'pollState' && JSON.stringify(stored.pollState) === json) return false;
	for (const key of keys) delete stored[key];
	stored.pollState = JSON.parse(json) as IDataObject;
	return true;
}

/** The state with its keys in one fixed order, so equal states serialise identically. */
function canonical(state: PollState): PollState {
	return {
		version: state.version,
		config: state.config,
		baselined: state.baselined,
		...(state.cursor !== undefined ? { cursor: state.cursor } : {}),
		seen: state.seen,
		...(state.snapshot !== undefined ? { snapshot: state.snapshot } : {}),
	};
}

// ------------------------------------------------------------------ cursor values

const INTEGER = /^-?\d+$/;

/** Milliseconds of a server timestamp; a value without zone is read as UTC (only compared with the same server's values). */
export function timestampMs(value: string): number | undefined {
	const m = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d\d:?\d\d)?$/i.exec(value.trim());
	if (!m) return undefined;
	const fracMs = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
	let ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)) + fracMs;
	if (Number.isNaN(ms)) return undefined;
	const zone = m[8];
	if (zone && zone.toUpperCase() !== 'Z') {
		const sign = zone[0] === '-' ? -1 : 1;
		const digits = zone.slice(1).replace(':', '');
		ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
	}
	return ms;
}

/**
 * Orders two cursor values: integers exactly (15–26-digit ids as BigInt), timestamps by instant
 * (so `…00.5` and `…00.500` are equal), anything else as text.
 */
export function compareCursor(a: string, b: string): number {
	if (INTEGER.test(a) && INTEGER.test(b)) {
		const x = BigInt(a);
		const y = BigInt(b);
		return x < y ? -1 : x > y ? 1 : 0;
	}
	const ta = timestampMs(a);
	const tb = timestampMs(b);
	if (ta !== undefined && tb !== undefined) return ta < tb ? -1 : ta > tb ? 1 : 0;
	return a < b ? -1 : a > b ? 1 : 0;
}

/** Keys in a natural order (numeric ids by value), for a stable order among equal cursors. */
export function compareKeys(a: string, b: string): number {
	if (INTEGER.test(a) && INTEGER.test(b)) return compareCursor(a, b);
	return a < b ? -1 : a > b ? 1 : 0;
}

// ------------------------------------------------------------------ cursor streams

/** Oldest first: by cursor, then by key. Items without a cursor value go first (they cannot move the cursor). */
export function sortOldestFirst<T>(items: readonly T[], spec: CursorSpec<T>): T[] {
	return items
		.map((item, index) => ({ item, index, c: spec.cursor(item), k: spec.key(item) }))
		.sort((x, y) => {
			if (x.c === undefined || y.c === undefined) {
				if (x.c !== y.c) return x.c === undefined ? -1 : 1;
			} else {
				const c = compareCursor(x.c, y.c);
				if (c !== 0) return c;
			}
			return compareKeys(x.k, y.k) || x.index - y.index;
		})
		.map((x) => x.item);
}

/**
 * What is new since the state, oldest first: drops keys already seen, items older than the cursor
 * (a server that ignores or loosens the filter), and repeats within the batch.
 */
export function dedupe<T>(items: readonly T[], state: Pick<PollState, 'cursor' | 'seen'>, spec: CursorSpec<T>): T[] {
	const seen = new Set(state.seen);
	const out: T[] = [];
	for (const item of sortOldestFirst(items, spec)) {
		const key = spec.key(item);
		if (seen.has(key)) continue;
		const c = spec.cursor(item);
		if (state.cursor !== undefined && c !== undefined && compareCursor(c, state.cursor) < 0) continue;
		seen.add(key);
		out.push(item);
	}
	return out;
}

/**
 * The state after a complete pass that fetched `fresh` (the output of dedupe, oldest first). The
 * cursor moves to the newest value; the new keys are appended so that the keys at the cursor value
 * are the tail of `seen`, then `seen` is cut to MAX_SEEN_KEYS from the old end.
 */
export function nextState<T>(state: PollState, fresh: readonly T[], spec: CursorSpec<T>): PollState {
	let cursor = state.cursor;
	for (const item of fresh) {
		const c = spec.cursor(item);
		if (c !== undefined && (cursor === undefined || compareCursor(c, cursor) > 0)) cursor = c;
	}
	const seen = [...state.seen, ...fresh.map((item) => spec.key(item))].slice(-MAX_SEEN_KEYS);
	return { ...state, baselined: true, ...(cursor !== undefined ? { cursor } : {}), seen };
}

/**
 * Baseline from the newest items (any order): the cursor is their highest value and `seen` holds
 * the keys at that value, so the next poll's `>= cursor` does not emit them again.
 */
export function baselineState<T>(config: string, newest: readonly T[], spec: CursorSpec<T>): PollState {
	const state = newState(config);
	let cursor: string | undefined;
	for (const item of newest) {
		const c = spec.cursor(item);
		if (c !== undefined && (cursor === undefined || compareCursor(c, cursor) > 0)) cursor = c;
	}
	const atCursor = cursor === undefined ? [] : sortOldestFirst(newest, spec).filter((i) => spec.cursor(i) !== undefined && compareCursor(spec.cursor(i)!, cursor!) === 0);
	return { ...state, baselined: true, ...(cursor !== undefined ? { cursor } : {}), seen: atCursor.map((i) => spec.key(i)).slice(-MAX_SEEN_KEYS) };
}

/** One list read for a pass (e.g. one service desk), and whether the read stopped at a limit. */
export interface StreamRead<T> {
	items: T[];
	/** True when more items may follow the last one (a per-poll limit or the poll budget stopped the read). */
	truncated: boolean;
}

/**
 * Combines several lists read with the same cursor into one pass. When a list was cut short, the
 * others may hold items beyond its last value, which that list may also have: everything after the
 * lowest cut-off value waits for the next poll (it is fetched again and, if already emitted, dropped
 * by `seen`), so nothing falls behind the cursor unread.
 */
export function mergeStreams<T>(reads: ReadonlyArray<StreamRead<T>>, state: Pick<PollState, 'cursor' | 'seen'>, spec: CursorSpec<T>): { items: T[]; complete: boolean } {
	let bound: string | undefined;
	let cut = false;
	for (const read of reads) {
		if (!read.truncated) continue;
		cut = true;
		let last = state.cursor;
		for (const item of read.items) {
			const c = spec.cursor(item);
			if (c !== undefined && (last === undefined || compareCursor(c, last) > 0)) last = c;
		}
		if (last === undefined) return { items: [], complete: false };
		if (bound === undefined || compareCursor(last, bound) < 0) bound = last;
	}
	const all = dedupe(
		reads.flatMap((r) => r.items),
		state,
		spec,
	);
	if (!cut || bound === undefined) return { items: all, complete: !cut };
	return { items: all.filter((item) => { const c = spec.cursor(item); return c === undefined || compareCursor(c, bound!) <= 0; }), complete: false };
}

// ------------------------------------------------------------------ state transitions

export interface Observed {
	id: string;
	/** The object's current state code (e.g. an agent's `Online`, a plan's `state`). */
	state: string | number;
}

export interface Transition {
	id: string;
	from: string | number;
	to: string | number;
	/** When the new state was first observed (epoch ms). */
	sinceMs: number;
}

export interface TransitionOptions {
	/** Two codes in the same class are one state (e.g. all `Online` codes of an online agent). Default: the code itself. */
	classify?: (state: string | number) => string;
	/** A change counts only once the new state has lasted this long (0 = at the first poll that sees it). */
	minDurationMs?: number;
}

function entryParts(entry: SnapshotEntry): { reported: string | number; current: string | number; sinceMs?: number } {
	if (!Array.isArray(entry)) return { reported: entry, current: entry };
	const [reported, current, sinceMs] = entry as PendingEntry;
	return { reported, current, sinceMs };
}

/**
 * Compares the current states with the snapshot. A change of class becomes pending with the time it
 * was first seen; once it has lasted `minDurationMs` it is reported (returned as a transition) and
 * becomes the entry's reported state. A change that reverts before that is forgotten. Objects not
 * in `current` leave the snapshot; objects new to it are recorded without a transition. Transitions
 * are returned oldest first.
 */
export function diffSnapshot(
	snapshot: Readonly<Record<string, SnapshotEntry>>,
	current: readonly Observed[],
	nowMs: number,
	options: TransitionOptions = {},
): { transitions: Transition[]; snapshot: Record<string, SnapshotEntry> } {
	const classify = options.classify ?? ((s: string | number) => String(s));
	const minDuration = Math.max(0, options.minDurationMs ?? 0);
	const next: Record<string, SnapshotEntry> = {};
	const transitions: Transition[] = [];
	for (const { id, state } of current) {
		const previous = Object.prototype.hasOwnProperty.call(snapshot, id) ? snapshot[id] : undefined;
		if (previous === undefined) {
			next[id] = state;
			continue;
		}
		const { reported, current: pendingState, sinceMs } = entryParts(previous);
		if (classify(state) === classify(reported)) {
			next[id] = state; // same state (or a change that reverted in time): nothing to report
			continue;
		}
		const since = sinceMs !== undefined && classify(pendingState) === classify(state) ? sinceMs : nowMs;
		if (nowMs - since >= minDuration) {
			transitions.push({ id, from: reported, to: state, sinceMs: since });
			next[id] = state;
		} else {
			next[id] = [reported, state, since] satisfies PendingEntry;
		}
	}
	transitions.sort((a, b) => a.sinceMs - b.sinceMs || compareKeys(a.id, b.id));
	return { transitions, snapshot: next };
}

/** A baseline snapshot: every object's current state, reported without a transition. */
export function baselineSnapshot(current: readonly Observed[]): Record<string, SnapshotEntry> {
	const out: Record<string, SnapshotEntry> = {};
	for (const { id, state } of current) out[id] = state;
	return out;
}

// ------------------------------------------------------------------ output

/** One n8n item per event: `{ event, [objectName]: object, ...extra }`. */
export function eventItem(event: string, objectName: string, object: IDataObject, extra: IDataObject = {}): { json: IDataObject } {
	return { json: { event, [objectName]: object, ...extra } };
}

/** The per-poll read limit for a poll budget: about one 100-record page per 15 s of budget, 1–20 pages. */
export function pagesForBudget(budgetMs: number | undefined): number {
	if (budgetMs === undefined || !Number.isFinite(budgetMs) || budgetMs <= 0) return 20;
	return Math.min(20, Math.max(1, Math.floor(budgetMs / 15_000)));
}
