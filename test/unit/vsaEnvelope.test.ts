import { decodeVsaResponse, describeVsaError, isVsaAuthRejected } from '../../nodes/KaseyaVsa/envelope';
import { describeVsaLoginFailure, vsaTokenFromAuth } from '../../credentials/shared/vsaLogin';

describe('VSA envelope', () => {
	it('decodes a collection with TotalRecords and lossless ids', () => {
		const d = decodeVsaResponse(200, '{"TotalRecords":2,"Result":[{"AgentId":979868787875855}],"ResponseCode":0,"Status":"OK","Error":"None"}');
		expect(d).toEqual({ ok: true, result: [{ AgentId: '979868787875855' }], total: 2, enveloped: true });
	});
	it('treats an error inside HTTP 200 as an error', () => {
		expect(decodeVsaResponse(200, '{"Result":null,"ResponseCode":500,"Status":"OK","Error":"Procedure failed"}')).toEqual({ ok: false, code: 500, errorText: 'Procedure failed' });
	});
	it('accepts 204 and empty bodies as success, and non-enveloped JSON as is', () => {
		expect(decodeVsaResponse(204, '')).toEqual({ ok: true, result: true, enveloped: false });
		expect(decodeVsaResponse(200, '{"979868787875855":"OK"}')).toEqual({ ok: true, result: { '979868787875855': 'OK' }, enveloped: false });
	});
	it('refuses an HTML page on success (a portal or proxy in front of VSA)', () => {
		const d = decodeVsaResponse(200, '<html><title>Login</title></html>', 'text/html');
		expect(d.ok).toBe(false);
	});
	it('spots a rejected token as HTTP 401 and as ResponseCode 401 in a 200 body', () => {
		expect(isVsaAuthRejected(401, '')).toBe(true);
		expect(isVsaAuthRejected(200, '{"ResponseCode":401,"Status":"OK","Error":"None"}')).toBe(true);
		expect(isVsaAuthRejected(200, '{"ResponseCode":0,"Result":[]}')).toBe(false);
		expect(isVsaAuthRejected(403, '{"ResponseCode":403}')).toBe(false);
	});
	it('explains errors with what to do', () => {
		expect(describeVsaError(404, 'Agent not found', 'GET', '/api/v1.0/assetmgmt/agents/1').message).toMatch(/found nothing.*Agent not found/);
		expect(describeVsaError(403, undefined, 'GET', '/x').description).toMatch(/role|scope/);
		expect(describeVsaError(500, undefined, 'GET', '/x', true).message).toMatch(/not JSON/);
	});
});

describe('VSA login failures', () => {
	it('names the likely cause and keeps the server text', () => {
		const pat = describeVsaLoginFailure(401, '{"Result":null,"ResponseCode":401,"Status":"Error","Error":"username/password incorrect"}', 'personalAccessToken');
		expect(pat.message).toMatch(/wrong username or Personal Access Token/);
		expect(pat.serverText).toBe('username/password incorrect');
		expect(describeVsaLoginFailure(200, '{"ResponseCode":403,"Error":"IP address incorrect"}', 'password').message).toMatch(/IP address/);
		expect(describeVsaLoginFailure(200, '{"ResponseCode":403,"Error":"API disabled for tenant"}', 'password').message).toMatch(/REST API is disabled/);
		expect(describeVsaLoginFailure(200, '{"ResponseCode":403,"Error":"user disabled"}', 'password').message).toMatch(/disabled or locked/);
		expect(describeVsaLoginFailure(404, 'Not Found', 'password').message).toMatch(/no VSA REST API/);
		expect(describeVsaLoginFailure(200, '<html><title>Welcome to nginx</title></html>', 'password').message).toMatch(/did not answer like a VSA server/);
	});
	it('reads Result.Token, falling back to Result.ApiToken', () => {
		expect(vsaTokenFromAuth('{"Result":{"Token":"90151280","ApiToken":"abc"},"ResponseCode":0}')).toBe('90151280');
		expect(vsaTokenFromAuth('{"Result":{"ApiToken":"abc"},"ResponseCode":0}')).toBe('abc');
		expect(vsaTokenFromAuth('{"Result":{},"ResponseCode":0}')).toBeUndefined();
		expect(vsaTokenFromAuth('{"Result":{"Token":"x"},"ResponseCode":401}')).toBeUndefined();
	});
});
