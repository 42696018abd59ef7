import { containsFilter, idField, idFilter, sortOption } from './common';
import type { VsaOperation } from './types';

/** Assets and devices: KAT VSAModule/public/Get-VSAAsset.ps1, PSK Functions/Assets.ps1; fields PSK KAsset. */
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
			// Kaseya's asset model has AssetTypeId, not a type name (PSK KAsset; PSK Functions/Assets.ps1 filters `AssetTypeId eq <id>M`).
			idFilter('assetTypeId', 'Asset Type', 'AssetTypeId', 'Only assets of this type.', 'getAssetTypes'),
			idFilter('organizationId', 'Organization', 'OrgId', 'Only assets of this organization.', 'getOrganizations'),
			idFilter('machineGroupId', 'Machine Group', 'MachineGroupId', 'Only assets of this machine group.', 'getMachineGroups'),
		],
		sortFields: [sortOption('Name', 'AssetName'), sortOption('Type', 'AssetTypeId'), sortOption('Last Seen', 'LastSeenDate')],
	},
	{
		resource: 'asset',
		operation: 'get',
		name: 'Get',
		action: 'Get an asset',
		description: 'Get one asset by its ID',
		method: 'GET',
		// KAT VSAModule/private/VSAEndpointMaps.ps1 (Get-VSAAssetById, added in v1.4.0 from the live Swagger).
		path: '/assetmgmt/assets/getassetbyid/{assetId}',
		fields: [idField('Asset ID', 'assetId', 'ID of the asset (field AssetId)')],
	},
];
