'use strict';
/** Small statistics and number formatting for the benchmark (no dependencies). */

function sorted(values) {
	return values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
}

function median(values) {
	const s = sorted(values);
	if (!s.length) return NaN;
	const m = Math.floor(s.length / 2);
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function summary(values) {
	const s = sorted(values);
	return { n: s.length, median: median(s), min: s.length ? s[0] : NaN, max: s.length ? s[s.length - 1] : NaN };
}

/** "1,234 ms", "2.41 s" */
function fmtMs(ms) {
	if (!Number.isFinite(ms)) return '—';
	if (ms >= 10000) return `${(ms / 1000).toFixed(1)} s`;
	if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
	return `${Math.round(ms)} ms`;
}

function fmtMb(bytes) {
	if (!Number.isFinite(bytes)) return '—';
	return `${Math.round(bytes / (1024 * 1024))} MB`;
}

function fmtKb(bytes) {
	if (!Number.isFinite(bytes)) return '—';
	return `${(bytes / 1024).toFixed(1)} KB`;
}

function fmtRatio(r) {
	if (!Number.isFinite(r)) return '—';
	return `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

/** Format a value in its unit. */
function fmt(value, unit) {
	if (unit === 'ms') return fmtMs(value);
	if (unit === 'bytes') return fmtMb(value);
	if (unit === 'kb') return fmtKb(value);
	if (!Number.isFinite(value)) return '—';
	return `${Number.isInteger(value) ? value : value.toFixed(1)}${unit ? ` ${unit}` : ''}`;
}

module.exports = { median, summary, fmtMs, fmtMb, fmtKb, fmtRatio, fmt };
