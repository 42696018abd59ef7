/**
 * Secret scanner of the reliability suite, exported for the end-to-end suite (which scans n8n's log
 * file with it). Collect every secret a run could leak — test passwords, PATs, client secrets,
 * session/access/refresh tokens, challenge-hash values — from the emulators' state and request logs
 * and from the credential data, then scan anything (node output, errors with their whole `cause`
 * chain and `context`, node/credential descriptions, log text) for them.
 *
 *   const secrets = new SecretSet().addVsa(vsa).addVro(vro).addVspc(vspc).addCredential(h.credentialData(id));
 *   const hits = secrets.scan({ output, error });   // [] when nothing leaked
 *
 * Values are also searched in the encodings a leak would take: URL-encoded, JSON-escaped, Base64.
 * All-digit values (VSA session tokens are 8 digits) only match when not part of a longer number,
 * so a 15-digit agent id that happens to contain them is not a false hit.
 */

export interface Secret {
	/** What it is and where it came from, e.g. "vsa session token". Never the value. */
	kind: string;
	value: string;
}

export interface SecretHit {
	kind: string;
	/** How the value appeared: plain, url-encoded, json-escaped, base64. */
	encoding: string;
	/** Where in the scanned text (a few characters around the hit, the secret itself masked). */
	around: string;
}

/** Values shorter than this are not treated as secrets (they would match ordinary words). */
export const MIN_SECRET_LENGTH = 6;

/** Minimal shapes of the emulators, so this file can be used without importing them. */
export interface VsaLike {
	store: {
		credentials: Map<string, { username: string; sha256Temp?: string; sha1Temp?: string; pats: Array<{ token: string }> }>;
	};
	auth: { sessions: Map<string, { token: string; apiToken: string }> };
	log: Array<{ path: string; headers: Record<string, unknown>; body?: unknown }>;
}

export interface VroLike {
	store: { users: Array<{ name: string; password: string }>; clients: Array<{ clientId: string; clientSecret: string }> };
	log?: Array<{ path: string; headers: Record<string, unknown>; body?: unknown }>;
	requests?: () => Array<{ path: string; headers: Record<string, unknown>; body?: unknown }>;
}

export interface VspcLike {
	store: { users: Array<{ userName: string; password: string }>; apiKeys: Array<{ key: string }> };
	auth: { access: Map<string, unknown>; refresh: Map<string, unknown> };
	emulator: { log: Array<{ path: string; headers: Record<string, unknown>; body?: unknown }> };
}

const CHALLENGE_KEYS = ['pass1', 'pass2', 'rpass1', 'rpass2', 'twofapass'];

export class SecretSet {
	private readonly map = new Map<string, string>();
	/** Values that are public in this test setup (usernames, ids) and must never count as secrets. */
	private readonly publicValues = new Set<string>();

	get size(): number {
		return this.map.size;
	}

	list(): Secret[] {
		return [...this.map].map(([value, kind]) => ({ kind, value }));
	}

	/** Declares a public value (e.g. a username equal to its password) that is not scanned for. */
	allow(value: string | undefined): this {
		if (value) this.publicValues.add(value);
		return this;
	}

	add(kind: string, value: unknown): this {
		if (value === undefined || value === null) return this;
		const text = String(value);
		if (text.length < MIN_SECRET_LENGTH) return this;
		if (!this.map.has(text)) this.map.set(text, kind);
		return this;
	}

	/** Every secret field of an n8n credential's data (VSA, Orchestrator or VSPC). */
	addCredential(data: Record<string, unknown> | undefined, label = 'credential'): this {
		if (!data) return this;
		for (const key of ['password', 'personalAccessToken', 'clientSecret', 'apiKey', 'sessionToken', 'accessToken', 'refreshToken']) {
			this.add(`${label} ${key}`, data[key]);
		}
		return this;
	}

	/** Passwords of seeded users (the VSA store keeps only hashes of them). */
	addPasswords(users: Array<{ username?: string; name?: string; password?: string; pats?: unknown[] }>, label: string): this {
		for (const u of users) {
			if (u.password && u.password !== (u.username ?? u.name)) this.add(`${label} password`, u.password);
			for (const p of u.pats ?? []) this.add(`${label} PAT`, typeof p === 'string' ? p : (p as { token?: string })?.token);
		}
		return this;
	}

	/**
	 * The VSA emulator: PATs and stored password hashes, every session's Token and ApiToken, and from
	 * the request log every Authorization header of GET /auth (the Base64 blob, and for a challenge
	 * hash its pass1/pass2/rpass1/rpass2 values) and every Bearer value sent.
	 */
	addVsa(vsa: VsaLike): this {
		for (const cred of vsa.store.credentials.values()) {
			this.add('vsa stored SHA-256 covered hash', cred.sha256Temp);
			this.add('vsa stored SHA-1 covered hash', cred.sha1Temp);
			for (const pat of cred.pats) this.add('vsa PAT', pat.token);
		}
		for (const s of vsa.auth.sessions.values()) {
			this.add('vsa session token', s.token);
			this.add('vsa api token', s.apiToken);
		}
		for (const entry of vsa.log) this.addAuthorization(entry.headers?.authorization, 'vsa');
		return this;
	}

	/**
	 * The Orchestrator emulator: user passwords, client secrets, the access and refresh tokens it holds
	 * (its token maps), and tokens sent as Bearer or in refresh grants (its request log, which also
	 * covers tokens revoked since).
	 */
	addVro(vro: VroLike): this {
		for (const u of vro.store.users) this.add('vro password', u.password);
		for (const c of vro.store.clients) this.add('vro client secret', c.clientSecret);
		const auth = (vro as { auth?: { access?: unknown; refresh?: unknown } }).auth;
		for (const [kind, map] of [['vro access token', auth?.access], ['vro refresh token', auth?.refresh]] as const) {
			if (map instanceof Map) for (const value of map.keys()) this.add(kind, value);
		}
		const log = vro.log ?? vro.requests?.() ?? [];
		for (const entry of log) {
			this.addAuthorization(entry.headers?.authorization, 'vro');
			const body = entry.body as Record<string, unknown> | undefined;
			if (body && typeof body === 'object') {
				this.add('vro password (token request)', body.password);
				this.add('vro client secret (token request)', body.client_secret);
				this.add('vro refresh token (token request)', body.refresh_token);
				this.add('vro mfa token', body.mfa_token);
			}
		}
		return this;
	}

	/**
	 * The Service Provider Console emulator: user passwords, API keys, the access and refresh tokens it
	 * holds, and from its request log every Bearer value and every password, refresh token or MFA token
	 * posted to /token (which also covers tokens revoked or traded in since).
	 */
	addVspc(vspc: VspcLike): this {
		for (const u of vspc.store.users) this.add('vspc password', u.password);
		for (const k of vspc.store.apiKeys) this.add('vspc API key', k.key);
		for (const value of vspc.auth.access.keys()) this.add('vspc access token', value);
		for (const value of vspc.auth.refresh.keys()) this.add('vspc refresh token', value);
		for (const entry of vspc.emulator.log) {
			this.addAuthorization(entry.headers?.authorization, 'vspc');
			const body = entry.body as Record<string, unknown> | undefined;
			if (body && typeof body === 'object') {
				this.add('vspc password (token request)', body.password);
				this.add('vspc refresh token (token request)', body.refresh_token);
				this.add('vspc mfa token', body.mfa_token);
			}
		}
		return this;
	}

	/** Records tokens from a token endpoint's JSON answer (see trackIssuedTokens in support). */
	addTokenResponse(body: Record<string, unknown>, label: string): this {
		this.add(`${label} access token`, body.access_token);
		this.add(`${label} refresh token`, body.refresh_token);
		return this;
	}

	private addAuthorization(header: unknown, product: string): void {
		const value = Array.isArray(header) ? header[0] : header;
		if (typeof value !== 'string') return;
		const bearer = /^Bearer\s+(\S+)/i.exec(value);
		if (bearer) {
			this.add(`${product} bearer token`, bearer[1]);
			return;
		}
		const basic = /^Basic\s+(\S+)/i.exec(value);
		if (!basic) return;
		this.add(`${product} Basic authorization blob`, basic[1]);
		const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
		if (/^[A-Za-z0-9]+=/.test(decoded)) {
			for (const part of decoded.split(',')) {
				const eq = part.indexOf('=');
				const key = part.slice(0, eq);
				if (CHALLENGE_KEYS.includes(key)) this.add(`${product} challenge hash ${key}`, part.slice(eq + 1));
			}
		} else {
			const colon = decoded.indexOf(':');
			if (colon > 0) this.add(`${product} Basic secret`, decoded.slice(colon + 1));
		}
	}

	/** Scans any value (serialised deeply, errors included) for every secret. */
	scan(target: unknown): SecretHit[] {
		const text = typeof target === 'string' ? target : serializeDeep(target);
		return scanText(text, this.list().filter((s) => !this.publicValues.has(s.value)));
	}
}

function variants(value: string): Array<[string, string]> {
	const out: Array<[string, string]> = [['plain', value]];
	const push = (encoding: string, v: string) => {
		if (v && v !== value && !out.some(([, x]) => x === v)) out.push([encoding, v]);
	};
	push('url-encoded', encodeURIComponent(value));
	push('json-escaped', JSON.stringify(value).slice(1, -1));
	push('base64', Buffer.from(value, 'utf8').toString('base64').replace(/=+$/, ''));
	return out;
}

export function scanText(text: string, secrets: Secret[]): SecretHit[] {
	const hits = scanPlain(text, secrets);
	// Secrets inside a longer Base64 run (an echoed or truncated Authorization header): decode and scan.
	for (const m of text.matchAll(/[A-Za-z0-9+/]{16,}={0,2}/g)) {
		const decoded = Buffer.from(m[0].slice(0, m[0].length - (m[0].replace(/=+$/, '').length % 4 === 1 ? 1 : 0)), 'base64').toString('utf8');
		if (!/^[\x20-\x7e]{8,}/.test(decoded)) continue;
		for (const hit of scanPlain(decoded, secrets)) {
			if (hit.encoding !== 'plain' || hits.some((h) => h.kind === hit.kind)) continue;
			hits.push({ ...hit, encoding: 'inside base64' });
		}
	}
	return hits;
}

function scanPlain(text: string, secrets: Secret[]): SecretHit[] {
	const hits: SecretHit[] = [];
	for (const secret of secrets) {
		for (const [encoding, needle] of variants(secret.value)) {
			if (needle.length < MIN_SECRET_LENGTH) continue;
			const digits = /^\d+$/.test(needle);
			let from = 0;
			for (;;) {
				const at = text.indexOf(needle, from);
				if (at < 0) break;
				from = at + 1;
				if (digits && (/\d/.test(text[at - 1] ?? '') || /\d/.test(text[at + needle.length] ?? ''))) continue;
				const around = `${text.slice(Math.max(0, at - 40), at)}<${secret.kind}>${text.slice(at + needle.length, at + needle.length + 40)}`;
				hits.push({ kind: secret.kind, encoding, around });
				break;
			}
		}
	}
	return hits;
}

/**
 * JSON-like text of anything, including what JSON.stringify drops: an Error's non-enumerable
 * message/stack/description, its `cause` chain, n8n's `context`, getters' values, Maps, Sets and
 * Buffers (as UTF-8). Cycles are cut.
 */
export function serializeDeep(value: unknown, maxChars = 200_000_000): string {
	const seen = new WeakSet<object>();
	const parts: string[] = [];
	let size = 0;
	const emit = (s: string) => {
		if (size > maxChars) return;
		parts.push(s);
		size += s.length;
	};
	const walk = (v: unknown, depth: number): void => {
		if (v === null || v === undefined) return emit(String(v));
		if (typeof v === 'string') return emit(JSON.stringify(v));
		if (typeof v !== 'object' && typeof v !== 'function') return emit(String(v));
		if (typeof v === 'function') return emit('[function]');
		const o = v as object;
		if (seen.has(o) || depth > 40) return emit('[seen]');
		seen.add(o);
		if (Buffer.isBuffer(o)) return emit(JSON.stringify(o.toString('utf8')));
		if (o instanceof Map) {
			emit('Map{');
			for (const [k, x] of o) {
				walk(k, depth + 1);
				emit(':');
				walk(x, depth + 1);
				emit(',');
			}
			return emit('}');
		}
		if (o instanceof Set) return walk([...o], depth);
		if (Array.isArray(o)) {
			emit('[');
			for (const x of o) {
				walk(x, depth + 1);
				emit(',');
			}
			return emit(']');
		}
		emit('{');
		const keys = new Set<string>(Object.keys(o));
		if (o instanceof Error) for (const k of ['name', 'message', 'stack', 'description', 'cause', 'context', 'code', 'errors', 'reason']) keys.add(k);
		for (const k of Object.getOwnPropertyNames(o)) keys.add(k);
		for (const k of keys) {
			let x: unknown;
			try {
				x = (o as Record<string, unknown>)[k];
			} catch {
				continue;
			}
			if (x === undefined) continue;
			emit(`${JSON.stringify(k)}:`);
			walk(x, depth + 1);
			emit(',');
		}
		emit('}');
	};
	walk(value, 0);
	return parts.join('');
}
