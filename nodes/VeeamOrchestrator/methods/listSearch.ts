import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { defaultCallOptions } from '../../shared/descriptions';
import { toNodeError } from '../../shared/errors';
import { listPlans } from '../plans';
import { vroConnection } from '../transport';

/** One entry of the plan picker: name, then type and state, so technicians pick the right one. */
export function planResult(plan: IDataObject): { name: string; value: string } {
	const type = plan.planType ?? (String((plan._links as IDataObject | undefined)?.self ?? '').includes('RestorePlans') ? 'Restore' : undefined);
	const state = plan.stateName ?? plan.planState ?? plan.state;
	const extra = [type, state].filter((x) => x !== undefined && x !== null && x !== '').join(', ');
	return { name: extra ? `${String(plan.name)} (${extra})` : String(plan.name), value: String(plan.id) };
}

/** The plan picker, filled by the server through the paging engine and filtered by name. */
export async function searchPlans(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	try {
		const conn = await vroConnection(this);
		const plans = await listPlans({ ctx: this, conn, options: defaultCallOptions() }, {}, undefined, 0);
		const needle = (filter ?? '').trim().toLowerCase();
		const results = plans
			.filter((p) => !needle || String(p.name ?? '').toLowerCase().includes(needle) || String(p.id ?? '').toLowerCase() === needle)
			.map(planResult)
			.sort((a, b) => a.name.localeCompare(b.name));
		return { results };
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
}
