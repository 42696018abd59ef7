import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { settleWithConcurrency } from './concurrency';
import { readParameter, runNode } from './parameters';

/**
 * Operations as data: one row per operation (method + path + fields), from which the node's UI
 * properties and the request are derived. Rows that need logic carry a `handler`. The router below
 * owns the item loop, pairedItem, concurrency and continueOnFail for every operation.
 */
export type FieldLocation = 'path' | 'query' | 'body' | 'none';

export type FieldDef = INodeProperties & {
	/** Where the value goes in the request; default 'none' (read by a handler or builder). */
	in?: FieldLocation;
	/** The API's name for the value when it differs from the field name. */
	apiName?: string;
};

export interface OperationDef<Ctx = unknown> {
	resource: string;
	operation: string;
	name: string;
	action: string;
	description: string;
	method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
	/** Route template with `{field}` placeholders, relative to the product's API base. */
	path?: string;
	fields?: FieldDef[];
	/** List operation: adds Return All / Limit and runs through the paging engine. */
	paged?: boolean;
	/** A repeat has no second effect (action URIs like "scan now"); defaults to the method's idempotency. */
	idempotent?: boolean;
	/** Builds the JSON body from the field values when it is not a flat object of `in: 'body'` fields. */
	body?: (values: IDataObject) => unknown;
	/** Output shape when the server answers `true`/204: one item saying what was done. */
	successOutput?: (values: IDataObject) => IDataObject;
	/** Logic beyond one request (preconditions, waiting). Receives the product context. */
	handler?: (ctx: Ctx, values: IDataObject, itemIndex: number) => Promise<IDataObject | IDataObject[]>;
}

export interface ResourceDef {
	value: string;
	name: string;
	description?: string;
}

/**
 * n8n appends `{ name: 'Custom API Call', value: '__CUSTOM_API_CALL__' }` to the `resource` and
 * `operation` lists of a node whose credential has `authenticate`, unless the list already ends with an
 * option of that name (n8n packages/cli/src/load-nodes-and-credentials.ts `injectCustomApiCallOptions`).
 * Our raw-request resource carries that name and stays last, so the editor shows one Custom API Call:
 * ours, with the package's login, paging and retries.
 */
export const CUSTOM_API_CALL_NAME = 'Custom API Call';

/** eslint-plugin-n8n-nodes-base asks for alphabetised option lists from this length on (MIN_ITEMS_TO_ALPHABETIZE). */
const MIN_ITEMS_TO_ALPHABETIZE = 5;

/**
 * Builds resource, operation and field properties from the tables, in the order n8n's description rules
 * ask for: resources and operations alphabetised (Custom API Call last), long option lists and
 * collections alphabetised. Defaults stay the tables' first rows: n8n leaves a parameter equal to its
 * default out of a saved workflow, so a new default would silently change saved workflows.
 */
export function buildProperties(resources: ResourceDef[], operations: OperationDef<any>[], extra: { returnAllLimit?: (op: OperationDef<any>) => INodeProperties[] } = {}): INodeProperties[] {
	const defaultResource = resources[0].value;
	const props: INodeProperties[] = [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: sortResourceOptions(resources.map((r) => ({ name: r.name, value: r.value, description: r.description }))),
			default: defaultResource,
		},
	];
	for (const resource of resources) {
		const ops = operations.filter((o) => o.resource === resource.value);
		const defaultOperation = ops[0].operation;
		props.push({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource.value] } },
			options: ops.map((o): INodePropertyOptions => ({ name: o.name, value: o.operation, action: o.action, description: o.description })).sort(byName),
			default: defaultOperation,
		});
	}
	for (const op of operations) {
		const show = { resource: [op.resource], operation: [op.operation] };
		const fields: INodeProperties[] = (op.fields ?? []).map(stripFieldDef);
		if (op.paged && extra.returnAllLimit) fields.push(...extra.returnAllLimit(op));
		for (const field of fields) props.push(withDisplayOptions(withSortedOptions(field), show));
	}
	return props;
}

function byName(a: { name: string }, b: { name: string }): number {
	return a.name.localeCompare(b.name);
}

function sortResourceOptions(options: INodePropertyOptions[]): INodePropertyOptions[] {
	const last = options.filter((o) => o.name === CUSTOM_API_CALL_NAME);
	return [...options.filter((o) => o.name !== CUSTOM_API_CALL_NAME).sort(byName), ...last];
}

/**
 * A field with its long option lists (options, multiOptions), collections and fixedCollection sections
 * alphabetised, at every depth, as the rules `node-param-*-type-unsorted-items` ask for literals.
 */
export function withSortedOptions(property: INodeProperties): INodeProperties {
	const options = property.options as Array<INodePropertyOptions | INodeProperties | INodePropertyCollection> | undefined;
	if (!options) return property;
	const long = options.length >= MIN_ITEMS_TO_ALPHABETIZE;
	if (property.type === 'options' || property.type === 'multiOptions') {
		const list = options as INodePropertyOptions[];
		const numeric = list.length > 0 && /^\d+$/.test(String(list[0].value));
		return long && !numeric ? { ...property, options: [...list].sort(byName) } : property;
	}
	if (property.type === 'collection') {
		const fields = (options as INodeProperties[]).map(withSortedOptions);
		return { ...property, options: long ? fields.sort(byDisplayName) : fields };
	}
	if (property.type === 'fixedCollection') {
		const sections = (options as INodePropertyCollection[]).map((section) => {
			const values = section.values.map(withSortedOptions);
			return { ...section, values: values.length >= MIN_ITEMS_TO_ALPHABETIZE ? values.sort(byDisplayName) : values };
		});
		return { ...property, options: long ? sections.sort(byDisplayName) : sections };
	}
	return property;
}

function byDisplayName(a: { displayName: string }, b: { displayName: string }): number {
	return a.displayName.localeCompare(b.displayName);
}

function stripFieldDef(field: FieldDef): INodeProperties {
	const { in: _in, apiName: _apiName, ...property } = field;
	// `required: false` is n8n's default; the rules ask to leave it out (node-param-required-false).
	if (property.required === false) delete property.required;
	return property;
}

/**
 * Adds `show` conditions to a property, merging with its own displayOptions (never replacing them:
 * a field shown only for one option keeps that condition).
 */
export function withDisplayOptions(property: INodeProperties, show: Record<string, string[]>): INodeProperties {
	const own = property.displayOptions ?? {};
	return {
		...property,
		displayOptions: { ...own, show: { ...(own.show ?? {}), ...show } },
	};
}

export function findOperation<T extends OperationDef<any>>(operations: T[], resource: string, operation: string): T | undefined {
	return operations.find((o) => o.resource === resource && o.operation === operation);
}

/**
 * Reads every declared field of an operation for one item (expressions resolve per item). A field
 * hidden by its own displayOptions is absent from the node's parameters: it is skipped (a fallback
 * of `undefined` would make n8n throw "Could not get parameter").
 */
export function readFields(ctx: IExecuteFunctions, op: OperationDef<any>, itemIndex: number): IDataObject {
	const values: IDataObject = {};
	const present = runNode(ctx).parameters;
	for (const field of op.fields ?? []) {
		// extractValue looks the resource locator up among the displayed properties: a hidden one would throw.
		if (field.type === 'resourceLocator' && present[field.name] === undefined) continue;
		const value = readParameter(ctx, field.name, itemIndex, null, field.type === 'resourceLocator' ? { extractValue: true } : undefined);
		if (value !== undefined && value !== null) values[field.name] = value as IDataObject[string];
	}
	if (op.paged) {
		values.returnAll = readParameter(ctx, 'returnAll', itemIndex, false) as boolean;
		if (!values.returnAll) values.limit = readParameter(ctx, 'limit', itemIndex, 50) as number;
	}
	return values;
}

export interface RouterOptions {
	/** Items processed at once; list operations run one item at a time (their pages are concurrent). */
	concurrency: number;
}

/**
 * The item loop of every node: runs `runItem` per item with bounded concurrency, keeps input order,
 * pairs each output with its item, and turns a failing item into an error item under continueOnFail.
 */
export async function runItems(
	ctx: IExecuteFunctions,
	options: RouterOptions,
	runItem: (itemIndex: number) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const continueOnFail = ctx.continueOnFail();
	// Without Continue On Fail the node stops at its first failing item: a DR drill must not fail
	// over the next plan after a failover failed, and a re-run must not repeat writes already made.
	const results = await settleWithConcurrency(items, options.concurrency, async (_item, i) => runItem(i), { stopOnFailure: !continueOnFail });
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < results.length; i++) {
		const result = results[i];
		if (result === undefined) continue; // not started: an earlier item failed (only without continueOnFail)
		if (result.ok) {
			const rows = Array.isArray(result.value) ? result.value : [result.value];
			for (const json of rows) out.push({ json, pairedItem: { item: i } });
			continue;
		}
		const error = asNodeError(ctx, result.error, i);
		if (continueOnFail) {
			out.push({ json: { error: error.message, description: error.description ?? undefined }, pairedItem: { item: i } });
			continue;
		}
		throw withItemStop(error, i, items.length, results);
	}
	return [out];
}

/**
 * Names the failing item (the lowest-numbered failure: every item before it has finished) and says
 * which later items were not run, so the user knows exactly what to re-run after fixing it.
 */
function withItemStop<E extends NodeApiError | NodeOperationError>(error: E, itemIndex: number, total: number, results: ReadonlyArray<unknown>): E {
	if (total <= 1) return error;
	const notRun = results.filter((r, i) => i > itemIndex && r === undefined).length;
	const after = total - itemIndex - 1;
	const ran = after - notRun;
	const stop = `Item ${itemIndex + 1} of ${total} failed, so the node stopped:${after === 0 ? ' it was the last item.' : ` ${notRun} later item(s) were not run${ran > 0 ? `, ${ran} already in flight finished` : ''}.`} Fix the cause and run again, or turn on "Continue On Fail" in the node settings to process the other items.`;
	error.description = error.description ? `${error.description}\n\n${stop}` : stop;
	return error;
}

export function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if ((error as any).context && (error as any).context.itemIndex === undefined) (error as any).context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}
