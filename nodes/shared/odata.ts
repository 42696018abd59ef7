/**
 * OData literals for $filter. Values come from item data, so they are always quoted/escaped here:
 * a value can never close its string and add `or 1 eq 1`.
 */
export function odataString(value: unknown): string {
	return `'${String(value ?? '').replace(/'/g, "''")}'`;
}

/** Integer IDs as VSA's decimal literal (`123M`), keeping 15–26-digit values exact. Rejects non-IDs. */
export function odataId(value: unknown): string {
	const text = String(value ?? '').trim();
	if (!/^-?\d{1,30}$/.test(text)) throw new Error(`"${text}" is not a numeric ID`);
	return `${text}M`;
}

export function odataNumber(value: unknown): string {
	const text = String(value ?? '').trim();
	if (!/^-?\d+(\.\d+)?$/.test(text)) throw new Error(`"${text}" is not a number`);
	return text;
}

export function odataBoolean(value: unknown): string {
	return value === true || value === 'true' ? 'true' : 'false';
}

/** Field names are fixed by our node descriptions; still refuse anything that is not a bare name. */
export function odataField(name: string): string {
	if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`"${name}" is not a field name`);
	return name;
}

export function andFilters(parts: Array<string | undefined>): string | undefined {
	const present = parts.filter((p): p is string => !!p && p.trim() !== '');
	if (present.length === 0) return undefined;
	if (present.length === 1) return present[0];
	return present.map((p) => `(${p})`).join(' and ');
}

/**
 * A timestamp as an OData v3 DateTime literal (`DATETIME'2024-06-01T12:00:00.123'`, as PsKaseya
 * sends it). Meant for values the server itself returned (trigger cursors), passed back unchanged.
 */
export function odataDateTime(value: unknown): string {
	const text = String(value ?? '').trim();
	if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,7})?)?(Z|[+-]\d\d:\d\d)?$/.test(text)) throw new Error(`"${text}" is not a timestamp`);
	return `DATETIME'${text}'`;
}
