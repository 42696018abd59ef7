import type { ICredentialDataDecryptedObject, IHttpRequestHelper, IN8nHttpFullResponse } from 'n8n-workflow';

import { connectionLoginError, LoginError, quoteServerText, redact, responseText } from './loginError';
import { serverRoot } from './serverRoot';
import { vsaAuthHeader } from './vsaChallengeHash';

/** The server root, tolerating a trailing slash or a pasted `/api/v1.0` (any case). */
export function vsaServerRoot(baseUrl: unknown): string {
	return serverRoot(baseUrl, VSA_API_SUFFIX);
}

/** What technicians paste after the server address: the API base (KAT's examples show https://vsa.example.com). */
export const VSA_API_SUFFIX = /\/api\/v1\.0$/i;

export const VSA_API_BASE = '/api/v1.0';

interface AuthEnvelope {
	Result?: { Token?: unknown; ApiToken?: unknown } | null;
	ResponseCode?: number | string;
	Status?: string;
	Error?: string;
}

/**
 * Names the likely cause of a failed GET /auth for a technician. Pure, so every branch is tested.
 * Error strings come from the SOAP-era API guide's list (Kaseya VSA API Web Service user guide, R8; unverified for REST): "username/password incorrect",
 * "API disabled", "user disabled", "IP address incorrect".
 */
export function describeVsaLoginFailure(
	status: number,
	bodyText: string,
	authMethod: string,
): { message: string; description: string; serverText?: string } {
	let envelope: AuthEnvelope | undefined;
	try {
		envelope = JSON.parse(bodyText) as AuthEnvelope;
	} catch {
		envelope = undefined;
	}
	const isEnvelope = !!envelope && typeof envelope === 'object' && ('ResponseCode' in envelope || 'Result' in envelope);
	// `Error` is a string on every documented answer; anything else is quoted as JSON, never called as a string.
	const rawError: unknown = isEnvelope ? envelope!.Error : undefined;
	const envelopeError = typeof rawError === 'string' ? rawError : rawError === undefined || rawError === null ? undefined : quoteServerText(JSON.stringify(rawError));
	const serverText = isEnvelope ? (envelopeError && envelopeError !== 'None' ? envelopeError : undefined) : quoteServerText(bodyText);
	const code = isEnvelope ? Number(envelope!.ResponseCode) : status;
	const text = (serverText ?? '').toLowerCase();
	const secretName = authMethod === 'password' ? 'password' : 'Personal Access Token';

	if (!isEnvelope && (status === 404 || status === 405)) {
		return {
			message: 'Kaseya VSA login failed: this URL has no VSA REST API (/api/v1.0/auth was not found)',
			description:
				'Check the Server URL in the credential: it should be the address you open the VSA web console with, e.g. https://vsa.example.com (add :port if your server uses one). If the URL is right, the REST API may be disabled on the server.',
			serverText,
		};
	}
	if (!isEnvelope) {
		return {
			message: `Kaseya VSA login failed: the server did not answer like a VSA server (HTTP ${status})`,
			description:
				'The answer was not a VSA REST API response. Check that the Server URL points at the VSA server itself (not a login portal, proxy or another product) and that the server is running.',
			serverText,
		};
	}
	if (/ip/.test(text) && /(address|allow|not permitted|restrict)/.test(text)) {
		return {
			message: 'Kaseya VSA login failed: the server does not accept logins from this IP address',
			description: `The ${secretName}'s IP allow-list (or the user's logon policy) does not include the address n8n connects from. Add n8n's public IP in VSA (System › User Security › Users › Access Tokens), or leave the allow-list empty.`,
			serverText,
		};
	}
	if (/disabled/.test(text) && /api/.test(text)) {
		return {
			message: 'Kaseya VSA login failed: the REST API is disabled on this server or tenant',
			description: 'Ask the VSA administrator to enable the REST API (and for SaaS, for your tenant), then try again.',
			serverText,
		};
	}
	if (/disabled|locked/.test(text)) {
		return {
			message: 'Kaseya VSA login failed: the VSA user is disabled or locked',
			description: 'Enable or unlock the user in VSA (System › User Security › Users), or use another user.',
			serverText,
		};
	}
	if (authMethod === 'personalAccessToken') {
		return {
			message: 'Kaseya VSA login failed: wrong username or Personal Access Token',
			description:
				'Check the username (as shown in VSA, without domain unless VSA shows one) and the token. A PAT also fails when it has expired, was deleted, lacks the "REST API" scope, or its IP allow-list excludes n8n. Create a new token under System › User Security › Users › Access Tokens if in doubt.',
			serverText: serverText ?? (code ? `ResponseCode ${code}` : undefined),
		};
	}
	return {
		message: 'Kaseya VSA login failed: wrong username or password',
		description:
			'Check the username and password. Password login (challenge hash) is deprecated by Kaseya and may be switched off on your server; a Personal Access Token is the recommended method.',
		serverText: serverText ?? (code ? `ResponseCode ${code}` : undefined),
	};
}

/** Reads the session token from a successful /auth envelope: `Result.Token`, falling back to `Result.ApiToken`. */
export function vsaTokenFromAuth(bodyText: string): string | undefined {
	try {
		const envelope = JSON.parse(bodyText) as AuthEnvelope;
		if (Number(envelope.ResponseCode ?? 0) !== 0) return undefined;
		const token = envelope.Result?.Token ?? envelope.Result?.ApiToken;
		return token === undefined || token === null || token === '' ? undefined : String(token);
	} catch {
		return undefined;
	}
}

/**
 * GET /api/v1.0/auth with a PAT or a challenge hash; returns the session token. Evidence: KAT
 * VSAModule/private/Update-VSAConnection.ps1 (Basic base64(user:PAT)), AE functions/New-KaseyaApiAccessToken.ps1
 * and https://help.kaseya.com/webhelp/EN/RESTAPI/9050000/37320.htm (challenge hash).
 */
export async function vsaLogin(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<string> {
	const root = vsaServerRoot(credentials.baseUrl);
	const authMethod = String(credentials.authMethod ?? 'personalAccessToken');
	const username = String(credentials.username ?? '').trim();
	const secret = String((authMethod === 'password' ? credentials.password : credentials.personalAccessToken) ?? '');
	if (!/^https?:\/\/[^/]+/i.test(root)) {
		throw new LoginError({
			message: 'Kaseya VSA login failed: the Server URL is missing or invalid',
			description: 'Enter the VSA server address in the credential, e.g. https://vsa.example.com (with :port if needed).',
		});
	}
	if (!username || !secret) {
		throw new LoginError({
			message: `Kaseya VSA login failed: the username or ${authMethod === 'password' ? 'password' : 'Personal Access Token'} is empty`,
			description: 'Fill in both fields of the credential.',
		});
	}
	const authorization = vsaAuthHeader(authMethod === 'password' ? 'password' : 'personalAccessToken', username, secret);
	let response: IN8nHttpFullResponse;
	try {
		response = (await helper.helpers.httpRequest({
			method: 'GET',
			url: `${root}${VSA_API_BASE}/auth`,
			headers: { Authorization: authorization, Accept: 'application/json' },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			encoding: 'arraybuffer',
			json: false,
			timeout: 30_000,
			disableFollowRedirect: true,
			skipSslCertificateValidation: credentials.allowUnauthorizedCerts === true,
		})) as IN8nHttpFullResponse;
	} catch (error) {
		throw connectionLoginError('Kaseya VSA', root, error);
	}
	const text = responseText(response.body);
	const token = response.statusCode === 200 ? vsaTokenFromAuth(text) : undefined;
	if (token) return token;
	// The failure quotes the server; a server or proxy that echoes the request must not show the secret.
	const failure = describeVsaLoginFailure(response.statusCode, redact(text, authorizationSecrets(authorization, secret)), authMethod);
	throw new LoginError({ ...failure, httpCode: String(response.statusCode) });
}

/** The header, its Base64 blob, the decoded text and each value in it (PAT, pass1/pass2/rpass1/rpass2). */
export function authorizationSecrets(authorization: string, secret: string): string[] {
	const blob = authorization.replace(/^\w+\s+/, '');
	const decoded = Buffer.from(blob, 'base64').toString('utf8');
	const values = decoded.split(/[,:]/).map((part) => part.slice(part.indexOf('=') + 1));
	// Longest first, so a value inside a longer one is not half-removed.
	return [authorization, blob, decoded, secret, ...values.slice(1)].filter((v) => v.length >= 8).sort((a, b) => b.length - a.length);
}

/** Shared by both credentials; kept exported here for existing imports. */
export { connectionLoginError } from './loginError';
