import type { IDataObject, IHttpRequestMethods, IN8nHttpFullResponse } from 'n8n-workflow';

import { VRO_CLEAR_TOKENS_MARKER } from '../../credentials/shared/vroLogin';
import type { VroAuthMethod } from '../../credentials/shared/vroLogin';
import type { VroApiVersion } from '../../credentials/shared/vroVersions';
import { DEFAULT_VRO_API_VERSION, isLegacyVersion, isVroApiVersion, vroApiBasePath, vroPagingStyle, vroServerRoot } from '../../credentials/shared/vroVersions';
import type { CallOptions } from '../shared/descriptions';
import { apiError, toNodeError } from '../shared/errors';
import type { ProductProfile, RequestContext } from '../shared/http';
import { redactServerText, runCached, sendRequest } from '../shared/http';
import { fetchPages, PagingError } from '../shared/paging';
import { joinUrl } from '../shared/url';
import type { VroDecoded } from './envelope';
import { decodeVroResponse, describeVroError, readListPage } from './envelope';

/**
 * The Orchestrator transport on top of the shared HTTP layer: version-aware base paths, response
 * decoding, and list paging in each generation's style through the shared paging engine.
 */
export const VRO_CREDENTIAL = 'veeamOrchestratorApi';

/** Records asked for per page on v1/v2 (`$top`) and v4+ (`limit`). No server maximum is documented. */
export const VRO_PAGE_SIZE = 100;

export const VRO_PROFILE: ProductProfile = {
	credentialType: VRO_CREDENTIAL,
	expirableField: 'accessToken',
	productName: 'Veeam Orchestrator',
	// Every operation documents 401 for a missing or expired token (references/vro/7.2/rest/7.2.1/tag/Plans on helpcenter.veeam.com); no 401-in-200 envelope exists.
	isAuthRejected: (response) => response.status === 401,
};

export interface VroConnection {
	root: string;
	version: VroApiVersion;
	/** Absolute API base, e.g. https://vro:9898/api/v7.21 */
	base: string;
	authMethod: VroAuthMethod;
}

/** Server, API version and base of this run; the credential is read once per execution or poll. */
export function vroConnection(ctx: RequestContext): Promise<VroConnection> {
	return runCached(ctx, VRO_CREDENTIAL, 'connection', async () => {
		const c = await ctx.getCredentials(VRO_CREDENTIAL);
		const version = isVroApiVersion(c.apiVersion) ? c.apiVersion : DEFAULT_VRO_API_VERSION;
		const root = vroServerRoot(c.baseUrl);
		return { root, version, base: joinUrl(root, vroApiBasePath(version)), authMethod: c.authMethod === 'clientCredentials' ? 'clientCredentials' : 'password' } as VroConnection;
	});
}

export interface VroCall {
	method: IHttpRequestMethods;
	/** Path under the version's API base, already filled and encoded. */
	path: string;
	qs?: IDataObject;
	body?: unknown;
	itemIndex?: number;
	/** A success body that is not JSON is passed through as text instead of failing (custom API request). */
	acceptText?: boolean;
}

/** Sends one call; HTTP errors come back decoded rather than thrown. */
export async function vroSend(ctx: RequestContext, call: VroCall, options: Pick<CallOptions, 'timeoutMs'>): Promise<VroDecoded> {
	const conn = await vroConnection(ctx);
	const response = await sendRequest(ctx, VRO_PROFILE, {
		method: call.method,
		url: joinUrl(conn.base, call.path),
		qs: call.qs,
		body: call.body,
		timeoutMs: options.timeoutMs,
		itemIndex: call.itemIndex,
	});
	return decodeVroResponse(response.status, response.text, response.headers['content-type'], call.acceptText === true);
}

/** Sends one call and returns its data, or throws a NodeApiError that quotes the server. */
export async function vroRequest(ctx: RequestContext, call: VroCall, options: Pick<CallOptions, 'timeoutMs'>): Promise<unknown> {
	const decoded = await vroSend(ctx, call, options);
	if (decoded.ok) return decoded.data;
	throw await vroError(ctx, call, decoded);
}

export async function vroError(ctx: RequestContext, call: VroCall, decoded: Extract<VroDecoded, { ok: false }>) {
	const conn = await vroConnection(ctx);
	const fullPath = `${vroApiBasePath(conn.version)}${call.path.startsWith('/') ? '' : '/'}${call.path}`;
	const errorText = await redactServerText(ctx, VRO_PROFILE, decoded.errorText);
	const described = describeVroError(decoded.status, errorText, call.method, fullPath, conn.version, decoded.notJson);
	return apiError(ctx.getNode(), { ...described, httpCode: decoded.status, serverText: errorText, itemIndex: call.itemIndex });
}

export interface VroListQuery {
	/** Extra query parameters (filters, sort, onlyEnabled). */
	qs?: IDataObject;
	/** undefined = Return All */
	limit?: number;
	itemIndex?: number;
}

/**
 * A collection in the generation's paging style (archive/vao/10/restapi/query_options.html, archive/vao/40/restapi/start_query.html, docs/vro/rest/query_options.html): OData `$top`/`$skip` over bare arrays walked
 * until a short page (v1/v2, no total); one unpaged `{total, data}` read (v3); `start`/`limit` with the
 * total from the first page and the other pages fetched concurrently (v4 and later).
 */
export async function vroList(ctx: RequestContext, path: string, query: VroListQuery, options: CallOptions): Promise<IDataObject[]> {
	const conn = await vroConnection(ctx);
	const style = vroPagingStyle(conn.version);
	try {
		return await fetchPages<IDataObject>(
			async ({ offset, size }) => {
				const qs: IDataObject = { ...(query.qs ?? {}) };
				if (style === 'odata') {
					qs.$top = size;
					if (offset > 0) qs.$skip = offset;
				} else if (style === 'startLimit') {
					qs.limit = size;
					if (offset > 0) qs.start = offset;
				}
				const data = await vroRequest(ctx, { method: 'GET', path, qs, itemIndex: query.itemIndex }, options);
				const page = readListPage(data);
				// v3 has no paging parameters: the one answer is the whole collection.
				return style === 'unpaged' ? { items: page.items, total: page.total ?? page.items.length } : page;
			},
			{
				pageSize: style === 'unpaged' ? Number.MAX_SAFE_INTEGER : VRO_PAGE_SIZE,
				limit: query.limit,
				concurrency: options.concurrency,
				maxRecords: options.maxRecords,
				key: (item) => {
					const id = (item as IDataObject)?.id ?? (item as IDataObject)?.client_id;
					return id === undefined || id === null ? undefined : String(id);
				},
			},
		);
	} catch (error) {
		if (error instanceof PagingError) {
			throw apiError(ctx.getNode(), { message: error.message, description: error.description, itemIndex: query.itemIndex });
		}
		throw toNodeError(ctx.getNode(), error, query.itemIndex);
	}
}

/**
 * Empties the stored tokens (after a logout): n8n runs the credential's preAuthentication with a
 * marker that makes it return empty tokens, and persists them. The request that carries this is a
 * harmless read: GET /v1/About (documented as unauthenticated on VAO 1.0) or, on later versions, a
 * read sent without a token, which the server refuses with 401 before doing anything.
 */
export async function clearStoredTokens(ctx: RequestContext, options: Pick<CallOptions, 'timeoutMs'>): Promise<void> {
	const conn = await vroConnection(ctx);
	const data = await ctx.getCredentials(VRO_CREDENTIAL);
	const nodeCredentials = ctx.getNode().credentials?.[VRO_CREDENTIAL];
	const carrier =
		conn.version === 'v1' ? joinUrl(conn.base, '/About') : isLegacyVersion(conn.version) ? joinUrl(conn.base, '/Sites') : joinUrl(conn.base, '/Scopes');
	try {
		(await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			VRO_CREDENTIAL,
			{
				method: 'GET',
				url: carrier,
				headers: { Accept: 'application/json' },
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				encoding: 'arraybuffer',
				json: false,
				timeout: options.timeoutMs,
				disableFollowRedirect: true,
			},
			{
				credentialsDecrypted: {
					id: nodeCredentials?.id ?? '',
					name: nodeCredentials?.name ?? VRO_CREDENTIAL,
					type: VRO_CREDENTIAL,
					data: { ...data, accessToken: '', [VRO_CLEAR_TOKENS_MARKER]: true },
				},
			},
		)) as IN8nHttpFullResponse;
	} catch (error) {
		// The tokens were stored before the carrier was sent; a carrier that fails changes nothing.
		if (!isNetworkFailure(error)) throw toNodeError(ctx.getNode(), error);
	}
}

function isNetworkFailure(error: unknown): boolean {
	let current: any = error;
	for (let i = 0; current && i < 6; i++) {
		if (typeof current.code === 'string' && /^E[A-Z]+$|^ERR_/.test(current.code)) return true;
		current = current.cause;
	}
	return false;
}
