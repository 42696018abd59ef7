import { BAD_FIGURES, formatTable, readFigures, totals } from './figures';

/** Prints the figures of the whole run and fails it when a bad figure is not zero. */
export default async function globalTeardown(): Promise<void> {
	const rows = readFigures().sort((a, b) => a.scenario.localeCompare(b.scenario));
	if (rows.length === 0) return;
	const total = totals(rows);
	process.stdout.write(`\nReliability figures (bad figures: ${BAD_FIGURES.join(', ')} — all must be 0)\n${formatTable(rows)}\n`);
	const bad = BAD_FIGURES.filter((k) => (total[k] as number) !== 0);
	if (bad.length) throw new Error(`Reliability suite: non-zero bad figures: ${bad.map((k) => `${k}=${total[k]}`).join(', ')}`);
}
