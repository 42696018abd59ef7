import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * Checks of user input, made before anything is sent. Each failure names the parameter and the bad
 * value, so a technician can find the item and the field at once. Product-neutral: a product adds its
 * own ID rule (a VSA numeric ID, a VSPC UID) next to these.
 */
export interface InputCheck {
	node: INode;
	itemIndex: number;
}

/** Shows a value in an error message without flooding it. */
export function showValue(value: unknown): string {
	let text: string;
	if (typeof value === 'string') text = value;
	else {
		try {
			text = JSON.stringify(value) ?? String(value);
		} catch {
			text = String(value);
		}
	}
	return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

export function inputError(check: InputCheck, message: string, description: string): NodeOperationError {
	return new NodeOperationError(check.node, message, { itemIndex: check.itemIndex, description });
}

/** A value for an `options` parameter that may also come from an expression. */
export function requireOption(check: InputCheck, label: string, value: unknown, allowed: readonly string[]): string {
	const text = String(value ?? '');
	if (!allowed.includes(text)) {
		throw inputError(check, `${label}: "${showValue(value ?? '')}" is not a valid choice`, `Use one of: ${allowed.join(', ')}.`);
	}
	return text;
}

/** Text that goes into a path segment or body and must not be empty. */
export function requireText(check: InputCheck, label: string, value: unknown): string {
	const text = value === undefined || value === null ? '' : String(value).trim();
	if (text === '') throw inputError(check, `${label} is empty`, `Enter a value for ${label}.`);
	return text;
}
