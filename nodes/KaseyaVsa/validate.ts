import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * Checks of user input, made before anything is sent. Each failure names the parameter and the bad
 * value, so a technician can find the item and the field at once.
 */
export interface InputCheck {
	node: INode;
	itemIndex: number;
}

const NUMERIC_ID = /^\d{1,30}$/;

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

/**
 * A VSA ID (15–26 digits in practice) as an exact string. Numbers are accepted only when they are
 * safe integers: a larger one has already been rounded by JavaScript, so it must come as text.
 */
export function requireNumericId(check: InputCheck, label: string, value: unknown): string {
	if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
	if (typeof value === 'number') {
		throw inputError(
			check,
			`${label}: ${showValue(value)} is not an exact VSA ID`,
			'VSA IDs are up to 26 digits long, more than a JavaScript number holds exactly, so this one has already been rounded. Pass the ID as text: the IDs this node outputs are already text.',
		);
	}
	const text = typeof value === 'string' ? value.trim() : '';
	if (!NUMERIC_ID.test(text)) {
		throw inputError(
			check,
			`${label}: "${showValue(value ?? '')}" is not a valid VSA ID`,
			`${label} must be a numeric VSA ID made of digits only, such as 979868787875855. Check the value or the expression that produced it.`,
		);
	}
	return text;
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
