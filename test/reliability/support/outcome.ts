/**
 * Running a node and judging what came out: a result, a NodeApiError/NodeOperationError with a
 * message a technician can use, or something else (an "uncaught" error: a TypeError, a plain Error,
 * an unhandled rejection).
 */
import type { INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { Harness, NodeRunOptions } from '../../harness/n8n';
import type { SecretSet } from '../secrets';
import type { Figures } from './figures';

export type Outcome = { ok: true; output: INodeExecutionData[][] } | { ok: false; error: unknown };

export async function run(h: Harness, options: NodeRunOptions): Promise<Outcome> {
	try {
		return { ok: true, output: await h.execute(options) };
	} catch (error) {
		return { ok: false, error };
	}
}

export function isNodeError(error: unknown): error is NodeApiError | NodeOperationError {
	return error instanceof NodeApiError || error instanceof NodeOperationError;
}

/** Why a user-facing text is unusable, or undefined when it is fine. */
export function unclearText(text: unknown, what: string): string | undefined {
	if (typeof text !== 'string' || text.trim() === '') return `${what} is empty`;
	// Words the server (or the user) wrote, quoted as such, may legitimately say "undefined" or "NaN".
	const ours = text.replace(/Server said: "[^]*"/g, 'Server said: "…"').replace(/"[^"]*"|'[^']*'/g, '"…"');
	if (/\n\s+at\s|\bat\s+\S+\s+\(\S+:\d+:\d+\)|\.(ts|js):\d+:\d+/.test(text)) return `${what} contains stack-trace text: ${text.slice(0, 200)}`;
	if (/\bundefined\b/.test(ours)) return `${what} says "undefined": ${text.slice(0, 200)}`;
	if (/\[object Object\]/.test(text)) return `${what} says "[object Object]": ${text.slice(0, 200)}`;
	if (/\bNaN\b/.test(ours)) return `${what} says "NaN": ${text.slice(0, 200)}`;
	if (/Cannot read propert|is not a function|is not iterable|Unexpected token|JSON\.parse|TypeError|ReferenceError/.test(text)) {
		return `${what} is a programming error, not a message for a technician: ${text.slice(0, 200)}`;
	}
	return undefined;
}

/** Problems with an error a node threw (empty list = a clear NodeApiError/NodeOperationError). */
export function judgeError(error: unknown): { uncaught: boolean; problems: string[] } {
	if (!isNodeError(error)) {
		return { uncaught: true, problems: [`not a NodeApiError/NodeOperationError: ${(error as Error)?.constructor?.name}: ${String((error as Error)?.message ?? error).slice(0, 300)}`] };
	}
	const problems: string[] = [];
	const m = unclearText(error.message, 'message');
	if (m) problems.push(m);
	if (error.description !== undefined && error.description !== null) {
		const d = unclearText(error.description, 'description');
		if (d) problems.push(d);
	}
	return { uncaught: false, problems };
}

/**
 * Counts a run that failed: a clear failure, or an unclear/uncaught one with its problems recorded
 * under `label`; with `secrets`, also every secret found in the error.
 */
export function tallyFailure(t: { figures: Figures; problems: string[] }, label: string, error: unknown, secrets?: SecretSet): void {
	const judged = judgeError(error);
	if (judged.uncaught) t.figures.uncaught++;
	if (judged.problems.length) t.figures.unclearMessages++;
	else t.figures.clearFailures++;
	t.problems.push(...judged.problems.map((p) => `${label}: ${p}`));
	if (!secrets) return;
	const hits = secrets.scan(error);
	t.figures.secretHits += hits.length;
	t.problems.push(...hits.map((x) => `${label}: secret in error: ${x.kind} (${x.encoding}) ${x.around}`));
}

/** Error items produced under continueOnFail: `{ error, description }` in json. */
export function errorItems(output: INodeExecutionData[][]): INodeExecutionData[] {
	return (output[0] ?? []).filter((i) => i.json && typeof i.json.error === 'string');
}

export function judgeErrorItem(item: INodeExecutionData): string[] {
	const problems: string[] = [];
	const m = unclearText(item.json.error, 'error item message');
	if (m) problems.push(m);
	if (item.json.description !== undefined) {
		const d = unclearText(item.json.description, 'error item description');
		if (d) problems.push(d);
	}
	return problems;
}

/** Counts unhandled rejections and uncaught exceptions while a file's tests run. */
export function watchProcess(): { count: () => number; reasons: string[]; stop: () => void } {
	const reasons: string[] = [];
	const onRejection = (reason: unknown) => reasons.push(`unhandledRejection: ${String((reason as Error)?.stack ?? reason).slice(0, 500)}`);
	const onException = (error: unknown) => reasons.push(`uncaughtException: ${String((error as Error)?.stack ?? error).slice(0, 500)}`);
	process.on('unhandledRejection', onRejection);
	process.on('uncaughtException', onException);
	return {
		count: () => reasons.length,
		reasons,
		stop: () => {
			process.off('unhandledRejection', onRejection);
			process.off('uncaughtException', onException);
		},
	};
}
