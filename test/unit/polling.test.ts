import type { IDataObject } from 'n8n-workflow';

import {
	baselineSnapshot,
	baselineState,
	compareCursor,
	type CursorSpec,
	dedupe,
	diffSnapshot,
	MAX_SEEN_KEYS,
	mergeStreams,
	newState,
	nextState,
	pagesForBudget,
	type PollState,
	readState,
	sortOldestFirst,
	timestampMs,
	writeState,
} from '../../nodes/shared/polling';

interface Row {
	id: string;
	at?: string;
}
const makeRow = (id: number | string, at?: string): Row => ({ id: String(id), at });
const byTime: CursorSpec<Row> = { key: (r) => r.id, cursor: (r) => r.at };
const byId: CursorSpec<Row> = { key: (r) => r.id, cursor: (r) => r.id };
const T = (sec: number) => `2024-06-01T12:00:${String(sec).padStart(2, '0')}.000`;

/** One simulated poll over a server list: filter `>= cursor`, dedupe, advance. */
function pollOnce(server: Row[], state: PollState, spec = byTime): { emitted: string[]; state: PollState } {
	const fetched = server.filter((r) => state.cursor === undefined || compareCursor(spec.cursor(r)!, state.cursor) >= 0);
	const fresh = dedupe(fetched, state, spec);
	return { emitted: fresh.map((r) => r.id), state: nextState(state, fresh, spec) };
}

describe('cursor values', () => {
	it('compares long integer ids exactly, beyond 2^53', () => {
		expect(compareCursor('123456789012345678901', '123456789012345678902')).toBe(-1);
		expect(compareCursor('1000', '999')).toBe(1);
		expect(compareCursor('42', '42')).toBe(0);
	});

	it('compares timestamps by instant, whatever the number of fraction digits or zone', () => {
		expect(compareCursor('2024-06-01T12:00:00.5', '2024-06-01T12:00:00.500')).toBe(0);
		expect(compareCursor('2024-06-01T12:00:00', '2024-06-01T12:00:00.001')).toBe(-1);
		expect(compareCursor('2024-06-01T14:00:00+02:00', '2024-06-01T12:00:00Z')).toBe(0);
		expect(timestampMs('2024-06-01T12:00:00.123')).toBe(Date.UTC(2024, 5, 1, 12, 0, 0, 123));
		expect(timestampMs('not a date')).toBeUndefined();
	});
});

describe('state in static data', () => {
	it('round-trips through JSON and is replaced as a whole', () => {
		const stored: IDataObject = { leftover: 1 };
		const state = nextState(newState('alarm|{}'), [makeRow(1, T(1))], byTime);
		writeState(stored, state);
		expect(Object.keys(stored)).toEqual(['pollState']);
		const persisted = JSON.parse(JSON.stringify(stored)) as IDataObject;
		expect(readState(persisted, 'alarm|{}')).toEqual(state);
	});

	it('does not write an unchanged state (n8n would save the workflow after every quiet poll)', () => {
		const stored: IDataObject = {};
		const state = baselineState('a', [makeRow(1, T(1))], byTime);
		expect(writeState(stored, state)).toBe(true);
		expect(writeState(stored, readState(stored, 'a')!)).toBe(false);
		expect(writeState(stored, nextState(state, [makeRow(2, T(2))], byTime))).toBe(true);
	});

	it('treats another configuration, another version or damaged data as no state (a new baseline)', () => {
		const stored: IDataObject = {};
		writeState(stored, baselineState('a', [makeRow(1, T(1))], byTime));
		expect(readState(stored, 'a')).toBeDefined();
		expect(readState(stored, 'b')).toBeUndefined();
		expect(readState({ pollState: { ...(stored.pollState as IDataObject), version: 99 } }, 'a')).toBeUndefined();
		expect(readState({ pollState: { ...(stored.pollState as IDataObject), seen: 'x' } }, 'a')).toBeUndefined();
		expect(readState({}, 'a')).toBeUndefined();
	});
});

describe('baseline', () => {
	it('starts at the newest value and remembers every key at it, so nothing existing is emitted next poll', () => {
		const server = [makeRow(1, T(1)), makeRow(2, T(5)), makeRow(3, T(5)), makeRow(4, T(3))];
		const state = baselineState('c', server, byTime);
		expect(state.cursor).toBe(T(5));
		expect(state.seen).toEqual(['2', '3']);
		expect(pollOnce(server, state).emitted).toEqual([]);
	});

	it('with an empty list has no cursor: the next poll emits everything', () => {
		const state = baselineState('c', [], byTime);
		expect(state.baselined).toBe(true);
		expect(state.cursor).toBeUndefined();
		expect(pollOnce([makeRow(7, T(1))], state).emitted).toEqual(['7']);
	});
});

describe('new items', () => {
	it('are emitted once, oldest first, and not again on the next poll', () => {
		const server = [makeRow(1, T(1))];
		let state = baselineState('c', server, byTime);
		server.push(makeRow(9, T(4)), makeRow(8, T(2)), makeRow(10, T(3)));
		const first = pollOnce(server, state);
		expect(first.emitted).toEqual(['8', '10', '9']);
		state = first.state;
		expect(pollOnce(server, state).emitted).toEqual([]);
	});

	it('drops rows older than the cursor even if the server ignores the filter', () => {
		const state = baselineState('c', [makeRow(5, T(5))], byTime);
		expect(dedupe([makeRow(1, T(1)), makeRow(6, T(6))], state, byTime).map((r) => r.id)).toEqual(['6']);
	});

	it('sorts numeric keys by value among equal cursors', () => {
		expect(sortOldestFirst([makeRow(10, T(1)), makeRow(9, T(1)), makeRow(100, T(0))], byTime).map((r) => r.id)).toEqual(['100', '9', '10']);
	});
});

describe('equal timestamps', () => {
	it('items sharing the cursor value across polls are neither repeated nor missed', () => {
		const server = [makeRow(1, T(1))];
		let state = baselineState('c', server, byTime);
		server.push(makeRow(2, T(5)), makeRow(3, T(5)));
		let r = pollOnce(server, state);
		expect(r.emitted).toEqual(['2', '3']);
		state = r.state;
		// Two more arrive with the very same timestamp after the poll.
		server.push(makeRow(4, T(5)), makeRow(5, T(5)));
		r = pollOnce(server, state);
		expect(r.emitted).toEqual(['4', '5']);
		state = r.state;
		r = pollOnce(server, state);
		expect(r.emitted).toEqual([]);
		expect(state.cursor).toBe(T(5));
		expect(state.seen.slice(-4)).toEqual(['2', '3', '4', '5']);
	});
});

describe('bounded keys', () => {
	it('keeps at most MAX_SEEN_KEYS, dropping the oldest and keeping the keys at the cursor', () => {
		let state = baselineState('c', [], byId);
		const rows = Array.from({ length: MAX_SEEN_KEYS + 250 }, (_, i) => makeRow(1000 + i));
		state = nextState(state, dedupe(rows, state, byId), byId);
		expect(state.seen).toHaveLength(MAX_SEEN_KEYS);
		expect(state.seen[state.seen.length - 1]).toBe(String(1000 + MAX_SEEN_KEYS + 249));
		expect(state.cursor).toBe(String(1000 + MAX_SEEN_KEYS + 249));
		// And JSON size stays small: ids only.
		expect(JSON.stringify(state).length).toBeLessThan(20_000);
	});
});

describe('restart from persisted static data', () => {
	it('a state written, serialised and read back continues exactly where it stopped', () => {
		const server = [makeRow(1, T(1)), makeRow(2, T(2))];
		const stored: IDataObject = {};
		writeState(stored, baselineState('cfg', server, byTime));
		server.push(makeRow(3, T(2)), makeRow(4, T(3)));
		// "Restart": only the JSON survives.
		const restored = readState(JSON.parse(JSON.stringify(stored)) as IDataObject, 'cfg')!;
		const r = pollOnce(server, restored);
		expect(r.emitted).toEqual(['3', '4']);
		writeState(stored, r.state);
		const again = readState(JSON.parse(JSON.stringify(stored)) as IDataObject, 'cfg')!;
		expect(pollOnce(server, again).emitted).toEqual([]);
	});

	it('a failed pass leaves the state untouched (the caller writes only after success)', () => {
		const stored: IDataObject = {};
		const state = baselineState('cfg', [makeRow(1, T(1))], byTime);
		writeState(stored, state);
		const before = JSON.stringify(stored);
		// nextState is pure: computing it does not change the stored state.
		nextState(readState(stored, 'cfg')!, [makeRow(2, T(2))], byTime);
		expect(JSON.stringify(stored)).toBe(before);
	});
});

describe('several lists read with one cursor', () => {
	it('a list cut short holds back later items of the other lists until the next poll', () => {
		const state = baselineState('c', [makeRow(0, T(0))], byTime);
		const deskA = { items: [makeRow(1, T(1)), makeRow(2, T(2))], truncated: true };
		const deskB = { items: [makeRow(3, T(1)), makeRow(4, T(4))], truncated: false };
		const merged = mergeStreams([deskA, deskB], state, byTime);
		expect(merged.complete).toBe(false);
		expect(merged.items.map((r) => r.id)).toEqual(['1', '3', '2']);
		const after = nextState(state, merged.items, byTime);
		expect(after.cursor).toBe(T(2));
		// Next poll reads both lists from T(2) again: 4 comes now, 2 is not repeated.
		const next = mergeStreams([{ items: [makeRow(2, T(2)), makeRow(5, T(3))], truncated: false }, { items: [makeRow(4, T(4))], truncated: false }], after, byTime);
		expect(next.items.map((r) => r.id)).toEqual(['5', '4']);
		expect(next.complete).toBe(true);
	});
});

describe('state transitions', () => {
	const online = (s: string | number) => (Number(s) === 0 ? 'off' : 'on');

	it('the baseline reports nothing; a change is reported once', () => {
		let snap = baselineSnapshot([{ id: 'a', state: 11 }, { id: 'b', state: 0 }]);
		let r = diffSnapshot(snap, [{ id: 'a', state: 0 }, { id: 'b', state: 0 }], 1000, { classify: online });
		expect(r.transitions).toEqual([{ id: 'a', from: 11, to: 0, sinceMs: 1000 }]);
		snap = r.snapshot;
		r = diffSnapshot(snap, [{ id: 'a', state: 0 }, { id: 'b', state: 0 }], 2000, { classify: online });
		expect(r.transitions).toEqual([]);
	});

	it('codes of the same class are one state (11 → 12 is no transition)', () => {
		const r = diffSnapshot({ a: 11 }, [{ id: 'a', state: 12 }], 1000, { classify: online });
		expect(r.transitions).toEqual([]);
		expect(r.snapshot).toEqual({ a: 12 });
	});

	it('with a minimum duration, a change is reported only after it lasted, and a flap is forgotten', () => {
		const opts = { classify: online, minDurationMs: 10 * 60_000 };
		let r = diffSnapshot({ a: 11, b: 11 }, [{ id: 'a', state: 0 }, { id: 'b', state: 0 }], 0, opts);
		expect(r.transitions).toEqual([]);
		expect(r.snapshot.a).toEqual([11, 0, 0]);
		r = diffSnapshot(r.snapshot, [{ id: 'a', state: 0 }, { id: 'b', state: 11 }], 5 * 60_000, opts);
		expect(r.transitions).toEqual([]);
		expect(r.snapshot.b).toBe(11);
		r = diffSnapshot(r.snapshot, [{ id: 'a', state: 0 }, { id: 'b', state: 11 }], 10 * 60_000, opts);
		expect(r.transitions).toEqual([{ id: 'a', from: 11, to: 0, sinceMs: 0 }]);
		expect(r.snapshot.a).toBe(0);
	});

	it('objects that disappear leave the snapshot; new ones are recorded without a transition', () => {
		const r = diffSnapshot({ gone: 0 }, [{ id: 'new', state: 0 }], 0);
		expect(r.transitions).toEqual([]);
		expect(r.snapshot).toEqual({ new: 0 });
	});

	it('reports transitions oldest first', () => {
		const opts = { classify: online, minDurationMs: 60_000 };
		let r = diffSnapshot({ a: 11, b: 11 }, [{ id: 'a', state: 11 }, { id: 'b', state: 0 }], 0, opts);
		r = diffSnapshot(r.snapshot, [{ id: 'a', state: 0 }, { id: 'b', state: 0 }], 30_000, opts);
		r = diffSnapshot(r.snapshot, [{ id: 'a', state: 0 }, { id: 'b', state: 0 }], 120_000, opts);
		expect(r.transitions.map((t) => t.id)).toEqual(['b', 'a']);
	});
});

describe('poll budget', () => {
	it('reads about one page per 15 s of budget, between 1 and 20 pages', () => {
		expect(pagesForBudget(undefined)).toBe(20);
		expect(pagesForBudget(5 * 60_000)).toBe(20);
		expect(pagesForBudget(60_000)).toBe(4);
		expect(pagesForBudget(1000)).toBe(1);
	});
});
