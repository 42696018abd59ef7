/**
 * The frame every product block of a scenario shares: its row of figures (clock restarted when the block
 * starts, so other blocks of the file are not counted), a problem list emptied before each test, and an
 * afterAll that adds the process's uncaught errors and the secret hits in n8n's log lines, closes the
 * emulator and records the row. Call it first in the block's describe:
 *
 *   const { watch, logs } = fileWatch();   // once per file, in its top describe
 *   const { figures, problems, tally } = scenarioScope('2 writes: VSPC …', { watch, logs, secrets: () => …, close: () => vspc?.close() });
 */
import type { SecretSet } from '../secrets';
import { captureN8nLogs, type CapturedLog } from './env';
import { recordFigures, restartClock, startFigures, type Figures } from './figures';
import { watchProcess } from './outcome';
import type { Tally } from './tally';

/** A test file's watch on unhandled rejections and uncaught exceptions, stopped when the file ends, and n8n's log lines captured. */
export interface FileWatch {
	watch: ReturnType<typeof watchProcess>;
	logs: CapturedLog;
}

export function fileWatch(): FileWatch {
	const watch = watchProcess();
	const logs = captureN8nLogs();
	afterAll(() => watch.stop());
	return { watch, logs };
}

export interface ScopeOptions {
	/** The file's watchProcess(): its uncaught errors are added to this row when the block ends. */
	watch?: { count(): number };
	/** The file's captureN8nLogs(): scanned with `secrets` when the block ends. */
	logs?: CapturedLog;
	/** Every secret the block's runs could leak (read lazily: emulators and credentials exist only once the block runs). */
	secrets?: () => SecretSet;
	/** Closes the block's emulator(s). */
	close?: () => Promise<void> | void;
}

export interface Scope {
	figures: Figures;
	problems: string[];
	/** figures, problems and secrets, as the check helpers take them. */
	tally: Tally;
}

export function scenarioScope(scenario: string, o: ScopeOptions = {}): Scope {
	const figures = startFigures(scenario);
	const problems: string[] = [];
	const secrets = o.secrets ?? (() => {
		throw new Error(`${scenario}: no secrets given to scenarioScope`);
	});
	beforeAll(() => restartClock(figures));
	beforeEach(() => problems.splice(0));
	afterAll(async () => {
		if (o.watch) figures.uncaught += o.watch.count();
		if (o.logs && o.secrets) figures.secretHits += o.secrets().scan(o.logs.text()).length;
		await o.close?.();
		recordFigures(figures);
	});
	return { figures, problems, tally: { figures, problems, secrets } };
}
