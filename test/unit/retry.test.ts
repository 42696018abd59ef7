import { backoffMs, classifyNetworkCode, decideRetry, MAX_BACKOFF_MS, MAX_RETRIES, parseRetryAfter } from '../../nodes/shared/retry';

describe('retry policy', () => {
	const now = Date.parse('2026-11-22T12:00:00Z');

	it('parses Retry-After as seconds and as an HTTP date', () => {
		expect(parseRetryAfter('3', now)).toBe(3000);
		expect(parseRetryAfter('0.5', now)).toBe(500);
		expect(parseRetryAfter('Sun, 22 Nov 2026 12:00:07 GMT', now)).toBe(7000);
		expect(parseRetryAfter('Sun, 22 Nov 2026 11:00:00 GMT', now)).toBe(0);
		expect(parseRetryAfter('soon', now)).toBeUndefined();
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
	});

	it('retries reads on 429/502/503/504 and honours Retry-After', () => {
		for (const status of [429, 502, 503, 504]) expect(decideRetry({ kind: 'status', status }, 0, true, now, 0).retry).toBe(true);
		expect(decideRetry({ kind: 'status', status: 429, retryAfter: '2' }, 0, true, now)).toEqual({ retry: true, delayMs: 2000 });
	});

	it('does not retry other statuses', () => {
		for (const status of [200, 400, 401, 403, 404, 500]) expect(decideRetry({ kind: 'status', status }, 0, true, now).retry).toBe(false);
	});

	it('retries writes only on statuses that prove the server did not act (429, 503)', () => {
		expect(decideRetry({ kind: 'status', status: 429 }, 0, false, now).retry).toBe(true);
		expect(decideRetry({ kind: 'status', status: 503 }, 0, false, now).retry).toBe(true);
		expect(decideRetry({ kind: 'status', status: 502 }, 0, false, now).retry).toBe(false);
		expect(decideRetry({ kind: 'status', status: 504 }, 0, false, now).retry).toBe(false);
	});

	it('never re-sends a write whose connection dropped after sending', () => {
		expect(decideRetry({ kind: 'maybeApplied', code: 'ECONNRESET' }, 0, false, now)).toEqual({ retry: false, reason: 'writeMayHaveApplied' });
		expect(decideRetry({ kind: 'maybeApplied', code: 'ECONNRESET' }, 0, true, now).retry).toBe(true);
	});

	it('re-sends any method when the request never left (connection refused)', () => {
		expect(decideRetry({ kind: 'notSent', code: 'ECONNREFUSED' }, 0, false, now).retry).toBe(true);
	});

	it('stops after MAX_RETRIES and on an overlong Retry-After', () => {
		expect(decideRetry({ kind: 'status', status: 503 }, MAX_RETRIES, true, now)).toEqual({ retry: false, reason: 'exhausted' });
		expect(decideRetry({ kind: 'status', status: 429, retryAfter: '3600' }, 0, true, now)).toEqual({ retry: false, reason: 'retryAfterTooLong' });
	});

	it('backs off exponentially with jitter, capped', () => {
		expect(backoffMs(1, 0)).toBe(250);
		expect(backoffMs(1, 1)).toBe(500);
		expect(backoffMs(3, 1)).toBe(2000);
		expect(backoffMs(30, 1)).toBe(MAX_BACKOFF_MS);
	});

	it('classifies socket error codes', () => {
		expect(classifyNetworkCode('ECONNRESET')).toEqual({ kind: 'maybeApplied', code: 'ECONNRESET' });
		expect(classifyNetworkCode('ETIMEDOUT')?.kind).toBe('maybeApplied');
		expect(classifyNetworkCode('ECONNABORTED')?.kind).toBe('maybeApplied');
		expect(classifyNetworkCode('ECONNREFUSED')?.kind).toBe('notSent');
		expect(classifyNetworkCode('SOMETHING')).toBeUndefined();
	});
});
