/**
 * Joining paths without building `//`, and filling route templates with encoded segments. (Server
 * URLs as technicians paste them are cleaned by each credential's own server-root function.)
 */
export function joinUrl(base: string, ...parts: string[]): string {
	let out = base.replace(/\/+$/, '');
	for (const part of parts) {
		const clean = part.replace(/^\/+/, '').replace(/\/+$/, '');
		if (clean) out += `/${clean}`;
	}
	return out;
}

/** Encodes one path segment (an ID, a name) so item data cannot add path segments or query strings. */
export function pathSegment(value: unknown): string {
	return encodeURIComponent(String(value ?? ''));
}

/** Fills `{name}` placeholders in a route template with encoded values. */
export function fillPath(template: string, values: Record<string, unknown>): string {
	return template.replace(/\{(\w+)\}/g, (_, name: string) => {
		if (!(name in values)) throw new Error(`missing path parameter ${name}`);
		return pathSegment(values[name]);
	});
}
