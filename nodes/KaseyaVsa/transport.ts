import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { vsaServerRoot, VSA_API_BASE } from '../../credentials/shared/vsaLogin';
import type { CallOptions } from '../shared/descriptions';
import { apiError, toNodeError } from '../shared/errors';
import type { ProductProfile, RequestContext } from '../shared/http';
import { redactServerText, runCached, sendRequest } from '../shared/http';
import { fetchPages, PagingError } from '../shared/paging';
import { joinUrl } from '../shared/url';
import { decodeVsaResponse, describeVsaError, isVsaAuthRejected } from './envelope';

export const VSA_CREDENTIAL = 'kaseyaVsaApi';
/** VSA caps every collection response at 100 records (KAT VSAModule/README.md, a live finding). */
export const VSA_PAGE_SIZE = 100;

export const VSA_PROFILE: ProductProfile = {
	credentialType: VSA_CREDENTIAL,
	expirableField: 'sessionToken',
	productName: 'Kaseya VSA',
	isAuthRejected: (response) => isVsaAuthRejected(response.status, response.text),
};

export interface VsaCall {
	method: IHttpRequestMethods;
	/** Path under /api/v1.0, already filled and encoded. */
	path: string;
	qs?: IDataObject;
	body?: unknown;
	idempotent?: boolean;
	itemIndex?: number;
	/** A success body that is not JSON (XML, text) is passed through as the result instead of failing. */
	acceptText?: boolean;
}

export interface VsaResult {
	result: unknown;
	total?: number;
}

/** The API base for this run; the credential is read once per execution or poll. */
export function vsaApiBase(ctx: RequestContext): Promise<string> {
	return runCached(ctx, VSA_CREDENTIAL, 'apiBase', async () => {
		const credentials = await ctx.getCredentials(VSA_CREDENTIAL);
		return joinUrl(vsaServerRoot(credentials.baseUrl), VSA_API_BASE);
	});
}

export async function vsaRequest(ctx: RequestContext, call: VsaCall, options: Pick<CallOptions, 'timeoutMs'>): Promise<VsaResult> {
	const base = await vsaApiBase(ctx);
	const response = await sendRequest(ctx, VSA_PROFILE, {
		method: call.method,
		url: joinUrl(base, call.path),
		qs: call.qs,
		body: call.body,
		idempotent: call.idempotent,
		timeoutMs: options.timeoutMs,
		itemIndex: call.itemIndex,
	});
	const decoded = decodeVsaResponse(response.status, response.text, response.headers['content-type'], call.acceptText === true);
	if (decoded.ok) return { result: decoded.result, total: decoded.total };
	const errorText = await redactServerText(ctx, VSA_PROFILE, decoded.errorText);
	const described = describeVsaError(decoded.code, errorText, call.method, `${VSA_API_BASE}${call.path}`, decoded.notJson);
	throw apiError(ctx.getNode(), { ...described, httpCode: decoded.code, serverText: errorText, itemIndex: call.itemIndex });
}

export interface VsaListQuery {
	filter?: string;
	orderby?: string;
	/** undefined = Return All */
	limit?: number;
	/** Records to skip before the first one returned (a pick-list's next page); default 0. */
	offset?: number;
	extraQs?: IDataObject;
	itemIndex?: number;
	/** Field that identifies a record, for the duplicate check. */
	key?: string;
}

/**
 * A VSA collection with OData paging: page 1 gives TotalRecords, the other pages are fetched
 * concurrently with `$skip`/`$top`. Limit asks only for what it needs.
 */
export async function vsaList(ctx: RequestContext, path: string, query: VsaListQuery, options: CallOptions): Promise<IDataObject[]> {
	const start = Math.max(0, Math.trunc(query.offset ?? 0));
	try {
		return await fetchPages<IDataObject>(
			async ({ offset, size }) => {
				const qs: IDataObject = { ...(query.extraQs ?? {}), $top: size };
				if (start + offset > 0) qs.$skip = start + offset;
				if (query.filter) qs.$filter = query.filter;
				if (query.orderby) qs.$orderby = query.orderby;
				const { result, total } = await vsaRequest(ctx, { method: 'GET', path, qs, itemIndex: query.itemIndex }, options);
				return { items: toItems(result), total: total === undefined ? undefined : Math.max(0, total - start) };
			},
			{
				pageSize: VSA_PAGE_SIZE,
				limit: query.limit,
				concurrency: options.concurrency,
				maxRecords: options.maxRecords,
				key: query.key ? (item) => keyOf(item, query.key!) : undefined,
			},
		);
	} catch (error) {
		if (error instanceof PagingError) {
			throw apiError(ctx.getNode(), { message: error.message, description: error.description, itemIndex: query.itemIndex });
		}
		throw toNodeError(ctx.getNode(), error, query.itemIndex);
	}
}

function keyOf(item: unknown, field: string): string | undefined {
	const value = (item as IDataObject)?.[field];
	return value === undefined || value === null ? undefined : String(value);
}

/** Normalises a Result into output items: arrays stay arrays, objects become one item, scalars are wrapped. */
export function toItems(result: unknown): IDataObject[] {
	if (Array.isArray(result)) return result.map((r) => (r !== null && typeof r === 'object' ? (r as IDataObject) : { value: r as IDataObject[string] }));
	if (result !== null && typeof result === 'object') return [result as IDataObject];
	if (result === undefined) return [];
	return [{ result: result as IDataObject[string] }];
}
