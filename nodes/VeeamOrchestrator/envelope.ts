import type { IDataObject } from 'n8n-workflow';

import { quoteServerText } from '../../credentials/shared/loginError';
import type { VroApiVersion } from '../../credentials/shared/vroVersions';
import { usualPort } from '../../credentials/shared/vroVersions';
import { parseJsonLossless } from '../shared/json';

/**
 * Orchestrator response shapes (query_options / plans pages of each version's Help Center reference). No error-body schema is documented for any version
 * (none in the 7.2.1, 13 or 13.1 references), so errors are read from the shapes ASP.NET Web API and OWIN servers send
 * (`{Message}`, `{error, error_description}`), the v5+ `ResponseWrapper {success, data}`, and
 * otherwise shown as text. Lists come as bare arrays (v1/v2), `{total, data}` (v3–v6) or
 * `{data, pagination: {total, count}}` (v7+); which one is not verified per version, so every
 * version accepts all three.
 */
export type VroDecoded = { ok: true; data: unknown } | { ok: false; status: number; errorText?: string; notJson?: boolean };

function isObject(value: unknown): value is IDataObject {
	return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** The server's own error text from a parsed body, when it has one of the known shapes. */
export function errorTextOf(body: unknown): string | undefined {
	if (typeof body === 'string') return body.trim() || undefined;
	if (!isObject(body)) return undefined;
	if (typeof body.error === 'string') {
		return typeof body.error_description === 'string' && body.error_description ? `${body.error}: ${body.error_description}` : body.error;
	}
	const parts: string[] = [];
	for (const key of ['Message', 'message', 'title', 'ExceptionMessage', 'MessageDetail', 'detail']) {
		const v = body[key];
		if (typeof v === 'string' && v.trim() && !parts.includes(v.trim())) parts.push(v.trim());
	}
	if (typeof body.errorCode === 'string' && parts.length) parts[0] = `${body.errorCode}: ${parts[0]}`;
	if (parts.length === 0 && isWrapper(body) && body.data !== undefined) return errorTextOf(body.data) ?? quoteServerText(JSON.stringify(body.data));
	return parts.length ? parts.join(' — ') : undefined;
}

/** VDRO 5 added `ResponseWrapper[Object] {success, data}` (https://helpcenter.veeam.com/archive/vdro/50/rest/changelog.html); which calls use it is unverified. */
function isWrapper(body: IDataObject): boolean {
	const keys = Object.keys(body);
	return typeof body.success === 'boolean' && keys.every((k) => ['success', 'data', 'message', 'Message', 'errors'].includes(k));
}

/**
 * @param acceptText pass a non-JSON success body through as text — only for calls that may meet one
 *   (the custom API request). Elsewhere a success status with a body that is not JSON (a proxy's text,
 *   a cut-off answer) must not become data.
 */
export function decodeVroResponse(status: number, text: string, contentType = '', acceptText = false): VroDecoded {
	const trimmed = text.trim();
	if (trimmed === '') {
		return status >= 200 && status < 300 ? { ok: true, data: undefined } : { ok: false, status };
	}
	let body: unknown;
	try {
		body = parseJsonLossless(trimmed);
	} catch {
		const looksJson = /json/i.test(contentType) || /^\ufeff?[[{"]/.test(trimmed);
		if (acceptText && status >= 200 && status < 300 && !looksJson && !/html/i.test(contentType) && !/^\s*</.test(trimmed)) return { ok: true, data: trimmed };
		return { ok: false, status, errorText: trimmed, notJson: true };
	}
	if (status < 200 || status >= 300) return { ok: false, status, errorText: errorTextOf(body) ?? trimmed };
	if (isObject(body) && isWrapper(body)) {
		if (body.success === false) return { ok: false, status, errorText: errorTextOf(body) ?? trimmed };
		return { ok: true, data: body.data };
	}
	return { ok: true, data: body };
}

export interface VroListPage {
	items: IDataObject[];
	total?: number;
}

function toItem(value: unknown): IDataObject {
	return isObject(value) ? value : { value: value as IDataObject[string] };
}

/** One page of a collection in any of the documented envelopes. */
export function readListPage(data: unknown): VroListPage {
	if (data === undefined || data === null) return { items: [] };
	if (Array.isArray(data)) return { items: data.map(toItem) };
	if (isObject(data)) {
		const list = Array.isArray(data.data) ? data.data : Array.isArray(data.items) ? data.items : undefined;
		if (list) {
			const pagination = isObject(data.pagination) ? data.pagination : undefined;
			const rawTotal = pagination?.total ?? data.total ?? data.totalCount;
			const total = rawTotal === undefined || rawTotal === null ? undefined : Number(rawTotal);
			return { items: list.map(toItem), total: Number.isFinite(total) ? total : undefined };
		}
		return { items: [data] };
	}
	return { items: [toItem(data)] };
}

/** What to tell a technician about a failed call (after retries and the one re-login). */
export function describeVroError(
	status: number,
	errorText: string | undefined,
	method: string,
	path: string,
	version: VroApiVersion,
	notJson = false,
): { message: string; description: string } {
	const what = `${method} ${path}`;
	const said = errorText ? `: ${quoteServerText(errorText, 200)}` : '';
	if (notJson && status >= 200 && status < 300) {
		return {
			message: `Veeam Orchestrator answered ${what} with a web page or text instead of API data`,
			description: `A proxy, login portal or the Orchestrator web UI answered instead of the REST API. Check the Server URL and port in the credential (REST API port ${usualPort(version)} for API ${version}).`,
		};
	}
	switch (status) {
		case 400:
			return {
				message: `Veeam Orchestrator rejected ${what}${said}`,
				description:
					'The server refused the request as invalid or not allowed in the current state of the object. Check the values sent (IDs, dates, options) and the state of the plan.',
			};
		case 401:
			return {
				message: 'Veeam Orchestrator rejected the access token even after a fresh login',
				description:
					'The login works but this call was refused. The account may lack the role for it, or another application logged in with the same account and invalidated this session (Veeam advises a dedicated account or client account per integration).',
			};
		case 403:
			return {
				message: `Veeam Orchestrator refused ${what}: permission denied${said}`,
				description:
					'The account lacks the Orchestrator role or scope for this call (Plan Operators and Plan Authors see only their scopes; client accounts cannot manage client accounts). Use an account with the Orchestrator Administrator role if needed.',
			};
		case 404:
			return {
				message: `Veeam Orchestrator found nothing at ${what}${said}`,
				description: `The ID does not exist or lies outside the scopes of the account, or API ${version} has no such endpoint on this server. Check the ID, and that "API Version" in the credential matches the server.`,
			};
		case 405:
			return {
				message: `Veeam Orchestrator does not allow ${what}${said}`,
				description: `This endpoint takes another HTTP method on this server, which usually means the server runs another API version than ${version}. Check "API Version" in the credential.`,
			};
		case 415:
			return {
				message: `Veeam Orchestrator refused the body format of ${what}${said}`,
				description: 'The server expects a JSON body for this call.',
			};
		case 429:
			return {
				message: 'Veeam Orchestrator is throttling requests (429 Too Many Requests)',
				description: 'Retries were made and the server kept refusing. Lower "Concurrency" in the request options or run the workflow later.',
			};
		default:
			if (status >= 500) {
				const v3Plans = version === 'v3' && method === 'GET' && /\/api\/v3\/Plans$/i.test(path);
				return {
					message: `Veeam Orchestrator had an internal error on ${what} (HTTP ${status})${said}`,
					description: v3Plans
						? 'Servers from Disaster Recovery Orchestrator 5.0 on answer GET /api/v3/Plans with HTTP 500 (a documented breaking change). Set "API Version" in the credential to v4 or later.'
						: 'The server failed to process the request (reads were retried). Check the values sent; if they are right, the problem is on the server: try again later or check the Orchestrator server logs.',
				};
			}
			return {
				message: `Veeam Orchestrator returned HTTP ${status} for ${what}${said}`,
				description: notJson ? 'The answer was not JSON. Check the Server URL and port in the credential.' : 'See the server message and check the parameters of the node.',
			};
	}
}
