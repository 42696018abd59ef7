/**
 * Regression for a bug this suite found: n8n's NodeApiError/NodeOperationError replace any message
 * that contains a Node error code (ECONNRESET, ETIMEDOUT, …) with a generic text ("…You can retry the
 * request immediately"), which erased "the change may have been applied" from a broken write.
 */
import { apiError, operationError } from '../../nodes/shared/errors';

const node = { id: '1', name: 'Kaseya VSA', type: 'kaseyaVsa', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };

describe('our error messages survive n8n error constructors', () => {
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
