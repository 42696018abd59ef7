import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { CallOptions } from '../shared/descriptions';
import * as executor from '../shared/executor';
import type { NodeProduct } from '../shared/executor';
import { vsaOperations } from './operations';
import type { VsaField, VsaOperation } from './operations/types';
import { listQuery } from './query';
import { VSA_DEFAULT_CONCURRENCY, vsaList, vsaRequest } from './transport';
import type { InputCheck } from './validate';
import { requireNumericId } from './validate';

export { CUSTOM_API_CALL } from '../shared/executor';

/**
 * Kaseya VSA on the shared row executor (nodes/shared/executor.ts): its rows, its numeric-ID rule, its
 * transport, and OData `$filter`/`$orderby` for list rows (query.ts).
 */
export const VSA_NODE: NodeProduct<VsaOperation> = {
	operations: vsaOperations,
	apiBasePath: '/api/v1.0',
	defaultConcurrency: VSA_DEFAULT_CONCURRENCY,
	isIdField: (field: VsaField) => field.numericId === true,
	requireId: requireNumericId,
	request: (fn, call, options) => vsaRequest(fn, call, options),
	list: (fn, op, path, values, qs, check, options) => vsaList(fn, path, { ...listQuery(op, values, check), extraQs: qs, itemIndex: check.itemIndex, key: op.key }, options),
};

export async function route(fn: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await executor.route(fn, VSA_NODE);
}

export async function runOperation(fn: IExecuteFunctions, op: VsaOperation, itemIndex: number, options: CallOptions): Promise<IDataObject | IDataObject[]> {
	return await executor.runOperation(fn, VSA_NODE, op, itemIndex, options);
}

export function checkValues(op: VsaOperation, raw: IDataObject, check: InputCheck): IDataObject {
	return executor.checkValues(VSA_NODE, op, raw, check);
}

export { buildBody, buildPath, buildQuery, shapeOutput } from '../shared/executor';
