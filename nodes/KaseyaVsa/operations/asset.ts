import { containsFilter, equalsTextFilter, idField, idFilter, sortOption } from './common';
import type { VsaOperation } from './types';

/** Assets and devices, reference §3.3. */
export const assetOperations: VsaOperation[] = [
	{
		resource: 'asset',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many assets',
		description: 'List assets: agent machines and discovered devices such as printers and switches',
		method: 'GET',
		path: '/assetmgmt/assets',
		paged: true,
		key: 'AssetId',
		filters: [
			containsFilter('nameContains', 'Name Contains', 'AssetName', 'Only assets whose name contains this text'),
			equalsTextFilter('assetType', 'Asset Type', 'AssetType', 'Only assets of this type, e.g. Workstation, Server, Printer'),
			idFilter('organizationId', 'Organization', 'OrgId', 'Only assets of this organization.', 'getOrganizations'),
			idFilter('machineGroupId', 'Machine Group', 'MachineGroupId', 'Only assets of this machine group.', 'getMachineGroups'),
		],
		sortFields: [sortOption('Name', 'AssetName'), sortOption('Type', 'AssetType'), sortOption('Last Seen', 'LastSeenDate')],
	},
	{
		resource: 'asset',
		operation: 'get',
		name: 'Get',
		action: 'Get an asset',
		description: 'Get one asset by its ID',
		method: 'GET',
		path: '/assetmgmt/assets/{assetId}',
		fields: [idField('Asset ID', 'assetId', 'ID of the asset (field AssetId)')],
	},
];
