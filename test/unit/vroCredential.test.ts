import {
	clientCredentialsGrantBody,
	describeVroLoginFailure,
	parseTokenResponse,
	passwordGrantBody,
	readVroSettings,
	refreshGrantBody,
	tokensAfterGrant,
	validateVroSettings,
	vroTokenIdentity,
} from '../../credentials/shared/vroLogin';
import {
	describeRange,
	requiredRoles,
	VRO_API_VERSIONS,
	vroApiBasePath,
	vroPagingStyle,
	vroServerRoot,
	vroTokenPath,
	type VroApiVersion,
} from '../../credentials/shared/vroVersions';
import { VeeamOrchestratorApi } from '../../credentials/VeeamOrchestratorApi.credentials';

describe('Orchestrator API versions', () => {
	it('picks the token path of each generation (evidence rows "credential login")', () => {
		const paths = Object.fromEntries(VRO_API_VERSIONS.map((v) => [v, vroTokenPath(v)]));
		expect(paths).toEqual({
			v1: '/v1/Accounts/Token',
			v2: '/v2/Token',
			v3: '/token',
			v4: '/token',
			v5: '/token',
			v6: '/token',
			v7: '/api/token',
			'v7.1': '/api/token',
			'v7.2': '/api/token',
			'v7.21': '/api/token',
			v13: '/api/token',
			'v13.1': '/api/token',
		});
	});

	it('builds the API base: /v1 and /v2 on VAO 1.0/2.0, /api/vN from VAO 3.0', () => {
		expect(vroApiBasePath('v1')).toBe('/v1');
		expect(vroApiBasePath('v2')).toBe('/v2');
		expect(vroApiBasePath('v3')).toBe('/api/v3');
		expect(vroApiBasePath('v7.21')).toBe('/api/v7.21');
		expect(vroApiBasePath('v13.1')).toBe('/api/v13.1');
	});

	it('names the paging style of each generation (query_options.html of each version)', () => {
		expect(['v1', 'v2', 'v3', 'v4', 'v6', 'v7.21', 'v13.1'].map((v) => vroPagingStyle(v as VroApiVersion))).toEqual([
			'odata',
			'odata',
			'unpaged',
			'startLimit',
			'startLimit',
			'startLimit',
			'startLimit',
		]);
	});

	it.each([
		['https://vro.example.com:9898', 'https://vro.example.com:9898'],
		['https://vro.example.com:9898/', 'https://vro.example.com:9898'],
		['  https://vro.example.com:9898/api/v7.21/ ', 'https://vro.example.com:9898'],
		['https://vro.example.com:9898/api', 'https://vro.example.com:9898'],
		['https://vro.example.com:9898/api/token', 'https://vro.example.com:9898'],
		['https://vao.example.com:9899/v1', 'https://vao.example.com:9899'],
		['https://vao.example.com:9899/v1/Accounts/Token', 'https://vao.example.com:9899'],
		['https://vao.example.com:9898/swagger/ui/index', 'https://vao.example.com:9898'],
		['https://host/prefix/api/v13.1?x=1', 'https://host/prefix'],
	])('cleans the pasted server URL %s', (input, root) => {
		expect(vroServerRoot(input)).toBe(root);
	});

	it('describes version ranges for messages', () => {
		expect(describeRange('v3')).toBe('v3 and later');
		expect(describeRange('v1')).toBe('every version');
		expect(describeRange('v2', 'v7.21')).toBe('v2 to v7.21');
		expect(describeRange('v5', 'v5')).toBe('v5');
	});

	it('names the roles of each release', () => {
		expect(requiredRoles('v1')).toMatch(/Site Administrator or Failover Plan Author/);
		expect(requiredRoles('v7.21')).toMatch(/Plan Operator/);
		expect(requiredRoles('v6')).not.toMatch(/Plan Operator/);
	});
});

describe('Orchestrator grant bodies', () => {
	it('sends the password grant form-encoded, with an empty refresh_token on v1 only (PowerVAO/Swagger)', () => {
		expect(passwordGrantBody('v1', 'VRO\\admin', 'p&w=d').toString()).toBe('grant_type=password&username=VRO%5Cadmin&password=p%26w%3Dd&refresh_token=');
		expect(passwordGrantBody('v7.21', 'admin', 'x').toString()).toBe('grant_type=password&username=admin&password=x');
	});

	it('builds the refresh and client-credentials grants', () => {
		expect(refreshGrantBody('abc').toString()).toBe('grant_type=refresh_token&refresh_token=abc');
		expect(clientCredentialsGrantBody('id-1', 's+1').toString()).toBe('grant_type=client_credentials&client_id=id-1&client_secret=s%2B1');
	});

	it('reads token responses and keeps the old refresh token when the server does not rotate it', () => {
		const rotated = parseTokenResponse('{"access_token":"A2","token_type":"bearer","expires_in":899,"refresh_token":"R2"}')!;
		expect(rotated).toEqual({ accessToken: 'A2', refreshToken: 'R2', expiresIn: 899 });
		expect(tokensAfterGrant('refresh', rotated, 'R1', 'id')).toEqual({ accessToken: 'A2', refreshToken: 'R2', tokenIdentity: 'id' });
		const notRotated = parseTokenResponse('{"access_token":"A3","expires_in":899}')!;
		expect(tokensAfterGrant('refresh', notRotated, 'R1', 'id')).toEqual({ accessToken: 'A3', refreshToken: 'R1', tokenIdentity: 'id' });
		expect(tokensAfterGrant('clientCredentials', notRotated, 'R1', 'id')).toEqual({ accessToken: 'A3', refreshToken: '', tokenIdentity: 'id' });
		expect(parseTokenResponse('<html>login</html>')).toBeUndefined();
		expect(parseTokenResponse('{"error":"invalid_grant"}')).toBeUndefined();
	});
});

describe('token identity', () => {
	it('names server, version, method and account, and changes with any of them', () => {
		const base = { baseUrl: 'https://vro:9898', apiVersion: 'v7.21', authMethod: 'password', username: 'VRO\\a', clientId: 'c' };
		expect(vroTokenIdentity(base)).toBe('https://vro:9898|v7.21|password|VRO\\a');
		expect(vroTokenIdentity({ ...base, authMethod: 'clientCredentials' })).toBe('https://vro:9898|v7.21|clientCredentials|c');
		for (const change of [{ baseUrl: 'https://other:9898' }, { apiVersion: 'v13' }, { username: 'VRO\\b' }]) {
			expect(vroTokenIdentity({ ...base, ...change })).not.toBe(vroTokenIdentity(base));
		}
	});
});

describe('Orchestrator login failures', () => {
	const base = { version: 'v7.21' as VroApiVersion, grant: 'password' as const, username: 'VRO\\admin', host: 'vro:9898' };

	it('wrong credentials: quotes the OAuth error, hints at DOMAIN\\USER', () => {
		const f = describeVroLoginFailure({ ...base, status: 400, bodyText: '{"error":"invalid_grant","error_description":"The user name or password is incorrect."}' });
		expect(f.message).toBe('Veeam Orchestrator login failed: wrong user name or password');
		expect(f.serverText).toBe('invalid_grant: The user name or password is incorrect.');
		expect(f.description).toMatch(/DOMAIN\\USERNAME/);
	});

	it('on v3–v6 a user name without domain is named as the likely cause', () => {
		const f = describeVroLoginFailure({ ...base, version: 'v4', username: 'admin', status: 400, bodyText: '{"error":"invalid_grant"}' });
		expect(f.description).toMatch(/requires the user name as DOMAIN\\USERNAME, and "admin" has no domain part/);
	});

	it('role missing: names the roles of the version', () => {
		const f = describeVroLoginFailure({ ...base, version: 'v2', status: 400, bodyText: '{"error":"invalid_grant","error_description":"The user does not have permissions to access the Orchestrator REST API."}' });
		expect(f.message).toMatch(/no Orchestrator role/);
		expect(f.description).toMatch(/VAO Administrator or Plan Author/);
	});

	it('wrong API version or port: a 404/405 at the token path', () => {
		const f = describeVroLoginFailure({ ...base, version: 'v1', status: 404, bodyText: '{"Message":"No HTTP resource was found"}' });
		expect(f.message).toMatch(/no v1 token endpoint at vro:9898 \(POST \/v1\/Accounts\/Token answered HTTP 404\)/);
		expect(f.description).toMatch(/9899/);
		expect(f.description).toMatch(/API Version/);
	});

	it('not an Orchestrator server: HTML or JSON without a token', () => {
		const html = describeVroLoginFailure({ ...base, status: 200, bodyText: '<html><head><title>Welcome to nginx</title></head></html>' });
		expect(html.message).toMatch(/did not answer like a Veeam Orchestrator token endpoint/);
		expect(html.serverText).toBe('HTML page "Welcome to nginx"');
		const json = describeVroLoginFailure({ ...base, status: 200, bodyText: '{"hello":"world"}' });
		expect(json.message).toMatch(/did not answer like a Veeam Orchestrator/);
	});

	it('client credentials: wrong ID/secret, and a server without the grant', () => {
		expect(describeVroLoginFailure({ ...base, grant: 'clientCredentials', status: 400, bodyText: '{"error":"invalid_client"}' }).message).toMatch(/wrong client ID or client secret/);
		expect(describeVroLoginFailure({ ...base, grant: 'clientCredentials', status: 400, bodyText: '{"error":"unsupported_grant_type"}' }).message).toMatch(/does not accept client credentials/);
	});

	it('server errors are named as such', () => {
		expect(describeVroLoginFailure({ ...base, status: 500, bodyText: 'oops' }).message).toMatch(/internal error during login \(HTTP 500\)/);
	});

	it('refuses settings that cannot work, before any request', () => {
		const s = (o: Record<string, unknown>) => validateVroSettings(readVroSettings({ baseUrl: 'https://vro:9899', apiVersion: 'v1', authMethod: 'password', username: 'D\\u', password: 'p', ...o } as any));
		expect(s({})).toBeUndefined();
		expect(s({ authMethod: 'clientCredentials', clientId: 'a', clientSecret: 'b' })?.message).toMatch(/API v1 \(VAO 1\.0\) has no client credentials/);
		expect(s({ apiVersion: 'v2', authMethod: 'clientCredentials', clientId: 'a', clientSecret: 'b' })).toBeUndefined();
		expect(s({ password: '' })?.message).toMatch(/user name or password is empty/);
		expect(s({ baseUrl: 'vro.example.com' })?.message).toMatch(/Server URL is missing or invalid/);
	});
});

describe('veeamOrchestratorApi credential type', () => {
	const cred = new VeeamOrchestratorApi();
	it('declares the contract fields, a hidden expirable accessToken and a hidden refreshToken', () => {
		const names = cred.properties.map((p) => p.name);
		expect(names).toEqual(['baseUrl', 'apiVersion', 'authMethod', 'username', 'password', 'clientId', 'clientSecret', 'allowUnauthorizedCerts', 'accessToken', 'refreshToken', 'tokenIdentity']);
		const access = cred.properties.find((p) => p.name === 'accessToken')!;
		expect(access.type).toBe('hidden');
		expect(access.typeOptions?.expirable).toBe(true);
		expect(cred.properties.find((p) => p.name === 'refreshToken')!.type).toBe('hidden');
		const version = cred.properties.find((p) => p.name === 'apiVersion')!;
		expect(version.default).toBe('v7.21');
		expect((version.options as Array<{ value: string }>).map((o) => o.value)).toEqual([...VRO_API_VERSIONS]);
		expect(cred.properties.find((p) => p.name === 'authMethod')!.default).toBe('password');
	});
});
