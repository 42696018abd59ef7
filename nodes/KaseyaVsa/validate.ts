import type { InputCheck } from '../shared/validate';
import { inputError, showValue } from '../shared/validate';

// The product-neutral checks live in nodes/shared/validate.ts; this file adds VSA's ID rule.
export type { InputCheck } from '../shared/validate';
export { inputError, requireOption, requireText, showValue } from '../shared/validate';

const NUMERIC_ID = /^\d{1,30}$/;

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
