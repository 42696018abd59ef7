'use strict';
/** Reading `n8n execute` results: node outputs, last node, short readable summaries. */

/** Items (json) that node `name` output on its main outputs (all outputs concatenated, last run). */
function nodeItems(run, name) {
	const runs = run && run.data && run.data.resultData && run.data.resultData.runData && run.data.resultData.runData[name];
	if (!runs || !runs.length) return null;
	const last = runs[runs.length - 1];
	const main = (last.data && last.data.main) || [];
	return main.flatMap((out) => (out || []).map((i) => i.json));
}

/** Name of the node that ran last and its output items. */
function lastNode(run) {
	const rd = (run && run.data && run.data.resultData) || {};
	let name = rd.lastNodeExecuted;
	if (!name && rd.runData) {
		const names = Object.keys(rd.runData);
		name = names[names.length - 1];
	}
	return { name: name || '', items: (name && nodeItems(run, name)) || [] };
}

/** Nodes that ran, in order, with their item counts: "Manual Trigger(1) → Get agents(12) → …". */
function path(run) {
	const rd = (run && run.data && run.data.resultData && run.data.resultData.runData) || {};
	return Object.entries(rd)
		.sort((a, b) => ((a[1][0] && a[1][0].startTime) || 0) - ((b[1][0] && b[1][0].startTime) || 0))
		.map(([n]) => `${n}(${(nodeItems(run, n) || []).length})`).join(' → ');
}

function get(obj, dotted) {
	return dotted.split('.').reduce((o, k) => (o === null || o === undefined ? undefined : o[k]), obj);
}

function fmt(v) {
	if (v === null || v === undefined) return '—';
	if (Array.isArray(v)) return `[${v.length}]`;
	if (typeof v === 'object') return JSON.stringify(v).slice(0, 40);
	return String(v);
}

/** "k1=v1, k2=v2" from the first item, using `fields` or the first few scalar fields. */
function keyFields(item, fields, max = 4) {
	if (!item) return '';
	const keys = fields && fields.length ? fields : Object.keys(item).filter((k) => item[k] === null || typeof item[k] !== 'object').slice(0, max);
	return keys.map((k) => `${k}=${fmt(get(item, k))}`).join(', ');
}

module.exports = { nodeItems, lastNode, path, keyFields, get };
