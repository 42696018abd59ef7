/**
 * The evidence table (docs/evidence/*.json, rendered as docs/api-evidence.md) covers every request
 * the package can send and every record field it filters, sorts, pages or keys on. This test fails
 * when code and table drift apart: an operation row, a route of some API version, a path literal in a
 * pick-list, trigger or credential, or a sort/filter/key/cursor field without its evidence row.
 */
import type { IDataObject } from 'n8n-workflow';

import { CURSOR_EVENT_DEFS } from '../../nodes/KaseyaVsa/trigger/events';
import { vsaOperations } from '../../nodes/KaseyaVsa/operations';
import { VRO_ROUTES } from '../../nodes/VeeamOrchestrator/endpoints';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const evidence = require('../../scripts/lib/evidence.js');

interface RequestRow {
	method: string;
	path: string;
	status: string;
	evidence: string[];
	note?: string;
	usedBy?: string[];
}
interface FieldRow {
	collection: string;
	field: string;
	use: string[];
	status: string;
	evidence: string[];
}
interface Product {
	file: string;
	bases?: string[];
	sources: string[];
	table: { product: string; sources: Record<string, unknown>; requests: RequestRow[]; fields?: FieldRow[] };
}

const products: Product[] = evidence.loadEvidence();
const byFile = (file: string): Product => {
	const p = products.find((x) => x.file === file);
	if (!p) throw new Error(`docs/evidence/${file} is missing`);
	return p;
};
const vsa = byFile('kaseya-vsa.json');
const vro = byFile('veeam-orchestrator.json');

const ODATA_WORDS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'and', 'or', 'not', 'substringof', 'contains', 'startswith', 'endswith', 'tolower', 'toupper', 'true', 'false', 'null', 'datetime', 'datetimeoffset', 'asc', 'desc']);

/** Record fields an OData condition names (quoted literals and numbers removed). */
function odataFields(condition: string): string[] {
	const bare = condition.replace(/'(?:[^']|'')*'/g, ' ').replace(/\b\d[\d.]*M?\b/g, ' ');
	return [...bare.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)].map((m) => m[0]).filter((w) => !ODATA_WORDS.has(w.toLowerCase()));
}

/** A sample value that a filter builder accepts, to see which fields its condition names. */
function builtCondition(build: (value: unknown, check: any) => string | undefined, options: unknown): string | undefined {
	const check = { node: { name: 'evidence test', type: 'test', typeVersion: 1, parameters: {}, position: [0, 0] }, itemIndex: 0 };
	const optionValues = Array.isArray(options) ? options.map((o: { value?: unknown }) => o.value).filter((v) => v !== '' && v !== undefined) : [];
	for (const sample of [...optionValues, 'sample', '123', 123, true, '2026-01-01T00:00:00Z']) {
		try {
			const c = build(sample, check);
			if (typeof c === 'string' && c !== '') return c;
		} catch {
			// not a value this filter accepts; try the next sample
		}
	}
	return undefined;
}

function hasRequest(product: Product, method: string, path: string): boolean {
	return evidence.matchingRows(product, path).some((r: RequestRow | { base: string }) => 'method' in r && r.method.toUpperCase() === method.toUpperCase());
}

function hasField(product: Product, field: string, collection?: string): boolean {
	return (product.table.fields ?? []).some((f) => f.field === field && (collection === undefined || evidence.samePath(f.collection, collection)));
}

describe('evidence table: well-formed', () => {
	it.each(products.map((p) => [p.file, p] as const))('%s: every row has a status, and evidence that matches it', (_file, product) => {
		const problems: string[] = [];
		const tags = new Set(Object.keys(product.table.sources ?? {}));
		const checkRow = (label: string, row: { status: string; evidence: string[]; note?: string }): void => {
			if (!evidence.STATUSES.includes(row.status)) problems.push(`${label}: status "${row.status}"`);
			if (!Array.isArray(row.evidence)) {
				problems.push(`${label}: evidence is not a list`);
				return;
			}
			if (row.status === 'unseen' && !row.note) problems.push(`${label}: UNSEEN without a note saying what was searched`);
			if (row.status !== 'unseen' && row.evidence.length === 0) problems.push(`${label}: ${row.status} without evidence`);
			for (const e of row.evidence) {
				if (/^https?:\/\//.test(e)) continue;
				const tag = e.split(' ')[0];
				if (!tags.has(tag) || e.trim() === tag) problems.push(`${label}: evidence "${e}" is neither a URL nor "<source tag> <file>"`);
			}
			if (row.status === 'differs' && !row.note) problems.push(`${label}: "differs" without a note saying what we chose`);
		};
		for (const r of product.table.requests) {
			if (!r.method || !r.path) problems.push(`request row without method/path: ${JSON.stringify(r).slice(0, 120)}`);
			checkRow(`${r.method} ${r.path}`, r);
		}
		for (const f of product.table.fields ?? []) {
			if (!f.field || !f.collection || !Array.isArray(f.use) || f.use.length === 0) problems.push(`field row incomplete: ${JSON.stringify(f).slice(0, 120)}`);
			checkRow(`field ${f.field} of ${f.collection}`, f);
		}
		expect(problems).toEqual([]);
	});
});

describe('evidence table: covers every request the code can send', () => {
	it.each(products.map((p) => [p.file, p] as const))('%s: every path literal in the nodes, pick-lists, triggers and credential has a row', (_file, product) => {
		const literals: Array<{ literal: string; file: string; line: number }> = evidence.pathLiterals(product.sources.flatMap(evidence.listFiles));
		const missing = literals.filter((l) => evidence.matchingRows(product, l.literal).length === 0).map((l) => `${l.literal} (${l.file}:${l.line})`);
		expect(missing).toEqual([]);
	});

	it('Kaseya VSA: every operation row (method + path) has a row', () => {
		const missing = vsaOperations.filter((op) => op.path && !hasRequest(vsa, op.method ?? 'GET', op.path)).map((op) => `${op.resource}.${op.operation}: ${op.method ?? 'GET'} ${op.path}`);
		expect(missing).toEqual([]);
	});

	it('Veeam Orchestrator: every route of every API version has a row', () => {
		const missing: string[] = [];
		for (const [key, routes] of Object.entries(VRO_ROUTES)) {
			for (const route of routes) {
				if (route.local) continue;
				if (!hasRequest(vro, route.method, route.path)) missing.push(`${key} (${route.from}${route.to ? `–${route.to}` : '+'}): ${route.method} ${route.path}`);
			}
		}
		expect(missing).toEqual([]);
	});
});

describe('evidence table: covers every record field the code filters, sorts, pages or keys on', () => {
	it('Kaseya VSA: sort fields, filter fields and paging keys of every list operation', () => {
		const missing: string[] = [];
		for (const op of vsaOperations) {
			if (!op.path) continue;
			const where = `${op.resource}.${op.operation}`;
			for (const sort of op.sortFields ?? []) if (!hasField(vsa, sort.value, op.path)) missing.push(`${where}: sort ${sort.value}`);
			if (op.key && !hasField(vsa, op.key, op.path)) missing.push(`${where}: key ${op.key}`);
			for (const filter of op.filters ?? []) {
				const condition = builtCondition(filter.build as any, filter.property.options);
				if (condition === undefined) {
					missing.push(`${where}: filter ${filter.property.name} builds no condition from any sample value`);
					continue;
				}
				for (const field of odataFields(condition)) if (!hasField(vsa, field, op.path)) missing.push(`${where}: filter ${filter.property.name} → ${field}`);
			}
			const orderby = op.orderby?.({} as IDataObject);
			for (const field of orderby ? odataFields(orderby) : []) if (!hasField(vsa, field, op.path)) missing.push(`${where}: default order ${field}`);
		}
		expect(missing).toEqual([]);
	});

	it('Kaseya VSA trigger: every cursor and tie-break field', () => {
		const missing: string[] = [];
		for (const [event, def] of Object.entries(CURSOR_EVENT_DEFS)) {
			for (const field of [def.cursorField, def.idField]) if (!hasField(vsa, field)) missing.push(`${event}: ${field}`);
			const condition = builtCondition((sample) => def.cursorFilter(String(sample)), undefined);
			if (condition === undefined) missing.push(`${event}: the cursor filter builds no condition from any sample cursor`);
			for (const field of condition ? odataFields(condition) : []) if (!hasField(vsa, field)) missing.push(`${event}: cursor filter ${field}`);
		}
		expect(missing).toEqual([]);
	});
});

describe('the matcher itself', () => {
	it('treats placeholders by any name as the same route, and values as instances of a placeholder', () => {
		expect(evidence.samePath('/assetmgmt/alarms/true', '/assetmgmt/alarms/{alarmSet}')).toBe(true);
		expect(evidence.samePath('/Plans/${id}/Failover', '/plans/{planId}/failover')).toBe(true);
		expect(evidence.samePath('/About', '/{collection}')).toBe(false);
		expect(evidence.samePath('/assetmgmt/agents', '/assetmgmt/agents/{agentId}')).toBe(false);
	});

	it('finds OData field names in built conditions, not literals or operators', () => {
		expect(odataFields("TicketStatus eq 'New' and substringof('a b', Summary)")).toEqual(['TicketStatus', 'Summary']);
		expect(odataFields('AlarmId ge 123456789012345678M')).toEqual(['AlarmId']);
		expect(odataFields("CreatedDate ge datetime'2026-01-01T00:00:00Z'")).toEqual(['CreatedDate']);
	});
});
