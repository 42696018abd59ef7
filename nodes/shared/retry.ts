/**
 * Retry policy of the one HTTP layer, as pure decisions so each rule has its own test.
 * The floor is Kaseya's own VSAModule: retry 429/502/503/504 honouring Retry-After, exponential
 * backoff capped, a bounded number of retries, and never re-send a write whose request may have
 * reached the server.
 */
export const MAX_RETRIES = 4;
export const BASE_BACKOFF_MS = 500;
export const MAX_BACKOFF_MS = 30_000;
/** A Retry-After longer than this is not waited for: the user gets the server's answer instead. */
export const MAX_RETRY_AFTER_MS = 60_000;

export const RETRYABLE_STATUSES = [429, 502, 503, 504] as const;
/**
 * Statuses that prove the server refused a request before acting on it. Only these are retried for
 * writes: a 502/504 comes from a gateway whose upstream may already have applied the change.
 */
export const WRITE_SAFE_RETRY_STATUSES = [429, 503] as const;

export type Outcome =
	| { kind: 'status'; status: number; retryAfter?: string }
	/** The request never left (connection refused, DNS): safe to resend any method. */
	| { kind: 'notSent'; code: string }
	/** The connection broke or timed out after the request was written: it may have been applied. */
	| { kind: 'maybeApplied'; code: string };

export type Decision = { retry: true; delayMs: number } | { retry: false; reason: 'notRetryable' | 'exhausted' | 'writeMayHaveApplied' | 'retryAfterTooLong' };

export function isIdempotentMethod(method: string): boolean {
	return ['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}

/** Parses Retry-After (delta seconds or an HTTP date) into milliseconds; undefined when absent or invalid. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
	if (value === undefined || value === null) return undefined;
	const text = String(value).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - nowMs);
}

export function backoffMs(retryNumber: number, random: number = Math.random()): number {
	const exp = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (retryNumber - 1));
	// Full jitter on the upper half keeps parallel page fetchers from retrying in lockstep.
	return Math.round(exp / 2 + (exp / 2) * random);
}

/**
 * @param retriesSoFar retries already made for this request (0 on the first failure)
 * @param idempotent whether the request may be sent twice without a second effect
 */
export function decideRetry(outcome: Outcome, retriesSoFar: number, idempotent: boolean, nowMs = Date.now(), random?: number): Decision {
	if (outcome.kind === 'maybeApplied' && !idempotent) return { retry: false, reason: 'writeMayHaveApplied' };
	if (outcome.kind === 'status') {
		const allowed: readonly number[] = idempotent ? RETRYABLE_STATUSES : WRITE_SAFE_RETRY_STATUSES;
		if (!allowed.includes(outcome.status)) return { retry: false, reason: 'notRetryable' };
	}
	if (retriesSoFar >= MAX_RETRIES) return { retry: false, reason: 'exhausted' };
	const retryAfter = outcome.kind === 'status' ? parseRetryAfter(outcome.retryAfter, nowMs) : undefined;
	if (retryAfter !== undefined) {
		if (retryAfter > MAX_RETRY_AFTER_MS) return { retry: false, reason: 'retryAfterTooLong' };
		return { retry: true, delayMs: retryAfter };
	}
	return { retry: true, delayMs: backoffMs(retriesSoFar + 1, random) };
}

/** Node/axios error codes that mean the request was never sent. */
const NOT_SENT_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL'];
const MAYBE_APPLIED_CODES = ['ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EPIPE', 'ERR_SOCKET_CONNECTION_TIMEOUT', 'EPROTO', 'ERR_BAD_RESPONSE'];

export function classifyNetworkCode(code: string | undefined): Extract<Outcome, { code: string }> | undefined {
	if (!code) return undefined;
	if (NOT_SENT_CODES.includes(code)) return { kind: 'notSent', code };
	if (MAYBE_APPLIED_CODES.includes(code)) return { kind: 'maybeApplied', code };
	return undefined;
}
