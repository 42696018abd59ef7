import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import * as executor from '../shared/executor';
import type { NodeProduct } from '../shared/executor';
import { unsupported } from './actions';
import { routeFor } from './endpoints';
import type { VroOperation } from './operations';
import { emptyOutput, OPERATIONS, RESOURCES, routeKeyOf } from './operations';
import type { VroContext } from './plans';
import { vroConnection, vroList, vroRequest } from './transport';

export { CUSTOM_API_CALL } from '../shared/executor';

/**
 * The Orchestrator on the shared row executor (nodes/shared/executor.ts). What it adds: the server's
 * API version read once per run, an operation that version lacks refused before anything is sent, and
 * each row's request taken from the route table of that version (endpoints.ts).
 */
export const VRO_NODE: NodeProduct<VroOperation, VroContext> = {
	operations: OPERATIONS,
	apiBasePath: "the API version's base (e.g. /api/v7.21)",
	// Orchestrator IDs are GUIDs (or v1/v2 names), checked by the handlers that use them.
	isIdField: () => false,
	requireId: (_check, _label, value) => String(value),
	// Handlers check their own inputs: a required field hidden by another choice (Start Time of a schedule "after another plan") reads as empty.
	checkRequiredText: false,
	request: async (fn, call, options) => {
		const result = await vroRequest(fn, call, options);
		// A bare JSON value becomes `{ value }`, as this node has always output it.
		return { result: result === undefined || result === null || result === '' || typeof result === 'object' ? result : { value: result } };
	},
	list: (fn, _op, path, values, qs, check, options) =>
		vroList(fn, path, { qs, limit: values.returnAll === true ? undefined : Number(values.limit ?? 50), itemIndex: check.itemIndex }, options),
	prepare: async (fn, options) => ({ ctx: fn, conn: await vroConnection(fn), options }),
	precheck: (vc, op, itemIndex) => {
		const key = routeKeyOf(op);
		if (key && !routeFor(key, vc.conn.version)) {
			const label = `${RESOURCES.find((r) => r.value === op.resource)?.name ?? op.resource} → ${op.name}`;
			throw unsupported(vc, key, label, itemIndex);
		}
	},
	routeOf: (vc, op) => routeFor(routeKeyOf(op)!, vc.conn.version)!,
	handlerContext: (vc) => vc,
	emptyOutput,
};

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await executor.route(this, VRO_NODE);
}
