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
import { VSPC_API_SUFFIX, VSPC_CLIENT_VERSION, vspcBearer, vspcLogin } from './shared/vspcLogin';
import { serverRootExpression } from './shared/serverRoot';

/**
 * Veeam Service Provider Console REST API v3 (VSPC 8.1 / 9.x): OAuth2 password grant with refresh tokens at
 * POST /api/v3/token, or an API key sent as `Authorization: Bearer <key>`
 * (https://helpcenter.veeam.com/docs/vac/rest/api_keys.html). The access token is the hidden expirable field,
 * so n8n runs preAuthentication when it is empty or rejected and persists what it returns.
 */
export class VeeamServiceProviderConsoleApi implements ICredentialType {
	name = 'veeamServiceProviderConsoleApi';

	displayName = 'Veeam Service Provider Console API';

	icon = { light: 'file:../icons/vspc.svg', dark: 'file:../icons/vspc.dark.svg' } as const;

	documentationUrl = 'https://helpcenter.veeam.com/docs/vac/rest/authorization_v3.html';

	properties: INodeProperties[] = [
		{
			displayName: 'Server URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://vspc.example.com:1280',
			required: true,
			description: 'Scheme, host and REST API port of the VSPC Web UI server (port 1280 unless changed at installation)',
		},
		{
			displayName: 'Authentication',
			name: 'authMethod',
			type: 'options',
			options: [
				{ name: 'User Name and Password', value: 'password', description: 'OAuth2 password grant with refresh tokens' },
				{
					name: 'API Key',
					value: 'apiKey',
					description: 'A key created in VSPC (Configuration › Security › API Keys, Simple Key); needed for users with MFA',
				},
			],
			default: 'password',
		},
		{
			displayName: 'User Name',
			name: 'username',
			type: 'string',
			default: '',
			placeholder: 'VSPC\\administrator',
			displayOptions: { show: { authMethod: ['password'] } },
			description: 'A user that may use the REST API. Veeam advises a dedicated account per integration.',
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
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authMethod: ['apiKey'] } },
			description: 'The key shown once when it was created',
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
		return { ...(await vspcLogin(this, credentials)) };
	}

	// A function rather than a generic block: n8n evaluates generic blocks as sandboxed expressions on every request.
	// The access token goes out only to the server and user it was issued for (vspcBearer).
	authenticate: IAuthenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions) => ({
		...requestOptions,
		headers: {
			...(requestOptions.headers ?? {}),
			Authorization: `Bearer ${vspcBearer(credentials)}`,
			'X-Client-Version': VSPC_CLIENT_VERSION,
		},
		skipSslCertificateValidation: credentials.allowUnauthorizedCerts === true,
	});

	// GET /about answers any valid token or key (christaylorcodes/VeeamSPC Connect-VeeamSPC.ps1 validates keys with it).
	test: ICredentialTestRequest = {
		request: {
			baseURL: serverRootExpression(VSPC_API_SUFFIX),
			url: '/api/v3/about',
			method: 'GET',
		},
	};
}
