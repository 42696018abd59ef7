/**
 * The suite's figures. Every scenario adds one row per batch of runs; rows go to a JSON-lines file
 * under build/ (git-ignored) because jest runs test files in separate workers. globalTeardown prints
 * the table and fails the run when a bad figure is not zero.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const FIGURES_DIR = path.resolve(__dirname, '..', '..', '..', 'build', 'reliability');
export const FIGURES_FILE = path.join(FIGURES_DIR, 'figures.jsonl');

export interface Figures {
	/** Row label, e.g. "1 paging: VSA agents". */
	scenario: string;
	runs: number;
	faultsInjected: number;
	itemsExpected: number;
	itemsReturned: number;
	/** Runs that failed with a clear error instead of returning (allowed: never a silent partial). */
	clearFailures: number;
	/** Bad: ids returned twice. */
	duplicates: number;
	/** Bad: runs that returned without error but with missing ids (silent partial result). */
	silentPartial: number;
	/** Bad: a write applied more than once for one item. */
	repeatedWrites: number;
	/** Bad: logins beyond one per token event. */
	extraLogins: number;
	/** Bad: secret values found in outputs, errors, descriptions or logs. */
	secretHits: number;
	badInputs: number;
	/** Bad: a malformed server answer (HTML page, truncated JSON, redirect…) presented as a successful result. */
	acceptedBad: number;
	/** Bad: anything other than NodeApiError/NodeOperationError, or an unhandled rejection. */
	uncaught: number;
	/** Bad: an error message a technician cannot use (empty, stack text, "undefined", "[object Object]"). */
	unclearMessages: number;
	/** Wall time of the scenario. */
	durationMs: number;
	/** Part of it spent between a failed request and its retry (Retry-After, backoff, timeouts), from the server logs. */
	retryWaitMs: number;
}

export const BAD_FIGURES: Array<keyof Figures> = ['duplicates', 'silentPartial', 'repeatedWrites', 'extraLogins', 'secretHits', 'acceptedBad', 'uncaught', 'unclearMessages'];

export function emptyFigures(scenario: string): Figures {
	return {
		scenario,
		runs: 0,
		faultsInjected: 0,
		itemsExpected: 0,
		itemsReturned: 0,
		clearFailures: 0,
		duplicates: 0,
		silentPartial: 0,
		repeatedWrites: 0,
		extraLogins: 0,
		secretHits: 0,
		badInputs: 0,
		acceptedBad: 0,
		uncaught: 0,
		unclearMessages: 0,
		durationMs: 0,
		retryWaitMs: 0,
	};
}

const started = new WeakMap<Figures, number>();

/** Starts the figures of a scenario and its clock. */
export function startFigures(scenario: string): Figures {
	const f = emptyFigures(scenario);
	started.set(f, Date.now());
	return f;
}

/** Restarts a scenario's clock (call from its beforeAll, so other scenarios of the file are not counted). */
export function restartClock(figures: Figures): void {
	started.set(figures, Date.now());
}

/**
 * Time between a faulted request and the client's next request for the same URL (its retry), from an
 * emulator's log: what Retry-After, backoff and timeouts cost.
 */
export function retryWaitMs(log: Array<{ seq: number; at: number; method: string; path: string; query: Record<string, string>; fault?: string }>, fromSeq: number): number {
	const last = new Map<string, { at: number; fault?: string }>();
	let wait = 0;
	for (const e of log) {
		if (e.seq <= fromSeq) continue;
		const key = `${e.method} ${e.path} ${JSON.stringify(e.query)}`;
		const prev = last.get(key);
		if (prev?.fault) wait += e.at - prev.at;
		last.set(key, { at: e.at, fault: e.fault });
	}
	return wait;
}

export function recordFigures(figures: Figures): void {
	if (started.has(figures)) figures.durationMs = Date.now() - started.get(figures)!;
	fs.mkdirSync(FIGURES_DIR, { recursive: true });
	fs.appendFileSync(FIGURES_FILE, `${JSON.stringify(figures)}\n`);
}

export function readFigures(): Figures[] {
	if (!fs.existsSync(FIGURES_FILE)) return [];
	return fs
		.readFileSync(FIGURES_FILE, 'utf8')
		.split('\n')
		.filter((l) => l.trim())
		.map((l) => JSON.parse(l) as Figures);
}

export function resetFigures(): void {
	fs.mkdirSync(FIGURES_DIR, { recursive: true });
	fs.writeFileSync(FIGURES_FILE, '');
}

const COLUMNS: Array<[keyof Figures, string]> = [
	['runs', 'runs'],
	['faultsInjected', 'faults'],
	['itemsExpected', 'items exp'],
	['itemsReturned', 'items ret'],
	['clearFailures', 'clear fail'],
	['duplicates', 'dup'],
	['silentPartial', 'partial'],
	['repeatedWrites', 'rep.writes'],
	['extraLogins', 'xlogins'],
	['secretHits', 'secrets'],
	['badInputs', 'bad inputs'],
	['acceptedBad', 'bad as ok'],
	['uncaught', 'uncaught'],
	['unclearMessages', 'unclear'],
	['durationMs', 'secs'],
	['retryWaitMs', 'retry wait s'],
];

export function totals(rows: Figures[]): Figures {
	const t = emptyFigures('TOTAL');
	for (const r of rows) for (const [k] of COLUMNS) (t[k] as number) += (r[k] as number) ?? 0;
	return t;
}

/** A fixed-width table (Markdown-compatible) of the rows and their total. */
export function formatTable(rows: Figures[]): string {
	const all = [...rows, totals(rows)];
	const head = ['scenario', ...COLUMNS.map(([, h]) => h)];
	const cell = (r: Figures, k: keyof Figures) => (k === 'durationMs' || k === 'retryWaitMs' ? ((r[k] as number) / 1000).toFixed(1) : String(r[k] ?? 0));
	const body = all.map((r) => [r.scenario, ...COLUMNS.map(([k]) => cell(r, k))]);
	const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
	const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
	const sep = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
	return [line(head), sep, ...body.slice(0, -1).map(line), sep, line(body[body.length - 1])].join('\n');
}
