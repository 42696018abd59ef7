'use strict';
/**
 * The results chart as SVG text (no dependency): one panel per comparison, horizontal bars of the
 * medians (ours in blue, n8n's HTTP Request node in grey/orange), the value at the end of each bar,
 * the min–max range as a thin whisker, and the ratio of medians in the panel title.
 */

const COLORS = { ours: '#1f6feb', ours2: '#8cc4ff', http: '#8c959f', alt: '#d4843e', bound: '#2da44e' };
const FONT = "font-family='system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif'";

function esc(s) {
	return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * @param {{title: string, subtitle?: string, panels: Array<{title: string, note?: string, unit: string,
 *   format: (v: number) => string, bars: Array<{label: string, kind: 'ours'|'ours2'|'http'|'alt'|'bound',
 *   median: number, min?: number, max?: number}>}>}} chart
 * @returns {string}
 */
function renderChart(chart) {
	const width = 960;
	const left = 300;
	const right = 150;
	const barH = 22;
	const gap = 6;
	const plotW = width - left - right;
	let y = 70;
	const parts = [];
	for (const panel of chart.panels) {
		const bars = panel.bars.filter((b) => Number.isFinite(b.median));
		if (!bars.length) continue;
		const maxV = Math.max(...bars.map((b) => Math.max(b.median, Number.isFinite(b.max) ? b.max : 0)));
		const scale = maxV > 0 ? plotW / maxV : 0;
		parts.push(`<text x='20' y='${y}' ${FONT} font-size='15' font-weight='600' fill='#1f2328'>${esc(panel.title)}</text>`);
		if (panel.note) parts.push(`<text x='${width - 20}' y='${y}' ${FONT} font-size='13' text-anchor='end' fill='#57606a'>${esc(panel.note)}</text>`);
		y += 12;
		for (const b of bars) {
			const w = Math.max(1, b.median * scale);
			const color = COLORS[b.kind] || COLORS.http;
			parts.push(`<text x='${left - 10}' y='${y + barH * 0.7}' ${FONT} font-size='13' text-anchor='end' fill='#1f2328'>${esc(b.label)}</text>`);
			if (b.kind === 'bound') {
				parts.push(`<rect x='${left}' y='${y + 4}' width='${w.toFixed(1)}' height='${barH - 8}' fill='none' stroke='${color}' stroke-width='2' stroke-dasharray='4 3'/>`);
			} else {
				parts.push(`<rect x='${left}' y='${y}' width='${w.toFixed(1)}' height='${barH}' rx='3' fill='${color}'/>`);
			}
			if (Number.isFinite(b.min) && Number.isFinite(b.max) && b.max > b.min) {
				const x1 = left + b.min * scale;
				const x2 = left + b.max * scale;
				const cy = y + barH / 2;
				parts.push(`<line x1='${x1.toFixed(1)}' y1='${cy}' x2='${x2.toFixed(1)}' y2='${cy}' stroke='#1f2328' stroke-width='1.5'/>`);
				parts.push(`<line x1='${x1.toFixed(1)}' y1='${cy - 5}' x2='${x1.toFixed(1)}' y2='${cy + 5}' stroke='#1f2328' stroke-width='1.5'/>`);
				parts.push(`<line x1='${x2.toFixed(1)}' y1='${cy - 5}' x2='${x2.toFixed(1)}' y2='${cy + 5}' stroke='#1f2328' stroke-width='1.5'/>`);
			}
			const labelX = left + Math.max(w, Number.isFinite(b.max) ? b.max * scale : 0) + 8;
			parts.push(`<text x='${labelX.toFixed(1)}' y='${y + barH * 0.7}' ${FONT} font-size='13' fill='#1f2328'>${esc(panel.format(b.median))}</text>`);
			y += barH + gap;
		}
		y += 26;
	}
	// Legend, wrapped onto a second line when it does not fit (≈7.4 px per character at 13 px).
	const legend = [
		[COLORS.ours, 'this package, defaults', false],
		[COLORS.ours2, 'this package, other concurrency', false],
		[COLORS.http, "n8n's HTTP Request node", false],
		[COLORS.alt, 'HTTP Request, batching set', false],
		[COLORS.bound, 'lower bound', true],
	];
	let lx = 20;
	let legendY = 46;
	const legendParts = [];
	for (const [c, t, dashed] of legend) {
		const w = 30 + t.length * 7.4;
		if (lx + w > width - 10) {
			lx = 20;
			legendY += 20;
		}
		legendParts.push(dashed
			? `<rect x='${lx}' y='${legendY - 10}' width='16' height='12' fill='none' stroke='${c}' stroke-width='2' stroke-dasharray='4 3'/>`
			: `<rect x='${lx}' y='${legendY - 11}' width='14' height='14' rx='2' fill='${c}'/>`);
		legendParts.push(`<text x='${lx + (dashed ? 24 : 20)}' y='${legendY}' ${FONT} font-size='13' fill='#1f2328'>${esc(t)}</text>`);
		lx += w;
	}
	const shift = legendY - 46;
	if (shift) for (let i = 0; i < parts.length; i++) parts[i] = parts[i].replace(/ y(1|2)?='(-?[0-9.]+)'/g, (m, k, v) => ` y${k || ''}='${(Number(v) + shift).toFixed(1)}'`);
	parts.unshift(...legendParts);
	y += shift;
	const height = y + 30;
	const head = [
		`<svg xmlns='http://www.w3.org/2000/svg' width='${width}' height='${height}' viewBox='0 0 ${width} ${height}'>`,
		`<rect width='${width}' height='${height}' fill='#ffffff'/>`,
		`<text x='20' y='24' ${FONT} font-size='18' font-weight='700' fill='#1f2328'>${esc(chart.title)}</text>`,
	];
	const foot = [];
	if (chart.subtitle) foot.push(`<text x='20' y='${height - 12}' ${FONT} font-size='12' fill='#57606a'>${esc(chart.subtitle)}</text>`);
	return `${[...head, ...parts, ...foot, '</svg>'].join('\n')}\n`;
}

module.exports = { renderChart, COLORS };
