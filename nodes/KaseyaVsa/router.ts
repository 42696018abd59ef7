import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { CallOptions } from '../shared/descriptions';
import { readCallOptions } from '../shared/descriptions';
import { findOperation, readFields, runItems } from '../shared/operations';
import { fillPath } from '../shared/url';
import { vsaOperations } from './operations';
import type { VsaField, VsaHandlerContext, VsaOperation } from './operations/types';
import { listQuery } from './query';
import { toItems, vsaList, vsaRequest } from './transport';
import type { InputCheck } from './validate';
import { requireNumericId, requireOption, requireText } from './validate';

/** The operation value n8n's editor adds for its generic "Custom API Call" entry. */
export const CUSTOM_API_CALL = '__CUSTOM_API_CALL__';

/**
 * The one executor of every operation row: reads and checks the item's parameters, fills the path,
 * builds query and body, and sends through the VSA transport. The shared runItems owns the item
 * loop (order, pairedItem, continueOnFail). Lists run one item at a time (their pages are
 * concurrent); other operations run `concurrency` items at once.
 */
export async function route(fn: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = fn.getNodeParameter('resource', 0, '') as string;
	// With a fallback, an unknown resource (a workflow from another version) reaches the clear error below instead of n8n's "Could not get parameter".
	const operation = fn.getNodeParameter('operation', 0, '') as string;
	if (operation === CUSTOM_API_CALL) {
		throw new NodeOperationError(fn.getNode(), 'Custom API calls are made with the "Custom API Call" resource of this node', {
			description: 'Set Resource to "Custom API Call" (the last resource) and Operation to "Request", then enter the method and the path under /api/v1.0. It uses this node\'s credential, paging, retries and error handling.',
		});
	}
	const op = findOperation(vsaOperations, resource, operation);
	if (!op) {
		throw new NodeOperationError(fn.getNode(), `The operation "${operation}" is not known for the resource "${resource}"`, {
			description: 'The workflow may come from a newer version of this node. Open the node and choose the operation again.',
		});
	}
	const options = readCallOptions(fn);
	const concurrency = pagesConcurrently(fn, op) ? 1 : options.concurrency;
	return await runItems(fn, { concurrency }, async (itemIndex) => await runOperation(fn, op, itemIndex, options));
}

/**
 * Lists run one item at a time, because their pages are the concurrent part. A row with its own
 * Return All (audit categories, custom requests) counts as a list when Return All is on.
 */
function pagesConcurrently(fn: IExecuteFunctions, op: VsaOperation): boolean {
	if (op.paged) return true;
	if (!(op.fields ?? []).some((f) => f.name === 'returnAll')) return false;
	return fn.getNodeParameter('returnAll', 0, false) === true;
}

export async function runOperation(fn: IExecuteFunctions, op: VsaOperation, itemIndex: number, options: CallOptions): Promise<IDataObject | IDataObject[]> {
	const check: InputCheck = { node: fn.getNode(), itemIndex };
	const values = checkValues(op, readFields(fn, op, itemIndex), check);
	if (op.handler) {
		const ctx: VsaHandlerContext = { fn, op, options, check };
		return await op.handler(ctx, values, itemIndex);
	}
	const path = buildPath(op, values, check);
	const qs = buildQuery(op, values);
	if (op.paged) {
		const query = listQuery(op, values, check);
		return await vsaList(fn, path, { ...query, extraQs: qs, itemIndex, key: op.key }, options);
	}
	const { result } = await vsaRequest(
		fn,
		{ method: op.method ?? 'GET', path, qs, body: buildBody(op, values), idempotent: op.idempotent, itemIndex },
		options,
	);
	return shapeOutput(op, result, values);
}

/** Validates the values that would otherwise reach the server unchecked, and normalises IDs to exact text. */
export function checkValues(op: VsaOperation, raw: IDataObject, check: InputCheck): IDataObject {
	const values: IDataObject = { ...raw };
	for (const field of op.fields ?? []) {
		const value = values[field.name];
		const empty = value === undefined || value === null || value === '';
		if (field.numericId) {
			if (!empty || field.required) values[field.name] = requireNumericId(check, field.displayName.replace(/ Name or ID$/, ''), value);
			else delete values[field.name];
			continue;
		}
		if (field.in === 'path') {
			if (field.type === 'options' && Array.isArray(field.options)) {
				const allowed = (field.options as INodePropertyOptions[]).map((o) => String(o.value));
				values[field.name] = requireOption(check, field.displayName, value, allowed);
			} else if (field.type === 'string' || field.type === 'options') {
				values[field.name] = requireText(check, field.displayName.replace(/ Name or ID$/, ''), value);
			}
		} else if (field.required && (field.type === 'string' || field.type === 'dateTime')) {
			requireText(check, field.displayName, value);
		}
	}
	return values;
}

/** Fills `{name}` placeholders: IDs and names encoded as one segment, `rawPath` options (already checked) as they are. */
export function buildPath(op: VsaOperation, values: IDataObject, check: InputCheck): string {
	let template = op.path ?? '';
	const segments: Record<string, unknown> = {};
	for (const field of pathFields(op)) {
		const key = field.apiName ?? field.name;
		const value = field.toApi ? field.toApi(values[field.name]) : values[field.name];
		if (field.rawPath) {
			const allowed = ((field.options ?? []) as INodePropertyOptions[]).map((o) => String(o.value));
			template = template.replace(`{${key}}`, requireOption(check, field.displayName, value, allowed));
		} else {
			segments[key] = value;
		}
	}
	return fillPath(template, segments);
}

function pathFields(op: VsaOperation): VsaField[] {
	return (op.fields ?? []).filter((f) => f.in === 'path');
}

export function buildQuery(op: VsaOperation, values: IDataObject): IDataObject | undefined {
	const qs: IDataObject = {};
	for (const field of op.fields ?? []) {
		if (field.in !== 'query') continue;
		const value = field.toApi ? field.toApi(values[field.name]) : values[field.name];
		if (value === undefined || value === null || value === '') continue;
		qs[field.apiName ?? field.name] = value as IDataObject[string];
	}
	return Object.keys(qs).length > 0 ? qs : undefined;
}

/** The row's body builder, or a flat object of its `in: 'body'` fields (false and 0 are kept). */
export function buildBody(op: VsaOperation, values: IDataObject): unknown {
	if (op.body) return op.body(values);
	const body: IDataObject = {};
	let any = false;
	for (const field of op.fields ?? []) {
		if (field.in !== 'body') continue;
		const value = field.toApi ? field.toApi(values[field.name]) : values[field.name];
		if (value === undefined || value === null || value === '') continue;
		body[field.apiName ?? field.name] = value as IDataObject[string];
		any = true;
	}
	return any ? body : undefined;
}

/** Records as items; `true`/204 answers become one item saying what was done. */
export function shapeOutput(op: VsaOperation, result: unknown, values: IDataObject): IDataObject | IDataObject[] {
	if (op.output) return op.output(result, values);
	if (result === true && op.successOutput) return op.successOutput(values);
	return toItems(result);
}
