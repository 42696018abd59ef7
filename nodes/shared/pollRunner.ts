import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { CallOptions } from './descriptions';
import { DEFAULT_CONCURRENCY, DEFAULT_MAX_RECORDS } from './descriptions';
import { DEFAULT_TIMEOUT_MS } from './http';
import type { CursorSpec, PollState, StreamRead } from './polling';
import { baselineState, compareCursor, mergeStreams, newState, nextState, pagesForBudget, readState, writeState } from './polling';

/**
 * The one poll runner of every trigger: the manual "Fetch Test Event" sample, the stored state read,
 * computed and written only after a complete pass, and the error that says the position was kept.
 * A trigger supplies what to fetch and how records become events (TriggerDefinition); the pure state
 * logic is polling.ts. Nothing here knows a product.
 */
export interface PollEnv<P> {
	ctx: IPollFunctions;
	params: P;
	call: CallOptions;
	/** n8n's time budget of one poll, when it gives one. */
	budgetMs?: number;
	startedMs: number;
}

export interface PollPass {
	items: INodeExecutionData[];
	state: PollState;
}

export interface TriggerDefinition<P> {
	readParams(ctx: IPollFunctions): P;
	/** What the stored state was built for: another value (event, filters) starts a new baseline. */
	configKey(params: P): string;
	/** Added to an error's description: what the trigger kept, so that the next poll loses nothing. */
	keptPosition: string;
	/** "Fetch Test Event": one real recent item; static data is neither read nor written. */
	sample(env: PollEnv<P>): Promise<INodeExecutionData | undefined>;
	/** One pass from the stored state (undefined: none yet, set a baseline). */
	poll(env: PollEnv<P>, config: string, previous: PollState | undefined): Promise<PollPass>;
}

/** Request settings of a poll: a shorter timeout when n8n's poll budget is short. */
export function pollCallOptions(budgetMs: number | undefined): CallOptions {
	const timeoutMs = budgetMs && budgetMs > 0 ? Math.min(DEFAULT_TIMEOUT_MS, Math.max(5_000, Math.floor(budgetMs / 3))) : DEFAULT_TIMEOUT_MS;
	return { concurrency: DEFAULT_CONCURRENCY, timeoutMs, maxRecords: DEFAULT_MAX_RECORDS };
}

export async function runPoll<P>(ctx: IPollFunctions, trigger: TriggerDefinition<P>): Promise<INodeExecutionData[][] | null> {
	const params = trigger.readParams(ctx);
	const budgetMs = ctx.getPollBudgetMs?.();
	const env: PollEnv<P> = { ctx, params, call: pollCallOptions(budgetMs), budgetMs, startedMs: Date.now() };
	try {
		if (ctx.getMode() === 'manual') {
			const sample = await trigger.sample(env);
			return sample ? [[sample]] : null;
		}
		const stored = ctx.getWorkflowStaticData('node');
		const config = trigger.configKey(params);
		const result = await trigger.poll(env, config, readState(stored, config));
		writeState(stored, result.state);
		return result.items.length > 0 ? [result.items] : null;
	} catch (error) {
		throw keepsPosition(ctx, error, trigger.keptPosition);
	}
}

/** Says in the error that nothing was lost: the state was not moved, the next poll reads again. */
export function keepsPosition(ctx: IPollFunctions, error: unknown, note: string): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (!String(error.description ?? '').includes(note)) error.description = error.description ? `${error.description} ${note}` : note;
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { description: note });
}

// ------------------------------------------------------------------ cursor events

/** A trigger's cursor events: one or more lists read with one cursor (e.g. one per service desk). */
export interface CursorEvents<S, T> {
	spec: CursorSpec<T>;
	/** Records per page of the product; the per-poll read limit is a number of these pages. */
	pageSize: number;
	streams(): Promise<S[]>;
	/** The newest records of a list, newest first. */
	readNewest(stream: S, limit: number): Promise<T[]>;
	/** Records at or after the cursor (all when undefined), oldest first. */
	readFrom(stream: S, cursor: string | undefined, limit: number): Promise<T[]>;
	/** Records that move the cursor but are not this event. */
	isEvent?(row: T): boolean;
	/** Preferred as the manual sample among the newest events (what a poll emits right after the event). */
	typicalSample?(row: T): boolean;
	toItem(row: T): INodeExecutionData;
}

/**
 * One pass of cursor events: without a state, a baseline after the newest records (or, with Include
 * Existing, everything); otherwise what is new since the cursor, oldest first, within the poll budget.
 */
export async function pollCursorEvents<P extends { includeExisting: boolean }, S, T>(
	env: PollEnv<P>,
	events: CursorEvents<S, T>,
	config: string,
	previous: PollState | undefined,
): Promise<PollPass> {
	const streams = await events.streams();
	if (!previous && !env.params.includeExisting) {
		const newest = (await Promise.all(streams.map((s) => events.readNewest(s, events.pageSize)))).flat();
		return { items: [], state: baselineState(config, newest, events.spec) };
	}
	const state: PollState = previous ?? { ...newState(config), baselined: true };
	const limit = pagesForBudget(env.budgetMs) * events.pageSize;
	const deadline = env.startedMs + (env.budgetMs ?? 300_000) / 2;
	const reads: Array<StreamRead<T>> = [];
	for (const stream of streams) {
		if (reads.length > 0 && Date.now() > deadline) {
			// Out of budget: the lists not read yet hold everything after the cursor back until the next poll.
			reads.push({ items: [], truncated: true });
			continue;
		}
		const items = await events.readFrom(stream, state.cursor, limit);
		reads.push({ items, truncated: items.length >= limit });
	}
	const { items: fresh } = mergeStreams(reads, state, events.spec);
	const emitted = fresh.filter((row) => events.spec.cursor(row) !== undefined && (events.isEvent?.(row) ?? true));
	return { items: emitted.map((row) => events.toItem(row)), state: nextState(state, fresh, events.spec) };
}

/** The manual sample of cursor events: the newest typical event over all lists. */
export async function sampleCursorEvent<S, T>(events: CursorEvents<S, T>): Promise<INodeExecutionData | undefined> {
	const { spec } = events;
	let best: T | undefined;
	for (const stream of await events.streams()) {
		const rows = (await events.readNewest(stream, 10)).filter((r) => spec.cursor(r) !== undefined);
		const candidates = rows.filter((r) => events.isEvent?.(r) ?? true);
		const row = candidates.find((r) => events.typicalSample?.(r) ?? true) ?? candidates[0] ?? rows[0];
		if (row !== undefined && (best === undefined || compareCursor(spec.cursor(row)!, spec.cursor(best)!) > 0)) best = row;
	}
	return best === undefined ? undefined : events.toItem(best);
}
