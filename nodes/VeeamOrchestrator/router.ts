import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { readCallOptions } from '../shared/descriptions';
import { operationError } from '../shared/errors';
import { findOperation, readFields, runItems } from '../shared/operations';
import { fillPath } from '../shared/url';
import { unsupported } from './actions';
import { routeFor } from './endpoints';
import type { VroOperation } from './operations';
import { emptyOutput, OPERATIONS, RESOURCES, routeKeyOf } from './operations';
import type { VroContext } from './plans';
import { vroConnection, vroList, vroRequest } from './transport';

/** The operation value n8n's editor adds for its generic "Custom API Call" entry. */
export const CUSTOM_API_CALL = '__CUSTOM_API_CALL__';

/**
 * The node's one router: finds the row, refuses an operation the credential's API version lacks
 * before anything is sent, and runs the row's handler (or the generic executor) for each item
 * inside the shared item loop (pairedItem, continueOnFail, bounded concurrency).
 */
export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0, '') as string;
	// With a fallback, an unknown resource (a workflow from another version) reaches the clear error below instead of n8n's "Could not get parameter".
	const operation = this.getNodeParameter('operation', 0, '') as string;
	if (operation === CUSTOM_API_CALL) {
		throw operationError(
			this.getNode(),
			'Custom API calls are made with the "Custom API Call" resource of this node',
			'Set Resource to "Custom API Call" (the last resource) and Operation to "Request", then enter the method and the path under the API base. It uses this node\'s credential, paging, retries and error handling.',
		);
	}
	const op = findOperation(OPERATIONS, resource, operation);
	if (!op) {
		throw operationError(
			this.getNode(),
			`The operation "${operation}" is not known for the resource "${resource}"`,
			'The workflow may come from a newer version of this node. Open the node and choose the operation again.',
		);
	}
	const options = readCallOptions(this);
	const conn = await vroConnection(this);
	const vc: VroContext = { ctx: this, conn, options };
	const key = routeKeyOf(op);
	const label = `${RESOURCES.find((r) => r.value === op.resource)?.name ?? op.resource} → ${op.name}`;
	// Lists run one item at a time (their pages are fetched concurrently); so does a custom GET with Return All.
	const pagesConcurrently = op.paged || (op.resource === 'customApi' && this.getNodeParameter('returnAll', 0, false) === true);
	return runItems(this, { concurrency: pagesConcurrently ? 1 : options.concurrency }, async (itemIndex) => {
		if (key && !routeFor(key, conn.version)) throw unsupported(vc, key, label, itemIndex);
		const values = readFields(this, op, itemIndex);
		return op.handler ? op.handler(vc, values, itemIndex) : execute(vc, op, key!, values, itemIndex);
	});
}

/** Rows without logic: one request, or one paged list. */
async function execute(vc: VroContext, op: VroOperation, key: string, values: IDataObject, itemIndex: number): Promise<IDataObject | IDataObject[]> {
	const r = routeFor(key, vc.conn.version)!;
	const path = fillPath(r.path, values);
	if (op.paged) {
		return vroList(vc.ctx, path, { limit: values.returnAll === true ? undefined : Number(values.limit ?? 50), itemIndex }, vc.options);
	}
	const data = await vroRequest(vc.ctx, { method: r.method, path, body: r.body?.(values), itemIndex }, vc.options);
	if (data === undefined || data === null || data === '') return emptyOutput(op, values);
	if (Array.isArray(data)) return data.map((d) => (d && typeof d === 'object' ? (d as IDataObject) : { value: d as IDataObject[string] }));
	return typeof data === 'object' ? (data as IDataObject) : { value: data as IDataObject[string] };
}
