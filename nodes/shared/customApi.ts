import type { IDataObject } from 'n8n-workflow';

import type { HandlerContext } from './executor';
import { parseJsonLossless } from './json';
import type { FieldDef } from './operations';
import type { TransportProfile } from './transport';
import { productList, productRequest, toItems } from './transport';
import type { InputCheck } from './validate';
import { inputError, requireOption, requireText } from './validate';

/**
 * The "Custom API Call" resource of both nodes: the same fields, the same path rules and the same body
 * parsing, so a user's raw call is checked identically whatever the product.
 */
export const CUSTOM_API_METHODS = ['DELETE', 'GET', 'PATCH', 'POST', 'PUT'] as const;
export type CustomApiMethod = (typeof CUSTOM_API_METHODS)[number];

export interface CustomApiTexts {
	pathPlaceholder: string;
	pathDescription: string;
	queryPlaceholder: string;
	queryDescription: string;
	bodyDescription: string;
	/** With it, a Return All for GET follows (the hint says how this product pages). */
	returnAllHint?: string;
}

/** Method, path, query parameters, JSON body and, with `returnAllHint`, Return All. */
export function customApiFields(texts: CustomApiTexts): FieldDef[] {
	return [
		{
			displayName: 'Method',
			name: 'method',
			type: 'options',
			default: 'GET',
			options: CUSTOM_API_METHODS.map((m) => ({ name: m, value: m })),
			description: 'HTTP method. Writes (POST, PUT, PATCH, DELETE) are never repeated automatically after a broken connection.',
		},
		{
			displayName: 'Path',
			name: 'path',
			type: 'string',
			default: '',
			required: true,
			placeholder: texts.pathPlaceholder,
			description: texts.pathDescription,
		},
		{
			displayName: 'Query Parameters',
			name: 'queryParameters',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Parameter',
			default: {},
			description: texts.queryDescription,
			options: [
				{
					displayName: 'Parameter',
					name: 'parameter',
					values: [
						{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: texts.queryPlaceholder },
						{ displayName: 'Value', name: 'value', type: 'string', default: '' },
					],
				},
			],
		},
		{
			displayName: 'JSON Body',
			name: 'body',
			type: 'json',
			default: '',
			displayOptions: { show: { method: ['POST', 'PUT', 'PATCH', 'DELETE'] } },
			description: texts.bodyDescription,
		},
		...(texts.returnAllHint === undefined
			? []
			: [
					{
						displayName: 'Return All',
						name: 'returnAll',
						type: 'boolean' as const,
						default: false,
						displayOptions: { show: { method: ['GET'] } },
						description: 'Whether to return all results or only up to a given limit',
						hint: texts.returnAllHint,
					},
				]),
	];
}

/**
 * A path under the API base as typed by a user: relative, no scheme or host, no `.`/`..` segments
 * (also percent-encoded), no encoded separators, no query string. `stripPrefix` removes a base path
 * the user pasted anyway. Segments are re-encoded, so a space or `#` stays data.
 */
export function parseCustomPath(raw: unknown, stripPrefix?: RegExp): { path: string } | { problem: string } {
	let text = String(raw ?? '').trim();
	if (!text) return { problem: 'it is empty' };
	if (/^[a-z][a-z0-9+.-]*:/i.test(text) || text.startsWith('//') || text.startsWith('\\\\')) return { problem: 'it must be a path, not a full URL (the server comes from the credential)' };
	if (text.includes('\\')) return { problem: 'use / between path segments' };
	if (/[?#]/.test(text)) return { problem: 'put query parameters in "Query Parameters", not in the path' };
	if (/[\u0000-\u001f\u007f]/.test(text)) return { problem: 'it contains control characters' };
	if (stripPrefix) text = text.replace(stripPrefix, '');
	const segments: string[] = [];
	for (const segment of text.split('/')) {
		if (segment === '') continue;
		let decoded: string;
		try {
			decoded = decodeURIComponent(segment);
		} catch {
			return { problem: `"${segment}" has a broken %-escape` };
		}
		if (decoded === '.' || decoded === '..') return { problem: '"." and ".." segments are not allowed' };
		if (decoded.includes('/') || decoded.includes('\\')) return { problem: `"${segment}" hides a path separator` };
		segments.push(encodeURIComponent(decoded));
	}
	if (segments.length === 0) return { problem: 'it names no endpoint' };
	return { path: `/${segments.join('/')}` };
}

/** Query Parameters rows → query object; empty names are skipped, values kept as text. */
export function customApiQuery(values: IDataObject): IDataObject {
	const qs: IDataObject = {};
	const rows = ((values.queryParameters as IDataObject | undefined)?.parameter ?? []) as IDataObject[];
	for (const row of rows) {
		const name = String(row.name ?? '').trim();
		if (name) qs[name] = row.value === undefined || row.value === null ? '' : String(row.value);
	}
	return qs;
}

/** The JSON Body field: text is parsed losslessly (long IDs stay exact), objects pass through. */
export function parseCustomBody(raw: unknown): { body: unknown } | { problem: string } {
	if (raw === undefined || raw === null) return { body: undefined };
	if (typeof raw !== 'string') return { body: raw };
	const text = raw.trim();
	if (text === '') return { body: undefined };
	try {
		return { body: parseJsonLossless(text) };
	} catch (error) {
		return { problem: (error as Error).message };
	}
}

/** Where a product's custom requests go: its transport, its API base path (a pasted copy is dropped) and its paging parameters. */
export interface CustomApiRules {
	profile: TransportProfile;
	/** e.g. /api/v3 */
	basePath: string;
	/** Paths named in the advice, e.g. "/assetmgmt/agents or /system/orgs/123/departments". */
	example: string;
	/** Query parameters the paging engine sets with Return All (the user's values are dropped). */
	pagingParams: readonly string[];
}

/** A path under the product's API base from user input (rules above), or an error naming what is wrong. */
export function customApiPathUnder(check: InputCheck, raw: unknown, rules: Pick<CustomApiRules, 'basePath' | 'example'>): string {
	requireText(check, 'Path', raw);
	const base = rules.basePath.replace(/^\/+/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const parsed = parseCustomPath(raw, new RegExp(`^\\/*(${base})?(?=\\/|$)`, 'i'));
	if ('problem' in parsed) {
		throw inputError(check, `Path "${String(raw ?? '')}" cannot be used: ${parsed.problem}`, `Enter a path under ${rules.basePath} such as ${rules.example}. The server address comes from the credential.`);
	}
	return parsed.path;
}

export function customApiBodyOf(check: InputCheck, raw: unknown): unknown {
	const parsed = parseCustomBody(raw);
	if ('problem' in parsed) {
		throw inputError(check, `JSON Body is not valid JSON: ${parsed.problem}`, 'Check the JSON (quotes around names and strings, no trailing commas), or build it with an expression such as {{ JSON.stringify($json) }}.');
	}
	return parsed.body;
}

/** The Custom API Call row's handler for a product: one request, or with Return All every page of a collection. */
export function customApiHandler<Op>(rules: CustomApiRules) {
	return async (ctx: HandlerContext<Op>, values: IDataObject, itemIndex: number): Promise<IDataObject[]> => {
		const method = requireOption(ctx.check, 'Method', values.method ?? 'GET', [...CUSTOM_API_METHODS]) as CustomApiMethod;
		const path = customApiPathUnder(ctx.check, values.path, rules);
		const qs = customApiQuery(values);
		if (method === 'GET' && values.returnAll === true) {
			for (const name of rules.pagingParams) delete qs[name];
			return await productList(ctx.fn, rules.profile, path, { qs, itemIndex }, ctx.options);
		}
		const body = method === 'GET' ? undefined : customApiBodyOf(ctx.check, values.body);
		// Any endpoint may be called here, including the few that answer XML or text.
		const { result } = await productRequest(ctx.fn, rules.profile, { method, path, qs: Object.keys(qs).length ? qs : undefined, body, itemIndex, acceptText: true }, ctx.options);
		return toItems(result);
	};
}
