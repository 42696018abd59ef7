import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { redact } from '../../credentials/shared/loginError';
import { responseText } from '../../credentials/shared/loginError';
import { apiError, findErrorCode, findLoginError, isTlsErrorCode } from './errors';
import type { Decision, Outcome } from './retry';
import { classifyNetworkCode, decideRetry, isIdempotentMethod } from './retry';

/**
 * The one HTTP layer both products share. It sends through n8n's httpRequestWithAuthentication (so
 * n8n's credential store, preAuthentication and domain restrictions apply), reads every status
 * itself, and owns: retries (retry.ts), the never-re-send-a-write rule, the timeout, and the single
 * re-login when the server rejects the token — as HTTP 401 or inside an HTTP 200 envelope.
 */
export type RequestContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions | IHookFunctions;

export interface ProductProfile {
	credentialType: string;
	/** The credential's hidden expirable field; emptying it makes n8n log in again and persist the token. */
	expirableField: string;
	productName: string;
	/** True when the server rejected the session token (HTTP 401, or a product-specific envelope). */
	isAuthRejected(response: RawResponse): boolean;
	/** The server's wait hint when it is not in a Retry-After header (e.g. inside the error body); seconds or an HTTP date. */
	retryAfter?(response: RawResponse): string | undefined;
	/** The product credential's fields whose values must never appear in what a user reads, on top of DEFAULT_SECRET_FIELDS. */
	secretFields?: readonly string[];
	/**
	 * The credential type's own `authenticate` function (see credentialAuthenticate), the one n8n
	 * calls before every request. With it, a run reads the credential once and signs its later
	 * requests itself (see signingCredentials); without it every request goes through n8n's
	 * httpRequestWithAuthentication.
	 */
	authenticate?: CredentialAuthenticate;
}

/** A credential type's `authenticate` function: the stored credential data + a request → the signed request. */
export type CredentialAuthenticate = (credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions) => Promise<IHttpRequestOptions> | IHttpRequestOptions;

/**
 * The `authenticate` of a credential type, when it is a function. A generic (declarative) block is
 * resolved by n8n's expression engine, which a node cannot call: such a profile keeps n8n's path.
 */
export function credentialAuthenticate(type: ICredentialType): CredentialAuthenticate | undefined {
	const authenticate = type.authenticate;
	return typeof authenticate === 'function' ? (credentials, options) => authenticate(credentials, options) : undefined;
}

export interface RawRequest {
	method: IHttpRequestMethods;
	url: string;
	qs?: IDataObject;
	/** JSON body, or URLSearchParams for a form body. */
	body?: unknown;
	headers?: IDataObject;
	/** Defaults to the method's idempotency (GET/HEAD/OPTIONS). Action URIs that are safe to repeat may say true. */
	idempotent?: boolean;
	timeoutMs?: number;
	itemIndex?: number;
	/** A write made safe to resend by an idempotency key only until the server forgets it: no resend after this long from the first send. */
	keyLifetimeMs?: number;
}

export interface RawResponse {
	status: number;
	headers: Record<string, string>;
	text: string;
}

export const DEFAULT_TIMEOUT_MS = 60_000;

interface ReloginState {
	/** Re-logins of this run that have finished (the new token is stored). */
	loginsDone: number;
	inflight?: Promise<void>;
	/** The stored token as this run last saw it; a different stored token means another execution logged in. */
	tokenSeen?: string;
	/** Values derived from the credential (server URL, API version) for the rest of this run. */
	cache: Map<string, Promise<unknown>>;
	/** The credential as read for signing requests (signingCredentials), and the tokenSeen it was read for. */
	signing?: Promise<Signing>;
	signingFor?: string;
}

/** What signingCredentials read: the data to sign with, or why n8n must send (the token is empty: log in first). */
interface Signing {
	credentials?: ICredentialDataDecryptedObject;
	/** No token yet: n8n's path logs in and stores one; read again after that request. */
	needsLogin?: boolean;
}

/**
 * Per-run state, keyed by n8n's context object: one execution of a node, or one poll of a trigger
 * (pollers call beginRun, because n8n reuses a trigger's context for every poll). Nothing here
 * outlives the run, so edited credentials and other processes' logins are always picked up.
 */
const runStates = new WeakMap<object, Map<string, ReloginState>>();

function reloginState(ctx: RequestContext, credentialType: string): ReloginState {
	let byType = runStates.get(ctx);
	if (!byType) runStates.set(ctx, (byType = new Map()));
	let state = byType.get(credentialType);
	if (!state) byType.set(credentialType, (state = { loginsDone: 0, cache: new Map() }));
	return state;
}

/** Starts a new run on a reused context (each poll of a trigger): forgets cached credential values. */
export function beginRun(ctx: RequestContext): void {
	runStates.delete(ctx);
}

/** A value computed once per run from the credential, e.g. the API base URL. */
export function runCached<T>(ctx: RequestContext, credentialType: string, key: string, compute: () => Promise<T>): Promise<T> {
	const { cache } = reloginState(ctx, credentialType);
	let value = cache.get(key) as Promise<T> | undefined;
	if (!value) {
		value = compute();
		cache.set(key, value);
		// A failed read is not cached: the next call tries again.
		value.catch(() => cache.delete(key));
	}
	return value;
}

/**
 * The credential as this run first read it, shared by everything a run needs from it at its start
 * (API base, the token it starts with, the data it signs with): n8n's read queries its database,
 * decrypts and resolves every field, about 10 ms each (bench/RESULTS.md). Later reads (after a
 * re-login, or to see another process's token) always go to n8n again.
 */
export function runCredentials(ctx: RequestContext, credentialType: string): Promise<ICredentialDataDecryptedObject> {
	return runCached(ctx, credentialType, 'credentials', async () => (await ctx.getCredentials(credentialType)) as ICredentialDataDecryptedObject);
}

function tokenOf(profile: ProductProfile, data: ICredentialDataDecryptedObject | undefined): string {
	return String(data?.[profile.expirableField] ?? '');
}

async function storedToken(ctx: RequestContext, profile: ProductProfile): Promise<string> {
	return tokenOf(profile, (await ctx.getCredentials(profile.credentialType)) as ICredentialDataDecryptedObject);
}

function toRaw(response: IN8nHttpFullResponse): RawResponse {
	const headers: Record<string, string> = {};
	for (const [k, v] of Object.entries(response.headers ?? {})) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
	return { status: response.statusCode, headers, text: responseText(response.body) };
}

/**
 * The credential data a request of this run can be signed with, read once per run (and again after
 * this run saw another token: a re-login, or a token another execution stored), instead of n8n
 * reading, decrypting and resolving the credential from its database for every request: that was a
 * third of n8n's CPU per page (bench/RESULTS.md). Undefined — n8n's httpRequestWithAuthentication
 * sends, exactly as before — when the profile has no authenticate function, when the credential
 * has no token yet (n8n's preAuthentication must log in and store it), and when the credential
 * restricts its domains (n8n's "Allowed HTTP Request Domains"): every such request stays with n8n,
 * so its own checks apply unchanged. Logins and re-logins always go through n8n.
 */
async function signingCredentials(ctx: RequestContext, profile: ProductProfile, state: ReloginState): Promise<Signing | undefined> {
	if (!profile.authenticate) return undefined;
	if (!state.signing || state.signingFor !== state.tokenSeen) {
		// The run's first signing data comes from its first read (signingFor is still unset); after that, from a fresh one.
		const signing = readSigning(ctx, profile, state.signingFor === undefined);
		state.signing = signing;
		state.signingFor = state.tokenSeen;
		// A failed read is not kept: the next request reads again (n8n's path reports the failure).
		signing.catch(() => {
			if (state.signing === signing) state.signing = undefined;
		});
	}
	return await state.signing;
}

async function readSigning(ctx: RequestContext, profile: ProductProfile, first: boolean): Promise<Signing> {
	const credentials = first ? await runCredentials(ctx, profile.credentialType) : ((await ctx.getCredentials(profile.credentialType)) as ICredentialDataDecryptedObject);
	const restriction = credentials.allowedHttpRequestDomains;
	if (restriction !== undefined && restriction !== 'all') return {};
	if (tokenOf(profile, credentials) === '') return { needsLogin: true };
	return { credentials };
}

/** One request signed with the run's credential data, through n8n's plain HTTP helper (its HTTP client, proxy and SSRF rules). */
async function sendSigned(ctx: RequestContext, profile: ProductProfile, req: RawRequest, credentials: ICredentialDataDecryptedObject): Promise<RawResponse> {
	const options = await profile.authenticate!(credentials, buildOptions(req));
	// As httpRequestWithAuthentication does: a cancelled execution aborts its requests.
	if ('getExecutionCancelSignal' in ctx) options.abortSignal = ctx.getExecutionCancelSignal();
	let response: IN8nHttpFullResponse;
	try {
		response = (await ctx.helpers.httpRequest(options)) as IN8nHttpFullResponse;
	} catch (error) {
		// Wrapped like httpRequestWithAuthentication wraps it, so failures read the same on both paths.
		throw new NodeApiError(ctx.getNode(), error as JsonObject);
	}
	return toRaw(response);
}

function buildOptions(req: RawRequest): IHttpRequestOptions {
	const options: IHttpRequestOptions = {
		method: req.method,
		url: req.url,
		qs: req.qs,
		headers: { Accept: 'application/json', ...(req.headers ?? {}) },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		encoding: 'arraybuffer',
		json: false,
		timeout: req.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		// A redirect would replay the Authorization header to wherever the server points: surface it instead.
		disableFollowRedirect: true,
	};
	if (req.body instanceof URLSearchParams) {
		options.body = req.body.toString();
		options.headers!['Content-Type'] = 'application/x-www-form-urlencoded';
	} else if (req.body !== undefined) {
		options.body = JSON.stringify(req.body);
		options.headers!['Content-Type'] = 'application/json';
	}
	return options;
}

async function sendOnce(ctx: RequestContext, profile: ProductProfile, req: RawRequest, forceLogin: boolean): Promise<RawResponse> {
	if (!forceLogin) {
		const state = reloginState(ctx, profile.credentialType);
		const signing = await signingCredentials(ctx, profile, state);
		if (signing?.credentials) return await sendSigned(ctx, profile, req, signing.credentials);
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, profile.credentialType, buildOptions(req))) as IN8nHttpFullResponse;
		// n8n logged in and stored a token for this request: read the credential again for the next ones.
		if (signing?.needsLogin && state.signing !== undefined && (await state.signing) === signing) state.signing = undefined;
		return toRaw(response);
	}
	// Empty the expirable field: n8n runs the credential's login, persists the new token in its
	// credential store (shared by every process and execution), and sends this request with it.
	return await sendWithCredentialChange(ctx, profile, req, { [profile.expirableField]: '' });
}

/**
 * Sends one request (no retries) with changed credential data, e.g. an emptied token: n8n then runs
 * the credential's preAuthentication on that data and persists what it returns.
 */
export async function sendWithCredentialChange(ctx: RequestContext, profile: ProductProfile, req: RawRequest, change: ICredentialDataDecryptedObject): Promise<RawResponse> {
	const data = (await ctx.getCredentials(profile.credentialType)) as ICredentialDataDecryptedObject;
	const nodeCredentials = ctx.getNode().credentials?.[profile.credentialType];
	const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, profile.credentialType, buildOptions(req), {
		credentialsDecrypted: {
			id: nodeCredentials?.id ?? '',
			name: nodeCredentials?.name ?? profile.credentialType,
			type: profile.credentialType,
			data: { ...data, ...change },
		},
	})) as IN8nHttpFullResponse;
	// The stored credential may have changed (a new token, a cleared one): sign later requests from a fresh read.
	reloginState(ctx, profile.credentialType).signing = undefined;
	return toRaw(response);
}

/**
 * Sends a request with retries and one re-login. Returns the final response whatever its status;
 * callers map non-success statuses through their product's error decoder.
 */
export async function sendRequest(ctx: RequestContext, profile: ProductProfile, req: RawRequest): Promise<RawResponse> {
	const idempotent = req.idempotent ?? isIdempotentMethod(req.method);
	const state = reloginState(ctx, profile.credentialType);
	let retries = 0;
	let relogged = false;
	const firstSentAt = Date.now();
	const decide = (outcome: Outcome): Decision => {
		const decision = decideRetry(outcome, retries, idempotent);
		// A keyed write resent after the server forgot its key could apply twice: decide as for an unkeyed write.
		if (decision.retry && req.keyLifetimeMs !== undefined && Date.now() + decision.delayMs - firstSentAt > req.keyLifetimeMs) {
			return decideRetry(outcome, retries, isIdempotentMethod(req.method));
		}
		return decision;
	};
	if (state.tokenSeen === undefined) state.tokenSeen = tokenOf(profile, await runCredentials(ctx, profile.credentialType));
	for (;;) {
		// A request sent while a re-login is still running may carry the old token too.
		const loginsDoneAtSend = state.inflight ? state.loginsDone - 1 : state.loginsDone;
		let response: RawResponse;
		try {
			response = await sendOnce(ctx, profile, req, false);
		} catch (error) {
			const outcome = classifyFailure(ctx, profile, req, error);
			const decision = decide(outcome);
			if (!decision.retry) throw networkError(ctx, profile, req, outcome.code, decision.reason === 'writeMayHaveApplied');
			retries++;
			await sleep(decision.delayMs);
			continue;
		}

		if (profile.isAuthRejected(response) && !relogged) {
			relogged = true;
			if (state.inflight || state.loginsDone !== loginsDoneAtSend) {
				// Another request of this run is renewing the token, or did after this one was sent: wait, then resend.
				await state.inflight;
				continue;
			}
			// Claim the renewal before the first await, so that every concurrent rejection of this run
			// sees it: one login (or one single-use refresh grant) per token loss, whatever the concurrency.
			const renewal = claimRenewal(state);
			try {
				response = await renewToken(ctx, profile, req, state, idempotent);
			} finally {
				renewal.release();
			}
		}
		if (profile.isAuthRejected(response)) return response; // refused with a fresh token: a permission problem

		const decision = decide({ kind: 'status', status: response.status, retryAfter: response.headers['retry-after'] ?? profile.retryAfter?.(response) });
		if (!decision.retry) return response;
		retries++;
		await sleep(decision.delayMs);
	}
}

/**
 * Upper bound of the random wait before a re-login (see renewToken). The wider the window, the fewer
 * processes that met the same token loss log in at the same time; an execution waits at most this once
 * per token loss. Measured with `npm run test:queue` (2 workers × 5 slots, 5 losses each, medians):
 * 300 ms cost 3 VSA logins per revocation and 3 Orchestrator password logins per expiry; 1000 ms, 2 and 1.
 */
export const RENEWAL_JITTER_MAX_MS = 1000;

/**
 * Marks a token renewal as running for this run, synchronously: requests rejected while it runs
 * wait for `state.inflight` and resend with the new token instead of renewing again.
 */
function claimRenewal(state: ReloginState): { release: () => void } {
	let settle!: () => void;
	state.inflight = new Promise<void>((resolve) => (settle = resolve));
	return {
		release: () => {
			state.loginsDone++;
			state.inflight = undefined;
			settle();
		},
	};
}

/**
 * Gets this request through after its token was rejected, with as few logins as possible across
 * executions and queue workers (n8n has no lock between processes): first a token another process
 * stored since this run read it; then, after a short random wait that lets a concurrent process
 * finish its own login, that process's token; only then a login of our own.
 */
async function renewToken(ctx: RequestContext, profile: ProductProfile, req: RawRequest, state: ReloginState, idempotent: boolean): Promise<RawResponse> {
	for (const waitMs of [0, Math.floor(Math.random() * RENEWAL_JITTER_MAX_MS)]) {
		if (waitMs > 0) await sleep(waitMs);
		const stored = await storedToken(ctx, profile);
		if (stored === '' || stored === state.tokenSeen) continue;
		state.tokenSeen = stored;
		const response = await sendOrExplain(ctx, profile, req, false, idempotent);
		if (!profile.isAuthRejected(response)) return response;
	}
	const response = await sendOrExplain(ctx, profile, req, true, idempotent);
	state.tokenSeen = await storedToken(ctx, profile);
	return response;
}

/** One send without retries; a network failure becomes the user-facing error (writes are never repeated). */
async function sendOrExplain(ctx: RequestContext, profile: ProductProfile, req: RawRequest, forceLogin: boolean, idempotent: boolean): Promise<RawResponse> {
	try {
		return await sendOnce(ctx, profile, req, forceLogin);
	} catch (error) {
		const outcome = classifyFailure(ctx, profile, req, error);
		throw networkError(ctx, profile, req, outcome.code, !idempotent && outcome.kind === 'maybeApplied');
	}
}

type NetworkOutcome = Extract<Outcome, { code: string }>;

/**
 * Turns an exception from n8n's helper into a retry outcome, or throws the user-facing error when
 * retrying cannot help (a failed login, an untrusted certificate, a blocked domain).
 */
function classifyFailure(ctx: RequestContext, profile: ProductProfile, req: RawRequest, error: unknown): NetworkOutcome {
	const login = findLoginError(error);
	// Named fields, not a spread: `message` of an Error instance is not enumerable.
	if (login) throw apiError(ctx.getNode(), { message: login.message, description: login.description, httpCode: login.httpCode, serverText: login.serverText, itemIndex: req.itemIndex });
	const code = findErrorCode(error);
	if (isTlsErrorCode(code)) {
		throw apiError(ctx.getNode(), {
			message: `The ${profile.productName} server's TLS certificate was not accepted (${code})`,
			description:
				'The server uses a self-signed, expired or otherwise untrusted certificate. Install a trusted certificate on the server, or turn on "Ignore SSL Issues (Insecure)" (allowUnauthorizedCerts) in the credential if you trust this server.',
			itemIndex: req.itemIndex,
		});
	}
	const outcome = classifyNetworkCode(code);
	if (outcome) return outcome;
	const message = (error as Error)?.message ?? String(error);
	throw apiError(ctx.getNode(), {
		message: `The request to ${profile.productName} failed: ${message}`,
		description: `${req.method} ${safePath(req.url)} could not be completed. Check the server URL in the credential and that n8n can reach the server.`,
		itemIndex: req.itemIndex,
	});
}

function safePath(url: string): string {
	try {
		return new URL(url).pathname;
	} catch {
		return url;
	}
}

function networkError(ctx: RequestContext, profile: ProductProfile, req: RawRequest, code: string, mayHaveApplied: boolean) {
	const path = safePath(req.url);
	if (mayHaveApplied) {
		return apiError(ctx.getNode(), {
			message: `The connection to ${profile.productName} broke during ${req.method} ${path} (${code}); the change may have been applied`,
			description:
				'The request reached the server but no answer came back, so it was NOT sent again automatically (repeating it could apply the change twice). Check in the server whether the change happened before you run this item again.',
			itemIndex: req.itemIndex,
		});
	}
	const timedOut = /TIMEDOUT|ECONNABORTED/.test(code);
	return apiError(ctx.getNode(), {
		message: timedOut
			? `${profile.productName} did not answer ${req.method} ${path} in time (${code})`
			: `Could not reach ${profile.productName} for ${req.method} ${path} (${code})`,
		description: timedOut
			? 'The server is slow or overloaded; retries were made and all timed out. Raise "Timeout" in the node options, or try again later.'
			: 'Check the server URL and port in the credential, that the server is running, and that n8n can reach it (firewall, proxy, DNS).',
		itemIndex: req.itemIndex,
	});
}

/** The usual names of secret credential fields (passwords, keys, OAuth2 secrets and tokens), always cut out of quoted server text. */
export const DEFAULT_SECRET_FIELDS: readonly string[] = ['password', 'personalAccessToken', 'apiKey', 'clientSecret', 'sessionToken', 'accessToken', 'refreshToken'];

/**
 * Cuts secrets out of a server's text before it is quoted to the user: some servers and proxies echo
 * the request (its Authorization header, the token) in their error pages. Removes every
 * `Bearer …`/`Basic …` credential and every secret value of the product's credential.
 */
export async function redactServerText(ctx: RequestContext, profile: ProductProfile, text: string | undefined): Promise<string | undefined> {
	if (text === undefined || text === null) return text;
	let secrets: Array<string | undefined> = [];
	try {
		const credentials = (await ctx.getCredentials(profile.credentialType)) as ICredentialDataDecryptedObject;
		// The product's own secret fields on top of the usual names: a profile can add to what is cut out, never remove.
		const fields = new Set([...DEFAULT_SECRET_FIELDS, ...(profile.secretFields ?? [])]);
		secrets = [...fields].map((field) => (typeof credentials[field] === 'string' ? (credentials[field] as string) : undefined));
	} catch {
		secrets = [];
	}
	return redact(text.replace(/\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/=-]{4,}/gi, '$1$2[redacted]'), secrets);
}
