/**
 * Lossless JSON for the VSA emulator.
 *
 * VSA ids are 15–26-digit decimals that the real server prints as bare JSON numbers (KAT VSAModule/CHANGELOG.md:
 * numeric `AgentId`/`OrgId`, string `TenantId`/`ScopeId`). The store keeps such ids as `bigint` and
 * this serializer prints them as digits, unquoted, so a client that parses with `JSON.parse` loses
 * precision exactly as it would against the real server.
 *
 * Request bodies are parsed losslessly too: numbers keep their source text, because the server
 * rejects `7.0` where it expects an integer (KAT VSAModule/CHANGELOG.md) and ids in bodies may exceed 2^53.
 */

/** A JSON number as written by the client (`raw` is the literal text, e.g. `7.0`, `1e3`, `12345678901234567890`). */
export class JsonNumber {
	constructor(
		readonly raw: string,
		/** Offset just past the literal, for Json.NET-style "line 1, position N" messages. */
		readonly end: number,
		readonly line: number,
	) {}

	/** Integer literal syntax: no fraction, no exponent. */
	get isIntegerLiteral(): boolean {
		return /^-?\d+$/.test(this.raw);
	}

	toBigInt(): bigint {
		return BigInt(this.raw);
	}

	toNumber(): number {
		return Number(this.raw);
	}
}

export class JsonSyntaxError extends Error {}

/** Parse JSON keeping every number as a {@link JsonNumber}. Throws {@link JsonSyntaxError}. */
export function parseJsonLossless(text: string): unknown {
	let i = 0;
	let line = 1;
	const fail = (what: string): never => {
		throw new JsonSyntaxError(`${what}. Path '', line ${line}, position ${i}.`);
	};
	const ws = () => {
		while (i < text.length && /\s/.test(text[i])) {
			if (text[i] === '\n') line++;
			i++;
		}
	};
	const value = (): unknown => {
		ws();
		const c = text[i];
		if (c === '{') {
			i++;
			const obj: Record<string, unknown> = {};
			ws();
			if (text[i] === '}') {
				i++;
				return obj;
			}
			for (;;) {
				ws();
				if (text[i] !== '"') fail('Invalid property identifier character');
				const key = str();
				ws();
				if (text[i] !== ':') fail("Invalid character after parsing property name. Expected ':'");
				i++;
				obj[key] = value();
				ws();
				if (text[i] === ',') {
					i++;
					continue;
				}
				if (text[i] === '}') {
					i++;
					return obj;
				}
				fail('After parsing a value an unexpected character was encountered');
			}
		}
		if (c === '[') {
			i++;
			const arr: unknown[] = [];
			ws();
			if (text[i] === ']') {
				i++;
				return arr;
			}
			for (;;) {
				arr.push(value());
				ws();
				if (text[i] === ',') {
					i++;
					continue;
				}
				if (text[i] === ']') {
					i++;
					return arr;
				}
				fail('After parsing a value an unexpected character was encountered');
			}
		}
		if (c === '"') return str();
		const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
		if (m && m[0] !== '' && m[0] !== '-') {
			i += m[0].length;
			return new JsonNumber(m[0], i, line);
		}
		for (const [word, v] of [
			['true', true],
			['false', false],
			['null', null],
		] as const) {
			if (text.startsWith(word, i)) {
				i += word.length;
				return v;
			}
		}
		return fail(`Unexpected character encountered while parsing value: ${c ?? 'end of input'}`);
	};
	const str = (): string => {
		const start = i;
		i++;
		while (i < text.length && text[i] !== '"') {
			if (text[i] === '\\') i++;
			i++;
		}
		if (i >= text.length) fail('Unterminated string. Expected delimiter: "');
		i++;
		try {
			return JSON.parse(text.slice(start, i)) as string;
		} catch {
			return fail('Bad string escape');
		}
	};
	const v = value();
	ws();
	if (i < text.length) fail('Additional text encountered after finished reading JSON content');
	return v;
}

/** Serialize with `bigint` printed as a bare JSON number; `undefined` members are skipped. */
export function toJson(value: unknown): string {
	if (value === null || value === undefined) return 'null';
	switch (typeof value) {
		case 'bigint':
			return value.toString();
		case 'number':
			return Number.isFinite(value) ? JSON.stringify(value) : 'null';
		case 'string':
		case 'boolean':
			return JSON.stringify(value);
		case 'object': {
			if (value instanceof JsonNumber) return value.raw;
			if (Array.isArray(value)) return `[${value.map((v) => toJson(v)).join(',')}]`;
			const parts: string[] = [];
			for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
				if (v === undefined || typeof v === 'function') continue;
				parts.push(`${JSON.stringify(k)}:${toJson(v)}`);
			}
			return `{${parts.join(',')}}`;
		}
		default:
			return 'null';
	}
}

/** For the control API (plain JSON.stringify): bigint → decimal string. */
export function toPlainJson(value: unknown): unknown {
	return JSON.parse(
		JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof JsonNumber ? v.raw : v)),
	);
}

/** Deep copy of a record so callers cannot mutate the store through a response object. */
export function clone<T>(v: T): T {
	if (v === null || typeof v !== 'object') return v;
	if (Array.isArray(v)) return v.map((x) => clone(x)) as unknown as T;
	const out: Record<string, unknown> = {};
	for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = clone(x);
	return out as T;
}
