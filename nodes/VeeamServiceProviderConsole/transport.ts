import type { IDataObject } from 'n8n-workflow';

import { VSPC_API_BASE, VSPC_PRODUCT, vspcServerRoot } from '../../credentials/shared/vspcLogin';
import { VeeamServiceProviderConsoleApi } from '../../credentials/VeeamServiceProviderConsoleApi.credentials';
import type { CallOptions } from '../shared/descriptions';
import type { RequestContext } from '../shared/http';
import { credentialAuthenticate, runCredentials } from '../shared/http';
import { parseJsonLossless } from '../shared/json';
import type { CallResult, Decoded, ErrorFacts, ProductCall, ProductListQuery, TransportProfile } from '../shared/transport';
import { apiBaseOnce, productList, productRequest } from '../shared/transport';
import { joinUrl } from '../shared/url';

/**
 * Veeam Service Provider Console REST API v3 as a profile of the shared transport.
 * Evidence: https://helpcenter.veeam.com/docs/vac/rest/errors.html (envelope, 520), pagination.html (limit/offset,
 * meta.pagingInfo), CSPC veeam_spc/v3_6_1/models/response_error.py, empty_response.py, and every operation module of
 * CSPC veeam_spc/v3_6_1/api (the X-Request-id header).
 */
export const VSPC_CREDENTIAL = 'veeamServiceProviderConsoleApi';
/** limit's maximum ([1 .. 500], https://helpcenter.veeam.com/references/vac/9.1/rest/tag/Alarms); VSPCPS Invoke-VeeamSPCRequest.ps1 pages with 500 against live servers. */
export const VSPC_PAGE_SIZE = 500;

export const VSPC_PROFILE: TransportProfile = {
	credentialType: VSPC_CREDENTIAL,
	expirableField: 'accessToken',
	productName: VSPC_PRODUCT,
	secretFields: ['password', 'apiKey', 'accessToken', 'refreshToken'],
	// An expired or missing token or key: HTTP 401 (error code 401 "authorization required", errors.html).
	isAuthRejected: (response) => response.status === 401,
	// A 429 carries its wait in the body, errors[0].retryAfter in seconds, only when a per-time limit was hit; no
	// Retry-After header is documented (https://helpcenter.veeam.com/docs/vac/rest/throttling.html).
	retryAfter: (response) => (response.status === 429 ? throttleWaitSeconds(response.text) : undefined),
	// The credential's own Bearer and X-Client-Version headers and TLS option: a run reads the credential once (shared/http.ts signingCredentials).
	authenticate: credentialAuthenticate(new VeeamServiceProviderConsoleApi()),
	apiBase: (ctx) =>
		apiBaseOnce(ctx, VSPC_CREDENTIAL, async () => {
			const credentials = await runCredentials(ctx, VSPC_CREDENTIAL);
			return { url: joinUrl(vspcServerRoot(credentials.baseUrl), VSPC_API_BASE), path: VSPC_API_BASE };
		}),
	decode: decodeVspcResponse,
	describeError: describeVspcError,
	paging: { pageSize: VSPC_PAGE_SIZE, pageQuery: (offset, size) => ({ limit: size, offset }) },
	// "Random UID that you can assign to a request for idempotence … idempotent only during 5 minute time interval"
	// (https://helpcenter.veeam.com/references/vac/9.1/rest/tag/Alarms; CSPC …/api/alarms/acknowledge_active_alarm.py sends it as X-Request-id).
	idempotencyHeader: 'X-Request-id',
	// 5 minutes from the first send, less 30 s for clocks and queues: no resend may reach a server that forgot the key.
	idempotencyKeyLifetimeMs: 270_000,
};

/** The first entry of the envelope's `errors` (message, code, parameterName), as one line to quote. */
function firstError(body: IDataObject | undefined): { text?: string; code?: number } {
	const errors = body?.errors;
	if (!Array.isArray(errors) || errors.length === 0) return {};
	const e = (errors[0] ?? {}) as IDataObject;
	const parameter = e.parameterName ?? e.propertyName;
	const text = [typeof e.message === 'string' ? e.message.replace(/\r?\n/g, ' ').trim() : undefined, parameter ? `(parameter ${String(parameter)})` : undefined, e.code !== undefined && e.code !== null ? `[code ${String(e.code)}]` : undefined]
		.filter(Boolean)
		.join(' ');
	return { text: text || undefined, code: typeof e.code === 'number' ? e.code : undefined };
}

/**
 * `{data, meta: {pagingInfo: {total, count, offset}}, errors}`. A non-empty `errors` fails the call even with HTTP 200
 * (the reference allows errors on a 200 without saying what they mean: this package does not hide them). An action's
 * EmptyResponse (`data` null) is a success. 202 (the server queued the call as an asynchronous action) is not followed.
 */
export function decodeVspcResponse(status: number, text: string, contentType = '', acceptText = false): Decoded {
	const trimmed = text.trim();
	if (status >= 300 && status < 400) return { ok: false, code: status, errorText: trimmed || undefined, notJson: trimmed !== '' && !/^[[{]/.test(trimmed) };
	if (trimmed === '') return status >= 400 || status === 202 ? { ok: false, code: status } : { ok: true, result: true };
	let body: unknown;
	try {
		body = parseJsonLossless(trimmed);
	} catch {
		if (status < 400 && acceptText && !/json|html/i.test(contentType) && !/^\ufeff?[[{"<]/.test(trimmed)) return { ok: true, result: trimmed };
		return { ok: false, code: status, errorText: trimmed, notJson: true };
	}
	const envelope = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as IDataObject) : undefined;
	const error = firstError(envelope);
	if (status >= 400 || status === 202 || error.text) return { ok: false, code: status >= 400 ? status : status === 202 ? 202 : (error.code ?? 500), errorText: error.text };
	if (!envelope || !('data' in envelope)) return { ok: true, result: body };
	const total = ((envelope.meta as IDataObject | null)?.pagingInfo as IDataObject | undefined)?.total;
	const data = envelope.data === null || envelope.data === undefined ? true : envelope.data;
	return { ok: true, result: data, total: typeof total === 'number' ? total : undefined };
}

/** What to tell a technician for a failed VSPC call (after retries and the one re-login). */
export function describeVspcError(f: ErrorFacts): { message: string; description: string } {
	const what = `${f.method} ${f.path}`;
	const said = f.errorText ? `: ${f.errorText}` : '';
	if (f.notJson && !(f.code >= 300 && f.code < 400)) {
		return {
			message: `${VSPC_PRODUCT} answered ${what} with something that is not JSON (HTTP ${f.code})`,
			description: 'A proxy, login page or another service may answer instead of the VSPC REST API. Check the Server URL and port (1280 unless changed) in the credential.',
		};
	}
	if (f.code >= 300 && f.code < 400) {
		return {
			message: `${VSPC_PRODUCT} redirected ${what} elsewhere (HTTP ${f.code}) instead of answering`,
			description: 'Redirects are not followed, because that would send the token elsewhere. The Server URL in the credential is probably not the VSPC REST API (check https:// and the port).',
		};
	}
	switch (f.code) {
		case 202:
			return {
				message: `${VSPC_PRODUCT} queued ${what} as an asynchronous action instead of answering`,
				description: 'This node does not follow asynchronous actions (/asyncActions). Run the node again later, or narrow the request so the server answers at once.',
			};
		case 400:
			return { message: `${VSPC_PRODUCT} rejected the request as invalid${said}`, description: `Check the values sent to ${what} (UIDs, filters, comments).` };
		case 401:
			return {
				message: `${VSPC_PRODUCT} refused the token or API key even after a fresh login`,
				description: 'The user or key may have lost REST access (disabled, deleted, or REST access turned off for its company). Check the credential.',
			};
		case 403:
			return {
				message: `${VSPC_PRODUCT} refused ${what}: access denied${said}`,
				description: 'The user\'s role does not allow this call, or the API key is read-only (it may only send GET). Use a user or key with the rights for it.',
			};
		case 404:
			return { message: `${VSPC_PRODUCT} found nothing at ${what}${said}`, description: 'The UID does not exist or is outside what this user may see. Pick it from the list or check the value.' };
		case 429:
			return {
				message: `${VSPC_PRODUCT} is throttling requests (429)${said}`,
				description: 'Retries were made and the server kept refusing, or it asked to wait more than a minute. Lower "Concurrency" in the node options or run later; the provider sets the limits in the Throttling settings of the VSPC Web UI.',
			};
		case 504:
			return { message: `${VSPC_PRODUCT} could not reach its own server (504)${said}`, description: 'The REST API could not reach the VSPC service. Check that the VSPC services are running, then try again.' };
		default:
			if (f.code >= 500) {
				return {
					message: `${VSPC_PRODUCT} had an internal error on ${what} (${f.code})${said}`,
					description:
						f.method === 'GET'
							? 'VSPC answers every server-side failure as HTTP 520. Check the values sent; if they are right, try again later or ask the provider to check the VSPC logs.'
							: 'VSPC answers every server-side failure as HTTP 520, so the change may or may not have been made; it was not sent again. Check its state in VSPC before running it again, then try later or ask the provider to check the VSPC logs.',
				};
			}
			return { message: `${VSPC_PRODUCT} returned an error on ${what} (${f.code})${said}`, description: 'See the server message and check the parameters of the node.' };
	}
}

export async function vspcRequest(ctx: RequestContext, call: ProductCall, options: Pick<CallOptions, 'timeoutMs'>): Promise<CallResult> {
	return await productRequest(ctx, VSPC_PROFILE, call, options);
}

export async function vspcList(ctx: RequestContext, path: string, query: ProductListQuery, options: CallOptions): Promise<IDataObject[]> {
	return await productList(ctx, VSPC_PROFILE, path, query, options);
}

/** VSPC's `filter` query value: a JSON array of `{property, operation, value, collation?}` (https://helpcenter.veeam.com/docs/vac/rest/filter.html). */
export type VspcFilterItem =
	| { property: string; operation: 'equals' | 'contains' | 'greaterThanOrEqual'; value: unknown; collation?: 'ignorecase' }
	| { operation: 'or'; items: VspcFilterItem[] };

/** `sort`: a JSON array of `{property, direction: ascending|descending}` (https://helpcenter.veeam.com/references/vac/9.1/rest/tag/SectionOverview, Query Parameters). */
export interface VspcSortItem {
	property: string;
	direction: 'ascending' | 'descending';
}

export function vspcQuery(filter: VspcFilterItem[], sort: VspcSortItem[]): IDataObject {
	const qs: IDataObject = {};
	if (filter.length > 0) qs.filter = JSON.stringify(filter);
	if (sort.length > 0) qs.sort = JSON.stringify(sort);
	return qs;
}

/** errors[0].retryAfter of a VSPC 429 body, as text for the retry policy; undefined when absent or not a number of seconds. */
export function throttleWaitSeconds(text: string): string | undefined {
	try {
		const wait = (JSON.parse(text) as { errors?: Array<{ retryAfter?: unknown }> })?.errors?.[0]?.retryAfter;
		return typeof wait === 'number' && Number.isFinite(wait) && wait >= 0 ? String(wait) : undefined;
	} catch {
		return undefined;
	}
}
