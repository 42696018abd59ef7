import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { searchPlans } from '../methods/listSearch';

/** The plans to watch, as a multi-select built on the action node's plan picker. */
export async function getPlans(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { results } = await searchPlans.call(this);
	return results.map((r) => ({ name: r.name, value: String(r.value) }));
}
