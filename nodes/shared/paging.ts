import { mapWithConcurrency } from './concurrency';

/**
 * The one paging engine. A product adapter fetches one page by offset; the engine decides which
 * pages to ask for. With a total from the first page it fetches the rest concurrently; without one
 * it walks pages until a short page. Output is in server order, de-duplicated by key, and checked:
 * a Return All that cannot account for every record fails instead of returning a partial list.
 */
export interface Page<T> {
	items: T[];
	/** Total number of records matching the query, when the server reports it. */
	total?: number;
}

export interface PagingOptions {
	/** Records the server returns per page at most (VSA: 100). */
	pageSize: number;
	/** undefined = Return All. */
	limit?: number;
	concurrency: number;
	/** Return All refuses to read more than this many records. */
	maxRecords: number;
	/** Identity of a record, for the duplicate check (pages shift if records are added meanwhile). */
	key?: (item: unknown) => string | undefined;
}

export interface PagePlan {
	offset: number;
	size: number;
}

export class PagingError extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
		this.name = 'PagingError';
	}
}

/** Offsets still to fetch after the first page, given the server's total and the wanted count. */
export function planRemainingPages(firstPageCount: number, total: number, wanted: number, pageSize: number): PagePlan[] {
	const target = Math.min(total, wanted);
	const plans: PagePlan[] = [];
	for (let offset = firstPageCount; offset < target; offset += pageSize) {
		plans.push({ offset, size: Math.min(pageSize, target - offset) });
	}
	return plans;
}

export async function fetchPages<T>(
	fetchPage: (plan: PagePlan) => Promise<Page<T>>,
	options: PagingOptions,
): Promise<T[]> {
	const wanted = options.limit ?? Number.POSITIVE_INFINITY;
	if (wanted <= 0) return [];
	const pageSize = Math.max(1, options.pageSize);
	const first = await fetchPage({ offset: 0, size: Math.min(pageSize, wanted) });
	const out = [...first.items];

	if (first.total !== undefined) {
		const total = first.total;
		if (options.limit === undefined && total > options.maxRecords) {
			throw new PagingError(
				`The server reports ${total} records, more than the safety limit of ${options.maxRecords}`,
				'Narrow the request with a filter, or raise "Max Records" in the node options if you really want them all.',
			);
		}
		// A server that ignores the page size is still paged correctly: step by what it actually returned.
		const step = first.items.length > 0 ? Math.min(pageSize, first.items.length) : pageSize;
		const plans = first.items.length < Math.min(total, wanted) ? planRemainingPages(first.items.length, total, wanted, step) : [];
		const pages = await mapWithConcurrency(plans, options.concurrency, fetchPage);
		for (const page of pages) out.push(...page.items);
		const expected = Math.min(total, wanted);
		return finish(out, expected, options);
	}

	// No total: walk sequentially until a page comes back short.
	let last = first.items.length;
	while (last >= pageSize && out.length < wanted) {
		if (options.limit === undefined && out.length >= options.maxRecords) {
			throw new PagingError(
				`More than the safety limit of ${options.maxRecords} records`,
				'Narrow the request with a filter, or raise "Max Records" in the node options.',
			);
		}
		const page = await fetchPage({ offset: out.length, size: Math.min(pageSize, wanted - out.length) });
		out.push(...page.items);
		last = page.items.length;
	}
	return finish(out, undefined, options);
}

function finish<T>(items: T[], expected: number | undefined, options: PagingOptions): T[] {
	let out = items;
	if (options.key) {
		const seen = new Set<string>();
		out = items.filter((item) => {
			const k = options.key!(item);
			if (k === undefined) return true;
			if (seen.has(k)) return false;
			seen.add(k);
			return true;
		});
	}
	if (options.limit !== undefined) out = out.slice(0, options.limit);
	if (expected !== undefined && out.length < expected) {
		throw new PagingError(
			`Only ${out.length} of ${expected} records could be read: the list changed while it was being paged`,
			'Records were added or removed on the server during the read, which shifts the pages. Run the node again, or add a filter or sort that keeps the list stable. No partial result was returned.',
		);
	}
	return out;
}
