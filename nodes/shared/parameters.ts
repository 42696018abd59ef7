import type { IDataObject, IExecuteFunctions, INode, NodeParameterValueType } from 'n8n-workflow';
import { deepCopy } from 'n8n-workflow';

/**
 * Per-item parameter reads without per-item work that gives the same answer for every item.
 * n8n's getNode() deep-copies the node on every call, and getNodeParameter resolves, cleans and
 * validates a value for each item even when it holds no expression: 31 % of n8n's CPU per write
 * item (bench/RESULTS.md, 500 alarm closes). Keyed by n8n's context object, so nothing outlives the
 * run of one node (n8n creates a new context for every execution).
 */
const runNodes = new WeakMap<object, INode>();
const fixedValues = new WeakMap<object, Map<string, unknown>>();

/** The node of this run (one copy per run: a running node's definition does not change). */
export function runNode(ctx: IExecuteFunctions): INode {
	let node = runNodes.get(ctx);
	if (!node) runNodes.set(ctx, (node = ctx.getNode()));
	return node;
}

/** Whether a raw parameter value contains an expression anywhere (a string starting with "="). */
export function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value !== null && typeof value === 'object') return Object.values(value).some(holdsExpression);
	return false;
}

type ReadOptions = Parameters<IExecuteFunctions['getNodeParameter']>[3];

/**
 * getNodeParameter for one item. A value without an expression is the same for every item: it is
 * read (resolved and validated by n8n) once per run and copied for the others. A failed read is
 * not kept, so every item reports its own error as before.
 */
export function readParameter(ctx: IExecuteFunctions, name: string, itemIndex: number, fallback: unknown, options?: ReadOptions): NodeParameterValueType | object {
	const raw = runNode(ctx).parameters[name];
	if (raw === undefined || holdsExpression(raw)) return ctx.getNodeParameter(name, itemIndex, fallback as never, options);
	let byName = fixedValues.get(ctx);
	if (!byName) fixedValues.set(ctx, (byName = new Map()));
	const key = options?.extractValue ? `${name}\u0000extract` : name;
	if (!byName.has(key)) byName.set(key, ctx.getNodeParameter(name, itemIndex, fallback as never, options));
	const value = byName.get(key);
	// Callers own what they read: an object is copied so one item's changes never reach the next.
	return (value !== null && typeof value === 'object' ? deepCopy(value as IDataObject) : value) as NodeParameterValueType | object;
}
