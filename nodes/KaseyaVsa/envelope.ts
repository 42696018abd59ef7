import { parseJsonLossless } from '../shared/json';

/**
 * VSA's response envelope: `{ Result, TotalRecords?, ResponseCode, Status, Error }`. Application
 * errors can arrive inside HTTP 200 (ResponseCode 4xx/5xx), DELETE/PUT may answer 204 with no body,
 * and some endpoints are not enveloped at all (Cloud Backup maps, XML procedure trees).
 */
export type Decoded =
	| { ok: true; result: unknown; total?: number; enveloped: boolean }
	| { ok: false; code: number; errorText?: string; notJson?: boolean };

export function isSuccessCode(code: number): boolean {
	return code === 0 || (code >= 200 && code < 300);
}

/**
 * @param acceptText pass a non-JSON success body (XML, plain text) through as the result — only for
 *   calls that may meet one (the custom API request). Everywhere else a success status with a body
 *   that is not JSON is a proxy page, a cut-off answer or another product, and must not become data.
 */
export function decodeVsaResponse(status: number, text: string, contentType = '', acceptText = false): Decoded {
	const trimmed = text.trim();
	// A redirect is never followed (it would carry the Authorization header elsewhere) and never a result.
	if (status >= 300 && status < 400) return { ok: false, code: status, errorText: trimmed || undefined, notJson: trimmed !== '' && !/^[[{]/.test(trimmed) };
	if (status === 204 || trimmed === '') {
		if (status >= 400) return { ok: false, code: status };
		return { ok: true, result: true, enveloped: false };
	}
	let body: unknown;
	try {
		body = parseJsonLossless(trimmed);
	} catch {
		if (status >= 400) return { ok: false, code: status, errorText: trimmed, notJson: true };
		// XML (ScExport procedure tree) or text on success: pass it through where the caller accepts text,
		// but never an HTML page, nor a body that claims to be JSON (cut off or malformed).
		const looksJson = /json/i.test(contentType) || /^\ufeff?[[{"]/.test(trimmed);
		if (!acceptText || looksJson || /html/i.test(contentType) || /^<!doctype html|^<html/i.test(trimmed)) {
			return { ok: false, code: status, errorText: trimmed, notJson: true };
		}
		return { ok: true, result: trimmed, enveloped: false };
	}
	const isEnvelope = !!body && typeof body === 'object' && !Array.isArray(body) && ('ResponseCode' in (body as object) || 'Result' in (body as object));
	if (!isEnvelope) {
		if (status >= 400) return { ok: false, code: status, errorText: trimmed };
		return { ok: true, result: body, enveloped: false };
	}
	const env = body as { Result?: unknown; TotalRecords?: unknown; ResponseCode?: unknown; Error?: unknown; Status?: unknown };
	const code = env.ResponseCode === undefined || env.ResponseCode === null ? (status >= 400 ? status : 0) : Number(env.ResponseCode);
	const errorText = typeof env.Error === 'string' && env.Error !== 'None' && env.Error !== '' ? env.Error : undefined;
	if (!Number.isFinite(code)) {
		// Not a VSA answer we understand: report the HTTP status and quote the odd ResponseCode.
		return { ok: false, code: status, errorText: `unexpected ResponseCode ${JSON.stringify(env.ResponseCode)}${errorText ? ` (${errorText})` : ''}` };
	}
	if (status >= 400 || !isSuccessCode(code)) {
		return { ok: false, code: status >= 400 ? status : code, errorText };
	}
	const total = env.TotalRecords === undefined || env.TotalRecords === null ? undefined : Number(env.TotalRecords);
	return { ok: true, result: env.Result === undefined ? true : env.Result, total: Number.isFinite(total) ? total : undefined, enveloped: true };
}

/** True when the server rejected the session token, as HTTP 401 or as ResponseCode 401 in a 200 body. */
export function isVsaAuthRejected(status: number, text: string): boolean {
	if (status === 401) return true;
	if (status !== 200 || text.length > 4096) return false;
	const decoded = decodeVsaResponse(status, text);
	return !decoded.ok && decoded.code === 401;
}

/** What to tell a technician for a failed VSA call (after retries and the one re-login). */
export function describeVsaError(code: number, errorText: string | undefined, method: string, path: string, notJson = false): { message: string; description: string } {
	const what = `${method} ${path}`;
	if (notJson && !(code >= 300 && code < 400)) {
		return {
			message: `Kaseya VSA answered ${what} with something that is not JSON (HTTP ${code})`,
			description:
				'The server returned an HTML page or text instead of an API response. A proxy, login portal or maintenance page may be in front of the VSA server; check the Server URL in the credential.',
		};
	}
	if (code >= 300 && code < 400) {
		return {
			message: `Kaseya VSA redirected ${what} elsewhere (HTTP ${code}) instead of answering`,
			description:
				'Redirects are not followed, because that would send the session token to another address. The Server URL in the credential is probably not the VSA server itself (check http:// versus https://, the port, and that no login portal or proxy answers instead).',
		};
	}
	switch (code) {
		case 400:
			return {
				message: `Kaseya VSA rejected the request as invalid: ${errorText ?? 'Bad Request'}`,
				description: `Check the values sent to ${what} (IDs, names, filter syntax). Numeric fields must be whole numbers.`,
			};
		case 401:
			return {
				message: 'Kaseya VSA rejected the session even after a fresh login',
				description: 'The login works but this call was refused. The user (or its PAT) may lack rights for this function, or its scope excludes the object. Check the role and scope of the VSA user.',
			};
		case 403:
			return {
				message: `Kaseya VSA refused ${what}: permission denied${errorText ? ` (${errorText})` : ''}`,
				description: 'The VSA user lacks the role rights, scope or module licence for this call. Ask a VSA administrator to grant it, or use a user with the Master/System role.',
			};
		case 404:
			return {
				message: `Kaseya VSA found nothing at ${what}${errorText ? `: ${errorText}` : ''}`,
				description: 'The ID does not exist (or is outside the user\'s scope), or the module behind this endpoint is not installed. Check the ID; newly created objects can take a second or two to appear.',
			};
		case 429:
			return {
				message: 'Kaseya VSA is throttling requests (429 Too Many Requests)',
				description: 'Retries were made and the server kept refusing. Lower "Concurrency" in the node options or run the workflow later.',
			};
		default:
			if (code >= 500) {
				return {
					message: `Kaseya VSA had an internal error on ${what} (${code})${errorText ? `: ${errorText}` : ''}`,
					description: 'The server failed to process the request (retries were made for reads). Check the values sent; if they are right, the problem is on the server — try again later or ask the VSA administrator to check the server logs.',
				};
			}
			return {
				message: `Kaseya VSA returned an error on ${what} (${code})${errorText ? `: ${errorText}` : ''}`,
				description: 'See the server message. Check the parameters of the node.',
			};
	}
}
