/**
 * What a credential's login step throws. n8n wraps it (as `cause`) in a NodeApiError; the transport
 * finds it by name and re-raises it with this message and description. Messages quote the server's
 * own error text and never contain the password, PAT, client secret, hash values or tokens.
 */
export const LOGIN_ERROR_NAME = 'KaseyaVeeamLoginError';

/** Every LoginError message starts "<Product> login failed: …" (e.g. "Kaseya VSA login failed: wrong username or password"). */
export function isLoginFailureMessage(text: unknown): text is string {
	return typeof text === 'string' && /^[A-Z][\w .-]* login failed: /.test(text);
}

/** Walks an error's `cause` chain (n8n wraps errors thrown inside its helpers); the one walk the package has. */
export function findInCauses<T>(error: unknown, pick: (e: any) => T | undefined): T | undefined {
	let current: any = error;
	for (let depth = 0; current && depth < 8; depth++) {
		const found = pick(current);
		if (found !== undefined) return found;
		current = current.cause ?? current.reason;
	}
	return undefined;
}

/** A TLS failure (self-signed, expired, wrong host): the fix is a credential option, so say so. */
export function isTlsErrorCode(code: string | undefined): boolean {
	// Node's TLS codes (DEPTH_ZERO_SELF_SIGNED_CERT, SELF_SIGNED_CERT_IN_CHAIN, CERT_HAS_EXPIRED …) do not start with E or ERR_.
	return !!code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|DEPTH_ZERO|UNABLE_TO_GET_ISSUER/.test(code);
}

/** The network or TLS error code somewhere in the cause chain (ECONNRESET, ERR_…, CERT_HAS_EXPIRED…). */
export function findErrorCode(error: unknown): string | undefined {
	return findInCauses(error, (e) => (typeof e?.code === 'string' && (/^E[A-Z_]+$|^ERR_/.test(e.code) || isTlsErrorCode(e.code)) ? e.code : undefined));
}

export interface LoginErrorDetails {
	message: string;
	description: string;
	httpCode?: string;
	serverText?: string;
}

export class LoginError extends Error {
	readonly description: string;
	/**
	 * The login answer's HTTP status. Deliberately not `httpCode`: n8n 1.x wraps this error in a
	 * NodeApiError that reads `httpCode` and then replaces the message with its generic text for
	 * the status ("Authorization failed - please check your credentials" for 401), which is all the
	 * credential test button would show.
	 */
	readonly loginHttpCode?: string;
	readonly serverText?: string;
	constructor(details: LoginErrorDetails) {
		super(details.message);
		this.name = LOGIN_ERROR_NAME;
		this.description = details.description;
		this.loginHttpCode = details.httpCode;
		this.serverText = details.serverText;
	}
}

/** Shortens a server body for quoting: HTML pages are reduced to their title or text. */
export function quoteServerText(text: string | undefined, max = 300): string | undefined {
	if (text === undefined || text === null) return undefined;
	let t = String(text);
	const title = /<title[^>]*>([^<]*)<\/title>/i.exec(t);
	if (title) t = `HTML page "${title[1].trim()}"`;
	else if (/^\s*</.test(t)) t = t.replace(/<[^>]+>/g, ' ');
	t = t.replace(/\s+/g, ' ').trim();
	if (t.length > max) t = `${t.slice(0, max)}…`;
	return t || undefined;
}

/** Removes every occurrence of the given secret values from a text, whatever the source of the text. */
export function redact(text: string, secrets: Array<string | undefined>): string {
	let out = text;
	for (const secret of secrets) {
		if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
	}
	return out;
}

/** A login that never got an HTTP answer: TLS, DNS, refused, timeout — each with its fix. */
export function connectionLoginError(product: string, root: string, error: unknown): LoginError {
	const code = findInCauses(error, (e) => (typeof e?.code === 'string' ? (e.code as string) : undefined));
	const host = (() => {
		try {
			return new URL(root).host;
		} catch {
			return root;
		}
	})();
	if (isTlsErrorCode(code)) {
		return new LoginError({
			message: `${product} login failed: the server's TLS certificate is not trusted (${code})`,
			description: `${host} presents a self-signed or otherwise untrusted certificate. Install a trusted certificate on the server, or turn on "Ignore SSL Issues (Insecure)" in the credential if you trust this server.`,
		});
	}
	if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH') {
		return new LoginError({
			message: `${product} login failed: cannot reach ${host} (${code})`,
			description: 'Check the Server URL and port in the credential, that the server is running, and that n8n can reach it (firewall, proxy, DNS).',
		});
	}
	return new LoginError({
		message: `${product} login failed: no answer from ${host}${code ? ` (${code})` : ''}`,
		description: 'The connection broke or timed out before the server answered. Check the URL and port, and try again.',
	});
}

/** The text of a full response as n8n's helpers return it (Buffer with `encoding: 'arraybuffer'`). */
export function responseText(body: unknown): string {
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
	if (typeof body === 'string') return body;
	if (body === undefined || body === null) return '';
	return JSON.stringify(body);
}
