/**
 * Lossless JSON: VSA ids are 15–26-digit integers that the server sends as JSON numbers. JSON.parse
 * would round anything above 2^53, so integer literals of 15 or more digits become strings before
 * parsing. The same rule for every field keeps one field's type stable across records.
 */
export const LONG_INTEGER_DIGITS = 15;

/**
 * The scanner, then JSON.parse: 0.36 ms of CPU for a 120 KB page of 100 VSA agents on Node 24 (0.15
 * ms scan + 0.2 ms parse). Node ≥ 21's reviver with the number's source text (parseJsonWithSource)
 * gives the same result but took 1.8 ms for the same page: V8 calls the reviver for every value,
 * and a reviver that returns its value unchanged already costs 1.7 ms (bench/micro/json.js).
 */
export function parseJsonLossless(text: string): unknown {
	return JSON.parse(quoteLongIntegers(text));
}

const QUOTE = 34;
const BACKSLASH = 92;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const LOWER_E = 101;
const UPPER_E = 69;

/** Quotes every integer literal of LONG_INTEGER_DIGITS or more digits outside strings; returns the text itself when there is none. */
export function quoteLongIntegers(text: string): string {
	let out = '';
	let i = 0;
	let copiedUpTo = 0;
	const n = text.length;
	while (i < n) {
		const c = text.charCodeAt(i);
		if (c === QUOTE) {
			i = endOfString(text, i);
			continue;
		}
		if (c === MINUS || (c >= ZERO && c <= NINE)) {
			const start = i;
			if (c === MINUS) i++;
			let d = text.charCodeAt(i);
			while (d >= ZERO && d <= NINE) d = text.charCodeAt(++i);
			const digits = i - start - (c === MINUS ? 1 : 0);
			if (digits >= LONG_INTEGER_DIGITS && d !== DOT && d !== LOWER_E && d !== UPPER_E) {
				out += `${text.slice(copiedUpTo, start)}"${text.slice(start, i)}"`;
				copiedUpTo = i;
			}
			// The rest of a number (fraction, exponent) is never quoted.
			while ((d >= ZERO && d <= NINE) || d === DOT || d === LOWER_E || d === UPPER_E || d === PLUS || d === MINUS) d = text.charCodeAt(++i);
			continue;
		}
		i++;
	}
	return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

/** Index after the closing quote of the string that opens at `open` (the text's end if it is never closed). */
function endOfString(text: string, open: number): number {
	let close = text.indexOf('"', open + 1);
	while (close !== -1) {
		// A quote preceded by an odd number of backslashes is escaped.
		let backslashes = 0;
		for (let b = close - 1; text.charCodeAt(b) === BACKSLASH; b--) backslashes++;
		if (backslashes % 2 === 0) return close + 1;
		close = text.indexOf('"', close + 1);
	}
	return text.length;
}

type SourceReviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;

/** Whether this JavaScript engine passes JSON.parse revivers the source text of a primitive (Node ≥ 21). */
export const JSON_PARSE_HAS_SOURCE: boolean = (() => {
	let hasSource = false;
	try {
		JSON.parse('1', ((_key, value, context) => {
			hasSource = typeof context?.source === 'string';
			return value;
		}) as SourceReviver as Parameters<typeof JSON.parse>[1]);
	} catch {
		hasSource = false;
	}
	return hasSource;
})();

const keepLongInteger: SourceReviver = (_key, value, context) => {
	if (typeof value !== 'number' || context?.source === undefined) return value;
	const source = context.source;
	const digits = source.charCodeAt(0) === MINUS ? source.length - 1 : source.length;
	if (digits < LONG_INTEGER_DIGITS) return value;
	for (let i = 0; i < source.length; i++) {
		const c = source.charCodeAt(i);
		if (c === DOT || c === LOWER_E || c === UPPER_E) return value;
	}
	return source;
};

/**
 * The same result as parseJsonLossless from Node ≥ 21's JSON.parse source text, without a scan; on
 * an older engine it falls back to parseJsonLossless. Not used on the hot path: it is slower (see
 * parseJsonLossless); test/unit/jsonLossless.test.ts checks both give identical results.
 */
export function parseJsonWithSource(text: string): unknown {
	if (!JSON_PARSE_HAS_SOURCE) return parseJsonLossless(text);
	return JSON.parse(text, keepLongInteger as Parameters<typeof JSON.parse>[1]);
}
