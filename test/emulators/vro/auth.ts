/**
 * OAuth2 token endpoints per generation (evidence table rows "credential login"): `/v1/Accounts/Token`, `/v2/Token`, `/token`, `/api/token`.
 * Error bodies follow the OWIN OAuth server that VAO's `/token` style implies (`{"error":"invalid_grant",
 * "error_description":…}`, 400) — the real bodies are not documented (unverified).
 */
import { randomBytes } from 'node:crypto';
import type { Clock, EmulatorRequest, EmulatorResponse } from '../common/server';
import type { ClientAccount, Role, User, VroStore } from './store';
import { REALMS, realmCovers, type Realm, type VroVersion } from './versions';

export interface Principal {
	user: User;
	/** Set when authenticated with client credentials (child client account). */
	clientId: string | null;
	realm: Realm;
	access: string;
}

interface TokenRecord {
	value: string;
	realm: Realm;
	user: User;
	clientId: string | null;
	expiresAt: number;
	/** Access and refresh token of one login/refresh share a pair id, so logout can end both. */
	pair: number;
}

export interface TokenLifetimes {
	/** Access token lifetime on v3+ (default 900 s: VAO 4.0+ example `expires_in: 899`, VRO default 15 min). */
	accessSec: number;
	/** Access token lifetime on v1/v2 (default 3600 s: VAO 1.0 example `expires_in: 3599`; v2 unverified). */
	legacyAccessSec: number;
	/** Refresh token lifetime (default 120 min, VRO default; earlier versions unverified). */
	refreshSec: number;
}

export interface AuthOptions {
	lifetimes: TokenLifetimes;
	/** A new password login revokes the same user's earlier tokens (the documented interference warning). */
	singleSession: boolean;
	/** Add OWIN-style `.issued`/`.expires`/`userName` to token responses (never shown in VAO/VRO examples). */
	owinExtras: boolean;
}

export interface AuthCounters {
	passwordLogins: number;
	refreshGrants: number;
	clientCredentialGrants: number;
	failedTokenRequests: number;
	logouts: number;
}

/** Roles that may use the API, per generation (authorization.html of each version). */
const ROLES: Record<Realm, Role[]> = {
	v1: ['Administrator', 'PlanAuthor'], // Site Administrator / Failover Plan Author
	v2: ['Administrator', 'PlanAuthor'], // VAO Administrator / Plan Author
	token: ['Administrator', 'PlanAuthor'], // Orchestrator Administrator / Plan Author
	apiToken: ['Administrator', 'PlanAuthor', 'PlanOperator'], // + Plan Operator (VRO 7+)
};

const GRANTS: Record<Realm, string[]> = {
	v1: ['password', 'refresh_token'],
	v2: ['password', 'refresh_token', 'client_credentials'],
	token: ['password', 'refresh_token', 'client_credentials'],
	apiToken: ['password', 'refresh_token', 'client_credentials', 'mfa'],
};

/** Web API 2's default 401 body; the VAO/VRO 401 body itself is not documented (unverified). */
export const UNAUTHORIZED_BODY = { Message: 'Authorization has been denied for this request.' };

function oauthError(error: string, description?: string): EmulatorResponse {
	return {
		status: 400,
		headers: { 'Cache-Control': 'no-cache', Pragma: 'no-cache' },
		body: description ? { error, error_description: description } : { error },
	};
}

export class AuthService {
	readonly counters: AuthCounters = { passwordLogins: 0, refreshGrants: 0, clientCredentialGrants: 0, failedTokenRequests: 0, logouts: 0 };
	private readonly access = new Map<string, TokenRecord>();
	private readonly refresh = new Map<string, TokenRecord>();
	private pairs = 0;

	constructor(private readonly store: VroStore, private readonly clock: Clock, public options: AuthOptions) {}

	/** Handler for one realm's token path. */
	tokenHandler(realm: Realm) {
		return (req: EmulatorRequest): EmulatorResponse => {
			const res = this.token(realm, req);
			if (res.status !== 200) this.counters.failedTokenRequests++;
			return res;
		};
	}

	private token(realm: Realm, req: EmulatorRequest): EmulatorResponse {
		const form = this.readForm(realm, req);
		if (!form) {
			// OWIN reads the body as a form whatever the Content-Type; we are stricter on purpose so a client that
			// sends JSON fails here rather than against a server that rejects it (the brief asks to validate).
			return oauthError('invalid_request', 'The token request must be sent as application/x-www-form-urlencoded.');
		}
		const grant = form.grant_type;
		if (!grant || !GRANTS[realm].includes(grant)) return oauthError('unsupported_grant_type');
		if (grant === 'password') return this.passwordGrant(realm, form);
		if (grant === 'refresh_token') return this.refreshGrant(realm, form);
		if (grant === 'client_credentials') return this.clientGrant(realm, form);
		// MFA (v7.21+) needs an MFA-enabled account; none is seeded, so every mfa_token is unknown.
		return oauthError('invalid_grant', 'The MFA token is invalid or expired.');
	}

	/** Form-urlencoded everywhere; `/api/token` also accepts multipart/form-data (references/vro/7.2/rest/7.2.1/tag/Token, references/vro/13/rest/tag/Token). */
	private readForm(realm: Realm, req: EmulatorRequest): Record<string, string> | undefined {
		const ct = String(req.headers['content-type'] ?? '').toLowerCase();
		if (ct.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(req.rawBody.toString('utf8')));
		if (realm === 'apiToken' && ct.startsWith('multipart/form-data')) return parseMultipart(req.rawBody, ct);
		return undefined;
	}

	private passwordGrant(realm: Realm, form: Record<string, string>): EmulatorResponse {
		const user = this.findUser(realm, form.username ?? '');
		if (!user || user.password !== form.password) return oauthError('invalid_grant', 'The user name or password is incorrect.');
		// The documented role requirement is enforced at login (where the reference states it); body unverified.
		if (!ROLES[realm].includes(user.role)) return oauthError('invalid_grant', 'The user does not have permissions to access the Orchestrator REST API.');
		if (this.options.singleSession) this.revokeWhere((t) => t.user === user && t.clientId === null);
		this.counters.passwordLogins++;
		return this.issue(realm, user, null, true);
	}

	private refreshGrant(realm: Realm, form: Record<string, string>): EmulatorResponse {
		const rec = this.refresh.get(form.refresh_token ?? '');
		if (!rec || rec.realm !== realm || rec.expiresAt <= this.clock.now()) return oauthError('invalid_grant');
		// Single use: the refresh call returns "a new pair of tokens" (S3); the old refresh token dies.
		this.refresh.delete(rec.value);
		this.counters.refreshGrants++;
		return this.issue(realm, rec.user, rec.clientId, true);
	}

	private clientGrant(realm: Realm, form: Record<string, string>): EmulatorResponse {
		const client = this.store.clients.find((c) => c.clientId.toLowerCase() === (form.client_id ?? '').toLowerCase());
		if (!client || client.clientSecret !== form.client_secret) return oauthError('invalid_client');
		const owner = this.store.user(client.ownerUser);
		if (!owner || !ROLES[realm].includes(owner.role)) return oauthError('invalid_client');
		this.counters.clientCredentialGrants++;
		// No refresh token for client credentials (RFC 6749 §4.4.3; VAO behaviour unverified): re-authenticate instead.
		return this.issue(realm, owner, client.clientId, false);
	}

	/** `DOMAIN\USERNAME` is required up to VDRO 6; VRO 7+ also accepts plain `USERNAME` (archive/vao/40/restapi/authorization.html, docs/vro/rest/authorization.html). */
	private findUser(realm: Realm, username: string): User | undefined {
		if (username.includes('\\')) return this.store.user(username);
		if (realm !== 'apiToken' || !username) return undefined;
		return this.store.users.find((u) => u.name.split('\\')[1]?.toLowerCase() === username.toLowerCase());
	}

	private issue(realm: Realm, user: User, clientId: string | null, withRefresh: boolean): EmulatorResponse {
		const now = this.clock.now();
		const pair = ++this.pairs;
		const lifeSec = realm === 'v1' || realm === 'v2' ? this.options.lifetimes.legacyAccessSec : this.options.lifetimes.accessSec;
		const access: TokenRecord = { value: randomBytes(48).toString('base64url'), realm, user, clientId, expiresAt: now + lifeSec * 1000, pair };
		this.access.set(access.value, access);
		const body: Record<string, unknown> = {
			access_token: access.value,
			token_type: 'bearer',
			// The server rounds down the remaining lifetime (examples show 3599 / 899).
			expires_in: Math.max(0, lifeSec - 1),
		};
		if (withRefresh) {
			const refresh: TokenRecord = { ...access, value: randomBytes(32).toString('hex'), expiresAt: now + this.options.lifetimes.refreshSec * 1000 };
			this.refresh.set(refresh.value, refresh);
			body.refresh_token = refresh.value;
		}
		// VAO 2.0 returns the user's "root client" id with a password login (archive/vao/20/restapi/authorization_example.html); field name unverified.
		if (realm === 'v2' && clientId === null) body.client_id = user.rootClientId;
		if (this.options.owinExtras) {
			body.userName = user.name;
			body['.issued'] = new Date(now).toUTCString();
			body['.expires'] = new Date(access.expiresAt).toUTCString();
		}
		return { status: 200, headers: { 'Cache-Control': 'no-cache', Pragma: 'no-cache', Expires: '-1' }, body };
	}

	/** Bearer check for an API call of version `v`; returns the caller or a 401 response. */
	authenticate(req: EmulatorRequest, v: VroVersion): Principal | EmulatorResponse {
		const header = String(req.headers.authorization ?? '');
		const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
		const reason = (why: string): EmulatorResponse => ({
			status: 401,
			headers: { 'WWW-Authenticate': 'Bearer', 'X-Emulator-Reason': why },
			body: UNAUTHORIZED_BODY,
		});
		if (!m) return reason('missing bearer token');
		const rec = this.access.get(m[1]);
		if (!rec) return reason('unknown or revoked token');
		if (rec.expiresAt <= this.clock.now()) return reason('expired token');
		if (!realmCovers(rec.realm, v)) return reason(`token from ${REALMS[rec.realm].path} is not valid for API ${v}`);
		return { user: rec.user, clientId: rec.clientId, realm: rec.realm, access: rec.value };
	}

	/** v1 logout ends the session: its access token and the refresh token issued with it. */
	logout(p: Principal): void {
		const rec = this.access.get(p.access);
		if (!rec) return;
		this.revokeWhere((t) => t.pair === rec.pair);
		this.counters.logouts++;
	}

	createClient(p: Principal): ClientAccount {
		const client: ClientAccount = {
			clientId: this.store.guid(),
			clientSecret: randomBytes(24).toString('base64url'),
			ownerUser: p.user.name,
			createdAt: new Date(this.clock.now()).toISOString(),
		};
		this.store.clients.push(client);
		return client;
	}

	clientsOf(p: Principal): ClientAccount[] {
		return this.store.clients.filter((c) => c.ownerUser.toLowerCase() === p.user.name.toLowerCase());
	}

	deleteClient(p: Principal, clientId: string): boolean {
		const client = this.clientsOf(p).find((c) => c.clientId.toLowerCase() === clientId.toLowerCase());
		if (!client) return false;
		this.store.clients.splice(this.store.clients.indexOf(client), 1);
		this.revokeWhere((t) => t.clientId === client.clientId);
		return true;
	}

	expireAccessTokens(): void {
		const past = this.clock.now() - 1;
		for (const t of this.access.values()) t.expiresAt = Math.min(t.expiresAt, past);
	}

	expireRefreshTokens(): void {
		const past = this.clock.now() - 1;
		for (const t of this.refresh.values()) t.expiresAt = Math.min(t.expiresAt, past);
	}

	revokeAll(): void {
		this.revokeWhere(() => true);
	}

	private revokeWhere(pred: (t: TokenRecord) => boolean): void {
		for (const map of [this.access, this.refresh]) {
			for (const [k, t] of map) if (pred(t)) map.delete(k);
		}
	}

	stats(): { accessTokens: number; refreshTokens: number; liveAccessTokens: number } {
		const now = this.clock.now();
		return {
			accessTokens: this.access.size,
			refreshTokens: this.refresh.size,
			liveAccessTokens: [...this.access.values()].filter((t) => t.expiresAt > now).length,
		};
	}
}

/** Minimal multipart/form-data reader for text fields. */
function parseMultipart(raw: Buffer, contentType: string): Record<string, string> | undefined {
	const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
	if (!m) return undefined;
	const boundary = `--${m[1] ?? m[2]}`;
	const out: Record<string, string> = {};
	for (const part of raw.toString('utf8').split(boundary)) {
		const idx = part.indexOf('\r\n\r\n');
		if (idx < 0) continue;
		const name = /name="([^"]*)"/i.exec(part.slice(0, idx));
		if (name) out[name[1]] = part.slice(idx + 4).replace(/\r\n$/, '');
	}
	return out;
}
