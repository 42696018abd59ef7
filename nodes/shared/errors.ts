import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { findInCauses, isLoginFailureMessage, LOGIN_ERROR_NAME, quoteServerText } from '../../credentials/shared/loginError';

export { findErrorCode, findInCauses, isTlsErrorCode } from '../../credentials/shared/loginError';

/**
 * Every failure a user meets becomes a NodeApiError/NodeOperationError with what happened
 * (`message`) and what to do (`description`). The JSON given to NodeApiError is built here from
 * plain facts (status, server text) — never the raw request, which carries the Authorization header.
 */
export interface ApiFailure {
	message: string;
	description: string;
	httpCode?: number | string;
	serverText?: string;
	itemIndex?: number;
}

export function apiError(node: INode, failure: ApiFailure): NodeApiError {
	const serverText = quoteServerText(failure.serverText);
	const body: JsonObject = { message: failure.message };
	if (failure.httpCode !== undefined) body.httpCode = String(failure.httpCode);
	if (serverText) body.serverMessage = serverText;
	const description = serverText ? `${failure.description} Server said: "${serverText}"` : failure.description;
	const error = new NodeApiError(node, body, {
		message: failure.message,
		description,
		httpCode: failure.httpCode !== undefined ? String(failure.httpCode) : undefined,
		itemIndex: failure.itemIndex,
	});
	return keepMessage(error, failure.message);
}

export function operationError(node: INode, message: string, description: string, itemIndex?: number): NodeOperationError {
	return keepMessage(new NodeOperationError(node, message, { description, itemIndex }), message);
}

/**
 * n8n's error constructors replace any message that merely contains a Node error code (ECONNRESET,
 * ETIMEDOUT, ECONNREFUSED, …) with a generic text such as "…You can retry the request immediately".
 * Ours already say what happened and what to do — for a write whose connection broke, that it may
 * have been applied and must not simply be retried — so the message is put back.
 */
function keepMessage<T extends NodeApiError | NodeOperationError>(error: T, message: string): T {
	error.message = message;
	return error;
}

export function findLoginError(error: unknown): { message: string; description: string; httpCode?: string; serverText?: string } | undefined {
	const thrown = findInCauses(error, (e) => (e?.name === LOGIN_ERROR_NAME ? e : undefined));
	if (thrown) {
		// Named fields: `message` of an Error instance is not enumerable; the status is `loginHttpCode` (see LoginError).
		return { message: thrown.message, description: thrown.description, httpCode: thrown.loginHttpCode ?? thrown.httpCode, serverText: thrown.serverText };
	}
	// n8n 1.x wraps what preAuthentication throws in a NodeApiError that loses it: ExecutionBaseError
	// declares a `cause` class field, whose initialiser erases the cause the Error constructor set
	// (n8n-workflow 1.x dist/cjs/errors/abstract/execution-base.error.js). What survives: the message
	// (and in `messages`) and the advice in `description`; the status and the server's quoted text do not.
	return findInCauses(error, (e) => {
		const message = Array.isArray(e?.messages) ? (e.messages as unknown[]).find(isLoginFailureMessage) : undefined;
		if (!message) return undefined;
		return { message, description: typeof e.description === 'string' ? e.description : '', httpCode: e.httpCode ? String(e.httpCode) : undefined };
	});
}

/** Keeps n8n errors as they are (they already say what happened); wraps anything else. */
export function toNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error, { itemIndex });
}
