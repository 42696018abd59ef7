/**
 * Checks shared by the token scenarios: a Return All that must come back complete, a login budget,
 * and a hook that acts when the n-th matching request reaches the emulator.
 */
import type { IDataObject } from 'n8n-workflow';

import type { LogEntry } from '../../emulators/common/server';
import type { SecretSet } from '../secrets';
import type { Figures } from './figures';
import { judgeError, type Outcome } from './outcome';

/** Calls `action` once, when the `n`-th request matching `match` arrives (before the server handles it). */
export function onNthRequest(hooks: Array<(e: LogEntry) => void>, match: (e: LogEntry) => boolean, n: number, action: () => void): void {
	let seen = 0;
	const hook = (e: LogEntry) => {
		if (!match(e)) return;
		if (++seen === n) {
			action();
			hooks.splice(hooks.indexOf(hook), 1);
		}
	};
	hooks.push(hook);
}

export interface Tally {
	figures: Figures;
	problems: string[];
	secrets: () => SecretSet;
}

/** A Return All that must come back complete: counts it and records problems. */
export function checkComplete(t: Tally, label: string, outcome: Outcome, expected: Set<string>, idOf: (j: IDataObject) => string): void {
	t.figures.runs++;
	t.figures.itemsExpected += expected.size;
	if (!outcome.ok) {
		const judged = judgeError(outcome.error);
		if (judged.uncaught) t.figures.uncaught++;
		if (judged.problems.length) t.figures.unclearMessages++;
		t.problems.push(`${label}: user-visible failure: ${(outcome.error as Error).message}`);
		const hits = t.secrets().scan(outcome.error);
		t.figures.secretHits += hits.length;
		return;
	}
	const items = outcome.output[0];
	t.figures.itemsReturned += items.length;
	const ids = new Set(items.map((i) => idOf(i.json)));
	t.figures.duplicates += items.length - ids.size;
	const missing = [...expected].filter((id) => !ids.has(id)).length;
	if (missing || ids.size !== expected.size) {
		t.figures.silentPartial++;
		t.problems.push(`${label}: ${items.length} items, ${missing} missing`);
	}
	const hits = t.secrets().scan(outcome.output);
	t.figures.secretHits += hits.length;
	t.problems.push(...hits.map((h) => `${label}: secret in output: ${h.kind} ${h.around}`));
}

/** Logins beyond the allowance are a bad figure. */
export function checkLogins(t: Tally, label: string, logins: number, allowed: number): void {
	if (logins > allowed) {
		t.figures.extraLogins += logins - allowed;
		t.problems.push(`${label}: ${logins} logins, at most ${allowed} allowed`);
	}
}

