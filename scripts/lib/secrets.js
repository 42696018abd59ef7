'use strict';
/** Leak scan: does any text contain one of the secrets? Findings never print a secret, only a mask. */

function mask(secret) {
	const s = String(secret);
	return `${s.slice(0, 3)}…(${s.length} chars)`;
}

function contains(text, secret) {
	if (/^\d+$/.test(secret)) {
		// Numeric tokens (VSA session tokens): only as a whole number, not inside a longer digit run (IDs).
		return new RegExp(`(?<!\\d)${secret}(?!\\d)`).test(text);
	}
	return text.includes(secret);
}

/**
 * @param {Array<{label: string, text: string}>} sources
 * @param {Iterable<string>} secrets
 * @returns {Array<{label: string, secret: string, context: string}>} secret is masked
 */
function scanForSecrets(sources, secrets) {
	const list = [...new Set([...secrets].filter((s) => typeof s === 'string' && s.length >= 6))];
	const findings = [];
	for (const { label, text } of sources) {
		if (!text) continue;
		for (const s of list) {
			if (!contains(text, s)) continue;
			const i = text.indexOf(s);
			const context = text.slice(Math.max(0, i - 60), i).replace(/\s+/g, ' ');
			findings.push({ label, secret: mask(s), context: `${context}<secret>` });
		}
	}
	return findings;
}

module.exports = { scanForSecrets, mask };
