import type { ILoadOptionsFunctions, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';

import { defaultCallOptions } from '../../shared/descriptions';
import { odataString } from '../../shared/odata';
import { vsaList } from '../transport';

/**
 * Pick-lists of the trigger. Service Desks are a multi-select (a resource locator holds one value),
 * so they are a loadOptions method; the list surfaces API errors instead of showing an empty list.
 */
export async function getServiceDesks(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const desks = await vsaList(this, '/automation/servicedesks', { orderby: 'ServiceDeskName', key: 'ServiceDeskId' }, defaultCallOptions());
	return desks.map((d) => ({ name: String(d.ServiceDeskName ?? d.ServiceDeskId), value: String(d.ServiceDeskId), description: d.Description ? String(d.Description) : undefined }));
}

async function search(
	ctx: ILoadOptionsFunctions,
	path: string,
	nameField: string,
	idField: string,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const skip = Number(paginationToken ?? 0) || 0;
	const rows = await vsaList(
		ctx,
		path,
		{ filter: filter ? `substringof(${odataString(filter)}, ${nameField})` : undefined, orderby: nameField, limit: skip + 100, key: idField },
		defaultCallOptions(),
	);
	const page = rows.slice(skip);
	return {
		results: page.map((r) => ({ name: String(r[nameField] ?? r[idField]), value: String(r[idField]) })),
		paginationToken: page.length === 100 ? String(skip + 100) : undefined,
	};
}

export async function searchOrganizations(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await search(this, '/system/orgs', 'OrgName', 'OrgId', filter, paginationToken);
}

export async function searchMachineGroups(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await search(this, '/system/machinegroups', 'MachineGroupName', 'MachineGroupId', filter, paginationToken);
}
