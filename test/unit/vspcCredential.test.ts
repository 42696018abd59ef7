import { parseTokenResponse, tokenBinding, tokensAfterGrant } from '../../credentials/shared/oauth2Grant';
import { describeVspcLoginFailure, readVspcSettings, validateVspcSettings, vspcBearer, vspcServerRoot, vspcTokenIdentity } from '../../credentials/shared/vspcLogin';
import { VeeamServiceProviderConsoleApi } from '../../credentials/VeeamServiceProviderConsoleApi.credentials';

describe('shared OAuth2 grant engine, pure parts', () => {
	test('a binding joins its parts like the Orchestrator identity always did (undefined → empty)', () => {
		expect(tokenBinding(['https://h:1', 'v7.21', 'password', 'u'])).toBe('https://h:1|v7.21|password|u');
		expect(tokenBinding(['https://h:1', undefined, 'apiKey', ''])).toBe('https://h:1||apiKey|');
	});

	test('a rotated refresh token replaces the stored one; a missing one keeps it on refresh only', () => {
		const rotated = parseTokenResponse('{"access_token":"A","token_type":"bearer","refresh_token":"R2","mfa_token":null,"expires_in":3600}')!;
		expect(tokensAfterGrant('refresh', rotated, 'R1', 'b')).toEqual({ accessToken: 'A', refreshToken: 'R2', tokenIdentity: 'b' });
		expect(parseTokenResponse('{"access_token":null,"mfa_token":"m"}')).toBeUndefined();
	});
});

describe('VSPC credential settings', () => {
	test('the server root tolerates a pasted API base or token path', () => {
		for (const url of ['https://vspc:1280', 'https://vspc:1280/', ' https://vspc:1280/api/v3 ', 'https://vspc:1280/api/v3/token', 'https://vspc:1280/api/', 'https://vspc:1280/api/v3?x=1']) {
			expect(vspcServerRoot(url)).toBe('https://vspc:1280');
		}
	});

	test('fields are the contract names of DESIGN.md', () => {
		const names = new VeeamServiceProviderConsoleApi().properties.map((p) => p.name);
		expect(names).toEqual(['baseUrl', 'authMethod', 'username', 'password', 'apiKey', 'allowUnauthorizedCerts', 'accessToken', 'refreshToken', 'tokenIdentity']);
		const auth = new VeeamServiceProviderConsoleApi().properties.find((p) => p.name === 'authMethod')!;
		expect(auth.options!.map((o) => (o as { value: string }).value)).toEqual(['password', 'apiKey']);
	});

	test('the bearer is the API key itself, or the access token only under its binding', () => {
		expect(vspcBearer({ authMethod: 'apiKey', apiKey: ' k-1 ', accessToken: 'apiKey' })).toBe('k-1');
		const creds = { baseUrl: 'https://a:1280', authMethod: 'password', username: 'u', accessToken: 'T' };
		expect(vspcBearer({ ...creds, tokenIdentity: vspcTokenIdentity(creds) })).toBe('T');
		expect(vspcBearer({ ...creds, tokenIdentity: vspcTokenIdentity({ ...creds, username: 'other' }) })).toBe('');
	});

	test('settings that cannot work are refused before a request', () => {
		const check = (o: Record<string, unknown>) => validateVspcSettings(readVspcSettings({ baseUrl: 'https://vspc:1280', authMethod: 'password', username: 'u', password: 'p', ...o } as any))?.message;
		expect(check({})).toBeUndefined();
		expect(check({ baseUrl: 'vspc' })).toMatch(/Server URL is missing or invalid/);
		expect(check({ password: '' })).toMatch(/user name or password is empty/);
		expect(check({ authMethod: 'apiKey', apiKey: '  ' })).toMatch(/API key is empty/);
	});
});

describe('VSPC login failure wording', () => {
	test('the documented wrong-password answer (400 invalid_request) is quoted', () => {
		const f = describeVspcLoginFailure({ status: 400, bodyText: '{"error":"invalid_request","error_description":"Cannot complete login due to incorrect username or password, or no sufficient rights.","error_uri":null}' });
		expect(f.message).toMatch(/wrong user name or password, or the user may not use the REST API/);
		expect(f.serverText).toBe('invalid_request: Cannot complete login due to incorrect username or password, or no sufficient rights.');
		expect(f.description).toMatch(/Company Owners/);
	});

	test('MFA wording in the server text, 404, 429, 520 and a web page each get their own message', () => {
		expect(describeVspcLoginFailure({ status: 400, bodyText: '{"error":"invalid_request","error_description":"MFA is required for this user."}' }).message).toMatch(/multi-factor/);
		expect(describeVspcLoginFailure({ status: 404, bodyText: '', host: 'h:1281' }).message).toBe(
			'Veeam Service Provider Console login failed: no VSPC REST API v3 at h:1281 (POST /api/v3/token answered HTTP 404)',
		);
		expect(describeVspcLoginFailure({ status: 429, bodyText: '{"errors":[{"message":"Too many requests","type":"transport","code":429,"retryAfter":5}]}' }).message).toMatch(/throttling/);
		expect(describeVspcLoginFailure({ status: 520, bodyText: '{"errors":[{"message":"boom","type":"unspecified","code":500}]}' }).serverText).toBe('boom');
		expect(describeVspcLoginFailure({ status: 200, bodyText: '<html><title>Portal</title></html>' }).message).toMatch(/did not answer like a VSPC server/);
	});
});
