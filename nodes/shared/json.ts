/**
 * Lossless JSON: VSA ids are 15–26-digit integers that the server sends as JSON numbers. JSON.parse
 * would round anything above 2^53, so integer literals of 15 or more digits become strings before
 * parsing. The same rule for every field keeps one field's type stable across records.
 */
export const LONG_INTEGER_DIGITS = 15;

export function parseJsonLossless(text: string): unknown {
	return JSON.parse(quoteLongIntegers(text));
}

export function quoteLongIntegers(text: string): string {
	let out = '';
	let i = 0;
	let copiedUpTo = 0;
	const n = text.length;
	while (i < n) {
		const c = text.charCodeAt(i);
		if (c === 34 /* " */) {
			i++;
			while (i < n) {
				const d = text.charCodeAt(i);
				if (d === 92 /* \ */) i += 2;
				else if (d === 34) {
					i++;
					break;
				} else i++;
			}
			continue;
		}
		if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
			const start = i;
			if (c === 45) i++;
			while (i < n && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
			const digits = i - start - (c === 45 ? 1 : 0);
			const next = text[i];
			const isInteger = next !== '.' && next !== 'e' && next !== 'E';
			if (isInteger && digits >= LONG_INTEGER_DIGITS) {
				out += text.slice(copiedUpTo, start) + '"' + text.slice(start, i) + '"';
				copiedUpTo = i;
			}
			while (i < n && /[0-9.eE+-]/.test(text[i])) i++;
			continue;
		}
		i++;
	}
	return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}
