/**
 * VSPC v3 collection query parameters, strictly:
 * - `limit` (1..500 unless the provider raised MaxPageSize, default 100) and `offset` (default 0, applied before limit);
 *   out of range → 400 naming the parameter (https://helpcenter.veeam.com/docs/vac/rest/pagination.html,
 *   https://helpcenter.veeam.com/docs/vac/rest/offset_query_v3.html, https://helpcenter.veeam.com/docs/vac/rest/errors.html;
 *   ranges `limit [1 .. 500]`, `offset [0 .. 2147483647]` as in https://helpcenter.veeam.com/references/vac/9.1/rest/tag/Configuration).
 * - `filter`: a JSON array of `{property, operation, collation?, value}` leaves and `{operation: and|or|not|exclusiveOr, items}`
 *   groups (https://helpcenter.veeam.com/docs/vac/rest/filter.html).
 * - `sort`: a JSON array of `{property, direction: ascending|descending, collation?}`.
 * - `select`: a JSON array of `{propertyPath}` (SelectParameter "Returns explicitly requested properties" in the 9.1
 *   reference; x-veeam-pagination-select in https://helpcenter.veeam.com/docs/vac/rest/extensions.html; the
 *   `propertyPath` member name is from the project's reference notes on select.html, not re-read here).
 *
 * Choices where the sources are silent (each one rejects rather than guesses):
 * - a property the collection's records do not have → 400 (the reference does not say; a typo must not pass);
 * - a leaf or group with keys other than the documented ones, a single object instead of an array → 400;
 * - `in`/`subset`/`superset` need an array value; `greaterThan`… on two ISO date-times compare instants, on numbers
 *   numerically, otherwise as strings (date comparison behaviour is unverified);
 * - a query parameter the endpoint does not declare → 400 (except limit/offset on operations that do not page,
 *   which a client used against live servers sends everywhere: see IGNORED_PAGING).
 */
import type { Query } from '../common/server';

export class VspcError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly extra: { type?: string; code?: number; parameterName?: string; retryAfter?: number } = {},
	) {
		super(message);
	}
}

export function badParameter(parameterName: string, message: string): VspcError {
	return new VspcError(400, message, { type: 'logical', code: 400, parameterName });
}

export const MAX_PAGE_SIZE = 500;

export interface Paging {
	limit: number;
	offset: number;
}

function integer(query: Query, name: string, fallback: number, min: number, max: number): number {
	const raw = query[name];
	if (raw === undefined) return fallback;
	if (!/^-?\d+$/.test(raw)) throw badParameter(name, `The value '${raw}' is not valid for ${name}.`);
	const n = Number(raw);
	if (n < min) throw badParameter(name, `Property value must be larger or equal to ${min}.`);
	if (n > max) throw badParameter(name, `Property value must be less or equal to ${max}.`);
	return n;
}

export function readPaging(query: Query): Paging {
	return { limit: integer(query, 'limit', 100, 1, MAX_PAGE_SIZE), offset: integer(query, 'offset', 0, 0, 2147483647) };
}

/**
 * `limit`/`offset` where an operation does not page are ignored, not refused: christaylorcodes/VeeamSPC
 * VeeamSPC/Public/Helpers/Invoke-VeeamSPCRequest.ps1 adds `limit=500` to every request (GET /about, action POSTs)
 * and Connect-VeeamSPC.ps1 relies on that GET /about succeeding against live servers.
 */
export const IGNORED_PAGING = ['limit', 'offset'] as const;

/** Refuses query parameters the endpoint does not declare. */
export function onlyQuery(query: Query, allowed: readonly string[]): void {
	for (const key of Object.keys(query)) {
		if (!allowed.includes(key)) throw badParameter(key, `Unknown query parameter '${key}'. This operation accepts: ${allowed.join(', ') || 'no query parameters'}.`);
	}
}

/** Every dot path of a record (nested objects included), the properties filter/sort/select may name. */
export function propertyPaths(record: unknown, prefix = ''): string[] {
	if (!record || typeof record !== 'object' || Array.isArray(record)) return [];
	const out: string[] = [];
	for (const [key, value] of Object.entries(record)) {
		const path = prefix ? `${prefix}.${key}` : key;
		out.push(path);
		if (value && typeof value === 'object' && !Array.isArray(value)) out.push(...propertyPaths(value, path));
	}
	return out;
}

export function valueAt(record: unknown, path: string): unknown {
	let current: unknown = record;
	for (const part of path.split('.')) {
		if (!current || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[part];
	}
	return current;
}

function parseJsonParam(query: Query, name: string): unknown[] | undefined {
	const raw = query[name];
	if (raw === undefined) return undefined;
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch {
		throw badParameter(name, `The ${name} parameter is not valid JSON.`);
	}
	if (!Array.isArray(parsed)) throw badParameter(name, `The ${name} parameter must be a JSON array.`);
	return parsed;
}

const LEAF_OPERATIONS = ['in', 'contains', 'subset', 'superset', 'equals', 'notEquals', 'lessThan', 'lessThanOrEqual', 'greaterThan', 'greaterThanOrEqual'] as const;
const GROUP_OPERATIONS = ['and', 'or', 'not', 'exclusiveOr'] as const;
const COLLATIONS = ['ordinal', 'ignorecase', 'lexicographic'] as const;

type Predicate = (record: unknown) => boolean;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds of an ISO date-time with up to 7 fractional digits (VSPC's format). */
export function instant(text: string): number {
	const m = /^(.*T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(text);
	if (!m) return NaN;
	const ms = m[2] ? m[2].slice(0, 4).padEnd(4, '0') : '';
	return Date.parse(`${m[1]}${ms}${m[3]}`);
}

function compare(a: unknown, b: unknown, collation: string): number {
	if (typeof a === 'number' && typeof b === 'number') return a - b;
	if (typeof a === 'string' && typeof b === 'string' && ISO_DATE.test(a) && ISO_DATE.test(b)) return instant(a) - instant(b);
	if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
	let x = a === null || a === undefined ? '' : String(a);
	let y = b === null || b === undefined ? '' : String(b);
	if (collation === 'ignorecase') {
		x = x.toLowerCase();
		y = y.toLowerCase();
	}
	if (collation === 'lexicographic') return x.localeCompare(y);
	return x < y ? -1 : x > y ? 1 : 0;
}

function same(a: unknown, b: unknown, collation: string): boolean {
	if (a === null || b === null) return a === b;
	return compare(a, b, collation) === 0;
}

function buildPredicate(node: unknown, paths: Set<string>): Predicate {
	if (!node || typeof node !== 'object' || Array.isArray(node)) throw badParameter('filter', 'Each filter item must be a JSON object.');
	const n = node as Record<string, unknown>;
	const op = n.operation;
	if (typeof op !== 'string') throw badParameter('filter', "A filter item has no 'operation'.");
	if ((GROUP_OPERATIONS as readonly string[]).includes(op)) {
		for (const key of Object.keys(n)) if (key !== 'operation' && key !== 'items') throw badParameter('filter', `Unknown filter property '${key}' in a '${op}' group.`);
		if (!Array.isArray(n.items) || n.items.length === 0) throw badParameter('filter', `The '${op}' group needs a non-empty 'items' array.`);
		const items = n.items.map((i) => buildPredicate(i, paths));
		if (op === 'and') return (r) => items.every((p) => p(r));
		if (op === 'or') return (r) => items.some((p) => p(r));
		if (op === 'not') return (r) => !items.every((p) => p(r));
		return (r) => items.filter((p) => p(r)).length === 1;
	}
	if (!(LEAF_OPERATIONS as readonly string[]).includes(op)) throw badParameter('filter', `Unknown filter operation '${op}'.`);
	for (const key of Object.keys(n)) if (!['property', 'operation', 'collation', 'value'].includes(key)) throw badParameter('filter', `Unknown filter property '${key}'.`);
	const property = n.property;
	if (typeof property !== 'string' || !paths.has(property)) throw badParameter('filter', `Unknown property '${String(property)}' in filter.`);
	const collation = n.collation === undefined ? 'ordinal' : n.collation;
	if (typeof collation !== 'string' || !(COLLATIONS as readonly string[]).includes(collation)) throw badParameter('filter', `Unknown collation '${String(collation)}'.`);
	if (!('value' in n)) throw badParameter('filter', `The filter on '${property}' has no 'value'.`);
	const value = n.value;
	const get = (r: unknown) => valueAt(r, property);
	switch (op) {
		case 'equals':
			return (r) => same(get(r), value, collation);
		case 'notEquals':
			return (r) => !same(get(r), value, collation);
		case 'lessThan':
			return (r) => get(r) !== null && get(r) !== undefined && compare(get(r), value, collation) < 0;
		case 'lessThanOrEqual':
			return (r) => get(r) !== null && get(r) !== undefined && compare(get(r), value, collation) <= 0;
		case 'greaterThan':
			return (r) => get(r) !== null && get(r) !== undefined && compare(get(r), value, collation) > 0;
		case 'greaterThanOrEqual':
			return (r) => get(r) !== null && get(r) !== undefined && compare(get(r), value, collation) >= 0;
		case 'contains':
			return (r) => {
				const v = get(r);
				if (Array.isArray(v)) return v.some((x) => same(x, value, collation));
				if (typeof v !== 'string' || typeof value !== 'string') return false;
				return collation === 'ignorecase' ? v.toLowerCase().includes(value.toLowerCase()) : v.includes(value);
			};
		default: {
			if (!Array.isArray(value)) throw badParameter('filter', `The '${op}' operation needs an array value.`);
			if (op === 'in') return (r) => value.some((x) => same(get(r), x, collation));
			if (op === 'subset') return (r) => Array.isArray(get(r)) && (get(r) as unknown[]).every((x) => value.some((y) => same(x, y, collation)));
			return (r) => Array.isArray(get(r)) && value.every((y) => (get(r) as unknown[]).some((x) => same(x, y, collation)));
		}
	}
}

export interface CollectionQuery {
	paging: Paging;
	filter?: Predicate;
	sort?: Array<{ property: string; direction: 'ascending' | 'descending'; collation: string }>;
	select?: string[];
}

/** Reads limit/offset/filter/sort/select against the properties of the collection's records. */
export function readCollectionQuery(query: Query, sample: unknown, extra: readonly string[] = []): CollectionQuery {
	onlyQuery(query, ['limit', 'offset', 'filter', 'sort', 'select', ...extra]);
	const paths = new Set(propertyPaths(sample));
	const out: CollectionQuery = { paging: readPaging(query) };
	const filter = parseJsonParam(query, 'filter');
	if (filter) {
		const predicates = filter.map((node) => buildPredicate(node, paths));
		out.filter = (r) => predicates.every((p) => p(r));
	}
	const sort = parseJsonParam(query, 'sort');
	if (sort) {
		out.sort = sort.map((entry) => {
			if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw badParameter('sort', 'Each sort item must be a JSON object.');
			const e = entry as Record<string, unknown>;
			for (const key of Object.keys(e)) if (!['property', 'direction', 'collation'].includes(key)) throw badParameter('sort', `Unknown sort property '${key}'.`);
			if (typeof e.property !== 'string' || !paths.has(e.property)) throw badParameter('sort', `Unknown property '${String(e.property)}' in sort.`);
			const direction = e.direction === undefined ? 'ascending' : e.direction;
			if (direction !== 'ascending' && direction !== 'descending') throw badParameter('sort', `Unknown sort direction '${String(e.direction)}'; use ascending or descending.`);
			const collation = e.collation === undefined ? 'ordinal' : e.collation;
			if (typeof collation !== 'string' || !(COLLATIONS as readonly string[]).includes(collation)) throw badParameter('sort', `Unknown collation '${String(collation)}'.`);
			return { property: e.property, direction, collation };
		});
	}
	const select = parseJsonParam(query, 'select');
	if (select) out.select = readSelect(select, paths);
	return out;
}

function readSelect(select: unknown[], paths: Set<string>): string[] {
	return select.map((entry) => {
		if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw badParameter('select', 'Each select item must be a JSON object.');
		const e = entry as Record<string, unknown>;
		for (const key of Object.keys(e)) if (key !== 'propertyPath') throw badParameter('select', `Unknown select property '${key}'.`);
		if (typeof e.propertyPath !== 'string' || !paths.has(e.propertyPath)) throw badParameter('select', `Unknown property '${String(e.propertyPath)}' in select.`);
		return e.propertyPath;
	});
}

/** `select` on a single resource (declared on single GETs too). */
export function readSingleQuery(query: Query, sample: unknown): string[] | undefined {
	onlyQuery(query, ['select', ...IGNORED_PAGING]);
	const select = parseJsonParam(query, 'select');
	return select ? readSelect(select, new Set(propertyPaths(sample))) : undefined;
}

export function project<T>(record: T, select: string[] | undefined): unknown {
	if (!select) return record;
	const out: Record<string, unknown> = {};
	for (const path of select) {
		const parts = path.split('.');
		let target = out;
		for (let i = 0; i < parts.length - 1; i++) {
			target[parts[i]] = (target[parts[i]] as Record<string, unknown>) ?? {};
			target = target[parts[i]] as Record<string, unknown>;
		}
		target[parts[parts.length - 1]] = valueAt(record, path);
	}
	return out;
}

/** Filters, sorts (stable; the default order is the store's), pages and projects; returns the envelope. */
export function page<T>(records: T[], q: CollectionQuery): { meta: { pagingInfo: { total: number; count: number; offset: number } }; data: unknown[]; errors: null } {
	let rows = q.filter ? records.filter((r) => q.filter!(r)) : [...records];
	if (q.sort) {
		const sort = q.sort;
		rows = rows
			.map((r, i) => ({ r, i }))
			.sort((a, b) => {
				for (const s of sort) {
					const c = compare(valueAt(a.r, s.property), valueAt(b.r, s.property), s.collation);
					if (c !== 0) return s.direction === 'ascending' ? c : -c;
				}
				return a.i - b.i;
			})
			.map((x) => x.r);
	}
	const slice = rows.slice(q.paging.offset, q.paging.offset + q.paging.limit);
	return { meta: { pagingInfo: { total: rows.length, count: slice.length, offset: q.paging.offset } }, data: slice.map((r) => project(r, q.select)), errors: null };
}
