import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { sortCollection } from '../shared/descriptions';
import { andFilters, odataField } from '../shared/odata';
import type { VsaOperation } from './operations/types';
import type { InputCheck } from './validate';
import { requireOption } from './validate';

/**
 * The OData side of list operations: the Filters and Sort collections generated from a row, and the
 * `$filter`/`$orderby` built from their values with nodes/shared/odata.ts only.
 */
export interface ListQuery {
	filter?: string;
	orderby?: string;
	/** undefined = Return All */
	limit?: number;
}

export function filterProperty(op: VsaOperation): INodeProperties | undefined {
	if (!op.filters?.length) return undefined;
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'Conditions the server applies before paging; all of them must match',
		options: op.filters.map((f) => f.property),
	};
}

export function sortProperty(op: VsaOperation): INodeProperties | undefined {
	if (!op.sortFields?.length) return undefined;
	return sortCollection(op.sortFields, ['asc', 'desc'], 'Field the server sorts the records by');
}

/** The row with its Filters and Sort collections added as fields, so they are read like any other field. */
export function withListFields(op: VsaOperation): VsaOperation {
	const extra = [filterProperty(op), sortProperty(op)].filter((p): p is INodeProperties => p !== undefined);
	if (extra.length === 0) return op;
	return { ...op, fields: [...(op.fields ?? []), ...extra.map((p) => ({ ...p, in: 'none' as const }))] };
}

export function buildFilter(op: VsaOperation, filters: IDataObject | undefined, check: InputCheck): string | undefined {
	if (!op.filters?.length || !filters) return undefined;
	return andFilters(op.filters.map((f) => f.build(filters[f.property.name], check)));
}

export function buildOrderBy(op: VsaOperation, values: IDataObject, check: InputCheck): string | undefined {
	const sort = (values.sort ?? {}) as IDataObject;
	if (op.sortFields?.length && (sort.field !== undefined || sort.direction !== undefined)) {
		const field = requireOption(check, 'Sort By', sort.field ?? op.sortFields[0].value, op.sortFields.map((s) => s.value));
		const direction = requireOption(check, 'Sort Direction', sort.direction ?? 'asc', ['asc', 'desc']);
		return `${odataField(field)} ${direction}`;
	}
	return op.orderby?.(values);
}

export function listQuery(op: VsaOperation, values: IDataObject, check: InputCheck): ListQuery {
	return {
		filter: buildFilter(op, values.filters as IDataObject | undefined, check),
		orderby: buildOrderBy(op, values, check),
		limit: values.returnAll === true ? undefined : Math.max(1, Math.trunc(Number(values.limit ?? 50))),
	};
}
