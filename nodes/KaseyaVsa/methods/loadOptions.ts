import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import type { DeskLookupKind, Lookup } from './lookups';
import { allOptions, currentDeskId, deskEntries, LOOKUPS } from './lookups';

function options(lookup: (ctx: ILoadOptionsFunctions) => Lookup) {
	return async function (this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const items = await allOptions(this, lookup(this));
		return items.map((i) => ({ name: i.name, value: i.value, description: i.description }));
	};
}

/**
 * Shown instead of an error while no Service Desk is chosen: the editor displays a failing list as
 * "Error fetching options", and the reason reached only the server log.
 */
export const CHOOSE_DESK_FIRST: INodePropertyOptions = {
	name: 'Choose a Service Desk First',
	value: '',
	description: 'This list depends on the desk: select the Service Desk parameter above (or enter its ID), then open this list again',
};

/** Value of the "leave it to the desk" entry of an optional list: nothing is sent. */
export const DESK_DEFAULT: INodePropertyOptions = {
	name: "Desk Default (Not Sent)",
	value: '',
	description: "The field is left out of the request, so the desk's default applies",
};

/** A desk's statuses, priorities, categories or custom fields, valued by their numeric ID. */
function deskOptions(kind: DeskLookupKind, optional = false) {
	return async function (this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const deskId = currentDeskId(this);
		if (deskId === undefined) return [CHOOSE_DESK_FIRST];
		const entries = await deskEntries(this, deskId, kind);
		const items = entries.map((e) => ({ name: e.name || e.id, value: e.id }));
		return optional ? [DESK_DEFAULT, ...items] : items;
	};
}

/** Drop-down lists (filters and desk-dependent choices). */
export const loadOptions = {
	getOrganizations: options(() => LOOKUPS.organizations),
	getAssetTypes: options(() => LOOKUPS.assetTypes),
	getMachineGroups: options(() => LOOKUPS.machineGroups),
	getCustomFields: options(() => LOOKUPS.customFields),
	getStaff: options(() => LOOKUPS.staff),
	getDeskStatuses: deskOptions('status'),
	getDeskStatusesOrDefault: deskOptions('status', true),
	getDeskPriorities: deskOptions('priority'),
	getDeskCategoriesOrDefault: deskOptions('category', true),
	getDeskCustomFields: deskOptions('customField'),
};
