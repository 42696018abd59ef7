import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';

import { LoginError, quoteServerText } from './loginError';
import type { OAuth2Tokens } from './oauth2Grant';
import { clientCredentialsGrantFields, oauth2Login, passwordGrantFields, refreshGrantFields, tokenBinding } from './oauth2Grant';
import type { VroApiVersion } from './vroVersions';
import {
	DEFAULT_VRO_API_VERSION,
	isVroApiVersion,
	requiredRoles,
	requiresDomainUser,
	supportsClientCredentials,
	usualPort,
	VRO_API_VERSIONS,
	vroServerRoot,
	vroTokenPath,
} from './vroVersions';

/**
 * OAuth2 login of the Veeam Orchestrator credential (token pages: archive/vao/10/restapi/authorization.html, archive/vao/30/restapi/authorization_example.html,
 * docs/vro/rest/authorization.html on helpcenter.veeam.com): password grant, refresh grant and
 * client-credentials grant, form-urlencoded, on the token path of the API version. Pure parts (bodies,
 * response parsing, failure wording) are exported for unit tests; `vroLogin` runs the shared grant engine (oauth2Grant.ts) with these settings.
 */
export type VroAuthMethod = 'password' | 'clientCredentials';

export const VRO_PRODUCT = 'Veeam Orchestrator';

/** What preAuthentication returns (tokenIdentity: server, version and account, see vroTokenIdentity). */
export type VroTokens = OAuth2Tokens;
export { clearedTokens, parseTokenResponse, tokensAfterGrant, type TokenResponse } from './oauth2Grant';

/**
 * Who the stored tokens belong to: the raw Server URL, API version, method and user or client ID.
 * The credential sends the access token, and uses the refresh token, only while these are unchanged,
 * so editing the credential (another server, another user) never sends a token where it was not
 * issued. `authenticate` computes the same string as an n8n expression: keep the two in step.
 */
export function vroTokenIdentity(credentials: ICredentialDataDecryptedObject): string {
	const account = credentials.authMethod === 'clientCredentials' ? credentials.clientId : credentials.username;
	return tokenBinding([credentials.baseUrl, credentials.apiVersion, credentials.authMethod, account]);
}

/** Marker a node puts in `credentialsDecrypted` to make preAuthentication store empty tokens (logout). */
export const VRO_CLEAR_TOKENS_MARKER = 'vroClearStoredTokens';

export interface VroLoginSettings {
	root: string;
	version: VroApiVersion;
	authMethod: VroAuthMethod;
	username: string;
	password: string;
	clientId: string;
	clientSecret: string;
	refreshToken: string;
	allowUnauthorizedCerts: boolean;
}

export function readVroSettings(credentials: ICredentialDataDecryptedObject): VroLoginSettings {
	const version = isVroApiVersion(credentials.apiVersion) ? credentials.apiVersion : DEFAULT_VRO_API_VERSION;
	return {
		root: vroServerRoot(credentials.baseUrl),
		version,
		authMethod: credentials.authMethod === 'clientCredentials' ? 'clientCredentials' : 'password',
		username: String(credentials.username ?? '').trim(),
		password: String(credentials.password ?? ''),
		clientId: String(credentials.clientId ?? '').trim(),
		clientSecret: String(credentials.clientSecret ?? ''),
		refreshToken: String(credentials.refreshToken ?? ''),
		allowUnauthorizedCerts: credentials.allowUnauthorizedCerts === true,
	};
}

/**
 * `grant_type=password`. VAO 1.0's Swagger marks `refresh_token` as required on every token call and
 * PowerVAO sends it empty with the password grant (PV `RESTful API Tools/Swagger_VAO-APIv1.json`, functions/New-VaoApiConnection.psm1), so v1 gets an empty one too.
 */
export function passwordGrantBody(version: VroApiVersion, username: string, password: string): URLSearchParams {
	const body = new URLSearchParams(passwordGrantFields(username, password));
	if (version === 'v1') body.set('refresh_token', '');
	return body;
}

export function refreshGrantBody(refreshToken: string): URLSearchParams {
	return new URLSearchParams(refreshGrantFields(refreshToken));
}

export function clientCredentialsGrantBody(clientId: string, clientSecret: string): URLSearchParams {
	return new URLSearchParams(clientCredentialsGrantFields(clientId, clientSecret));
}

export interface LoginFailureInput {
	status: number;
	bodyText: string;
	version: VroApiVersion;
	grant: 'password' | 'clientCredentials';
	username?: string;
	host?: string;
}

const VERSION_ADVICE =
	'Check "API Version" in the credential against the server: VAO 1.0 → v1, VAO 2.0 → v2, VAO 3.0/4.0 → v3/v4, Disaster Recovery Orchestrator 5/6 → v5/v6, Recovery Orchestrator 7.x → v7 to v7.21, Recovery Orchestrator 13 → v13/v13.1.';

function portAdvice(version: VroApiVersion): string {
	return `The Server URL must use the REST port: 9899 for VAO 1.0/2.0 (v1, v2), 9898 from VAO 3.0 on (this version: ${usualPort(version)}).`;
}

/**
 * Names the likely cause of a failed token call for a technician, quoting the server's own text.
 * Pure, so every branch is unit-tested. Never receives a secret.
 */
export function describeVroLoginFailure(input: LoginFailureInput): { message: string; description: string; serverText?: string } {
	const { status, bodyText, version, grant } = input;
	const tokenPath = vroTokenPath(version);
	let json: IDataObject | undefined;
	try {
		const parsed = JSON.parse(bodyText) as unknown;
		if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as IDataObject;
	} catch {
		json = undefined;
	}
	const oauthError = typeof json?.error === 'string' ? json.error : undefined;
	const oauthText = typeof json?.error_description === 'string' ? json.error_description : undefined;
	const webApiText = [json?.Message, json?.message, json?.error_description].find((x): x is string => typeof x === 'string');
	const serverText = oauthError ? [oauthError, oauthText].filter(Boolean).join(': ') : json ? (webApiText ?? quoteServerText(bodyText)) : quoteServerText(bodyText);
	const where = input.host ? ` at ${input.host}` : '';
	const prefix = `${VRO_PRODUCT} login failed`;

	if (status === 404 || status === 405 || (oauthError === 'unsupported_grant_type' && grant === 'password')) {
		return {
			message: `${prefix}: no ${version} token endpoint${where} (POST ${tokenPath} answered HTTP ${status})`,
			description: `API ${version} logs in at ${tokenPath}. ${VERSION_ADVICE} ${portAdvice(version)}`,
			serverText,
		};
	}
	if (status >= 500) {
		return {
			message: `${prefix}: the server had an internal error during login (HTTP ${status})`,
			description: 'The Orchestrator server could not process the token request. Try again; if it persists, check that the Orchestrator services are running and look at the server logs.',
			serverText,
		};
	}
	if (!json || (!oauthError && status !== 401 && status !== 403)) {
		return {
			message: `${prefix}: the server${where} did not answer like a Veeam Orchestrator token endpoint (HTTP ${status})`,
			description: `POST ${tokenPath} returned ${json ? 'JSON without an access token' : 'something that is not JSON (for example a web page)'}. Check that the Server URL points at the Orchestrator server itself (not a proxy, login portal or another Veeam product). ${VERSION_ADVICE} ${portAdvice(version)}`,
			serverText,
		};
	}
	if (grant === 'clientCredentials') {
		if (oauthError === 'unsupported_grant_type') {
			return {
				message: `${prefix}: this server does not accept client credentials on API ${version}`,
				description: 'Client accounts exist from VAO 2.0 (v2). Check the API version, or switch the credential to User Name and Password.',
				serverText,
			};
		}
		return {
			message: `${prefix}: wrong client ID or client secret`,
			description:
				'Check both values. A client secret is shown only once, when the client account is created (Client Account → Create); if it is lost, create a new client account. A deleted client account, or one whose owner lost its Orchestrator role, is refused the same way.',
			serverText,
		};
	}
	const text = `${oauthError ?? ''} ${oauthText ?? ''} ${webApiText ?? ''}`.toLowerCase();
	if (/\bmfa\b|multi-factor|two-factor/.test(text)) {
		return {
			message: `${prefix}: the account requires multi-factor authentication`,
			description: 'n8n cannot answer an MFA prompt. Use a dedicated service account without MFA, or a client account (Authentication: Client Credentials).',
			serverText,
		};
	}
	if (/role|permission|rights|not allowed|access to the|forbidden/.test(text) || status === 403) {
		return {
			message: `${prefix}: the user has no Orchestrator role that may use the REST API`,
			description: `API ${version} accepts users with the ${requiredRoles(version)} role. Assign the role in the Orchestrator UI, or use another account.`,
			serverText,
		};
	}
	const username = input.username ?? '';
	const domainHint =
		requiresDomainUser(version) && username && !username.includes('\\')
			? ` API ${version} requires the user name as DOMAIN\\USERNAME, and "${username}" has no domain part.`
			: ' Enter the user name as DOMAIN\\USERNAME (Recovery Orchestrator 7 and later also accept USERNAME).';
	return {
		message: `${prefix}: wrong user name or password`,
		description: `Check the user name and password in the credential.${domainHint} A locked, expired or disabled Windows account is refused the same way.`,
		serverText,
	};
}

function hostOf(root: string): string {
	try {
		return new URL(root).host;
	} catch {
		return root;
	}
}

/** Refuses settings that cannot work before any request is sent. */
export function validateVroSettings(s: VroLoginSettings): LoginError | undefined {
	if (!/^https?:\/\/[^/]+/i.test(s.root)) {
		return new LoginError({
			message: `${VRO_PRODUCT} login failed: the Server URL is missing or invalid`,
			description: 'Enter the Orchestrator server address with its REST port, e.g. https://vro.example.com:9898 (VAO 1.0/2.0: port 9899).',
		});
	}
	if (s.authMethod === 'clientCredentials') {
		if (!supportsClientCredentials(s.version)) {
			const later = VRO_API_VERSIONS.filter(supportsClientCredentials);
			return new LoginError({
				message: `${VRO_PRODUCT} login failed: API ${s.version} (VAO 1.0) has no client credentials`,
				description: `VAO 1.0 accepts only a user name and password. Client accounts exist from VAO 2.0 (API ${later[0]} to ${later[later.length - 1]}). Switch Authentication to User Name and Password, or pick the API version of your server.`,
			});
		}
		if (!s.clientId || !s.clientSecret) {
			return new LoginError({
				message: `${VRO_PRODUCT} login failed: the client ID or client secret is empty`,
				description: 'Fill in both fields of the credential, or switch Authentication to User Name and Password.',
			});
		}
		return undefined;
	}
	if (!s.username || !s.password) {
		return new LoginError({
			message: `${VRO_PRODUCT} login failed: the user name or password is empty`,
			description: 'Fill in both fields of the credential (user name as DOMAIN\\USERNAME).',
		});
	}
	return undefined;
}

/**
 * preAuthentication: the shared grant engine with the Orchestrator's settings. A stored refresh token
 * is traded first (only under the server, version and account it was issued for); when that fails —
 * expired, already used, or invalidated by another session — the configured grant runs (password or
 * client credentials). Throws LoginError with a secret-free message.
 */
export async function vroLogin(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<VroTokens> {
	const s = readVroSettings(credentials);
	const invalid = validateVroSettings(s);
	if (invalid) throw invalid;

	const grant = s.authMethod === 'clientCredentials' ? 'clientCredentials' : 'password';
	const body = grant === 'clientCredentials' ? clientCredentialsGrantBody(s.clientId, s.clientSecret) : passwordGrantBody(s.version, s.username, s.password);
	return await oauth2Login(helper, {
		product: VRO_PRODUCT,
		root: s.root,
		tokenUrl: `${s.root}${vroTokenPath(s.version)}`,
		encoding: 'form',
		allowUnauthorizedCerts: s.allowUnauthorizedCerts,
		grant,
		grantFields: Object.fromEntries(body),
		binding: vroTokenIdentity(credentials),
		storedBinding: credentials.tokenIdentity,
		storedRefreshToken: s.refreshToken,
		secrets: [s.password, s.clientSecret],
		describeFailure: ({ status, bodyText }) =>
			describeVroLoginFailure({ status, bodyText, version: s.version, grant, username: s.username, host: hostOf(s.root) }),
	});
}
