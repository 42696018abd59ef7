import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';

import { LoginError, quoteServerText, redact, responseText } from './loginError';
import type { ConfiguredGrant, FailureWording, OAuth2Tokens } from './oauth2Grant';
import { oauth2Login, parseJsonObject, passwordGrantFields, sendLoginRequest, tokenBinding } from './oauth2Grant';
import { serverRoot } from './serverRoot';

/**
 * Login of the Veeam Service Provider Console credential (REST API v3, VSPC 7.x–9.x): the shared grant
 * engine with VSPC's settings (password grant and single-use-safe refresh at POST /api/v3/token, form
 * encoded, MFA refusal), or an API key sent as the bearer value itself.
 *
 * Evidence:
 * - token request and answers: Cenvora/veeam-spc veeam_spc/v3_6_1/api/authentication/o_auth_2_issue_token.py
 *   (POST /token, application/x-www-form-urlencoded, 200 OAuth2Result / 400 OAuth2Error),
 *   models/o_auth_2_issue_token_body.py, o_auth_2_result.py (access_token, refresh_token, mfa_token, expires_in);
 *   https://helpcenter.veeam.com/docs/vac/rest/authorization_example_v3.html (refresh returns "a new pair of tokens").
 * - API key as bearer: https://helpcenter.veeam.com/docs/vac/rest/api_keys.html ("use the API key instead of the
 *   access token"); christaylorcodes/VeeamSPC VeeamSPC/Public/Helpers/Connect-VeeamSPC.ps1 (Bearer key, port 1280,
 *   X-Client-Version, validated with GET /about).
 */
export const VSPC_PRODUCT = 'Veeam Service Provider Console';

export const VSPC_API_BASE = '/api/v3';
export const VSPC_TOKEN_PATH = '/api/v3/token';
/** The credential test and the API-key check: GET /about needs a token or key (Connect-VeeamSPC.ps1 → Get-VeeamSPCAbout). */
export const VSPC_ABOUT_PATH = '/api/v3/about';

/**
 * `X-Client-Version` on every request (https://helpcenter.veeam.com/docs/vac/rest/back_comp.html: "specify it in
 * the x-client-version header of each request"; the server then answers `Unknown` for enum values newer than the
 * client). 3.5.1 is the REST version of VSPC 8.1 and the oldest one the 9.1 reference still lists as supported, so
 * one value serves 8.1, 9.0 and 9.1; every field and path the package uses exists in 3.5.1
 * (Cenvora/veeam-spc veeam_spc/v3_5_1). What a server does with a version it does not know is UNSEEN.
 */
export const VSPC_CLIENT_VERSION = '3.5.1';

export type VspcAuthMethod = 'password' | 'apiKey';

/** What the hidden `accessToken` holds in API-key mode: a marker, never the key (the key is sent from its own field). */
export const VSPC_API_KEY_MARKER = 'apiKey';

export interface VspcLoginSettings {
	root: string;
	authMethod: VspcAuthMethod;
	username: string;
	password: string;
	apiKey: string;
	refreshToken: string;
	allowUnauthorizedCerts: boolean;
}

/** Scheme, host and port, tolerating a trailing slash and a pasted `/api/v3`, `/api/v3/token`, `/api` or `/token`. */
export function vspcServerRoot(baseUrl: unknown): string {
	return serverRoot(baseUrl, VSPC_API_SUFFIX);
}

export const VSPC_API_SUFFIX = /\/(api\/v3\/token|api\/v3|api|token)$/i;

export function readVspcSettings(credentials: ICredentialDataDecryptedObject): VspcLoginSettings {
	return {
		root: vspcServerRoot(credentials.baseUrl),
		authMethod: credentials.authMethod === 'apiKey' ? 'apiKey' : 'password',
		username: String(credentials.username ?? '').trim(),
		password: String(credentials.password ?? ''),
		apiKey: String(credentials.apiKey ?? '').trim(),
		refreshToken: String(credentials.refreshToken ?? ''),
		allowUnauthorizedCerts: credentials.allowUnauthorizedCerts === true,
	};
}

/** The binding of stored tokens: raw Server URL, method and user. `authenticate` sends a token only while it holds. */
export function vspcTokenIdentity(credentials: ICredentialDataDecryptedObject): string {
	const account = credentials.authMethod === 'apiKey' ? '' : credentials.username;
	return tokenBinding([credentials.baseUrl, credentials.authMethod, account]);
}

/** The bearer value `authenticate` sends: the API key itself, or the access token while its binding holds. */
export function vspcBearer(credentials: ICredentialDataDecryptedObject): string {
	if (credentials.authMethod === 'apiKey') return String(credentials.apiKey ?? '').trim();
	return credentials.tokenIdentity === vspcTokenIdentity(credentials) ? String(credentials.accessToken ?? '') : '';
}

const ROLE_ADVICE =
	'The REST API accepts Portal Administrators, Company Owners and Company Administrators, and Service Provider Global Administrators and Administrators; a company user also needs REST access enabled for the company by its provider.';

const URL_ADVICE =
	'The Server URL must be the VSPC Web UI server with its REST API port (1280 unless changed at installation), e.g. https://vspc.example.com:1280. The old VAC v2 API on port 1281 is not supported.';

export const VSPC_MFA_REFUSAL = {
	field: 'mfa_token',
	message: `${VSPC_PRODUCT} login failed: the account requires multi-factor authentication`,
	description:
		'n8n cannot answer an MFA prompt, and a VSPC user with MFA enabled cannot use the REST API with a user name and password. Create an API key for the user (Configuration › Security › API Keys, Simple Key) and switch Authentication to API Key.',
};

/**
 * Names the likely cause of a refused token request, quoting the server. Pure, so every branch is
 * unit-tested. Wrong credentials answer 400 `invalid_request` with "Cannot complete login due to
 * incorrect username or password, or no sufficient rights." (the OAuth2Error example of the vendor OpenAPI, in
 * Cenvora/veeam-spc veeam_spc/v3_6_1/models/o_auth_2_error.py). Never receives a secret.
 */
export function describeVspcLoginFailure(input: { status: number; bodyText: string; grant?: ConfiguredGrant; host?: string; request?: string }): FailureWording {
	const { status, bodyText } = input;
	const request = input.request ?? `POST ${VSPC_TOKEN_PATH}`;
	const json = parseJsonObject(bodyText);
	const oauthError = typeof json?.error === 'string' ? json.error : undefined;
	const oauthText = typeof json?.error_description === 'string' ? json.error_description : undefined;
	const envelopeText = firstErrorMessage(json);
	const serverText = oauthError ? [oauthError, oauthText].filter(Boolean).join(': ') : (envelopeText ?? quoteServerText(bodyText));
	const where = input.host ? ` at ${input.host}` : '';
	const prefix = `${VSPC_PRODUCT} login failed`;

	if (status === 404 || status === 405) {
		return { message: `${prefix}: no VSPC REST API v3${where} (${request} answered HTTP ${status})`, description: URL_ADVICE, serverText };
	}
	if (status === 429) {
		return {
			message: `${prefix}: the server is throttling requests (HTTP 429)`,
			description: 'VSPC limits how many requests a user and an address may send. Try again in a minute; if it persists, ask the provider to review the Throttling settings of the VSPC Web UI.',
			serverText,
		};
	}
	if (status >= 500) {
		return {
			message: `${prefix}: the server had an internal error during login (HTTP ${status})`,
			description: 'VSPC answers every server-side failure as HTTP 520, and 504 when the REST layer cannot reach the VSPC service. Try again; if it persists, check that the VSPC services are running.',
			serverText,
		};
	}
	if (!json || (!oauthError && !envelopeText)) {
		return {
			message: `${prefix}: the server${where} did not answer like a VSPC server (HTTP ${status})`,
			description: `${request} returned ${json ? 'JSON that is not a VSPC answer' : 'something that is not JSON (for example a web page)'}. ${URL_ADVICE}`,
			serverText,
		};
	}
	const text = `${oauthError ?? ''} ${oauthText ?? ''} ${envelopeText ?? ''}`.toLowerCase();
	if (/\bmfa\b|multi-factor|two-factor|totp/.test(text)) {
		return { message: VSPC_MFA_REFUSAL.message, description: VSPC_MFA_REFUSAL.description, serverText };
	}
	return {
		message: `${prefix}: wrong user name or password, or the user may not use the REST API`,
		description: `Check the user name and password in the credential (a local account may need the machine or domain name, e.g. VSPC\\administrator). ${ROLE_ADVICE}`,
		serverText,
	};
}

function firstErrorMessage(json: IDataObject | undefined): string | undefined {
	const errors = json?.errors;
	if (!Array.isArray(errors) || errors.length === 0) return undefined;
	const first = errors[0] as IDataObject;
	return typeof first?.message === 'string' ? first.message : undefined;
}

function hostOf(root: string): string {
	try {
		return new URL(root).host;
	} catch {
		return root;
	}
}

/** Refuses settings that cannot work before any request is sent. */
export function validateVspcSettings(s: VspcLoginSettings): LoginError | undefined {
	if (!/^https?:\/\/[^/]+/i.test(s.root)) {
		return new LoginError({
			message: `${VSPC_PRODUCT} login failed: the Server URL is missing or invalid`,
			description: 'Enter the VSPC server address with its REST API port, e.g. https://vspc.example.com:1280.',
		});
	}
	if (s.authMethod === 'apiKey') {
		if (!s.apiKey) {
			return new LoginError({
				message: `${VSPC_PRODUCT} login failed: the API key is empty`,
				description: 'Paste the key shown once when it was created (Configuration › Security › API Keys), or switch Authentication to User Name and Password.',
			});
		}
		return undefined;
	}
	if (!s.username || !s.password) {
		return new LoginError({
			message: `${VSPC_PRODUCT} login failed: the user name or password is empty`,
			description: 'Fill in both fields of the credential, or switch Authentication to API Key.',
		});
	}
	return undefined;
}

const clientHeaders = { 'X-Client-Version': VSPC_CLIENT_VERSION };

/**
 * API-key mode: no token exists, so the key is checked once with GET /about (how Connect-VeeamSPC.ps1 validates a
 * key) and the hidden `accessToken` holds a marker, not the key. A refused key gets a clear message here instead of
 * an anonymous 401 later.
 */
async function checkApiKey(helper: IHttpRequestHelper, s: VspcLoginSettings, binding: string): Promise<OAuth2Tokens> {
	const response = await sendLoginRequest(
		helper,
		{ product: VSPC_PRODUCT, root: s.root, allowUnauthorizedCerts: s.allowUnauthorizedCerts },
		{ method: 'GET', url: `${s.root}${VSPC_ABOUT_PATH}`, headers: { Accept: 'application/json', Authorization: `Bearer ${s.apiKey}`, ...clientHeaders } },
	);
	const text = redact(responseText(response.body), [s.apiKey]);
	const json = parseJsonObject(text);
	// Only VSPC's envelope with its `data` object counts (CSPC veeam_spc/v3_6_1/api/about/get_about_information.py):
	// a 200 web page from a proxy or a wrong URL is not a valid key.
	const data = json?.data;
	if (response.statusCode === 200 && data !== null && typeof data === 'object' && !Array.isArray(data)) {
		return { accessToken: VSPC_API_KEY_MARKER, refreshToken: '', tokenIdentity: binding };
	}
	const serverText = firstErrorMessage(json) ?? quoteServerText(text);
	if (response.statusCode === 401 || response.statusCode === 403) {
		throw new LoginError({
			message: `${VSPC_PRODUCT} login failed: the API key was refused (HTTP ${response.statusCode})`,
			description:
				'Check that the key was copied whole. A key stops working when its user identity is disabled or deleted, or when the provider disables REST access for the company. Create a new key (Configuration › Security › API Keys) if needed.',
			serverText,
			httpCode: String(response.statusCode),
		});
	}
	const failure = describeVspcLoginFailure({ status: response.statusCode, bodyText: text, host: hostOf(s.root), request: `GET ${VSPC_ABOUT_PATH}` });
	throw new LoginError({
		message: redact(failure.message, [s.apiKey]),
		description: redact(failure.description, [s.apiKey]),
		serverText,
		httpCode: String(response.statusCode),
	});
}

/** preAuthentication of the VSPC credential. Throws LoginError with a secret-free message. */
export async function vspcLogin(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<OAuth2Tokens> {
	const s = readVspcSettings(credentials);
	const invalid = validateVspcSettings(s);
	if (invalid) throw invalid;
	const binding = vspcTokenIdentity(credentials);
	if (s.authMethod === 'apiKey') return await checkApiKey(helper, s, binding);

	return await oauth2Login(helper, {
		product: VSPC_PRODUCT,
		root: s.root,
		tokenUrl: `${s.root}${VSPC_TOKEN_PATH}`,
		encoding: 'form',
		headers: clientHeaders,
		allowUnauthorizedCerts: s.allowUnauthorizedCerts,
		grant: 'password',
		grantFields: passwordGrantFields(s.username, s.password),
		binding,
		storedBinding: credentials.tokenIdentity,
		storedRefreshToken: s.refreshToken,
		secrets: [s.password, s.apiKey],
		mfa: VSPC_MFA_REFUSAL,
		describeFailure: ({ status, bodyText, grant }) => describeVspcLoginFailure({ status, bodyText, grant, host: hostOf(s.root) }),
	});
}
