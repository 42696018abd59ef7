import { fetchPages, PagingError, planRemainingPages } from '../../nodes/shared/paging';
import type { PagePlan } from '../../nodes/shared/paging';

/** A server of `total` rows that caps pages at `cap`, recording every page asked for. */
function server(total: number, cap = 100, withTotal = true) {
	const rows = Array.from({ length: total }, (_, i) => ({ id: `id${i}` }));
	const asked: PagePlan[] = [];
	const fetch = async (plan: PagePlan) => {
		asked.push(plan);
		const items = rows.slice(plan.offset, plan.offset + Math.min(cap, plan.size));
		return { items, total: withTotal ? rows.length : undefined };
	};
	return { rows, asked, fetch };
}

const opts = { pageSize: 100, concurrency: 5, maxRecords: 100_000, key: (r: any) => r.id };

describe('paging planner', () => {
	it('plans the pages after the first from the total', () => {
		expect(planRemainingPages(100, 250, Infinity, 100)).toEqual([
			{ offset: 100, size: 100 },
			{ offset: 200, size: 50 },
		]);
		expect(planRemainingPages(100, 2500, Infinity, 100)).toHaveLength(24);
		expect(planRemainingPages(100, 100, Infinity, 100)).toEqual([]);
		expect(planRemainingPages(100, 5000, 150, 100)).toEqual([{ offset: 100, size: 50 }]);
	});
});

describe('paging engine', () => {
	it('reads 2,500 records in 25 requests, in server order, without duplicates', async () => {
		const s = server(2500);
		const out = await fetchPages(s.fetch, opts);
		expect(out.map((r) => r.id)).toEqual(s.rows.map((r) => r.id));
		expect(s.asked).toHaveLength(25);
	});

	it('asks only for what a limit needs', async () => {
		const s = server(2500);
		expect(await fetchPages(s.fetch, { ...opts, limit: 150 })).toHaveLength(150);
		expect(s.asked).toEqual([
			{ offset: 0, size: 100 },
			{ offset: 100, size: 50 },
		]);
		const small = server(2500);
		await fetchPages(small.fetch, { ...opts, limit: 7 });
		expect(small.asked).toEqual([{ offset: 0, size: 7 }]);
	});

	it('steps by what a server actually returns when it caps below the page size', async () => {
		const s = server(95, 20);
		const out = await fetchPages(s.fetch, opts);
		expect(out).toHaveLength(95);
	});

	it('walks pages until a short one when no total is given', async () => {
		const s = server(230, 100, false);
		const out = await fetchPages(s.fetch, opts);
		expect(out).toHaveLength(230);
		expect(s.asked.map((p) => p.offset)).toEqual([0, 100, 200]);
	});

	it('refuses a Return All above the safety limit before reading more pages', async () => {
		const s = server(2500);
		await expect(fetchPages(s.fetch, { ...opts, maxRecords: 1000 })).rejects.toBeInstanceOf(PagingError);
		expect(s.asked).toHaveLength(1);
	});

	it('fails instead of returning a partial list when records vanish during paging', async () => {
		const s = server(300);
		const shrinking = async (plan: PagePlan) => {
			const page = await s.fetch(plan);
			if (plan.offset === 0) s.rows.splice(0, 10); // 10 rows deleted after page 1 → later pages shift
			return page;
		};
		await expect(fetchPages(shrinking, opts)).rejects.toThrow(/changed while it was being paged/);
	});

	it('drops a duplicate caused by an insert during paging, then reports the gap', async () => {
		const s = server(200);
		const growing = async (plan: PagePlan) => {
			const page = await s.fetch(plan);
			if (plan.offset === 0) s.rows.unshift({ id: 'new' }); // page 2 now repeats row 99
			return page;
		};
		await expect(fetchPages(growing, { ...opts, concurrency: 1 })).rejects.toThrow(PagingError);
	});
});
