/**
 * The login error reaches the user however n8n wraps it. n8n 2.x keeps the thrown LoginError as the
 * NodeApiError's `cause`; n8n 1.x (n8n-workflow 1.120) loses the cause, keeping the original message in
 * `messages` and the advice in `description`, and replaced the message by its generic 401 text while the
 * LoginError carried an `httpCode` — the shape below is what n8n 1.123.81 produced for a wrong VSA
 * password (the e2e core on 1.x checks the real thing).
 */
import { NodeApiError, type JsonObject } from 'n8n-workflow';

import { LoginError } from '../../credentials/shared/loginError';
import { findLoginError } from '../../nodes/shared/errors';

const node = { id: '1', name: 'Kaseya VSA', type: 'n8n-nodes-kaseya-veeam.kaseyaVsa', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
const login = () =>
	new LoginError({ message: 'Kaseya VSA login failed: wrong username or password', description: 'Check the username and password.', httpCode: '401', serverText: 'Invalid credentials' });

describe('findLoginError', () => {
	it('finds the LoginError in the cause chain (n8n 2.x)', () => {
		const found = findLoginError(new NodeApiError(node, login() as unknown as JsonObject));
		expect(found).toEqual({
			message: 'Kaseya VSA login failed: wrong username or password',
			description: 'Check the username and password.',
			httpCode: '401',
			serverText: 'Invalid credentials',
		});
	});

	it('a LoginError wrapped by NodeApiError keeps its own message (no httpCode for n8n to map to a generic text)', () => {
		expect(new NodeApiError(node, login() as unknown as JsonObject).message).toBe('Kaseya VSA login failed: wrong username or password');
	});

	it('recovers message, advice and code from an n8n 1.x wrap that lost the cause', () => {
		const wrapped = Object.assign(new Error('Authorization failed - please check your credentials'), {
			name: 'NodeApiError',
			cause: undefined,
			messages: ['Kaseya VSA login failed: wrong username or password'],
			description: 'Check the username and password.',
			httpCode: '401',
		});
		expect(findLoginError(wrapped)).toEqual({
			message: 'Kaseya VSA login failed: wrong username or password',
			description: 'Check the username and password.',
			httpCode: '401',
		});
	});

	it('does not take an ordinary HTTP failure for a login error', () => {
		const wrapped = Object.assign(new Error('Authorization failed - please check your credentials'), {
			messages: ['Request failed with status code 401'],
			description: 'x',
			httpCode: '401',
		});
		expect(findLoginError(wrapped)).toBeUndefined();
	});
});
