/**
 * Server URLs as technicians paste them: with or without a trailing slash, sometimes with the API
 * base path already appended. One function cleans them, one joins paths, so no caller builds `//`.
 */
export function normalizeBaseUrl(raw: string, apiSuffixes: RegExp[] = []): string {
	let url = String(raw ?? '').trim();
	url = url.replace(/[?#].*$/, '').replace(/\/+$/, '');
	for (const suffix of apiSuffixes) url = url.replace(suffix, '').replace(/\/+$/, '');
	return url;
}

export function joinUrl(base: string, ...parts: string[]): string {
	let out = base.replace(/\/+$/, '');
	for (const part of parts) {
		const clean = part.replace(/^\/+/, '').replace(/\/+$/, '');
		if (clean) out += `/${clean}`;
	}
	return out;
}

/** Validates a base URL so a typo fails with advice rather than an opaque socket error. */
export function baseUrlProblem(url: string): string | undefined {
	if (!url) return 'The server URL is empty.';
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return `"${url}" is not a valid URL. Enter it as https://vsa.example.com (with :port if the server uses one).`;
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
		return `"${url}" must start with https:// (or http:// for a test server).`;
	}
	return undefined;
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
