/**
 * VSPC authentication: POST /api/v3/token (form body) and bearer checks for access tokens and API keys.
 *
 * Documented (Cenvora/veeam-spc veeam_spc/v3_6_1/api/authentication/o_auth_2_issue_token.py and models
 * o_auth_2_issue_token_body.py, o_auth_2_result.py, o_auth_2_error.py; https://helpcenter.veeam.com/docs/vac/rest/api_keys.html):
 * - form fields `grant_type` (password | refresh_token | mfa | authorization_code | public_key | as), `username`,
 *   `password`, `refresh_token`, `mfa_token`, `mfa_code`, `code`, `public_key`, `userUid`, `readOnly`;
 * - 200 `{access_token, token_type: "bearer", refresh_token, mfa_token, encrypted_code, expires_in}` (seconds, 3600);
 * - 400 `{error, error_description, error_uri}`; wrong password → `invalid_request` "Cannot complete login due to
 *   incorrect username or password, or no sufficient rights.";
 * - an API key is sent as `Authorization: Bearer <key>`, no exchange; read-only keys may only send GET.
 *
 * Chosen where the sources are silent (rejecting rather than accepting):
 * - a refresh token is single use: trading it revokes it (the docs only say a new pair is returned);
 * - a used, expired or unknown refresh token → 400 `invalid_grant` (the reference's suggestion);
 * - grants the emulator does not implement (mfa, authorization_code, public_key, as) and any other value →
 *   400 `unsupported_grant_type`; a form field not listed above, or a non-form body → 400 `invalid_request`;
 * - an MFA user's password grant answers 200 with only `mfa_token` (the sequence is unverified);
 * - refresh tokens live 48 h (the lifetime in the docs' example token);
 * - a rejected bearer → 401 with the error envelope, `type: "security"`; a read-only key on a write → 403.
 */
import { randomBytes } from 'node:crypto';

import type { Clock } from '../common/server';
import type { SeededUser, VspcStore } from './store';

export interface Principal {
	userName: string;
	role: string;
	organizationUid: string;
	readOnly: boolean;
	via: 'token' | 'apiKey';
}

interface Issued {
	principal: Principal;
	expiresAt: number;
}

export interface AuthCounters {
	passwordLogins: number;
	refreshGrants: number;
	failedTokenRequests: number;
	mfaChallenges: number;
	apiKeyRequests: number;
}

export interface TokenLifetimes {
	accessSec: number;
	refreshSec: number;
}

export interface TokenAnswer {
	status: number;
	body: Record<string, unknown>;
}

const TOKEN_FIELDS = ['grant_type', 'username', 'password', 'refresh_token', 'mfa_token', 'mfa_code', 'code', 'public_key', 'userUid', 'readOnly'];
const WRONG_LOGIN = 'Cannot complete login due to incorrect username or password, or no sufficient rights.';

function oauthError(error: string, description: string): TokenAnswer {
	return { status: 400, body: { error, error_description: description, error_uri: null } };
}

function opaque(prefix: string): string {
	return `${prefix}${randomBytes(24).toString('base64url')}`;
}

export class AuthService {
	readonly access = new Map<string, Issued>();
	readonly refresh = new Map<string, Issued>();
	readonly counters: AuthCounters = { passwordLogins: 0, refreshGrants: 0, failedTokenRequests: 0, mfaChallenges: 0, apiKeyRequests: 0 };

	constructor(
		private readonly store: VspcStore,
		private readonly clock: Clock,
		readonly lifetimes: TokenLifetimes,
	) {}

	private issue(principal: Principal): TokenAnswer {
		const now = this.clock.now();
		const accessToken = opaque('eyJhY2Nlc3Mi.');
		const refreshToken = opaque('eyJyZWZyZXNoIi.');
		this.access.set(accessToken, { principal, expiresAt: now + this.lifetimes.accessSec * 1000 });
		this.refresh.set(refreshToken, { principal, expiresAt: now + this.lifetimes.refreshSec * 1000 });
		return {
			status: 200,
			body: { access_token: accessToken, token_type: 'bearer', refresh_token: refreshToken, mfa_token: null, encrypted_code: null, expires_in: this.lifetimes.accessSec },
		};
	}

	private principalOf(user: SeededUser, readOnly: boolean): Principal {
		return { userName: user.userName, role: user.role, organizationUid: user.organizationUid, readOnly, via: 'token' };
	}

	/** POST /api/v3/token. `form` is undefined when the body was not form-urlencoded. */
	token(form: Record<string, string> | undefined): TokenAnswer {
		const answer = this.grant(form);
		if (answer.status !== 200 || answer.body.access_token === null) this.counters.failedTokenRequests++;
		return answer;
	}

	private grant(form: Record<string, string> | undefined): TokenAnswer {
		if (!form) return oauthError('invalid_request', 'The request body must be application/x-www-form-urlencoded.');
		for (const key of Object.keys(form)) if (!TOKEN_FIELDS.includes(key)) return oauthError('invalid_request', `Unknown parameter '${key}'.`);
		if (form.readOnly !== undefined && form.readOnly !== 'true' && form.readOnly !== 'false') return oauthError('invalid_request', "The readOnly parameter must be 'true' or 'false'.");
		const readOnly = form.readOnly === 'true';
		switch (form.grant_type) {
			case 'password': {
				const user = this.store.users.find((u) => u.userName.toLowerCase() === String(form.username ?? '').toLowerCase());
				if (!user || !form.password || user.password !== form.password) return oauthError('invalid_request', WRONG_LOGIN);
				if (user.mfa) {
					this.counters.mfaChallenges++;
					return { status: 200, body: { access_token: null, token_type: null, refresh_token: null, mfa_token: opaque('mfa.'), encrypted_code: null, expires_in: 0 } };
				}
				this.counters.passwordLogins++;
				return this.issue(this.principalOf(user, readOnly));
			}
			case 'refresh_token': {
				const token = form.refresh_token ?? '';
				const issued = this.refresh.get(token);
				if (!issued || issued.expiresAt <= this.clock.now()) {
					this.refresh.delete(token);
					return oauthError('invalid_grant', 'The refresh token is invalid or expired.');
				}
				this.refresh.delete(token); // single use
				this.counters.refreshGrants++;
				return this.issue({ ...issued.principal, readOnly: issued.principal.readOnly || readOnly });
			}
			case undefined:
			case '':
				return oauthError('invalid_request', 'The grant_type parameter is required.');
			default:
				return oauthError('unsupported_grant_type', `The grant type '${form.grant_type}' is not supported.`);
		}
	}

	/** The principal of a bearer value (access token or enabled API key), or undefined. */
	principal(authorization: string | undefined): Principal | undefined {
		const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
		if (!m) return undefined;
		const value = m[1];
		const issued = this.access.get(value);
		if (issued) {
			if (issued.expiresAt > this.clock.now()) return issued.principal;
			this.access.delete(value);
			return undefined;
		}
		const key = this.store.apiKeys.find((k) => k.key === value && k.enabled);
		if (!key) return undefined;
		const user = this.store.users.find((u) => u.userName === key.userName);
		if (!user) return undefined;
		this.counters.apiKeyRequests++;
		return { userName: user.userName, role: user.role, organizationUid: user.organizationUid, readOnly: key.isReadAccessOnly, via: 'apiKey' };
	}

	expireAccessTokens(): void {
		for (const issued of this.access.values()) issued.expiresAt = 0;
	}

	expireRefreshTokens(): void {
		for (const issued of this.refresh.values()) issued.expiresAt = 0;
	}

	/** Revokes every token (DELETE /users/{userUid}/tokens without userLoginId), not API keys. */
	revokeAll(): void {
		this.access.clear();
		this.refresh.clear();
	}

	disableApiKey(key: string): void {
		const found = this.store.apiKeys.find((k) => k.key === key);
		if (!found) throw new Error('no such API key');
		found.enabled = false;
	}
}
