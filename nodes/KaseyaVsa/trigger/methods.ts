import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { listSearch } from '../methods/listSearch';
import { allOptions, LOOKUPS } from '../methods/lookups';

/**
 * Pick-lists of the trigger, from the action node's lookups (one definition of each list). Service
 * Desks are a multi-select, which a resource locator cannot be, so they are a loadOptions list.
 */
export async function getServiceDesks(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const items = await allOptions(this, LOOKUPS.serviceDesks);
	return items.map((i) => ({ name: i.name, value: i.value, description: i.description }));
}

export const { searchOrganizations, searchMachineGroups } = listSearch;
