/**
 * The secret scanner must find what it is meant to find, or a green "0 secret hits" proves nothing:
 * planted secrets in an error's cause chain, in n8n's `context`, URL-encoded, Base64-encoded; and no
 * false hit for a session-token-like number inside a longer id.
 */
import { NodeApiError } from 'n8n-workflow';

import { SecretSet, serializeDeep } from './secrets';

const node = { id: '1', name: 'Kaseya VSA', type: 'kaseyaVsa', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };

describe('secret scanner', () => {
	const secrets = new SecretSet()
		.add('password', 'Very$ecret Pass!')
		.add('session token', '90151280')
		.add('access token', 'eyJhbGciOiJIUzI1NiJ9.planted.token')
		.add('too short', 'abc');

	it('finds a secret deep in a NodeApiError: cause chain, context, description', () => {
		const inner = new Error('socket said Very$ecret Pass!');
		const error = new NodeApiError(node, { message: 'x' }, { message: 'Request failed', description: 'fine' });
		(error as any).cause = { wrapped: inner };
		expect(secrets.scan(error).map((h) => h.kind)).toEqual(['password']);
		const withContext = new NodeApiError(node, { message: 'x' }, { message: 'Request failed' });
		withContext.context.request = { headers: { Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.planted.token' } };
		expect(secrets.scan(withContext).map((h) => h.kind)).toEqual(['access token']);
	});

	it('finds URL-encoded, JSON-escaped and Base64 forms', () => {
		expect(secrets.scan({ url: `https://x/?p=${encodeURIComponent('Very$ecret Pass!')}` })[0]).toMatchObject({ kind: 'password', encoding: 'url-encoded' });
		expect(secrets.scan(`Basic ${Buffer.from('Very$ecret Pass!').toString('base64')}`)[0]).toMatchObject({ kind: 'password', encoding: 'base64' });
	});

	it('finds a secret inside a longer (even truncated) Base64 run, as in an echoed Authorization header', () => {
		const blob = Buffer.from('user=x,pass2=Very$ecret Pass!,pass1=abc').toString('base64');
		expect(secrets.scan(`Received: Basic ${blob.slice(0, 40)}…`)[0]).toMatchObject({ kind: 'password', encoding: 'inside base64' });
	});

	it('matches an all-digit token only as a whole number, and ignores short values', () => {
		expect(secrets.scan({ AgentId: '379015128012345' })).toEqual([]);
		expect(secrets.scan({ token: '90151280' })).toHaveLength(1);
		expect(secrets.scan('abc abc abc')).toEqual([]);
		expect(secrets.size).toBe(3);
	});

	it('never includes the secret value in a hit report', () => {
		const hit = secrets.scan('leak: Very$ecret Pass! here')[0];
		expect(JSON.stringify(hit)).not.toContain('Very$ecret Pass!');
	});

	it('serialises what JSON.stringify drops (non-enumerable error fields, Maps, Buffers) and survives cycles', () => {
		const e: any = new Error('top');
		e.self = e;
		e.map = new Map([['k', Buffer.from('buffered text')]]);
		const text = serializeDeep(e);
		expect(text).toContain('top');
		expect(text).toContain('buffered text');
		expect(text).toContain('"stack"');
	});
});
