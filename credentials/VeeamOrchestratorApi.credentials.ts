import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { allowUnauthorizedCertsField } from './shared/fields';
import { clearedTokens, VRO_CLEAR_TOKENS_MARKER, vroLogin, vroTokenIdentity } from './shared/vroLogin';
import { DEFAULT_VRO_API_VERSION, VRO_API_SUFFIX, VRO_API_VERSIONS, VRO_VERSION_LABELS } from './shared/vroVersions';
import { serverRootExpression } from './shared/serverRoot';

/**
 * Veeam Availability / Recovery Orchestrator REST API (VAO 1.0 … VRO 13.1): OAuth2 password grant
 * (or client credentials from v2) on the version's token path, `Authorization: Bearer` afterwards.
 * The access token is the hidden expirable field, so n8n runs preAuthentication when it is empty or
 * rejected and persists what it returns; preAuthentication tries the stored refresh token first.
 */
export class VeeamOrchestratorApi implements ICredentialType {
	name = 'veeamOrchestratorApi';

	displayName = 'Veeam Orchestrator (VAO / VRO) API';

	icon = { light: 'file:../icons/veeam.svg', dark: 'file:../icons/veeam.dark.svg' } as const;

	documentationUrl = 'https://helpcenter.veeam.com/docs/vro/rest/authorization.html';

	properties: INodeProperties[] = [
		{
			displayName: 'Server URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://vro.example.com:9898',
			required: true,
			description: 'Scheme, host and REST port of the Orchestrator server: 9898 from VAO 3.0 on, 9899 for VAO 1.0/2.0',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'options',
			options: VRO_API_VERSIONS.map((v) => ({ name: VRO_VERSION_LABELS[v], value: v })),
			default: DEFAULT_VRO_API_VERSION,
			description: 'REST API version of the server. A server also serves some earlier versions (VRO 7.2.1: v7.1 to v7.21).',
		},
		{
			displayName: 'Authentication',
			name: 'authMethod',
			type: 'options',
			options: [
				{ name: 'User Name and Password', value: 'password', description: 'OAuth2 password grant with refresh tokens' },
				{ name: 'Client Credentials', value: 'clientCredentials', description: 'A client account created by a user (API v2 and later)' },
			],
			default: 'password',
		},
		{
			displayName: 'User Name',
			name: 'username',
			type: 'string',
			default: '',
			placeholder: 'DOMAIN\\user',
			displayOptions: { show: { authMethod: ['password'] } },
			description: 'DOMAIN\\USERNAME (Recovery Orchestrator 7 and later also accept USERNAME). Veeam advises a dedicated account per integration.',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authMethod: ['password'] } },
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			displayOptions: { show: { authMethod: ['clientCredentials'] } },
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authMethod: ['clientCredentials'] } },
		},
		allowUnauthorizedCertsField,
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Refresh Token',
			name: 'refreshToken',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Token Identity',
			name: 'tokenIdentity',
			type: 'hidden',
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		// A logout asks for empty stored tokens; no request is made for it.
		if (credentials[VRO_CLEAR_TOKENS_MARKER] === true) return { ...clearedTokens() };
		return { ...(await vroLogin(this, credentials)) };
	}

	// The token goes out only while server, version and account are those it was issued for
	// (vroTokenIdentity); otherwise the server answers 401 and the transport logs in again.
	// The access token is sent only to the server, version and account it was issued for, so an
	// edited credential never leaks an old token to a new host. A function rather than a generic
	// block: n8n evaluates generic blocks as sandboxed expressions on every request (CPU, benchmark).
	authenticate: IAuthenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions) => {
		const token = credentials.tokenIdentity === vroTokenIdentity(credentials) ? String(credentials.accessToken ?? '') : '';
		return {
			...requestOptions,
			headers: { ...(requestOptions.headers ?? {}), Authorization: `Bearer ${token}` },
			skipSslCertificateValidation: credentials.allowUnauthorizedCerts === true,
		};
	};

	// An authenticated read that every version serves: /vN/Sites on VAO 1.0/2.0, /api/vN/Scopes later.
	test: ICredentialTestRequest = {
		request: {
			baseURL: serverRootExpression(VRO_API_SUFFIX),
			url: '={{$credentials.apiVersion === "v1" || $credentials.apiVersion === "v2" ? "/" + $credentials.apiVersion + "/Sites" : "/api/" + $credentials.apiVersion + "/Scopes" + ($credentials.apiVersion === "v3" ? "" : "?limit=1")}}',
			method: 'GET',
		},
	};
}
