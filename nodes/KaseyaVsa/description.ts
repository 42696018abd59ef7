import type { INodeProperties } from 'n8n-workflow';

import { requestOptionsProperty, returnAllLimitFields } from '../shared/descriptions';
import type { OperationDef } from '../shared/operations';
import { buildProperties } from '../shared/operations';
import { vsaOperations, vsaResources } from './operations';
import type { VsaField, VsaOperation } from './operations/types';

/** The router's own markers on a field, which are not n8n properties. */
function toFieldDef(field: VsaField) {
	const { numericId: _numericId, rawPath: _rawPath, toApi: _toApi, ...def } = field;
	return def;
}

function toOperationDef(op: VsaOperation): OperationDef<unknown> {
	const { filters: _filters, sortFields: _sortFields, handler: _handler, ...def } = op;
	return { ...def, fields: (op.fields ?? []).map(toFieldDef) };
}

/** All parameters of the node, generated from the operation tables, plus the shared Request Options. */
export const vsaProperties: INodeProperties[] = [
	...buildProperties(vsaResources, vsaOperations.map(toOperationDef), { returnAllLimit: () => returnAllLimitFields() }),
	requestOptionsProperty,
];
