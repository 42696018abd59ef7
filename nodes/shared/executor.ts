import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { CallOptions } from './descriptions';
import { readCallOptions } from './descriptions';
import type { FieldDef, OperationDef } from './operations';
import { findOperation, readFields, runItems } from './operations';
import { runNode } from './parameters';
import type { CallResult, ProductCall } from './transport';
import { toItems } from './transport';
import { fillPath } from './url';
import type { InputCheck } from './validate';
import { requireOption, requireText } from './validate';

/**
 * The one row executor and router of every node. A product supplies typed operation rows and how to
 * send (its transport) and list (its query language); this reads and checks the item's fields, fills
 * the path, builds query and body, calls the transport and shapes the output. The item loop (order,
 * pairedItem, concurrency, continueOnFail) is runItems in operations.ts.
 */

/** The operation value n8n's editor adds for its generic "Custom API Call" entry. */
export const CUSTOM_API_CALL = '__CUSTOM_API_CALL__';

/** A field of an operation row, with the checks the executor makes before sending. */
export type ExecField = FieldDef & {
	/**
	 * An `options` value inserted into the path as it is, because it contains `/`. Only the listed
	 * option values are accepted.
	 */
	rawPath?: boolean;
	/** Turns the parameter value into what the API expects (e.g. a boolean as `True`). */
	toApi?: (value: unknown) => unknown;
};

export interface HandlerContext<Op> {
	fn: IExecuteFunctions;
	op: Op;
	options: CallOptions;
	check: InputCheck;
}

export interface ExecOperation<Ctx = unknown, Field extends ExecField = ExecField> extends OperationDef<Ctx> {
	fields?: Field[];
	/** Field that identifies a record of a list, for the paging duplicate check. */
	key?: string;
	/** Shapes the result of a non-list request (e.g. a bare id). Default: records as items, `true`/204 → successOutput. */
	output?: (result: unknown, values: IDataObject) => IDataObject | IDataObject[];
}

/** Method, path template and body builder of a row without a handler. */
export interface RowRoute {
	method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
	path: string;
	body?: (values: IDataObject) => unknown;
}

/** What a product gives the executor besides its rows. `Run` is what it reads once per execution (e.g. the API version). */
export interface NodeProduct<Op extends ExecOperation<any, any>, Run = undefined> {
	operations: readonly Op[];
	/** The API base path users type custom paths under, named in the advice for n8n's generic Custom API Call. */
	apiBasePath: string;
	/** Fields checked with the product's ID rule (and sent as the exact text it returns). */
	isIdField(field: NonNullable<Op['fields']>[number]): boolean;
	requireId(check: InputCheck, label: string, value: unknown): string;
	request(fn: IExecuteFunctions, call: ProductCall, options: CallOptions): Promise<CallResult>;
	/** A paged row: the product's filters and sorts for the row's values, through its list function. */
	list(fn: IExecuteFunctions, op: Op, path: string, values: IDataObject, qs: IDataObject | undefined, check: InputCheck, options: CallOptions): Promise<IDataObject[]>;
	/** The product's own default for Request Options › Concurrency, when the user has not set one (default DEFAULT_CONCURRENCY). */
	defaultConcurrency?: number;
	/** Reads what every item of the run needs, once, before the item loop. */
	prepare?(fn: IExecuteFunctions, options: CallOptions): Promise<Run>;
	/** Refuses an item before anything is sent, e.g. an operation the server's API version lacks. */
	precheck?(run: Run, op: Op, itemIndex: number): void;
	/** The request of a row without a handler when it depends on the run (a route per API version); default: the row's own. */
	routeOf?(run: Run, op: Op): RowRoute;
	/** The context a row's handler receives; default: `{ fn, op, options, check }`. */
	handlerContext?(run: Run, base: HandlerContext<Op>): Parameters<NonNullable<Op['handler']>>[0];
	/**
	 * false: required text fields are left to the handlers, which know which fields their other choices
	 * hide (a hidden required field reads as empty). Default true.
	 */
	checkRequiredText?: boolean;
	/** What a call answered with no body becomes; default: the row's successOutput for `true`, else no item. */
	emptyOutput?(op: Op, values: IDataObject): IDataObject;
}

/** Runs the node's operation over all items. */
export async function route<Op extends ExecOperation<any, any>, Run = undefined>(fn: IExecuteFunctions, product: NodeProduct<Op, Run>): Promise<INodeExecutionData[][]> {
	const resource = fn.getNodeParameter('resource', 0, '') as string;
	// With a fallback, an unknown resource (a workflow from another version) reaches the clear error below instead of n8n's "Could not get parameter".
	const operation = fn.getNodeParameter('operation', 0, '') as string;
	if (operation === CUSTOM_API_CALL) {
		throw new NodeOperationError(fn.getNode(), 'Custom API calls are made with the "Custom API Call" resource of this node', {
			description: `Set Resource to "Custom API Call" (the last resource) and Operation to "Request", then enter the method and the path under ${product.apiBasePath}. It uses this node's credential, paging, retries and error handling.`,
		});
	}
	const op = findOperation(product.operations as Op[], resource, operation);
	if (!op) {
		throw new NodeOperationError(fn.getNode(), `The operation "${operation}" is not known for the resource "${resource}"`, {
			description: 'The workflow may come from a newer version of this node. Open the node and choose the operation again.',
		});
	}
	const options = readCallOptions(fn);
	if (product.defaultConcurrency !== undefined && (fn.getNodeParameter('requestOptions', 0, {}) as IDataObject).concurrency === undefined) {
		options.concurrency = product.defaultConcurrency;
	}
	const run = (await product.prepare?.(fn, options)) as Run;
	const concurrency = pagesConcurrently(fn, op) ? 1 : options.concurrency;
	return await runItems(fn, { concurrency }, async (itemIndex) => {
		product.precheck?.(run, op, itemIndex);
		return await runOperation(fn, product, op, itemIndex, options, run);
	});
}

/**
 * Lists run one item at a time, because their pages are the concurrent part. A row with its own
 * Return All (custom requests) counts as a list when Return All is on.
 */
function pagesConcurrently(fn: IExecuteFunctions, op: ExecOperation<any, any>): boolean {
	if (op.paged) return true;
	if (!((op.fields ?? []) as ExecField[]).some((f) => f.name === 'returnAll')) return false;
	return fn.getNodeParameter('returnAll', 0, false) === true;
}

export async function runOperation<Op extends ExecOperation<any, any>, Run = undefined>(
	fn: IExecuteFunctions,
	product: NodeProduct<Op, Run>,
	op: Op,
	itemIndex: number,
	options: CallOptions,
	run?: Run,
): Promise<IDataObject | IDataObject[]> {
	const check: InputCheck = { node: runNode(fn), itemIndex };
	const values = checkValues(product, op, readFields(fn, op, itemIndex), check);
	if (op.handler) {
		const base: HandlerContext<Op> = { fn, op, options, check };
		return await op.handler(product.handlerContext ? product.handlerContext(run as Run, base) : base, values, itemIndex);
	}
	const row = product.routeOf ? { ...op, ...product.routeOf(run as Run, op) } : op;
	const path = buildPath(row, values, check);
	const qs = buildQuery(row, values);
	if (op.paged) return await product.list(fn, op, path, values, qs, check, options);
	const { result } = await product.request(fn, { method: row.method ?? 'GET', path, qs, body: buildBody(row, values), idempotent: op.idempotent, itemIndex }, options);
	if ((result === undefined || result === null || result === '') && product.emptyOutput) return product.emptyOutput(op, values);
	return shapeOutput(op, result, values);
}

/** Validates the values that would otherwise reach the server unchecked, and normalises IDs to exact text. */
export function checkValues<Op extends ExecOperation<any, any>>(product: Pick<NodeProduct<Op, any>, 'isIdField' | 'requireId' | 'checkRequiredText'>, op: Op, raw: IDataObject, check: InputCheck): IDataObject {
	const values: IDataObject = { ...raw };
	for (const field of (op.fields ?? []) as ExecField[]) {
		const value = values[field.name];
		const empty = value === undefined || value === null || value === '';
		if (product.isIdField(field)) {
			if (!empty || field.required) values[field.name] = product.requireId(check, field.displayName.replace(/ Name or ID$/, ''), value);
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
		} else if (field.required && product.checkRequiredText !== false && (field.type === 'string' || field.type === 'dateTime')) {
			requireText(check, field.displayName, value);
		}
	}
	return values;
}

/** Fills `{name}` placeholders: IDs and names encoded as one segment, `rawPath` options (already checked) as they are. */
export function buildPath(op: ExecOperation<any, any>, values: IDataObject, check: InputCheck): string {
	let template = op.path ?? '';
	const segments: Record<string, unknown> = {};
	for (const field of ((op.fields ?? []) as ExecField[]).filter((f) => f.in === 'path')) {
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

/** The `in` fields of a row as an object (false and 0 are kept, empty values left out). */
function collect(op: ExecOperation<any, any>, values: IDataObject, where: 'query' | 'body'): IDataObject | undefined {
	const out: IDataObject = {};
	for (const field of (op.fields ?? []) as ExecField[]) {
		if (field.in !== where) continue;
		const value = field.toApi ? field.toApi(values[field.name]) : values[field.name];
		if (value === undefined || value === null || value === '') continue;
		out[field.apiName ?? field.name] = value as IDataObject[string];
	}
	return Object.keys(out).length > 0 ? out : undefined;
}

export function buildQuery(op: ExecOperation<any, any>, values: IDataObject): IDataObject | undefined {
	return collect(op, values, 'query');
}

/** The row's body builder, or a flat object of its `in: 'body'` fields. */
export function buildBody(op: ExecOperation<any, any>, values: IDataObject): unknown {
	if (op.body) return op.body(values);
	return collect(op, values, 'body');
}

/** Records as items; `true`/204 answers become one item saying what was done. */
export function shapeOutput(op: ExecOperation<any, any>, result: unknown, values: IDataObject): IDataObject | IDataObject[] {
	if (op.output) return op.output(result, values);
	if (result === true && op.successOutput) return op.successOutput(values);
	return toItems(result);
}

/** An operation row without the executor's field markers (`rawPath`, `toApi` and the product's own), as buildProperties takes it. */
export function toOperationDef(op: ExecOperation<any, any>, fieldMarkers: readonly string[] = []): OperationDef<unknown> {
	const fields = ((op.fields ?? []) as ExecField[]).map((field) => {
		const property: IDataObject = { ...(field as unknown as IDataObject) };
		for (const marker of ['rawPath', 'toApi', ...fieldMarkers]) delete property[marker];
		return property as unknown as FieldDef;
	});
	return { ...op, handler: undefined, fields };
}
