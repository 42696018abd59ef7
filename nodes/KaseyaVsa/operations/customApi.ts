import { customApiFields } from '../../shared/customApi';
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
			...customApiFields({
				pathPlaceholder: '/system/orgs/{orgId}/departments',
				pathDescription: 'Path under /api/v1.0, e.g. /assetmgmt/agentsinview/123. Put query parameters in the field below, not in the path.',
				queryPlaceholder: '$filter',
				queryDescription: 'Query string parameters such as $filter or $orderby (with Return All, $top and $skip are set by the node)',
				bodyDescription: 'Request body as JSON. Write IDs as strings ("979868787875855") or as plain digits: long numbers are kept exact.',
				returnAllHint: 'On: pages through a collection and returns every record, one item per record. Off: the single response.',
			}),
		],
		handler: customApiRequest,
	},
];
