/**
 * Regressions for bugs this suite found in package code, each pinned at the smallest level:
 *  1. n8n's NodeApiError/NodeOperationError replace any message that contains a Node error code
 *     (ECONNRESET, ETIMEDOUT, …) with a generic text ("…You can retry the request immediately"),
 *     which erased "the change may have been applied" from a broken write.
 *  2. VSA: a success status with a body that is not JSON (truncated JSON, text, XML) became the
 *     result, and a redirect (3xx) counted as success; a non-numeric ResponseCode said "(NaN)".
 *  3. VSA login: an envelope whose `Error` is not a string crashed the failure description
 *     ("toLowerCase is not a function" shown to the user).
 *  4. Orchestrator: the same non-JSON success bodies became data (fixed with the VRO owner in
 *     c603356, where the plan GET guard and the unknown-resource fallback landed too).
 *  5. A call with a stored token to a server with a self-signed certificate said "The request …
 *     failed: self-signed certificate … check the server URL": Node's TLS codes do not start with
 *     E/ERR_, so the TLS branch (which names "Ignore SSL Issues") was never taken.
 *  6. A server or proxy that echoes the request in its error page made the error quote the PAT,
 *     the Basic blob (with pass1/pass2 inside), or the session/access token.
 */
import { authorizationSecrets, describeVsaLoginFailure } from '../../credentials/shared/vsaLogin';
import { vsaAuthHeader } from '../../credentials/shared/vsaChallengeHash';
import { redactServerText } from '../../nodes/shared/http';
import { decodeVsaResponse, describeVsaError } from '../../nodes/KaseyaVsa/envelope';
import { decodeVroResponse } from '../../nodes/VeeamOrchestrator/envelope';
import { apiError, findErrorCode, operationError } from '../../nodes/shared/errors';

const node = { id: '1', name: 'Kaseya VSA', type: 'kaseyaVsa', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };

describe('1. our error messages survive n8n error constructors', () => {
	it.each(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'])('keeps a message naming %s', (code) => {
		const message = `The connection to Kaseya VSA broke during PUT /x (${code}); the change may have been applied`;
		expect(apiError(node, { message, description: 'Check in VSA.' }).message).toBe(message);
		expect(operationError(node, message, 'Check in VSA.').message).toBe(message);
	});
	it('keeps the description and http code', () => {
		const e = apiError(node, { message: 'Kaseya VSA found nothing (ECONNRESET)', description: 'Check the ID.', httpCode: 404, serverText: 'nope' });
		expect(e.description).toBe('Check the ID. Server said: "nope"');
		expect(e.httpCode).toBe('404');
	});
});

describe('2. VSA decoding of malformed success answers', () => {
	it('refuses truncated JSON, text and XML unless the caller accepts text', () => {
		expect(decodeVsaResponse(200, '{"TotalRecords":5,"Result":[{"AgentId":1', 'application/json')).toMatchObject({ ok: false, notJson: true });
		expect(decodeVsaResponse(200, '{"TotalRecords":5', 'text/plain', true)).toMatchObject({ ok: false, notJson: true });
		expect(decodeVsaResponse(200, 'OK', 'text/plain')).toMatchObject({ ok: false, notJson: true });
		expect(decodeVsaResponse(200, '<?xml version="1.0"?><a/>', 'application/xml')).toMatchObject({ ok: false, notJson: true });
		expect(decodeVsaResponse(200, '<?xml version="1.0"?><a/>', 'application/xml', true)).toEqual({ ok: true, result: '<?xml version="1.0"?><a/>', enveloped: false });
		expect(decodeVsaResponse(200, '<html><title>Login</title></html>', 'text/html', true)).toMatchObject({ ok: false });
	});
	it('treats every redirect as a failure that explains why it is not followed', () => {
		for (const status of [301, 302, 303, 307, 308]) {
			expect(decodeVsaResponse(status, '')).toMatchObject({ ok: false, code: status });
			expect(decodeVsaResponse(status, 'Moved', 'text/plain')).toMatchObject({ ok: false, code: status });
		}
		expect(describeVsaError(302, undefined, 'GET', '/api/v1.0/x', true).message).toMatch(/redirected/);
	});
	it('reports a non-numeric ResponseCode without "NaN"', () => {
		const d = decodeVsaResponse(200, '{"ResponseCode":"abc"}', 'application/json');
		expect(d).toMatchObject({ ok: false, code: 200, errorText: 'unexpected ResponseCode "abc"' });
		if (!d.ok) expect(describeVsaError(d.code, d.errorText, 'GET', '/x').message).not.toMatch(/NaN/);
	});
});

describe('3. VSA login failure with an odd envelope', () => {
	it('quotes a non-string Error instead of crashing', () => {
		const f = describeVsaLoginFailure(200, '{"ResponseCode":500,"Error":{"nested":"object"}}', 'password');
		expect(f.message).toMatch(/login failed/);
		expect(f.serverText).toBe('{"nested":"object"}');
	});
});

describe('4. Orchestrator decoding of malformed success answers', () => {
	it('refuses truncated JSON and text unless the caller accepts text', () => {
		expect(decodeVroResponse(200, '{"data":[{"id":"3fa8', 'application/json')).toMatchObject({ ok: false, notJson: true });
		expect(decodeVroResponse(200, '{"data":[{"id":"3fa8', 'text/plain', true)).toMatchObject({ ok: false, notJson: true });
		expect(decodeVroResponse(200, 'OK', 'text/plain')).toMatchObject({ ok: false, notJson: true });
		expect(decodeVroResponse(200, 'OK', 'text/plain', true)).toEqual({ ok: true, data: 'OK' });
		expect(decodeVroResponse(302, '', '')).toMatchObject({ ok: false, status: 302 });
	});
});

describe('5. TLS error codes are found in the cause chain', () => {
	it.each(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'CERT_HAS_EXPIRED', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID'])('%s', (code) => {
		const inner = Object.assign(new Error('self-signed certificate'), { code });
		expect(findErrorCode({ message: 'wrapped', cause: { cause: inner } })).toBe(code);
	});
});

describe('6. echoed secrets are cut out of quoted server text', () => {
	it('login: the header, its blob, the decoded text and every hash value', () => {
		for (const method of ['password', 'personalAccessToken'] as const) {
			const header = vsaAuthHeader(method, 'tech', 'Pa55-word-long', '123456789');
			const secrets = authorizationSecrets(header, 'Pa55-word-long');
			const decoded = Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('utf8');
			expect(secrets).toEqual(expect.arrayContaining([header, header.slice(6), decoded, 'Pa55-word-long']));
			if (method === 'password') for (const field of decoded.split(',').slice(1)) expect(secrets).toContain(field.split('=')[1]);
			expect(secrets).not.toContain('tech');
		}
	});
	it('data calls: Bearer/Basic values and the credential\'s secret fields', async () => {
		const ctx = { getCredentials: async () => ({ sessionToken: '90151280', password: 'Pa55-word-long', username: 'tech' }) } as any;
		const profile = { credentialType: 'kaseyaVsaApi', expirableField: 'sessionToken', productName: 'Kaseya VSA', isAuthRejected: () => false };
		const out = await redactServerText(ctx, profile, 'Token 90151280 (Authorization: Bearer abcdef123456) for tech / Pa55-word-long rejected');
		expect(out).toBe('Token [redacted] (Authorization: Bearer [redacted]) for tech / [redacted] rejected');
	});
});
