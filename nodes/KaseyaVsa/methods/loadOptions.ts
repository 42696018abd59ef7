import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import type { Lookup } from './lookups';
import { allOptions, currentDeskId, deskLookup, LOOKUPS } from './lookups';

function options(lookup: (ctx: ILoadOptionsFunctions) => Lookup) {
	return async function (this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const items = await allOptions(this, lookup(this));
		return items.map((i) => ({ name: i.name, value: i.value, description: i.description }));
	};
}

/** Drop-down lists (filters and desk-dependent choices). */
export const loadOptions = {
	getOrganizations: options(() => LOOKUPS.organizations),
	getAssetTypes: options(() => LOOKUPS.assetTypes),
	getMachineGroups: options(() => LOOKUPS.machineGroups),
	getCustomFields: options(() => LOOKUPS.customFields),
	getStaff: options(() => LOOKUPS.staff),
	getDeskStatuses: options((ctx) => deskLookup(currentDeskId(ctx), 'status', 'id')),
	getDeskStatusNames: options((ctx) => deskLookup(currentDeskId(ctx), 'status', 'name')),
	getDeskPriorities: options((ctx) => deskLookup(currentDeskId(ctx), 'priorities', 'id')),
	getDeskPriorityNames: options((ctx) => deskLookup(currentDeskId(ctx), 'priorities', 'name')),
	getDeskCustomFields: options((ctx) => deskLookup(currentDeskId(ctx), 'customfields', 'id')),
};
