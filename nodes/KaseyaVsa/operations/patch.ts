import { agentLocator, done, sortOption } from './common';
import type { VsaOperation } from './types';

/** Patch management per agent: KAT VSAModule/private/VSAEndpointMaps.ps1, public/Get-VSAPatchMissing.ps1, Start-VSAPatchScan.ps1; PSK Functions/Patch Management.ps1. */
export const patchOperations: VsaOperation[] = [
	{
		resource: 'patch',
		operation: 'getStatus',
		name: 'Get Status',
		action: 'Get patch status of an agent',
		description: 'Get the patch summary of an agent: installed, missing and pending patches, last scan',
		method: 'GET',
		path: '/assetmgmt/patch/{agentId}/status',
		fields: [agentLocator()],
	},
	{
		resource: 'patch',
		operation: 'getHistory',
		name: 'Get History',
		action: 'Get patch history of an agent',
		description: 'List the patches installed on an agent',
		method: 'GET',
		path: '/assetmgmt/patch/{agentId}/history',
		paged: true,
		fields: [agentLocator()],
	},
	{
		resource: 'patch',
		operation: 'getMissing',
		name: 'Get Missing',
		action: 'Get missing patches of an agent',
		description: 'List the patches an agent still needs',
		method: 'GET',
		path: '/assetmgmt/patch/{agentId}/machineupdate/{hideDenied}',
		paged: true,
		fields: [
			agentLocator(),
			{
				displayName: 'Hide Denied Patches',
				name: 'hideDenied',
				type: 'boolean',
				default: true,
				description: 'Whether to leave out patches denied by the patch approval policy',
				in: 'path',
				// KAT and PSK both send the .NET Boolean text (`$HideDeniedPatches.ToString()`).
				toApi: (value) => (value === false || value === 'false' ? 'False' : 'True'),
			},
		],
		// Sortable fields of Kaseya's patch model (PSK KPatch, from DOC 33668).
		sortFields: [sortOption('Published Date', 'LastPublishedDate'), sortOption('KB Article', 'KBArticleId'), sortOption('Classification', 'UpdateClassification')],
	},
	{
		resource: 'patch',
		operation: 'scanNow',
		name: 'Scan Now',
		action: 'Scan an agent for patches now',
		description: 'Start a patch scan on an agent right away',
		method: 'PUT',
		path: '/assetmgmt/patch/{agentId}/scannow',
		// An action URI (no body, KAT Start-VSAPatchScan.ps1): a second scan request only asks for the same scan again.
		idempotent: true,
		fields: [agentLocator()],
		successOutput: done('scanStarted', ['agentId']),
	},
];
