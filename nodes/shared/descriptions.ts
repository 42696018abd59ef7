import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_MS } from './http';

/** Settings shared by both nodes, read once per execution. */
export interface CallOptions {
	concurrency: number;
	timeoutMs: number;
	maxRecords: number;
}

export const DEFAULT_CONCURRENCY = 5;
export const DEFAULT_MAX_RECORDS = 100_000;
const DEFAULT_TIMEOUT_SECONDS = DEFAULT_TIMEOUT_MS / 1000;

export function returnAllLimitFields(maxLimit?: number): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1, ...(maxLimit ? { maxValue: maxLimit } : {}) },
			default: 50,
			displayOptions: { show: { returnAll: [false] } },
			description: 'Max number of results to return',
		},
	];
}

export const requestOptionsProperty: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 20 },
			default: DEFAULT_CONCURRENCY,
			description: 'How many requests run at once: pages of a Return All, or input items of a write',
		},
		{
			displayName: 'Max Records',
			name: 'maxRecords',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_MAX_RECORDS,
			description: 'Safety limit for Return All: refuse to read more records than this',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_TIMEOUT_SECONDS,
			description: 'How long to wait for each response before giving up (reads are retried, writes are not)',
		},
	],
};

export function readCallOptions(ctx: IExecuteFunctions): CallOptions {
	const raw = ctx.getNodeParameter('requestOptions', 0, {}) as IDataObject;
	return {
		concurrency: clampInt(raw.concurrency, 1, 20, DEFAULT_CONCURRENCY),
		timeoutMs: clampInt(raw.timeout, 1, 3600, DEFAULT_TIMEOUT_MS / 1000) * 1000,
		maxRecords: clampInt(raw.maxRecords, 1, Number.MAX_SAFE_INTEGER, DEFAULT_MAX_RECORDS),
	};
}

export function defaultCallOptions(): CallOptions {
	return { concurrency: DEFAULT_CONCURRENCY, timeoutMs: DEFAULT_TIMEOUT_MS, maxRecords: DEFAULT_MAX_RECORDS };
}

function clampInt(value: unknown, min: number, max: number, fallback: number): number {
	const n = Math.floor(Number(value));
	if (!Number.isFinite(n)) return fallback;
	return Math.min(max, Math.max(min, n));
}

/**
 * A list's Sort collection: Direction and Sort By. `directions` are the API's own words for ascending and descending
 * (OData `asc`/`desc`, VSPC `ascending`/`descending`); the first sort field is the default.
 */
export function sortCollection(sortFields: Array<{ name: string; value: string }>, directions: readonly [ascending: string, descending: string], sortByDescription: string): INodeProperties {
	const defaultSortField = sortFields[0].value;
	const defaultDirection = directions[0];
	return {
		displayName: 'Sort',
		name: 'sort',
		type: 'collection',
		placeholder: 'Add Sort',
		default: {},
		options: [
			{
				displayName: 'Direction',
				name: 'direction',
				type: 'options',
				default: defaultDirection,
				options: [
					{ name: 'Ascending', value: directions[0] },
					{ name: 'Descending', value: directions[1] },
				],
			},
			{
				displayName: 'Sort By',
				name: 'field',
				type: 'options',
				default: defaultSortField,
				options: sortFields,
				description: sortByDescription,
			},
		],
	};
}

/** A trigger's Options collection with "Include Existing Items" (what the first poll emits, in the trigger's words). */
export function includeExistingOptions(description: string): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [{ displayName: 'Include Existing Items', name: 'includeExisting', type: 'boolean', default: false, description }],
	};
}
