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
import { VSA_API_SUFFIX, vsaLogin } from './shared/vsaLogin';
import { serverRootExpression } from './shared/serverRoot';

/**
 * Kaseya VSA 9.x REST API: GET /api/v1.0/auth with a Personal Access Token (Basic username:PAT) or
 * the legacy challenge hash, then `Authorization: Bearer <session token>` on every call. The token
 * lives in the hidden expirable `sessionToken`, so n8n persists it and reuses it across executions
 * until the server rejects it; the node's transport then empties it once to force one new login.
 */
export class KaseyaVsaApi implements ICredentialType {
	name = 'kaseyaVsaApi';

	displayName = 'Kaseya VSA API';

	icon = { light: 'file:../icons/kaseya.svg', dark: 'file:../icons/kaseya.dark.svg' } as const;

	documentationUrl = 'https://help.vsa9.kaseya.com/help/Content/Modules/rest-api/31615.htm';

	properties: INodeProperties[] = [
		{
			displayName: 'Server URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://vsa.example.com',
			required: true,
			description: 'Address of the VSA server, with :port if it uses one. A trailing slash or /api/v1.0 is fine.',
		},
		{
			displayName: 'Authentication Method',
			name: 'authMethod',
			type: 'options',
			options: [
				{
					name: 'Personal Access Token',
					value: 'personalAccessToken',
					description: 'Recommended. Create one in VSA under System › User Security › Users › Access Tokens, with the REST API scope.',
				},
				{
					name: 'Password (Legacy Challenge Hash)',
					value: 'password',
					description: 'The hashed password login of VSA before 2021; Kaseya has deprecated it',
				},
			],
			default: 'personalAccessToken',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			description: 'The VSA user name the token or password belongs to',
		},
		{
			displayName: 'Personal Access Token',
			name: 'personalAccessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authMethod: ['personalAccessToken'] } },
			description: 'The token (a GUID) shown once when it was created',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authMethod: ['password'] } },
			description: 'Only a hash of it is sent, never the password itself',
		},
		allowUnauthorizedCertsField,
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return { sessionToken: await vsaLogin(this, credentials) };
	}

	// A function rather than a generic block: n8n evaluates generic blocks as expressions in its
	// sandbox on every request, which cost about 1.75 ms of CPU per request in the benchmark.
	authenticate: IAuthenticate = async (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions) => ({
		...requestOptions,
		headers: { ...(requestOptions.headers ?? {}), Authorization: `Bearer ${String(credentials.sessionToken ?? '')}` },
		skipSslCertificateValidation: credentials.allowUnauthorizedCerts === true,
	});

	// The current user's own record: readable by any REST user (KAT VSAModule/public/Get-VSAUser.ps1 -CurrentUser).
	test: ICredentialTestRequest = {
		request: {
			baseURL: serverRootExpression(VSA_API_SUFFIX),
			url: '/api/v1.0/system/currentUser',
			method: 'GET',
		},
		rules: [
			{ type: 'responseSuccessBody', properties: { key: 'ResponseCode', value: 401, message: 'VSA rejected the session token of this login' } },
			{ type: 'responseSuccessBody', properties: { key: 'ResponseCode', value: 403, message: 'The VSA user may not read its own user record: check its role and scope' } },
		],
	};
}
