import { customApiRequest } from './handlers';
import type { VsaOperation } from './types';

/** Any VSA endpoint, with the same login, envelope, error and retry handling as the other operations. */
export const customApiOperations: VsaOperation[] = [
	{
		resource: 'customApi',
		operation: 'request',
		name: 'Request',
		action: 'Make a VSA API request',
		description: 'Call any endpoint under /api/v1.0 that the other operations do not cover',
		fields: [
			{
				displayName: 'Method',
				name: 'method',
				type: 'options',
				default: 'GET',
				options: ['DELETE', 'GET', 'PATCH', 'POST', 'PUT'].map((m) => ({ name: m, value: m })),
				description: 'HTTP method. Writes (POST, PUT, PATCH, DELETE) are never repeated automatically after a broken connection.',
			},
			{
				displayName: 'Path',
				name: 'path',
				type: 'string',
				default: '',
				required: true,
				placeholder: '/system/orgs/{orgId}/departments',
				description: 'Path under /api/v1.0, e.g. /assetmgmt/agentsinview/123. Put query parameters in the field below, not in the path.',
			},
			{
				displayName: 'Query Parameters',
				name: 'queryParameters',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Parameter',
				default: {},
				description: 'Query string parameters such as $filter or $orderby (with Return All, $top and $skip are set by the node)',
				options: [
					{
						displayName: 'Parameter',
						name: 'parameter',
						values: [
							{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: '$filter' },
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
			{
				displayName: 'JSON Body',
				name: 'body',
				type: 'json',
				default: '',
				displayOptions: { show: { method: ['POST', 'PUT', 'PATCH', 'DELETE'] } },
				description: 'Request body as JSON. Write IDs as strings ("979868787875855") or as plain digits: long numbers are kept exact.',
			},
			{
				displayName: 'Return All',
				name: 'returnAll',
				type: 'boolean',
				default: false,
				displayOptions: { show: { method: ['GET'] } },
				description: 'Whether to page through a collection and return every record (one item per record) instead of the single response',
			},
		],
		handler: customApiRequest,
	},
];
