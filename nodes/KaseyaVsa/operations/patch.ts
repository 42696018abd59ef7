import { agentLocator, done, sortOption } from './common';
import type { VsaOperation } from './types';

/** Patch management per agent, reference §3.9. */
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
				toApi: (value) => (value === false || value === 'false' ? 'false' : 'true'),
			},
		],
		sortFields: [sortOption('Release Date', 'ReleaseDate'), sortOption('Title', 'UpdateTitle'), sortOption('Classification', 'UpdateClassification')],
	},
	{
		resource: 'patch',
		operation: 'scanNow',
		name: 'Scan Now',
		action: 'Scan an agent for patches now',
		description: 'Start a patch scan on an agent right away',
		method: 'PUT',
		path: '/assetmgmt/patch/{agentId}/scannow',
		// An action URI: a second scan request has no further effect (reference §2.1 "action URIs").
		idempotent: true,
		fields: [agentLocator()],
		successOutput: done('scanStarted', ['agentId']),
	},
];
