/**
 * Runs `fn` over `items` with at most `limit` calls in flight and returns results in input order.
 * The first rejection stops new work from starting and is rethrown once the in-flight calls settle,
 * so no request is left running behind the caller's back.
 */
export async function mapWithConcurrency<T, R>(
	items: readonly T[],
	limit: number,
	fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results = new Array<R>(items.length);
	const width = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
	let next = 0;
	let failed: { error: unknown } | undefined;
	const worker = async () => {
		while (!failed && next < items.length) {
			const index = next++;
			try {
				results[index] = await fn(items[index], index);
			} catch (error) {
				failed ??= { error };
			}
		}
	};
	await Promise.all(Array.from({ length: width }, worker));
	if (failed) throw failed.error;
	return results;
}

export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Like mapWithConcurrency, but per-item errors are returned, not thrown. With `stopOnFailure`, the
 * first failure stops new items from starting (the calls already in flight still finish, so nothing
 * is abandoned half-sent); the items never started are `undefined`.
 */
export async function settleWithConcurrency<T, R>(
	items: readonly T[],
	limit: number,
	fn: (item: T, index: number) => Promise<R>,
	options: { stopOnFailure?: boolean } = {},
): Promise<Array<Settled<R> | undefined>> {
	const results = new Array<Settled<R> | undefined>(items.length);
	const width = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
	let next = 0;
	let stopped = false;
	const worker = async () => {
		while (!stopped && next < items.length) {
			const index = next++;
			try {
				results[index] = { ok: true, value: await fn(items[index], index) };
			} catch (error) {
				results[index] = { ok: false, error };
				if (options.stopOnFailure) stopped = true;
			}
		}
	};
	await Promise.all(Array.from({ length: width }, worker));
	return results;
}
