import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';
import { randomInt } from 'n8n-workflow';

import type { CallOptions } from './descriptions';
import { apiError, toNodeError } from './errors';
import type { ProductProfile, RequestContext } from './http';
import { redactServerText, runCached, sendRequest } from './http';
import type { Page } from './paging';
import { fetchPages, PagingError } from './paging';
import { isIdempotentMethod } from './retry';
import { joinUrl } from './url';

/**
 * The one product transport: a product describes itself in a TransportProfile (API base, how its
 * answers are decoded, how its errors read, its secrets, its paging style), and every node, pick-list
 * and trigger sends through productRequest/productList on top of the shared HTTP layer (http.ts: retries,
 * the never-re-send-a-write rule, single-flight re-login) and the shared paging engine (paging.ts).
 * Nothing here knows a product.
 */

/** A product's decoded answer: the result (and the server's total for a list page), or the failure's facts. */
export type Decoded = { ok: true; result: unknown; total?: number } | { ok: false; code: number; errorText?: string; notJson?: boolean };

export interface ApiBase {
	/** Absolute base every call path is appended to, e.g. https://vsa.example.com/api/v1.0 */
	url: string;
	/** The same base as a path, for error messages: /api/v1.0 */
	path: string;
}

/** What the transport knows of a failed call when it asks the product for the technician's wording. */
export interface ErrorFacts {
	code: number;
	/** The server's text, secrets already cut out. */
	errorText?: string;
	method: string;
	/** Base path + call path, e.g. /api/v1.0/assetmgmt/agents */
	path: string;
	notJson: boolean;
}

export interface PagingStyle {
	/** Records asked for per page. */
	pageSize: number;
	/** The query asking for `size` records after skipping `offset`; absent: the collection comes whole in one answer. */
	pageQuery?: (offset: number, size: number) => IDataObject;
	/** Reads a decoded page; default: the result as items, the total the decoder found. */
	readPage?: (result: unknown, total: number | undefined) => Page<IDataObject>;
}

export interface TransportProfile extends ProductProfile {
	/** Credential fields whose values must never reach what a user reads (cut out of quoted server text). */
	secretFields: readonly string[];
	/** Computed once per run (see apiBaseOnce). */
	apiBase(ctx: RequestContext): Promise<ApiBase>;
	/** The product's envelope: status + body → result or failure. `acceptText` lets a non-JSON success through. */
	decode(status: number, text: string, contentType: string | undefined, acceptText: boolean): Decoded;
	describeError(facts: ErrorFacts, ctx: RequestContext): { message: string; description: string } | Promise<{ message: string; description: string }>;
	paging: PagingStyle | ((ctx: RequestContext) => Promise<PagingStyle>);
	/**
	 * A header the server reads as an idempotency key (VSPC: X-Request-id). Every write then carries a
	 * fresh UUID, made once per call so that a retry of the call resends the same one; the server
	 * applies a repeated key once, so such writes are retried like reads.
	 */
	idempotencyHeader?: string;
	/** How long the server remembers a key, less a margin: a keyed write is not resent after that (a late resend would apply twice). */
	idempotencyKeyLifetimeMs?: number;
}

export interface ProductCall {
	method: IHttpRequestMethods;
	/** Path under the API base, already filled and encoded. */
	path: string;
	qs?: IDataObject;
	body?: unknown;
	/** A repeat has no second effect; defaults to the method's idempotency. */
	idempotent?: boolean;
	itemIndex?: number;
	/** A success body that is not JSON (XML, text) is passed through as the result instead of failing. */
	acceptText?: boolean;
}

export interface CallResult {
	result: unknown;
	total?: number;
}

/** The API base for this run; the credential is read once per execution or poll. */
export function apiBaseOnce(ctx: RequestContext, credentialType: string, compute: () => Promise<ApiBase>): Promise<ApiBase> {
	return runCached(ctx, credentialType, 'apiBase', compute);
}

/** Sends one call; a failure comes back decoded rather than thrown (a caller may want to read it). */
export async function productSend(ctx: RequestContext, profile: TransportProfile, call: ProductCall, options: Pick<CallOptions, 'timeoutMs'>): Promise<Decoded> {
	const base = await profile.apiBase(ctx);
	const keyed = profile.idempotencyHeader !== undefined && !isIdempotentMethod(call.method);
	const response = await sendRequest(ctx, profile, {
		method: call.method,
		url: joinUrl(base.url, call.path),
		qs: call.qs,
		body: call.body,
		headers: keyed ? { [profile.idempotencyHeader!]: randomUuid() } : undefined,
		idempotent: keyed ? true : call.idempotent,
		keyLifetimeMs: keyed ? profile.idempotencyKeyLifetimeMs : undefined,
		timeoutMs: options.timeoutMs,
		itemIndex: call.itemIndex,
	});
	return profile.decode(response.status, response.text, response.headers['content-type'], call.acceptText === true);
}

/** The NodeApiError for a failed call: the product's wording, the server's text without secrets. */
export async function productError(ctx: RequestContext, profile: TransportProfile, call: ProductCall, failure: Extract<Decoded, { ok: false }>) {
	const base = await profile.apiBase(ctx);
	const errorText = await redactServerText(ctx, profile, failure.errorText);
	const path = `${base.path}${call.path.startsWith('/') ? '' : '/'}${call.path}`;
	const described = await profile.describeError({ code: failure.code, errorText, method: call.method, path, notJson: failure.notJson === true }, ctx);
	return apiError(ctx.getNode(), { ...described, httpCode: failure.code, serverText: errorText, itemIndex: call.itemIndex });
}

/** Sends one call and returns its result, or throws a NodeApiError that quotes the server. */
export async function productRequest(ctx: RequestContext, profile: TransportProfile, call: ProductCall, options: Pick<CallOptions, 'timeoutMs'>): Promise<CallResult> {
	const decoded = await productSend(ctx, profile, call, options);
	if (decoded.ok) return { result: decoded.result, total: decoded.total };
	throw await productError(ctx, profile, call, decoded);
}

export interface ProductListQuery {
	/** Query parameters of every page (filters, sorts). */
	qs?: IDataObject;
	/** undefined = Return All */
	limit?: number;
	/** Records to skip before the first one returned (a pick-list's next page); default 0. */
	offset?: number;
	itemIndex?: number;
	/** Field (or function) that identifies a record, for the paging duplicate check. */
	key?: string | ((item: IDataObject) => string | undefined);
}

/**
 * A collection in the product's paging style through the shared paging engine: with a total on the
 * first page the other pages are fetched concurrently; Limit asks only for what it needs; a collection
 * without paging parameters is one read.
 */
export async function productList(ctx: RequestContext, profile: TransportProfile, path: string, query: ProductListQuery, options: CallOptions): Promise<IDataObject[]> {
	const style = typeof profile.paging === 'function' ? await profile.paging(ctx) : profile.paging;
	const start = Math.max(0, Math.trunc(query.offset ?? 0));
	const key = query.key;
	try {
		return await fetchPages<IDataObject>(
			async ({ offset, size }) => {
				const qs: IDataObject = { ...(query.qs ?? {}), ...(style.pageQuery?.(start + offset, size) ?? {}) };
				const { result, total } = await productRequest(ctx, profile, { method: 'GET', path, qs, itemIndex: query.itemIndex }, options);
				const page = style.readPage ? style.readPage(result, total) : { items: toItems(result), total };
				if (!style.pageQuery) return { items: page.items, total: page.total ?? page.items.length };
				return { items: page.items, total: page.total === undefined ? undefined : Math.max(0, page.total - start) };
			},
			{
				pageSize: style.pageQuery ? style.pageSize : Number.MAX_SAFE_INTEGER,
				limit: query.limit,
				concurrency: options.concurrency,
				maxRecords: options.maxRecords,
				key: key === undefined ? undefined : typeof key === 'function' ? (item) => key(item as IDataObject) : (item) => keyOf(item, key),
			},
		);
	} catch (error) {
		if (error instanceof PagingError) {
			throw apiError(ctx.getNode(), { message: error.message, description: error.description, itemIndex: query.itemIndex });
		}
		throw toNodeError(ctx.getNode(), error, query.itemIndex);
	}
}

/** A record's identity by a field name, dot paths included (`lastActivation.instanceUid`). */
export function keyOf(item: unknown, field: string): string | undefined {
	let value: unknown = item;
	for (const part of field.split('.')) value = value !== null && typeof value === 'object' ? (value as IDataObject)[part] : undefined;
	return value === undefined || value === null ? undefined : String(value);
}

/** Normalises a result into output items: arrays stay arrays, objects become one item, scalars are wrapped. */
export function toItems(result: unknown): IDataObject[] {
	if (Array.isArray(result)) return result.map((r) => (r !== null && typeof r === 'object' ? (r as IDataObject) : { value: r as IDataObject[string] }));
	if (result !== null && typeof result === 'object') return [result as IDataObject];
	if (result === undefined) return [];
	return [{ result: result as IDataObject[string] }];
}

/** A random (version 4) UUID, from n8n's cryptographic random numbers. */
export function randomUuid(): string {
	const hex = Array.from({ length: 32 }, () => randomInt(16).toString(16));
	hex[12] = '4';
	hex[16] = (8 + randomInt(4)).toString(16);
	const s = hex.join('');
	return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
