/**
 * VSA 9 authentication (https://help.kaseya.com/webhelp/EN/RESTAPI/9050000/37320.htm): `GET /auth` with `Authorization: Basic <payload>` where the
 * payload is Base64 of either the challenge-hash string or `username:PAT` (KAT VSAModule/private/Update-VSAConnection.ps1); every other
 * call sends `Authorization: Bearer <Token>`.
 *
 * Choices among unverified behaviours (all configurable through {@link VsaAuthOptions}):
 *  - Challenge hash: key=value pairs are parsed in any order (both published orders work: the help page's and AE functions/New-KaseyaApiAccessToken.ps1's); keys
 *    are case-sensitive as every client writes them. Only `pass2` is checked for SHA-256 users and only
 *    `pass1` for legacy SHA-1 users; `rpass1`/`rpass2`/`twofapass` are ignored (Kaseya's own sample
 *    puts covered hashes there, other clients raw hashes — both must work). Hex must be lower-case and
 *    `rand2` a decimal string, as in the documented algorithm. The server holds SHA-256(password +
 *    username) for the username as stored, so the typed username must match it exactly.
 *  - PAT: ordinary Basic `username:PAT` (username case-insensitive, GUID case-insensitive); a password
 *    in the PAT position is rejected; expired/revoked PATs or PATs without the REST API scope fail.
 *  - Session lifetime: 30 min, NOT sliding by default (the reference cannot say whether REST tokens
 *    slide; a fixed lifetime is the stricter server: clients must honour SessionExpiration or re-login
 *    on 401). `slidingExpiration: true` makes each request extend it. `maxRequestsPerToken` models the
 *    SaaS session limit behind KAT's 25,000-record renewal (KAT VSAModule/1.0.0/README.md); unlimited by default.
 *  - Bearer: `Token` is always accepted; `ApiToken` too by default (Huntress/seamless/Rust clients
 *    use it against real servers, https://help.kaseya.com/webhelp/EN/RESTAPI/9050000/33677.htm) — set `acceptApiTokenAsBearer: false` to insist on `Token`.
 *  - SessionExpiration: server-local time without zone, local = UTC − OffSetInMinutes (a JavaScript
 *    getTimezoneOffset-style value; KAT adds it back to get UTC). Default offset 0.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { Clock } from '../common/server';
import { fmtTime, sha1Hex, sha256Hex, type VsaCredential, type VsaStore } from './store';

export type AuthErrorStyle = 'mixed' | 'http' | 'body';

export interface VsaAuthOptions {
	/** Session lifetime in ms (default 30 min). */
	sessionTtlMs?: number;
	/** Extend the lifetime on every authenticated request (default false). */
	slidingExpiration?: boolean;
	/** Invalidate a token after this many authenticated requests (default unlimited). */
	maxRequestsPerToken?: number | null;
	/** Also accept `Result.ApiToken` as Bearer (default true). */
	acceptApiTokenAsBearer?: boolean;
	/**
	 * How auth failures are answered:
	 *  - 'mixed' (default): a missing `Bearer` scheme gets the documented in-body answer
	 *    `{"ResponseCode":401,"Status":"OK","Error":"None"}` with HTTP 200 (http://community.kaseya.com/xsp/f/114/t/22103.aspx); an unknown,
	 *    expired or revoked token and a failed /auth get HTTP 401 with the envelope (KAT renews on HTTP 401).
	 *  - 'http': every auth failure is HTTP 401.
	 *  - 'body': every auth failure is HTTP 200 with ResponseCode 401 in the envelope.
	 */
	authErrorStyle?: AuthErrorStyle;
	/** `OffSetInMinutes` of the /auth result (default 0). */
	timezoneOffsetMinutes?: number;
}

export const DEFAULT_AUTH_OPTIONS: Required<VsaAuthOptions> = {
	sessionTtlMs: 30 * 60 * 1000,
	slidingExpiration: false,
	maxRequestsPerToken: null,
	acceptApiTokenAsBearer: true,
	authErrorStyle: 'mixed',
	timezoneOffsetMinutes: 0,
};

export interface VsaSession {
	token: string;
	apiToken: string;
	username: string;
	userId: number;
	roleId: number;
	scopeId: string;
	method: 'hash' | 'pat';
	createdAt: number;
	expiresAt: number;
	requests: number;
	revoked: boolean;
	/** Highest AlarmId this session has been shown, for GET /assetmgmt/alarms/false (KAT VSAModule/public/Get-VSAAlarm.ps1). */
	alarmMark: number | null;
}

export type LoginResult = { ok: true; session: VsaSession } | { ok: false; error: string };
export type BearerResult =
	| { ok: true; session: VsaSession }
	| { ok: false; reason: 'missingBearer' | 'invalid' | 'expired' | 'revoked' | 'exhausted' };

/** Parse `key=value,key=value` (values may contain `=` or `:`, e.g. `twofapass=:undefined`). */
export function parseChallengePayload(decoded: string): Record<string, string> | undefined {
	const out: Record<string, string> = {};
	for (const part of decoded.split(',')) {
		const eq = part.indexOf('=');
		if (eq <= 0) return undefined;
		out[part.slice(0, eq)] = part.slice(eq + 1);
	}
	return out;
}

/** The documented algorithm (https://help.kaseya.com/webhelp/EN/RESTAPI/9050000/37320.htm), for tests and scripts that need a valid header. */
export function challengeHashPayload(username: string, password: string, rand2: string | number): string {
	const r = String(rand2);
	const fields = [
		`user=${username}`,
		`pass2=${sha256Hex(sha256Hex(password + username) + r)}`,
		`pass1=${sha1Hex(sha1Hex(password + username) + r)}`,
		`rand2=${r}`,
		`rpass2=${sha256Hex(password)}`,
		`rpass1=${sha1Hex(password)}`,
	];
	return Buffer.from(fields.join(','), 'utf8').toString('base64');
}

export class VsaAuth {
	options: Required<VsaAuthOptions>;
	readonly sessions = new Map<string, VsaSession>();
	private readonly byApiToken = new Map<string, VsaSession>();
	logins = 0;
	failedLogins = 0;

	constructor(
		private readonly store: VsaStore,
		private readonly clock: Clock,
		options: VsaAuthOptions = {},
	) {
		this.options = { ...DEFAULT_AUTH_OPTIONS, ...stripUndefined(options) };
	}

	configure(options: VsaAuthOptions): void {
		this.options = { ...this.options, ...stripUndefined(options) };
	}

	/** GET /auth. Error strings: http://community.kaseya.com/xsp/f/114/t/22103.aspx for header problems, the SOAP-era texts (https://help.kaseya.com/webhelp/EN/VSA/R8/3494.htm) otherwise. */
	login(header: string | undefined): LoginResult {
		const fail = (error: string): LoginResult => {
			this.failedLogins++;
			return { ok: false, error };
		};
		if (!header) return fail('Header missing authorization');
		const m = /^Basic\s+(\S+)\s*$/i.exec(header);
		if (!m) return fail('Header missing user param');
		const decoded = Buffer.from(m[1], 'base64').toString('utf8');
		const kv = /^[A-Za-z0-9]+=/.test(decoded) ? parseChallengePayload(decoded) : undefined;
		let cred: VsaCredential | undefined;
		let method: VsaSession['method'];
		if (kv) {
			if (!kv.user) return fail('Header missing user param');
			cred = this.store.credentials.get(kv.user.toLowerCase());
			if (!cred || !this.checkHash(cred, kv)) return fail('username/password incorrect');
			method = 'hash';
		} else {
			const colon = decoded.indexOf(':');
			if (colon <= 0) return fail('Header missing user param');
			const user = decoded.slice(0, colon);
			const pat = decoded.slice(colon + 1).toLowerCase();
			cred = this.store.credentials.get(user.toLowerCase());
			const now = this.clock.now();
			const match = cred?.pats.find((p) => p.token.toLowerCase() === pat);
			if (!cred || !match || match.revoked || !match.restApi || (match.expiresAt !== null && match.expiresAt <= now))
				return fail('username/password incorrect');
			method = 'pat';
		}
		if (cred.disabled) return fail('user disabled');
		this.logins++;
		return { ok: true, session: this.createSession(cred, method) };
	}

	private checkHash(cred: VsaCredential, kv: Record<string, string>): boolean {
		const rand = kv.rand2;
		if (rand === undefined || !/^\d+$/.test(rand)) return false;
		if (cred.sha256Temp) return kv.pass2 === sha256Hex(cred.sha256Temp + rand);
		if (cred.sha1Temp) return kv.pass1 === sha1Hex(cred.sha1Temp + rand);
		return false; // PAT-only user
	}

	private createSession(cred: VsaCredential, method: VsaSession['method']): VsaSession {
		let token: string;
		do token = String(randomInt(10_000_000, 100_000_000));
		while (this.sessions.has(token));
		const now = this.clock.now();
		const session: VsaSession = {
			token,
			apiToken: randomBytes(48).toString('base64'),
			username: cred.username,
			userId: cred.userId,
			roleId: cred.roleId,
			scopeId: cred.scopeId,
			method,
			createdAt: now,
			expiresAt: now + this.options.sessionTtlMs,
			requests: 0,
			revoked: false,
			alarmMark: null,
		};
		this.sessions.set(token, session);
		this.byApiToken.set(session.apiToken, session);
		return session;
	}

	/** The /auth `Result` object (R9.5 shape, https://help.kaseya.com/webhelp/EN/RESTAPI/9050000/33677.htm). */
	authResult(s: VsaSession): Record<string, unknown> {
		const offset = this.options.timezoneOffsetMinutes;
		return {
			TenantId: this.store.tenantId,
			Token: s.token,
			UserName: s.username,
			RoleId: s.roleId,
			ScopeId: s.scopeId,
			AdminId: s.userId,
			MachineId: null,
			MachineGroupName: null,
			SessionExpiration: fmtTime(s.expiresAt - offset * 60000),
			CultureInfo: 'en-US',
			TimePref: 'Browser',
			OffSetInMinutes: offset,
			ApiToken: s.apiToken,
			Attributes: null,
		};
	}

	/** Validate `Authorization: Bearer <token>` and count the request against the token. */
	authenticate(header: string | undefined): BearerResult {
		const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
		if (!m) return { ok: false, reason: 'missingBearer' };
		let session = this.sessions.get(m[1]);
		if (!session && this.options.acceptApiTokenAsBearer) session = this.byApiToken.get(m[1]);
		if (!session) return { ok: false, reason: 'invalid' };
		if (session.revoked) return { ok: false, reason: 'revoked' };
		const now = this.clock.now();
		if (now >= session.expiresAt) return { ok: false, reason: 'expired' };
		const max = this.options.maxRequestsPerToken;
		if (max !== null && session.requests >= max) {
			session.revoked = true;
			return { ok: false, reason: 'exhausted' };
		}
		session.requests++;
		if (this.options.slidingExpiration) session.expiresAt = now + this.options.sessionTtlMs;
		return { ok: true, session };
	}

	/** Revoke every session, or the one whose Token/ApiToken is given. Returns how many were revoked. */
	revoke(token?: string): number {
		let n = 0;
		for (const s of this.sessions.values()) {
			if (s.revoked) continue;
			if (token === undefined || s.token === token || s.apiToken === token) {
				s.revoked = true;
				n++;
			}
		}
		return n;
	}

	activeSessions(): number {
		const now = this.clock.now();
		return [...this.sessions.values()].filter((s) => !s.revoked && s.expiresAt > now).length;
	}
}

function stripUndefined<T extends object>(o: T): Partial<T> {
	return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
