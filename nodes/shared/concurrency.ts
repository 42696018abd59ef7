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

/** Like mapWithConcurrency, but every item settles: per-item errors are returned, not thrown. */
export async function settleWithConcurrency<T, R>(
	items: readonly T[],
	limit: number,
	fn: (item: T, index: number) => Promise<R>,
): Promise<Array<{ ok: true; value: R } | { ok: false; error: unknown }>> {
	return mapWithConcurrency(items, limit, async (item, index) => {
		try {
			return { ok: true as const, value: await fn(item, index) };
		} catch (error) {
			return { ok: false as const, error };
		}
	});
}
