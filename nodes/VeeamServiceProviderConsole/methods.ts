import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { defaultCallOptions } from '../shared/descriptions';
import type { VspcFilterItem } from './transport';
import { vspcList, vspcQuery } from './transport';

/** Records per page of a searchable list. */
export const SEARCH_PAGE = 100;

/**
 * Searchable pick-lists: the server filters by name (`contains`, ignoring case) and sorts by name, one page at a
 * time (https://helpcenter.veeam.com/docs/vac/rest/filter.html; CSPC …/models/company.py, backup_server.py: instanceUid, name).
 */
function search(path: string, describe: (record: IDataObject) => string | undefined) {
	return async function (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		const offset = paginationToken && /^\d+$/.test(paginationToken) ? Number(paginationToken) : 0;
		const term = (filter ?? '').trim();
		const where: VspcFilterItem[] = term ? [{ property: 'name', operation: 'contains', collation: 'ignorecase', value: term }] : [];
		const rows = await vspcList(this, path, { qs: vspcQuery(where, [{ property: 'name', direction: 'ascending' }]), limit: SEARCH_PAGE, offset, key: 'instanceUid' }, defaultCallOptions());
		return {
			results: rows.map((r) => ({ name: String(r.name ?? r.instanceUid), value: String(r.instanceUid), description: describe(r) })),
			paginationToken: rows.length < SEARCH_PAGE ? undefined : String(offset + rows.length),
		};
	};
}

export const listSearch = {
	searchCompanies: search('/organizations/companies', (r) => (r.status ? String(r.status) : undefined)),
	searchBackupServers: search('/infrastructure/backupServers', (r) => [r.backupServerRoleType, r.version].filter(Boolean).join(' · ') || undefined),
};
