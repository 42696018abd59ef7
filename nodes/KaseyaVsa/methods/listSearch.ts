import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { Lookup } from './lookups';
import { LOOKUPS, searchPage } from './lookups';

function search(lookup: Lookup) {
	return async function (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const offset = paginationToken && /^\d+$/.test(paginationToken) ? Number(paginationToken) : 0;
		const page = await searchPage(this, lookup, filter, offset);
		return { results: page.items, paginationToken: page.next === undefined ? undefined : String(page.next) };
	};
}

/** Searchable resource locators: the server filters by name (substringof), one page of 100 at a time. */
export const listSearch = {
	searchAgents: search(LOOKUPS.agents),
	searchOrganizations: search(LOOKUPS.organizations),
	searchMachineGroups: search(LOOKUPS.machineGroups),
	searchServiceDesks: search(LOOKUPS.serviceDesks),
	searchProcedures: search(LOOKUPS.procedures),
};
