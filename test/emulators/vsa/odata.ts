/**
 * OData v3 query options as VSA 9 evaluates them (https://help.vsa9.kaseya.com/help/Content/Modules/rest-api/31622.htm; 100-record cap: KAT VSAModule/README.md): `$filter`, `$orderby`,
 * `$skip`, `$top`, with at most 100 records per response and `TotalRecords` = count after filter.
 *
 * VSA sits on ASP.NET Web API OData v3 (it accepts `substringof`, a v3-only function, and reports
 * `Unrecognized 'Edm.Int32' literal` for a 26-digit id without suffix). We therefore follow
 * ODataLib v3 rules and its error texts:
 *   - keywords, function and property names are case-sensitive (`eq`, not `EQ`; `AgentName`, not `agentname`);
 *   - an integer literal without suffix is Edm.Int32: beyond Int32 it is a 400 — ids need `M` (decimal)
 *     or `L` (Int64); `1.5` is Edm.Double (compared as a double, so >15 significant digits lose precision,
 *     exactly the pitfall the `M` suffix exists for);
 *   - operand types must be compatible (`AgentName eq 5` and `AgentId eq '1'` are 400s).
 * Decimal/Int64 comparisons are exact (BigInt arithmetic), never via doubles.
 * Query option names are case-sensitive (`$Filter` is ignored as a custom option, as in Web API v3).
 * String comparison follows the SQL Server default collation (case-insensitive) — an inference:
 * VSA runs on SQL Server; configurable via `caseSensitive`.
 */

export type EdmType =
	| 'Edm.String'
	| 'Edm.Int32'
	| 'Edm.Int64'
	| 'Edm.Decimal'
	| 'Edm.Double'
	| 'Edm.Single'
	| 'Edm.Boolean'
	| 'Edm.DateTime'
	| 'Edm.DateTimeOffset'
	| 'Edm.Guid'
	| 'Complex';

export interface Schema {
	typeName: string;
	fields: Record<string, EdmType>;
}

export class ODataError extends Error {}

export const PAGE_CAP = 100;

const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)?$/;

/** Field types from values: bigint → Decimal (VSA ids are numeric(26,0)), ISO strings → DateTime. */
export function inferSchema(typeName: string, records: object[], base?: Schema): Schema {
	const fields: Record<string, EdmType> = { ...(base?.fields ?? {}) };
	const pending = new Set<string>();
	for (const rec of records) {
		for (const [k, v] of Object.entries(rec)) {
			if (fields[k] && !pending.has(k)) continue;
			const t = typeOfValue(v);
			if (t) {
				fields[k] = t;
				pending.delete(k);
			} else if (!fields[k]) {
				fields[k] = 'Edm.String';
				pending.add(k);
			}
		}
		if (pending.size === 0 && records.length > 0 && rec !== records[0]) break;
	}
	return { typeName, fields };
}

function typeOfValue(v: unknown): EdmType | undefined {
	if (v === null || v === undefined) return undefined;
	if (typeof v === 'bigint') return 'Edm.Decimal';
	if (typeof v === 'number') {
		if (!Number.isInteger(v)) return 'Edm.Double';
		return Math.abs(v) < 2 ** 31 ? 'Edm.Int32' : 'Edm.Int64';
	}
	if (typeof v === 'boolean') return 'Edm.Boolean';
	if (typeof v === 'string') return ISO_DATE.test(v) ? 'Edm.DateTime' : 'Edm.String';
	return 'Complex';
}

// ---------------------------------------------------------------- exact decimals

interface Dec {
	m: bigint;
	s: number;
}

export function toDec(x: bigint | number | string): Dec {
	if (typeof x === 'bigint') return { m: x, s: 0 };
	const text = typeof x === 'number' ? String(x) : x;
	const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
	if (!m) return { m: 0n, s: 0 };
	const digits = (m[2] || '0') + (m[3] ?? '');
	let scale = (m[3] ?? '').length - Number(m[4] ?? 0);
	let mant = BigInt(digits) * (m[1] === '-' ? -1n : 1n);
	if (scale < 0) {
		mant *= 10n ** BigInt(-scale);
		scale = 0;
	}
	return { m: mant, s: scale };
}

function cmpDec(a: Dec, b: Dec): number {
	const s = Math.max(a.s, b.s);
	const x = a.m * 10n ** BigInt(s - a.s);
	const y = b.m * 10n ** BigInt(s - b.s);
	return x < y ? -1 : x > y ? 1 : 0;
}

// ---------------------------------------------------------------- lexer

type TokKind = 'ident' | 'string' | 'number' | 'typed' | 'lparen' | 'rparen' | 'comma' | 'end';
interface Token {
	kind: TokKind;
	text: string;
	pos: number;
	/** number: Edm type from suffix/shape; typed: Edm type of the prefix */
	edm?: EdmType;
	value?: string;
}

function lex(src: string): Token[] {
	const out: Token[] = [];
	let i = 0;
	while (i < src.length) {
		const c = src[i];
		if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
			i++;
			continue;
		}
		const pos = i;
		if (c === '(' || c === ')' || c === ',') {
			out.push({ kind: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma', text: c, pos });
			i++;
			continue;
		}
		if (c === "'") {
			const { value, next } = readString(src, i);
			out.push({ kind: 'string', text: src.slice(i, next), value, pos });
			i = next;
			continue;
		}
		const num = /^-?\d+(\.\d+)?([eE][+-]?\d+)?([mMlLdDfF])?/.exec(src.slice(i));
		if (num && (c !== '-' || /\d/.test(src[i + 1] ?? ''))) {
			const suffix = (num[3] ?? '').toLowerCase();
			const hasFraction = num[1] !== undefined || num[2] !== undefined;
			const edm: EdmType =
				suffix === 'm'
					? 'Edm.Decimal'
					: suffix === 'l'
						? 'Edm.Int64'
						: suffix === 'd'
							? 'Edm.Double'
							: suffix === 'f'
								? 'Edm.Single'
								: hasFraction
									? 'Edm.Double'
									: 'Edm.Int32';
			const body = num[3] ? num[0].slice(0, -1) : num[0];
			out.push({ kind: 'number', text: num[0], value: body, edm, pos });
			i += num[0].length;
			continue;
		}
		const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
		if (id) {
			i += id[0].length;
			// Typed literals: datetime'…' (PsKaseya sends DATETIME'…', so the prefix is case-insensitive).
			const prefix = id[0].toLowerCase();
			if (src[i] === "'" && (prefix === 'datetime' || prefix === 'datetimeoffset' || prefix === 'guid')) {
				const { value, next } = readString(src, i);
				const edm: EdmType =
					prefix === 'datetime' ? 'Edm.DateTime' : prefix === 'guid' ? 'Edm.Guid' : 'Edm.DateTimeOffset';
				out.push({ kind: 'typed', text: src.slice(pos, next), value, edm, pos });
				i = next;
				continue;
			}
			out.push({ kind: 'ident', text: id[0], pos });
			continue;
		}
		throw new ODataError(`Syntax error: character '${c}' is not valid at position ${pos} in '${src}'.`);
	}
	out.push({ kind: 'end', text: '', pos: src.length });
	return out;

	function readString(s: string, start: number): { value: string; next: number } {
		let j = start + 1;
		let value = '';
		for (;;) {
			if (j >= s.length) throw new ODataError(`There is an unterminated string literal at position ${j} in '${s}'.`);
			if (s[j] === "'") {
				if (s[j + 1] === "'") {
					value += "'";
					j += 2;
					continue;
				}
				return { value, next: j + 1 };
			}
			value += s[j++];
		}
	}
}

// ---------------------------------------------------------------- parser

type Node =
	| { kind: 'lit'; edm: EdmType | 'Null'; value: unknown; pos: number }
	| { kind: 'prop'; name: string; pos: number }
	| { kind: 'bin'; op: string; left: Node; right: Node; pos: number }
	| { kind: 'not'; operand: Node; pos: number }
	| { kind: 'call'; name: string; args: Node[]; pos: number };

const COMPARISON = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const OP_KIND: Record<string, string> = {
	eq: 'Equal',
	ne: 'NotEqual',
	gt: 'GreaterThan',
	ge: 'GreaterThanOrEqual',
	lt: 'LessThan',
	le: 'LessThanOrEqual',
	and: 'And',
	or: 'Or',
};
const FUNCTIONS: Record<string, { params: EdmType[]; returns: EdmType }> = {
	startswith: { params: ['Edm.String', 'Edm.String'], returns: 'Edm.Boolean' },
	endswith: { params: ['Edm.String', 'Edm.String'], returns: 'Edm.Boolean' },
	substringof: { params: ['Edm.String', 'Edm.String'], returns: 'Edm.Boolean' },
	tolower: { params: ['Edm.String'], returns: 'Edm.String' },
	toupper: { params: ['Edm.String'], returns: 'Edm.String' },
};

class Parser {
	private i = 0;
	constructor(
		private readonly toks: Token[],
		private readonly src: string,
	) {}

	private get tok(): Token {
		return this.toks[this.i];
	}

	private isIdent(text: string): boolean {
		return this.tok.kind === 'ident' && this.tok.text === text;
	}

	parseFilter(): Node {
		const node = this.parseOr();
		this.expectEnd();
		return node;
	}

	expectEnd(): void {
		if (this.tok.kind !== 'end') throw new ODataError(`Syntax error at position ${this.tok.pos} in '${this.src}'.`);
	}

	private parseOr(): Node {
		let left = this.parseAnd();
		while (this.isIdent('or')) {
			const pos = this.tok.pos;
			this.i++;
			left = { kind: 'bin', op: 'or', left, right: this.parseAnd(), pos };
		}
		return left;
	}

	private parseAnd(): Node {
		let left = this.parseComparison();
		while (this.isIdent('and')) {
			const pos = this.tok.pos;
			this.i++;
			left = { kind: 'bin', op: 'and', left, right: this.parseComparison(), pos };
		}
		return left;
	}

	private parseComparison(): Node {
		let left = this.parseUnary();
		while (this.tok.kind === 'ident' && COMPARISON.has(this.tok.text)) {
			const op = this.tok.text;
			const pos = this.tok.pos;
			this.i++;
			left = { kind: 'bin', op, left, right: this.parseUnary(), pos };
		}
		return left;
	}

	private parseUnary(): Node {
		if (this.isIdent('not') && this.toks[this.i + 1].kind !== 'end') {
			const pos = this.tok.pos;
			this.i++;
			return { kind: 'not', operand: this.parseUnary(), pos };
		}
		return this.parsePrimary();
	}

	private parsePrimary(): Node {
		const t = this.tok;
		switch (t.kind) {
			case 'lparen': {
				this.i++;
				const inner = this.parseOr();
				if (this.tok.kind !== 'rparen')
					throw new ODataError(`')' or operator expected at position ${this.tok.pos} in '${this.src}'.`);
				this.i++;
				return inner;
			}
			case 'string':
				this.i++;
				return { kind: 'lit', edm: 'Edm.String', value: t.value, pos: t.pos };
			case 'number':
				this.i++;
				return { kind: 'lit', edm: t.edm!, value: this.checkNumber(t), pos: t.pos };
			case 'typed':
				this.i++;
				return { kind: 'lit', edm: t.edm!, value: this.checkTyped(t), pos: t.pos };
			case 'ident': {
				if (t.text === 'true' || t.text === 'false') {
					this.i++;
					return { kind: 'lit', edm: 'Edm.Boolean', value: t.text === 'true', pos: t.pos };
				}
				if (t.text === 'null') {
					this.i++;
					return { kind: 'lit', edm: 'Null', value: null, pos: t.pos };
				}
				if (OP_KIND[t.text] || t.text === 'not')
					throw new ODataError(`Expression expected at position ${t.pos} in '${this.src}'.`);
				this.i++;
				if (this.tok.kind === 'lparen') return this.parseCall(t);
				return { kind: 'prop', name: t.text, pos: t.pos };
			}
			default:
				throw new ODataError(`Expression expected at position ${t.pos} in '${this.src}'.`);
		}
	}

	private parseCall(name: Token): Node {
		if (!FUNCTIONS[name.text])
			throw new ODataError(`Unknown function '${name.text}' at position ${name.pos} in '${this.src}'.`);
		this.i++; // (
		const args: Node[] = [];
		if (this.tok.kind !== 'rparen') {
			for (;;) {
				args.push(this.parseOr());
				if (this.tok.kind === 'comma') {
					this.i++;
					continue;
				}
				break;
			}
		}
		if (this.tok.kind !== 'rparen')
			throw new ODataError(`')' or ',' expected at position ${this.tok.pos} in '${this.src}'.`);
		this.i++;
		return { kind: 'call', name: name.text, args, pos: name.pos };
	}

	private checkNumber(t: Token): string {
		const raw = t.value!;
		const bad = () => new ODataError(`Unrecognized '${t.edm}' literal '${t.text}' at '${t.pos}' in '${this.src}'.`);
		if (t.edm === 'Edm.Int32') {
			const v = BigInt(raw);
			if (v > 2147483647n || v < -2147483648n) throw bad();
		} else if (t.edm === 'Edm.Int64') {
			if (!/^-?\d+$/.test(raw)) throw bad();
			const v = BigInt(raw);
			if (v > 9223372036854775807n || v < -9223372036854775808n) throw bad();
		} else if (t.edm === 'Edm.Decimal') {
			// .NET decimal: at most 29 significant digits
			if (raw.replace(/[-.]/g, '').replace(/^0+/, '').length > 29 || /[eE]/.test(raw)) throw bad();
		} else {
			// Double/Single: the server parses a binary floating point number — keep its (lossy) value.
			return String(Number(raw));
		}
		return raw;
	}

	private checkTyped(t: Token): unknown {
		const v = t.value!;
		if (t.edm === 'Edm.Guid') {
			if (!/^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/.test(v))
				throw new ODataError(`Unrecognized 'Edm.Guid' literal '${t.text}' at '${t.pos}' in '${this.src}'.`);
			return v.toLowerCase();
		}
		const ms = parseDateTime(v);
		if (ms === undefined)
			throw new ODataError(`Unrecognized '${t.edm}' literal '${t.text}' at '${t.pos}' in '${this.src}'.`);
		return ms;
	}

	parseOrderBy(schema: Schema): Array<{ field: string; desc: boolean }> {
		const keys: Array<{ field: string; desc: boolean }> = [];
		for (;;) {
			const t = this.tok;
			if (t.kind !== 'ident' || OP_KIND[t.text])
				throw new ODataError(`Expression expected at position ${t.pos} in '${this.src}'.`);
			this.i++;
			const type = fieldType(schema, t.text);
			if (type === 'Complex')
				throw new ODataError('The $orderby expression must evaluate to a single value of primitive type.');
			let desc = false;
			if (this.isIdent('asc') || this.isIdent('desc')) {
				desc = this.tok.text === 'desc';
				this.i++;
			}
			keys.push({ field: t.text, desc });
			if (this.tok.kind === 'comma') {
				this.i++;
				continue;
			}
			this.expectEnd();
			return keys;
		}
	}
}

function fieldType(schema: Schema, name: string): EdmType {
	const t = schema.fields[name];
	if (!t) throw new ODataError(`Could not find a property named '${name}' on type '${schema.typeName}'.`);
	return t;
}

export function parseDateTime(v: string): number | undefined {
	const m = /^(\d{4})-(\d\d)-(\d\d)(?:T(\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,7}))?)?)?(Z|[+-]\d\d:\d\d)?$/.exec(v);
	if (!m) return undefined;
	const frac = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
	let ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), Math.floor(frac));
	if (Number.isNaN(ms)) return undefined;
	if (m[8] && m[8] !== 'Z') {
		const sign = m[8][0] === '-' ? -1 : 1;
		ms -= sign * (Number(m[8].slice(1, 3)) * 60 + Number(m[8].slice(4, 6))) * 60000;
	}
	return ms;
}

// ---------------------------------------------------------------- type check

type Cat = 'num' | 'str' | 'bool' | 'date' | 'guid' | 'null' | 'complex';
function category(t: EdmType | 'Null'): Cat {
	switch (t) {
		case 'Edm.Int32':
		case 'Edm.Int64':
		case 'Edm.Decimal':
		case 'Edm.Double':
		case 'Edm.Single':
			return 'num';
		case 'Edm.String':
			return 'str';
		case 'Edm.Boolean':
			return 'bool';
		case 'Edm.DateTime':
		case 'Edm.DateTimeOffset':
			return 'date';
		case 'Edm.Guid':
			return 'guid';
		case 'Null':
			return 'null';
		default:
			return 'complex';
	}
}

function typeCheck(node: Node, schema: Schema): EdmType | 'Null' {
	switch (node.kind) {
		case 'lit':
			return node.edm;
		case 'prop':
			return fieldType(schema, node.name);
		case 'not': {
			const t = typeCheck(node.operand, schema);
			if (t !== 'Edm.Boolean' && t !== 'Null')
				throw new ODataError(
					`A unary operator with an incompatible type was detected. Found operand type '${t}' for operator kind 'Not'.`,
				);
			return 'Edm.Boolean';
		}
		case 'bin': {
			const l = typeCheck(node.left, schema);
			const r = typeCheck(node.right, schema);
			const cl = category(l);
			const cr = category(r);
			const incompatible = () =>
				new ODataError(
					`A binary operator with incompatible types was detected. Found operand types '${l}' and '${r}' for operator kind '${OP_KIND[node.op]}'.`,
				);
			if (node.op === 'and' || node.op === 'or') {
				if ((cl !== 'bool' && cl !== 'null') || (cr !== 'bool' && cr !== 'null')) throw incompatible();
				return 'Edm.Boolean';
			}
			if (cl === 'complex' || cr === 'complex') throw incompatible();
			if (cl !== 'null' && cr !== 'null' && cl !== cr) throw incompatible();
			if ((cl === 'bool' || cr === 'bool') && node.op !== 'eq' && node.op !== 'ne') throw incompatible();
			return 'Edm.Boolean';
		}
		case 'call': {
			const fn = FUNCTIONS[node.name];
			const types = node.args.map((a) => typeCheck(a, schema));
			const ok =
				types.length === fn.params.length && types.every((t, i) => t === 'Null' || category(t) === category(fn.params[i]));
			if (!ok) {
				const sig = `${node.name}(${fn.params.map((p) => `${p} Nullable=true`).join(', ')})`;
				throw new ODataError(
					`No function signature for the function with name '${node.name}' matches the specified arguments. The function signatures considered are: ${sig}.`,
				);
			}
			return fn.returns;
		}
	}
}

// ---------------------------------------------------------------- evaluation

type Val = null | { k: 'n'; d: Dec } | { k: 's'; v: string } | { k: 'b'; v: boolean } | { k: 't'; v: number };

interface EvalOptions {
	caseSensitive: boolean;
}

function fieldValue(rec: Record<string, unknown>, name: string, type: EdmType): Val {
	const v = rec[name];
	if (v === null || v === undefined) return null;
	switch (category(type)) {
		case 'num':
			return typeof v === 'bigint' || typeof v === 'number' || typeof v === 'string' ? { k: 'n', d: toDec(v) } : null;
		case 'bool':
			return { k: 'b', v: Boolean(v) };
		case 'date': {
			const ms = typeof v === 'string' ? parseDateTime(v) : undefined;
			return ms === undefined ? null : { k: 't', v: ms };
		}
		case 'str':
		case 'guid':
			return { k: 's', v: String(v) };
		default:
			return null;
	}
}

function literalValue(node: Extract<Node, { kind: 'lit' }>): Val {
	if (node.value === null) return null;
	switch (category(node.edm)) {
		case 'num':
			return { k: 'n', d: toDec(node.value as string) };
		case 'bool':
			return { k: 'b', v: node.value as boolean };
		case 'date':
			return { k: 't', v: node.value as number };
		default:
			return { k: 's', v: node.value as string };
	}
}

function compareVals(a: Exclude<Val, null>, b: Exclude<Val, null>, o: EvalOptions): number {
	if (a.k === 'n' && b.k === 'n') return cmpDec(a.d, b.d);
	if (a.k === 's' && b.k === 's') {
		const x = o.caseSensitive ? a.v : a.v.toLowerCase();
		const y = o.caseSensitive ? b.v : b.v.toLowerCase();
		return x < y ? -1 : x > y ? 1 : 0;
	}
	if (a.k === 'b' && b.k === 'b') return Number(a.v) - Number(b.v);
	if (a.k === 't' && b.k === 't') return a.v - b.v;
	return 0;
}

function evaluate(node: Node, rec: Record<string, unknown>, schema: Schema, o: EvalOptions): Val {
	switch (node.kind) {
		case 'lit':
			return literalValue(node);
		case 'prop':
			return fieldValue(rec, node.name, schema.fields[node.name]);
		case 'not': {
			const v = evaluate(node.operand, rec, schema, o);
			return { k: 'b', v: !(v?.k === 'b' && v.v) };
		}
		case 'bin': {
			if (node.op === 'and' || node.op === 'or') {
				const l = truthy(evaluate(node.left, rec, schema, o));
				if (node.op === 'and' && !l) return { k: 'b', v: false };
				if (node.op === 'or' && l) return { k: 'b', v: true };
				return { k: 'b', v: truthy(evaluate(node.right, rec, schema, o)) };
			}
			const l = evaluate(node.left, rec, schema, o);
			const r = evaluate(node.right, rec, schema, o);
			// C# null semantics (Web API OData null propagation): null == null, null != x, null < x is false.
			if (l === null || r === null) {
				if (node.op === 'eq') return { k: 'b', v: l === r };
				if (node.op === 'ne') return { k: 'b', v: l !== r };
				return { k: 'b', v: false };
			}
			const c = compareVals(l, r, o);
			const res =
				node.op === 'eq'
					? c === 0
					: node.op === 'ne'
						? c !== 0
						: node.op === 'gt'
							? c > 0
							: node.op === 'ge'
								? c >= 0
								: node.op === 'lt'
									? c < 0
									: c <= 0;
			return { k: 'b', v: res };
		}
		case 'call': {
			const args = node.args.map((a) => evaluate(a, rec, schema, o));
			if (args.some((a) => a === null || a.k !== 's')) return node.name.startsWith('to') ? null : { k: 'b', v: false };
			const s = args.map((a) => (a as { v: string }).v);
			const norm = (x: string) => (o.caseSensitive ? x : x.toLowerCase());
			switch (node.name) {
				case 'startswith':
					return { k: 'b', v: norm(s[0]).startsWith(norm(s[1])) };
				case 'endswith':
					return { k: 'b', v: norm(s[0]).endsWith(norm(s[1])) };
				case 'substringof':
					// v3 argument order: substringof('needle', Field)
					return { k: 'b', v: norm(s[1]).includes(norm(s[0])) };
				case 'tolower':
					return { k: 's', v: s[0].toLowerCase() };
				default:
					return { k: 's', v: s[0].toUpperCase() };
			}
		}
	}
}

function truthy(v: Val): boolean {
	return v !== null && v.k === 'b' && v.v;
}

// ---------------------------------------------------------------- public API

export interface QueryOptions {
	caseSensitive?: boolean;
	pageCap?: number;
}

export interface QueryResult<T> {
	page: T[];
	total: number;
}

/** Compile a `$filter` into a predicate (throws {@link ODataError} for malformed input). */
export function compileFilter(
	filter: string,
	schema: Schema,
	options: QueryOptions = {},
): (rec: Record<string, unknown>) => boolean {
	if (filter.trim() === '') throw new ODataError(`Expression expected at position 0 in '${filter}'.`);
	const ast = new Parser(lex(filter), filter).parseFilter();
	const t = typeCheck(ast, schema);
	if (t !== 'Edm.Boolean') throw new ODataError('The $filter expression must evaluate to a single boolean value.');
	const o = { caseSensitive: options.caseSensitive ?? false };
	return (rec) => truthy(evaluate(ast, rec, schema, o));
}

function parseCount(name: string, raw: string): number {
	if (!/^\d+$/.test(raw) || Number(raw) > 2147483647)
		throw new ODataError(
			`Invalid value '${raw}' for ${name} query option found. The ${name} query option requires a non-negative integer value.`,
		);
	return Number(raw);
}

/** Apply `$filter`, `$orderby`, `$skip`, `$top` (capped at 100) to a collection. */
export function applyQuery<T extends object>(
	records: T[],
	query: Record<string, string>,
	schema: Schema,
	options: QueryOptions = {},
): QueryResult<T> {
	const o = { caseSensitive: options.caseSensitive ?? false };
	let rows = records;
	if (query.$filter !== undefined) {
		const pred = compileFilter(query.$filter, schema, options);
		rows = rows.filter((r) => pred(r as Record<string, unknown>));
	}
	if (query.$orderby !== undefined) {
		const src = query.$orderby;
		const keys = new Parser(lex(src), src).parseOrderBy(schema);
		rows = [...rows].sort((a, b) => {
			for (const key of keys) {
				const t = schema.fields[key.field];
				const x = fieldValue(a as Record<string, unknown>, key.field, t);
				const y = fieldValue(b as Record<string, unknown>, key.field, t);
				// SQL Server orders NULL first ascending.
				const c = x === null ? (y === null ? 0 : -1) : y === null ? 1 : compareVals(x, y, o);
				if (c !== 0) return key.desc ? -c : c;
			}
			return 0;
		});
	}
	const skip = query.$skip !== undefined ? parseCount('$skip', query.$skip) : 0;
	const cap = options.pageCap ?? PAGE_CAP;
	const top = query.$top !== undefined ? Math.min(parseCount('$top', query.$top), cap) : cap;
	return { page: rows.slice(skip, skip + top), total: rows.length };
}
