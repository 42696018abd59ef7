import type { IDataObject, IHttpRequestHelper, IN8nHttpFullResponse } from 'n8n-workflow';

import { connectionLoginError, LoginError, redact, responseText } from './loginError';

/**
 * The OAuth2 token engine every product credential shares (RFC 6749 §4.3 password grant, §6 refresh
 * grant, §4.4 client credentials). It knows no product: the product supplies its token URL, body
 * encoding, extra headers, the body of its configured grant, the wording of its failures and,
 * optionally, how its server asks for a second factor. The engine owns the order of the grants,
 * single-use refresh tokens (always keep the newest one) and the token's binding to server + account.
 */
export type ConfiguredGrant = 'password' | 'clientCredentials';
export type GrantKind = ConfiguredGrant | 'refresh';

/** What preAuthentication returns: every key is a hidden property of the credential, so n8n persists it. */
export interface OAuth2Tokens {
	accessToken: string;
	refreshToken: string;
	/** The binding (server, account, …) the tokens were issued for; see tokenBinding. */
	tokenIdentity: string;
}

export interface TokenResponse {
	accessToken: string;
	refreshToken?: string;
	expiresIn?: number;
}

/** Body fields of the standard grants (RFC 6749 §4.3.2, §6, §4.4.2); a product may add its own. */
export function passwordGrantFields(username: string, password: string): Record<string, string> {
	return { grant_type: 'password', username, password };
}

export function refreshGrantFields(refreshToken: string): Record<string, string> {
	return { grant_type: 'refresh_token', refresh_token: refreshToken };
}

export function clientCredentialsGrantFields(clientId: string, clientSecret: string): Record<string, string> {
	return { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret };
}

/**
 * Who stored tokens belong to, as one string: the parts a product names (raw server URL, account,
 * version…). A token is sent, and a refresh token traded, only while the binding is unchanged, so an
 * edited credential (another server, another user) never sends a token where it was not issued.
 * `join` turns undefined/null into '' — identities stored before this engine existed stay equal.
 */
export function tokenBinding(parts: unknown[]): string {
	return parts.join('|');
}

/** Reads `{access_token, token_type, expires_in, refresh_token}`; undefined when it is not one. */
export function parseTokenResponse(text: string): TokenResponse | undefined {
	const body = parseJsonObject(text);
	if (!body || typeof body.access_token !== 'string' || body.access_token === '') return undefined;
	const refresh = typeof body.refresh_token === 'string' && body.refresh_token !== '' ? body.refresh_token : undefined;
	const expiresIn = Number(body.expires_in);
	return { accessToken: body.access_token, refreshToken: refresh, expiresIn: Number.isFinite(expiresIn) ? expiresIn : undefined };
}

/**
 * The tokens to store after a successful grant. A refresh response without a refresh token keeps the
 * old one (the server did not rotate it); a client-credentials response has none (log in again).
 */
export function tokensAfterGrant(grant: GrantKind, response: TokenResponse, previousRefreshToken: string, tokenIdentity: string): OAuth2Tokens {
	const refreshToken = response.refreshToken ?? (grant === 'refresh' ? previousRefreshToken : '');
	return { accessToken: response.accessToken, refreshToken, tokenIdentity };
}

export function parseJsonObject(text: string): IDataObject | undefined {
	try {
		const parsed = JSON.parse(text) as unknown;
		return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as IDataObject) : undefined;
	} catch {
		return undefined;
	}
}

export interface FailureWording {
	message: string;
	description: string;
	serverText?: string;
}

export interface OAuth2LoginRequest {
	/** Product name for connection failures ("<product> login failed: …"). */
	product: string;
	/** Scheme, host and port of the server (for connection failures). */
	root: string;
	tokenUrl: string;
	/** How the token body is encoded. */
	encoding: 'form' | 'json';
	/** Extra request headers the product's token endpoint wants (e.g. an API version header). */
	headers?: Record<string, string>;
	allowUnauthorizedCerts: boolean;
	/** The grant the credential is configured for, and its body fields. */
	grant: ConfiguredGrant;
	grantFields: Record<string, string>;
	/** Body of the refresh grant; standard fields when omitted. */
	refreshFields?: (refreshToken: string) => Record<string, string>;
	/** Binding of the current settings (tokenBinding) and the binding stored with the tokens. */
	binding: string;
	storedBinding: unknown;
	storedRefreshToken: string;
	/** Values that must never appear in an error (password, secrets, tokens). */
	secrets: Array<string | undefined>;
	/**
	 * Optional MFA refusal: when a 200 answer carries no access token but a non-empty `field`
	 * (the server asks for a second factor), the login fails with this wording.
	 */
	mfa?: { field: string; message: string; description: string };
	/** Product wording of a refused token request; receives the body with secrets already removed. */
	describeFailure(failure: { status: number; bodyText: string; grant: ConfiguredGrant }): FailureWording;
	timeoutMs?: number;
}

function encodeBody(encoding: OAuth2LoginRequest['encoding'], fields: Record<string, string>): { body: string; contentType: string } {
	if (encoding === 'json') return { body: JSON.stringify(fields), contentType: 'application/json' };
	return { body: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded' };
}

/**
 * One request of a login step (token grant, key check): full response whatever the status, no redirects (they
 * would carry credentials elsewhere), the credential's TLS choice; a request that gets no answer becomes the
 * product's connection LoginError.
 */
export async function sendLoginRequest(
	helper: IHttpRequestHelper,
	login: { product: string; root: string; allowUnauthorizedCerts: boolean; timeoutMs?: number },
	request: { method: 'GET' | 'POST'; url: string; headers: Record<string, string>; body?: string },
): Promise<IN8nHttpFullResponse> {
	try {
		return (await helper.helpers.httpRequest({
			method: request.method,
			url: request.url,
			body: request.body,
			headers: request.headers,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			encoding: 'arraybuffer',
			json: false,
			timeout: login.timeoutMs ?? 30_000,
			disableFollowRedirect: true,
			skipSslCertificateValidation: login.allowUnauthorizedCerts,
		})) as IN8nHttpFullResponse;
	} catch (error) {
		throw connectionLoginError(login.product, login.root, error);
	}
}

async function postToken(helper: IHttpRequestHelper, req: OAuth2LoginRequest, fields: Record<string, string>): Promise<IN8nHttpFullResponse> {
	const { body, contentType } = encodeBody(req.encoding, fields);
	const headers = { 'Content-Type': contentType, Accept: 'application/json', ...(req.headers ?? {}) };
	return await sendLoginRequest(helper, req, { method: 'POST', url: req.tokenUrl, headers, body });
}

/**
 * preAuthentication of a token credential: a stored refresh token is traded first (refresh grant),
 * but only under the binding it was issued for; when that fails — expired, already used, revoked by
 * another session, unreachable — the configured grant runs. The newest refresh token is always the
 * one stored, so single-use refresh tokens work. Throws LoginError with a secret-free message.
 */
export async function oauth2Login(helper: IHttpRequestHelper, req: OAuth2LoginRequest): Promise<OAuth2Tokens> {
	const refreshBody = req.refreshFields ?? refreshGrantFields;
	if (req.storedRefreshToken && req.storedBinding === req.binding) {
		const response = await postToken(helper, req, refreshBody(req.storedRefreshToken)).catch(() => undefined);
		const parsed = response && response.statusCode === 200 ? parseTokenResponse(responseText(response.body)) : undefined;
		if (parsed) return tokensAfterGrant('refresh', parsed, req.storedRefreshToken, req.binding);
	}

	const response = await postToken(helper, req, req.grantFields);
	const text = responseText(response.body);
	const parsed = response.statusCode === 200 ? parseTokenResponse(text) : undefined;
	if (parsed) return tokensAfterGrant(req.grant, parsed, '', req.binding);

	const secrets = [...req.secrets, req.storedRefreshToken];
	if (response.statusCode === 200 && req.mfa) {
		const value = parseJsonObject(text)?.[req.mfa.field];
		if (typeof value === 'string' && value !== '') {
			throw new LoginError({ message: req.mfa.message, description: req.mfa.description, httpCode: '200' });
		}
	}
	// Redact the server's body before it is shortened for quoting, so a secret cut in half cannot survive.
	const failure = req.describeFailure({ status: response.statusCode, bodyText: redact(text, secrets), grant: req.grant });
	throw new LoginError({
		message: redact(failure.message, secrets),
		description: redact(failure.description, secrets),
		serverText: failure.serverText === undefined ? undefined : redact(failure.serverText, secrets),
		httpCode: String(response.statusCode),
	});
}

/** The stored state after a logout: no tokens, so the next use logs in with the configured grant. */
export function clearedTokens(): OAuth2Tokens {
	return { accessToken: '', refreshToken: '', tokenIdentity: '' };
}
