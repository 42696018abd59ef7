import type { INodeProperties } from 'n8n-workflow';

import { requestOptionsProperty, returnAllLimitFields } from '../shared/descriptions';
import { toOperationDef } from '../shared/executor';
import { buildProperties } from '../shared/operations';
import { vsaOperations, vsaResources } from './operations';
import { VSA_DEFAULT_CONCURRENCY } from './transport';

/** The shared Request Options, showing VSA's own default concurrency (transport.ts). */
const vsaRequestOptions: INodeProperties = {
	...requestOptionsProperty,
	options: requestOptionsProperty.options!.map((option) => (option.name === 'concurrency' ? { ...option, default: VSA_DEFAULT_CONCURRENCY } : option)),
};

/** All parameters of the node, generated from the operation tables, plus the shared Request Options. */
export const vsaProperties: INodeProperties[] = [
	...buildProperties(vsaResources, vsaOperations.map((op) => toOperationDef(op, ['numericId'])), { returnAllLimit: () => returnAllLimitFields() }),
	vsaRequestOptions,
];
