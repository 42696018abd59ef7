import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { VRO_CLEAR_TOKENS_MARKER } from '../../credentials/shared/vroLogin';
import { VeeamOrchestratorApi } from '../../credentials/VeeamOrchestratorApi.credentials';
import type { VroAuthMethod } from '../../credentials/shared/vroLogin';
import type { VroApiVersion } from '../../credentials/shared/vroVersions';
import { DEFAULT_VRO_API_VERSION, isLegacyVersion, isVroApiVersion, vroApiBasePath, vroPagingStyle, vroServerRoot } from '../../credentials/shared/vroVersions';
import type { CallOptions } from '../shared/descriptions';
import { findErrorCode, isTlsErrorCode, toNodeError } from '../shared/errors';
import type { RequestContext } from '../shared/http';
import { credentialAuthenticate, runCached, runCredentials, sendWithCredentialChange } from '../shared/http';
import type { ProductCall, TransportProfile } from '../shared/transport';
import { productError, productList, productRequest, productSend } from '../shared/transport';
import { joinUrl } from '../shared/url';
import type { VroDecoded } from './envelope';
import { decodeVroResponse, describeVroError, readListPage } from './envelope';

/**
 * The Orchestrator on the shared transport: version-aware base paths, its envelope, and list paging in
 * each API generation's style. Callers keep the vro* names; the work is done by productSend/productList.
 */
export const VRO_CREDENTIAL = 'veeamOrchestratorApi';

/** Records asked for per page on v1/v2 (`$top`) and v4+ (`limit`). No server maximum is documented. */
export const VRO_PAGE_SIZE = 100;

/** A record's identity for the paging duplicate check: plans, sites, scopes… have `id`; client accounts `client_id`. */
function vroRecordKey(item: IDataObject): string | undefined {
	const id = item?.id ?? item?.client_id;
	return id === undefined || id === null ? undefined : String(id);
}

/** The Orchestrator as a profile of the shared transport (nodes/shared/transport.ts). */
export const VRO_PROFILE: TransportProfile = {
	credentialType: VRO_CREDENTIAL,
	expirableField: 'accessToken',
	productName: 'Veeam Orchestrator',
	secretFields: ['password', 'clientSecret', 'accessToken', 'refreshToken'],
	// Every operation documents 401 for a missing or expired token (references/vro/7.2/rest/7.2.1/tag/Plans on helpcenter.veeam.com); no 401-in-200 envelope exists.
	isAuthRejected: (response) => response.status === 401,
	// The credential's own Bearer header (bound to server, version and account) and TLS option: a run reads the credential once (shared/http.ts signingCredentials).
	authenticate: credentialAuthenticate(new VeeamOrchestratorApi()),
	apiBase: async (ctx) => {
		const conn = await vroConnection(ctx);
		return { url: conn.base, path: vroApiBasePath(conn.version) };
	},
	decode: (status, text, contentType, acceptText) => {
		const decoded = decodeVroResponse(status, text, contentType, acceptText);
		return decoded.ok ? { ok: true, result: decoded.data } : { ok: false, code: decoded.status, errorText: decoded.errorText, notJson: decoded.notJson };
	},
	describeError: async (facts, ctx) => describeVroError(facts.code, facts.errorText, facts.method as IHttpRequestMethods, facts.path, (await vroConnection(ctx)).version, facts.notJson),
	// Each generation's paging style (archive/vao/10/restapi/query_options.html, archive/vao/40/restapi/start_query.html,
	// docs/vro/rest/query_options.html): OData `$top`/`$skip` over bare arrays walked until a short page (v1/v2, no
	// total); one unpaged `{total, data}` read (v3); `start`/`limit` with the total on the first page (v4 and later).
	paging: async (ctx) => {
		const style = vroPagingStyle((await vroConnection(ctx)).version);
		const readPage = (result: unknown) => readListPage(result);
		if (style === 'odata') return { pageSize: VRO_PAGE_SIZE, readPage, pageQuery: (offset, size) => ({ $top: size, ...(offset > 0 ? { $skip: offset } : {}) }) };
		if (style === 'startLimit') return { pageSize: VRO_PAGE_SIZE, readPage, pageQuery: (offset, size) => ({ limit: size, ...(offset > 0 ? { start: offset } : {}) }) };
		return { pageSize: VRO_PAGE_SIZE, readPage };
	},
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
		const c = await runCredentials(ctx, VRO_CREDENTIAL);
		const version = isVroApiVersion(c.apiVersion) ? c.apiVersion : DEFAULT_VRO_API_VERSION;
		const root = vroServerRoot(c.baseUrl);
		return { root, version, base: joinUrl(root, vroApiBasePath(version)), authMethod: c.authMethod === 'clientCredentials' ? 'clientCredentials' : 'password' } as VroConnection;
	});
}

export type VroCall = ProductCall;

/** Sends one call; HTTP errors come back decoded rather than thrown. */
export async function vroSend(ctx: RequestContext, call: VroCall, options: Pick<CallOptions, 'timeoutMs'>): Promise<VroDecoded> {
	const decoded = await productSend(ctx, VRO_PROFILE, call, options);
	return decoded.ok ? { ok: true, data: decoded.result } : { ok: false, status: decoded.code, errorText: decoded.errorText, notJson: decoded.notJson };
}

/** Sends one call and returns its data, or throws a NodeApiError that quotes the server. */
export async function vroRequest(ctx: RequestContext, call: VroCall, options: Pick<CallOptions, 'timeoutMs'>): Promise<unknown> {
	return (await productRequest(ctx, VRO_PROFILE, call, options)).result;
}

export async function vroError(ctx: RequestContext, call: VroCall, decoded: Extract<VroDecoded, { ok: false }>) {
	return await productError(ctx, VRO_PROFILE, call, { ok: false, code: decoded.status, errorText: decoded.errorText, notJson: decoded.notJson });
}

export interface VroListQuery {
	/** Extra query parameters (filters, sort, onlyEnabled). */
	qs?: IDataObject;
	/** undefined = Return All */
	limit?: number;
	itemIndex?: number;
}

/** A collection in the generation's paging style (VRO_PROFILE.paging). */
export async function vroList(ctx: RequestContext, path: string, query: VroListQuery, options: CallOptions): Promise<IDataObject[]> {
	return await productList(ctx, VRO_PROFILE, path, { ...query, key: vroRecordKey }, options);
}

/**
 * Empties the stored tokens (after a logout): n8n runs the credential's preAuthentication with a
 * marker that makes it return empty tokens, and persists them. The request that carries this is a
 * harmless read: GET /v1/About (documented as unauthenticated on VAO 1.0) or, on later versions, a
 * read sent without a token, which the server refuses with 401 before doing anything.
 */
export async function clearStoredTokens(ctx: RequestContext, options: Pick<CallOptions, 'timeoutMs'>): Promise<void> {
	const conn = await vroConnection(ctx);
	// Carriers per version: GET /v1/About (unauthenticated on VAO 1.0, PV Swagger), /Sites (v2), /Scopes (v3+).
	const carrier = conn.version === 'v1' ? '/About' : isLegacyVersion(conn.version) ? '/Sites' : '/Scopes';
	try {
		await sendWithCredentialChange(ctx, VRO_PROFILE, { method: 'GET', url: joinUrl(conn.base, carrier), timeoutMs: options.timeoutMs }, { accessToken: '', [VRO_CLEAR_TOKENS_MARKER]: true });
	} catch (error) {
		// The tokens were stored before the carrier was sent; a carrier that fails changes nothing.
		if (!isNetworkFailure(error)) throw toNodeError(ctx.getNode(), error);
	}
}

/** A carrier that never got an answer (connection refused, reset, timeout); a TLS refusal still needs the user's attention. */
function isNetworkFailure(error: unknown): boolean {
	const code = findErrorCode(error);
	return code !== undefined && !isTlsErrorCode(code);
}
