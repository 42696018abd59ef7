/**
 * Server URLs as technicians paste them: with a trailing slash, a query string, or the API base or
 * token path already appended. Each credential cleans them with its product's suffix pattern, in code
 * (login, nodes) and in the n8n expression of its credential test, both built from the same pattern
 * so that the two cannot drift apart.
 */
export function serverRoot(baseUrl: unknown, apiSuffix: RegExp): string {
	return String(baseUrl ?? '')
		.trim()
		.replace(/[?#].*$/, '')
		.replace(/\/+$/, '')
		.replace(apiSuffix, '')
		.replace(/\/+$/, '');
}

/** The same cleaning as an n8n expression over `$credentials.baseUrl`, for a credential test's `baseURL`. */
export function serverRootExpression(apiSuffix: RegExp): string {
	return `={{$credentials.baseUrl.trim().replace(/[?#].*$/, "").replace(/\\/+$/, "").replace(${apiSuffix.toString()}, "").replace(/\\/+$/, "")}}`;
}
