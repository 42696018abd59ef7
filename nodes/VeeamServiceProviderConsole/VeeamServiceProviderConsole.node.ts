import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { requestOptionsProperty, returnAllLimitFields } from '../shared/descriptions';
import type { NodeProduct } from '../shared/executor';
import { route, toOperationDef } from '../shared/executor';
import { buildProperties } from '../shared/operations';
import { listSearch } from './methods';
import type { VspcField, VspcOperation } from './operations';
import { listQuery, requireUid, vspcOperations, vspcResources } from './operations';
import { vspcList, vspcRequest } from './transport';

/** VSPC on the shared executor: its rows, its UID rule, its transport and its filter/sort JSON for list rows. */
export const VSPC_NODE: NodeProduct<VspcOperation> = {
	operations: vspcOperations,
	apiBasePath: '/api/v3',
	isIdField: (field: VspcField) => field.uid === true,
	requireId: requireUid,
	request: (fn, call, options) => vspcRequest(fn, call, options),
	list: (fn, op, path, values, qs, check, options) =>
		vspcList(
			fn,
			path,
			{
				qs: { ...(qs ?? {}), ...listQuery(op, values, check) },
				limit: values.returnAll === true ? undefined : Math.max(1, Math.trunc(Number(values.limit ?? 50))),
				itemIndex: check.itemIndex,
				key: op.keyOf ? op.keyOf(values) : op.key,
			},
			options,
		),
};

/** Veeam Service Provider Console (REST API v3): every tenant's companies, backup servers, jobs, workloads, alarms and license usage. */
export class VeeamServiceProviderConsole implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Veeam Service Provider Console',
		name: 'veeamServiceProviderConsole',
		icon: { light: 'file:../../icons/vspc.svg', dark: 'file:../../icons/vspc.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Automate Veeam Service Provider Console: companies, backup servers and jobs, protected workloads, alarms and license usage',
		defaults: { name: 'Veeam Service Provider Console' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'veeamServiceProviderConsoleApi', required: true }],
		properties: [
			...buildProperties(vspcResources, vspcOperations.map((op) => toOperationDef(op, ['uid'])), { returnAllLimit: () => returnAllLimitFields() }),
			requestOptionsProperty,
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route(this, VSPC_NODE);
	}
}
