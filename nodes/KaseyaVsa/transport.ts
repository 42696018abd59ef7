import type { IDataObject } from 'n8n-workflow';

import { KaseyaVsaApi } from '../../credentials/KaseyaVsaApi.credentials';
import { vsaServerRoot, VSA_API_BASE } from '../../credentials/shared/vsaLogin';
import type { CallOptions } from '../shared/descriptions';
import type { RequestContext } from '../shared/http';
import { credentialAuthenticate, runCredentials } from '../shared/http';
import type { CallResult, ProductCall, TransportProfile } from '../shared/transport';
import { apiBaseOnce, productList, productRequest } from '../shared/transport';
import { joinUrl } from '../shared/url';
import { decodeVsaResponse, describeVsaError, isVsaAuthRejected } from './envelope';

export { toItems } from '../shared/transport';

/** Kaseya VSA as a profile of the shared transport (nodes/shared/transport.ts). */
export const VSA_CREDENTIAL = 'kaseyaVsaApi';
/** VSA caps every collection response at 100 records (KAT VSAModule/README.md, a live finding). */
export const VSA_PAGE_SIZE = 100;
/**
 * Requests in flight by default, for pages and for per-item calls (the user's Concurrency option
 * overrides it). Kaseya's own VSAModule keeps 8 in flight by default, for paged reads and for
 * per-item lookups (notes of 200 tickets); its authors' throttle sweep from 2 to 32 against a live VSA
 * SaaS showed no server throttling and diminishing returns past 8 (Evidence: Kaseya-Automation-Team
 * VSAModule/README.md, "A throttle sweep (2→32) showed no server throttling ... which is why 8 is the default").
 * Writes use the same bound (no public source measures VSA writes in parallel): a write is re-sent only
 * after a 429/503, which the server sends without applying it; 500 alarm closes took 5.5 s at 5 in flight
 * and 3.6 s at 10 before this default (bench/RESULTS.md of 2026-11-22).
 */
export const VSA_DEFAULT_CONCURRENCY = 8;

export const VSA_PROFILE: TransportProfile = {
	credentialType: VSA_CREDENTIAL,
	expirableField: 'sessionToken',
	productName: 'Kaseya VSA',
	secretFields: ['password', 'personalAccessToken', 'sessionToken'],
	isAuthRejected: (response) => isVsaAuthRejected(response.status, response.text),
	// The credential's own Bearer header and TLS option: a run reads the credential once (shared/http.ts signingCredentials).
	authenticate: credentialAuthenticate(new KaseyaVsaApi()),
	apiBase: (ctx) =>
		apiBaseOnce(ctx, VSA_CREDENTIAL, async () => {
			const credentials = await runCredentials(ctx, VSA_CREDENTIAL);
			return { url: joinUrl(vsaServerRoot(credentials.baseUrl), VSA_API_BASE), path: VSA_API_BASE };
		}),
	decode: (status, text, contentType, acceptText) => decodeVsaResponse(status, text, contentType, acceptText),
	describeError: (f) => describeVsaError(f.code, f.errorText, f.method, f.path, f.notJson),
	// OData `$top`/`$skip`; the envelope's TotalRecords (envelope.ts) lets the engine fetch the other pages at once.
	paging: { pageSize: VSA_PAGE_SIZE, pageQuery: (offset, size) => ({ $top: size, ...(offset > 0 ? { $skip: offset } : {}) }) },
};

export type VsaCall = ProductCall;
export type VsaResult = CallResult;

export async function vsaRequest(ctx: RequestContext, call: VsaCall, options: Pick<CallOptions, 'timeoutMs'>): Promise<VsaResult> {
	return await productRequest(ctx, VSA_PROFILE, call, options);
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

/** A VSA collection: `$filter`/`$orderby` on every page, pages fetched concurrently after the first. */
export async function vsaList(ctx: RequestContext, path: string, query: VsaListQuery, options: CallOptions): Promise<IDataObject[]> {
	const qs: IDataObject = { ...(query.extraQs ?? {}) };
	if (query.filter) qs.$filter = query.filter;
	if (query.orderby) qs.$orderby = query.orderby;
	return await productList(ctx, VSA_PROFILE, path, { qs, limit: query.limit, offset: query.offset, itemIndex: query.itemIndex, key: query.key }, options);
}
