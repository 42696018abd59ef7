/**
 * Collection queries per generation (https://helpcenter.veeam.com/archive/vao/10/restapi/query_options.html,
 * https://helpcenter.veeam.com/archive/vao/40/restapi/start_query.html, https://helpcenter.veeam.com/docs/vro/rest/filter_query.html,
 * https://helpcenter.veeam.com/docs/vro/rest/sort_query.html):
 * - v1/v2: OData `$filter`, `$orderby`, `$top`, `$skip`, `$select`, case-sensitive; filter/orderby before
 *   skip/top; result is a bare JSON array.
 * - v3: `{total, data}`, no paging parameters (v4 introduced start/limit).
 * - v4+: JSON `filter` [{property, operator, value}] and `sort` [{property, direction}] first, then `start`, then `limit`.
 */
import type { Query } from '../common/server';
import { envelopeOf, pagingOf, type VroVersion } from './versions';

export type Item = Record<string, unknown>;

export class QueryError extends Error {}

export function collection(v: VroVersion, items: Item[], q: Query): unknown {
	const paging = pagingOf(v);
	if (paging === 'odata') return odata(items, q);
	if (paging === 'none') return { total: items.length, data: items };
	const { total, page } = startLimit(items, q);
	return envelopeOf(v) === 'totalData' ? { total, data: page } : page;
}

// ---------- v4+ ----------

/** Operators documented: ==, !=, >, <, in (the list is truncated in the docs); >= and <= added (unverified). */
const OPS: Record<string, (a: unknown, b: unknown) => boolean> = {
	'==': (a, b) => a === b,
	'!=': (a, b) => a !== b,
	'>': (a, b) => cmp(a, b) > 0,
	'<': (a, b) => cmp(a, b) < 0,
	'>=': (a, b) => cmp(a, b) >= 0,
	'<=': (a, b) => cmp(a, b) <= 0,
	in: (a, b) => Array.isArray(b) && b.includes(a),
};

/**
 * A filter/sort property must name a property of the collection's records (nested as `sub.property`).
 * The server's text for an unknown one is not documented; the emulator refuses it, and refuses any
 * property of an empty collection, whose properties it cannot check (strict where evidence is thin).
 */
function checkProperty(items: Item[], path: string, what: string): void {
	const parts = path.split('.');
	let level: unknown[] = items;
	for (const part of parts) {
		const owners = level.filter((x): x is Item => x !== null && typeof x === 'object' && !Array.isArray(x));
		if (!owners.some((o) => Object.prototype.hasOwnProperty.call(o, part))) {
			throw new QueryError(`The ${what} property '${path}' is not a property of the records of this collection.`);
		}
		level = owners.map((o) => o[part]);
	}
}

export function startLimit(items: Item[], q: Query): { total: number; page: Item[] } {
	let out = items;
	if (q.filter !== undefined) {
		const rules = parseJsonArray(q.filter, 'filter') as { property?: unknown; operator?: unknown; value?: unknown }[];
		for (const r of rules) {
			if (typeof r?.property !== 'string' || typeof r.operator !== 'string') throw new QueryError('Each filter expression needs "property", "operator" and "value".');
			const op = OPS[r.operator];
			if (!op) throw new QueryError(`Filter operator "${r.operator}" is not supported.`);
			checkProperty(items, r.property, 'filter');
			out = out.filter((it) => op(getPath(it, r.property as string), r.value));
		}
	}
	if (q.sort !== undefined) {
		const keys = parseJsonArray(q.sort, 'sort') as { property?: unknown; direction?: unknown }[];
		for (const k of keys) {
			if (typeof k?.property !== 'string') throw new QueryError('Each sort expression needs "property".');
			checkProperty(items, k.property, 'sort');
			const d = String(k.direction ?? 'ASC').toUpperCase();
			if (d !== 'ASC' && d !== 'DESC') throw new QueryError(`Sort direction "${String(k.direction)}" is not valid; use ASC or DESC.`);
		}
		out = stableSort(out, keys.map((k) => ({ path: k.property as string, desc: String(k.direction ?? 'ASC').toUpperCase() === 'DESC' })));
	}
	const total = out.length;
	const start = intParam(q.start, 'start') ?? 0;
	const limit = intParam(q.limit, 'limit');
	const page = out.slice(start, limit === undefined ? undefined : start + limit);
	return { total, page };
}

function parseJsonArray(raw: string, name: string): unknown[] {
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch {
		throw new QueryError(`The "${name}" parameter is not a valid JSON array.`);
	}
	if (!Array.isArray(parsed)) throw new QueryError(`The "${name}" parameter must be a JSON array.`);
	return parsed;
}

function intParam(raw: string | undefined, name: string): number | undefined {
	if (raw === undefined) return undefined;
	if (!/^\d+$/.test(raw)) throw new QueryError(`The value '${raw}' is not valid for ${name}.`);
	return Number(raw);
}

/** Nested properties as `sub.property` (docs/vro/rest/filter_query.html). */
function getPath(item: Item, path: string, sep = '.'): unknown {
	let cur: unknown = item;
	for (const part of path.split(sep)) {
		if (cur === null || typeof cur !== 'object') return undefined;
		cur = (cur as Item)[part];
	}
	return cur;
}

function cmp(a: unknown, b: unknown): number {
	if (a === b) return 0;
	if (a === undefined || a === null) return -1;
	if (b === undefined || b === null) return 1;
	if (typeof a === 'number' && typeof b === 'number') return a - b;
	if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
	const sa = String(a);
	const sb = String(b);
	return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function stableSort(items: Item[], keys: { path: string; desc: boolean }[], sep = '.'): Item[] {
	return items
		.map((it, i) => ({ it, i }))
		.sort((x, y) => {
			for (const k of keys) {
				const c = cmp(getPath(x.it, k.path, sep), getPath(y.it, k.path, sep));
				if (c !== 0) return k.desc ? -c : c;
			}
			return x.i - y.i;
		})
		.map((e) => e.it);
}

// ---------- v1/v2 OData ----------

const ODATA_INVALID = 'The query specified in the URI is not valid.';

export function odata(items: Item[], q: Query): Item[] {
	const props = new Set<string>();
	for (const it of items) for (const k of Object.keys(it)) props.add(k);
	// An empty collection cannot show its properties: the emulator refuses every property then (strict).
	const known = (p: string) => {
		if (!props.has(p.split('/')[0])) throw new QueryError(`${ODATA_INVALID} Could not find a property named '${p}'.`);
	};
	let out = items;
	if (q.$filter !== undefined) {
		const pred = new ODataFilter(q.$filter, known).parse();
		out = out.filter(pred);
	}
	if (q.$orderby !== undefined) {
		const keys = q.$orderby.split(',').map((part) => {
			const [path, dir, extra] = part.trim().split(/\s+/);
			if (!path || extra || (dir && dir !== 'asc' && dir !== 'desc')) throw new QueryError(`${ODATA_INVALID} Syntax error in $orderby '${q.$orderby}'.`);
			known(path);
			return { path, desc: dir === 'desc' };
		});
		out = stableSort(out, keys, '/');
	}
	const skip = odataInt(q.$skip, '$skip') ?? 0;
	const top = odataInt(q.$top, '$top');
	out = out.slice(skip, top === undefined ? undefined : skip + top);
	if (q.$select !== undefined) {
		const fields = q.$select.split(',').map((s) => s.trim()).filter(Boolean);
		fields.forEach(known);
		out = out.map((it) => Object.fromEntries(fields.map((f) => [f, it[f]])));
	}
	return out;
}

function odataInt(raw: string | undefined, name: string): number | undefined {
	if (raw === undefined) return undefined;
	if (!/^\d+$/.test(raw)) throw new QueryError(`${ODATA_INVALID} Invalid value '${raw}' for ${name} query option found.`);
	return Number(raw);
}

type Pred = (it: Item) => boolean;

/** Small recursive-descent parser: comparisons, and/or/not, parentheses, startswith/endswith/substringof. */
class ODataFilter {
	private tokens: string[];
	private pos = 0;

	constructor(private readonly text: string, private readonly known: (p: string) => void) {
		this.tokens = text.match(/'(?:[^']|'')*'|\(|\)|,|[^\s(),]+/g) ?? [];
	}

	parse(): Pred {
		const p = this.or();
		if (this.pos !== this.tokens.length) this.fail();
		return p;
	}

	private fail(): never {
		throw new QueryError(`${ODATA_INVALID} Syntax error in $filter '${this.text}'.`);
	}

	private peek(): string | undefined {
		return this.tokens[this.pos];
	}

	private next(): string {
		const t = this.tokens[this.pos++];
		if (t === undefined) this.fail();
		return t;
	}

	private or(): Pred {
		let left = this.and();
		while (this.peek() === 'or') {
			this.pos++;
			const l = left;
			const r = this.and();
			left = (it) => l(it) || r(it);
		}
		return left;
	}

	private and(): Pred {
		let left = this.unary();
		while (this.peek() === 'and') {
			this.pos++;
			const l = left;
			const r = this.unary();
			left = (it) => l(it) && r(it);
		}
		return left;
	}

	private unary(): Pred {
		if (this.peek() === 'not') {
			this.pos++;
			const p = this.unary();
			return (it) => !p(it);
		}
		if (this.peek() === '(') {
			this.pos++;
			const p = this.or();
			if (this.next() !== ')') this.fail();
			return p;
		}
		const first = this.next();
		if (['startswith', 'endswith', 'substringof'].includes(first)) return this.func(first);
		this.known(first);
		const op = this.next();
		const value = this.literal(this.next());
		const fns: Record<string, (a: unknown) => boolean> = {
			eq: (a) => a === value, ne: (a) => a !== value, gt: (a) => cmp(a, value) > 0,
			ge: (a) => cmp(a, value) >= 0, lt: (a) => cmp(a, value) < 0, le: (a) => cmp(a, value) <= 0,
		};
		const f = fns[op];
		if (!f) this.fail();
		return (it) => f(getPath(it, first, '/'));
	}

	private func(name: string): Pred {
		if (this.next() !== '(') this.fail();
		const a = this.next();
		if (this.next() !== ',') this.fail();
		const b = this.next();
		if (this.next() !== ')') this.fail();
		// substringof('text', prop); startswith(prop, 'text'); endswith(prop, 'text') — OData v3 forms.
		const [prop, lit] = name === 'substringof' ? [b, a] : [a, b];
		this.known(prop);
		const text = this.literal(lit);
		if (typeof text !== 'string') this.fail();
		return (it) => {
			const v = getPath(it, prop, '/');
			if (typeof v !== 'string') return false;
			return name === 'startswith' ? v.startsWith(text) : name === 'endswith' ? v.endsWith(text) : v.includes(text);
		};
	}

	private literal(t: string): unknown {
		if (t.startsWith("'") && t.endsWith("'") && t.length >= 2) return t.slice(1, -1).replace(/''/g, "'");
		if (t === 'true') return true;
		if (t === 'false') return false;
		if (t === 'null') return null;
		if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
		const dt = /^datetime'(.*)'$/.exec(t);
		if (dt) return new Date(dt[1]).toISOString();
		return this.fail();
	}
}
