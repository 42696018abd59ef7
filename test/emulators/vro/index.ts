/**
 * Veeam Availability / Recovery Orchestrator REST API emulator (VAO 1.0 … VRO 13.1), written from the
 * vendor's VAO 1.0 Swagger and the Help Center references (docs/evidence/veeam-orchestrator.json).
 * One loopback server serves every enabled API generation:
 *
 *   v1      POST /v1/Accounts/Token   GET /v1/FailoverPlans ($top/$skip…)        POST /v1/FailoverPlans/{id}/Run {mode}
 *   v2      POST /v2/Token            GET /v2/FailoverPlans, /v2/RestorePlans     POST /v2/…Plans/{id}/Run
 *   v3–v6   POST /token               GET /api/vN/Plans  ({total,data}; v4+ start/limit/filter/sort)
 *   v7–13.1 POST /api/token           GET /api/vN/Plans  ({total, data})
 *   v3+     POST /api/vN/Plans/{planId}/Failover|Restore|Undo|Halt|Continue|…   GET /api/vN/RuntimeDetails/Plans/{planId}
 *
 * Seeded credentials (also exported as VRO_CREDENTIALS):
 *   VRO\admin       / Orchestrator!2024   Administrator (all scopes)        — every version
 *   VRO\planauthor  / Author!2024         Plan Author (scope "Tenant A")     — every version
 *   VRO\operator    / Operator!2024       Plan Operator ("Tenant A")         — refused before VRO 7 (/api/token only)
 *   VRO\viewer      / Viewer!2024         no Orchestrator role               — always refused (invalid_grant)
 *   client account  5a3c1f0e-7d2b-4c3a-9e1f-0b6d2c4e8a01 / vro-seeded-client-secret-9f2d7c (child of VRO\admin; v2+)
 *
 * Seeded faulty plans: plan #k (0-based) with k % 40 === 13 halts at its 2nd step; k % 40 === 27 records an
 * error at its 2nd step and completes with resultName "Error" (descriptions say "seeded to fail").
 *
 * Control API (besides the shared /__emulator/log|faults|latency|seed):
 *   /__emulator/state   {planId?}                         summary, counters, plan states (or one plan in detail)
 *   /__emulator/expire  {access?=true, refresh?, revoke?}  expire access (and refresh) tokens, or revoke all
 *   /__emulator/mutate  {planId|planName, state?, enabled?, failure?, action?, advance?, complete?, name?}
 *                       | {add: {planType?, name?, …}} | {remove: planId}
 *   /__emulator/advance {ms}                              move the emulator clock (token expiry, time-mode runs)
 *   /__emulator/reboot  {}                                runtime details of finished runs are dropped (archive/vao/30/restapi/runtime_details.html)
 *   /__emulator/config  {singleSession?, stepsPerPoll?, progressMode?, stepMs?, brokenV3Plans?, owinExtras?}
 *
 * CLI: `node build/test/emulators/vro/index.js --port 9898 [--seed 1] [--plans 250] [--versions v7.21,v13]
 *       [--single-session] [--latency 0] [--steps-per-poll 1] [--progress poll|time] [--step-ms 5000]`
 * prints one JSON line `{"name":"vro","url":…}`.
 */
import { Clock, Emulator, type LogEntry } from '../common/server';
import { AuthService, type AuthCounters, type TokenLifetimes } from './auth';
import { PlanEngine, STATES, type Action, type ProgressOptions } from './plans';
import { errorBody, type Deps } from './respond';
import { buildRoutes } from './routes';
import { SEEDED_CLIENT, SEEDED_USERS, VroStore, type FailureSpec, type Plan } from './store';
import { parseVersions, prefix, REALMS, VRO_VERSIONS, type Realm, type VroVersion } from './versions';

export { VRO_VERSIONS, type VroVersion } from './versions';
export type { Plan, PlanType, FailureSpec } from './store';

export const VRO_CREDENTIALS = {
	admin: { username: SEEDED_USERS.admin.name, password: SEEDED_USERS.admin.password },
	author: { username: SEEDED_USERS.author.name, password: SEEDED_USERS.author.password },
	operator: { username: SEEDED_USERS.operator.name, password: SEEDED_USERS.operator.password },
	viewer: { username: SEEDED_USERS.viewer.name, password: SEEDED_USERS.viewer.password },
	client: { clientId: SEEDED_CLIENT.clientId, clientSecret: SEEDED_CLIENT.clientSecret },
};

export interface VroEmulatorOptions {
	seed?: number;
	/** Number of seeded plans (default 250). */
	plans?: number;
	/** API versions served (default: all). */
	versions?: VroVersion[];
	/** A password login revokes the same user's earlier tokens (default false). */
	singleSession?: boolean;
	latencyMs?: number;
	tokens?: Partial<TokenLifetimes> & { owinExtras?: boolean };
	/** How runs advance (default: poll mode, 1 step per poll, 5 s per step in time mode). */
	progress?: Partial<ProgressOptions>;
	/** Answer 500 on GET /api/v3/Plans, as a VDRO 5+ server does (archive/vdro/50/rest/changelog.html). Default false. */
	brokenV3Plans?: boolean;
	port?: number;
	host?: string;
}

export interface VroEmulator {
	readonly url: string;
	readonly emulator: Emulator;
	readonly store: VroStore;
	readonly engine: PlanEngine;
	readonly auth: AuthService;
	readonly clock: Clock;
	readonly versions: VroVersion[];
	/** Successful password logins / refresh grants / client-credential grants, failed token calls, logouts. */
	readonly counters: AuthCounters;
	/** Absolute base URL of an API version, e.g. `http://127.0.0.1:port/api/v7.21`. */
	base(v: VroVersion): string;
	/** Absolute token URL for an API version. */
	tokenUrl(v: VroVersion): string;
	requests(filter?: { method?: string; path?: RegExp | string }): LogEntry[];
	expireAccessTokens(): void;
	expireRefreshTokens(): void;
	revokeTokens(): void;
	advance(ms: number): void;
	reboot(): void;
	close(): Promise<void>;
}

export function tokenRealm(v: VroVersion): Realm {
	if (v === 'v1' || v === 'v2') return v;
	return REALMS.token.versions.includes(v) ? 'token' : 'apiToken';
}

export async function startVroEmulator(options: VroEmulatorOptions = {}): Promise<VroEmulator> {
	const versions = options.versions ?? [...VRO_VERSIONS];
	const clock = new Clock();
	const store = new VroStore({ seed: options.seed, plans: options.plans });
	const engine = new PlanEngine(store, clock, { mode: 'poll', stepsPerPoll: 1, stepMs: 5000, ...options.progress });
	const auth = new AuthService(store, clock, {
		lifetimes: { accessSec: 900, legacyAccessSec: 3600, refreshSec: 7200, ...options.tokens },
		singleSession: options.singleSession ?? false,
		owinExtras: options.tokens?.owinExtras ?? false,
	});
	const deps: Deps = { store, engine, auth, clock, brokenV3Plans: options.brokenV3Plans ?? false };
	const emulator = new Emulator({
		name: 'vro',
		seed: options.seed,
		latencyMs: options.latencyMs,
		routes: buildRoutes(deps, versions),
		notFound: (req, methodMismatch) =>
			methodMismatch
				? { status: 405, body: errorBody(`The requested resource does not support http method '${req.method}'.`) }
				: { status: 404, body: errorBody(`emulator has no route for ${req.method} ${req.path}`) },
		control: controlHandlers(deps, versions),
	});
	await emulator.listen(options.port ?? 0, options.host ?? '127.0.0.1');
	return {
		get url() {
			return emulator.url;
		},
		emulator, store, engine, auth, clock, versions,
		counters: auth.counters,
		base: (v) => emulator.url + prefix(v),
		tokenUrl: (v) => emulator.url + REALMS[tokenRealm(v)].path,
		requests: (filter) => emulator.requests(filter),
		expireAccessTokens: () => auth.expireAccessTokens(),
		expireRefreshTokens: () => auth.expireRefreshTokens(),
		revokeTokens: () => auth.revokeAll(),
		advance: (ms) => clock.advance(ms),
		reboot: () => engine.reboot(),
		close: () => emulator.close(),
	};
}

function summary(d: Deps, p: Plan) {
	return { id: p.id, name: p.name, planType: p.planType, state: p.state, enabled: p.enabled, resultName: p.resultName, scopeId: p.scopeId };
}

function controlHandlers(d: Deps, versions: VroVersion[]): Record<string, (body: any) => unknown> {
	const { store, engine, auth, clock } = d;
	const pick = (body: any): Plan => {
		const plan = body.planId ? store.plan(String(body.planId)) : store.plans.find((p) => p.name === body.planName);
		if (!plan) throw new Error(`no plan ${body.planId ?? body.planName}`);
		return plan;
	};
	return {
		state: (body) => {
			if (body?.planId || body?.planName) {
				const plan = pick(body);
				const exec = engine.runtime.get(plan.id);
				return { ...summary(d, plan), progress: engine.totalProgress(plan), failure: plan.failure, execution: exec ?? null };
			}
			const stateCounts: Record<string, number> = {};
			for (const p of store.plans) stateCounts[p.state] = (stateCounts[p.state] ?? 0) + 1;
			return {
				versions, counters: auth.counters, tokens: auth.stats(), clockOffsetMs: clock.offsetMs, progress: engine.progress,
				singleSession: auth.options.singleSession, stateCounts, plans: store.plans.map((p) => summary(d, p)),
			};
		},
		expire: (body) => {
			if (body?.revoke) auth.revokeAll();
			else {
				if (body?.access !== false) auth.expireAccessTokens();
				if (body?.refresh) auth.expireRefreshTokens();
			}
			return auth.stats();
		},
		advance: (body) => {
			clock.advance(Number(body?.ms ?? 0));
			return { clockOffsetMs: clock.offsetMs };
		},
		reboot: () => {
			engine.reboot();
			return { ok: true };
		},
		config: (body) => {
			if (body.singleSession !== undefined) auth.options.singleSession = !!body.singleSession;
			if (body.stepsPerPoll !== undefined) engine.progress.stepsPerPoll = Number(body.stepsPerPoll);
			if (body.progressMode !== undefined) engine.progress.mode = body.progressMode === 'time' ? 'time' : 'poll';
			if (body.stepMs !== undefined) engine.progress.stepMs = Number(body.stepMs);
			if (body.brokenV3Plans !== undefined) d.brokenV3Plans = !!body.brokenV3Plans;
			if (body.owinExtras !== undefined) auth.options.owinExtras = !!body.owinExtras;
			return { singleSession: auth.options.singleSession, owinExtras: auth.options.owinExtras, progress: engine.progress, brokenV3Plans: d.brokenV3Plans };
		},
		mutate: (body) => mutate(d, body, pick),
	};
}

function mutate(d: Deps, body: any, pick: (b: any) => Plan): unknown {
	const { store, engine } = d;
	if (body.add) {
		const plan = store.createPlan(body.add as Partial<Plan>);
		if (plan.state === 'Halted') engine.setState(plan, 'Halted');
		return summary(d, plan);
	}
	if (body.remove) return { removed: store.removePlan(String(body.remove)) };
	const plan = pick(body);
	if (body.name !== undefined) plan.name = String(body.name);
	if (body.failure !== undefined) {
		plan.failure = body.failure === null ? null : { unit: 1, mode: 'halt', times: 1, message: 'Step failed (emulator-injected failure)', ...(body.failure as Partial<FailureSpec>) };
	}
	if (body.state !== undefined) engine.setState(plan, String(body.state));
	if (body.enabled === true) engine.enable(plan);
	if (body.enabled === false && plan.enabled) {
		plan.enabled = false;
		if (plan.state === 'Ready') plan.state = plan.lastStableState = 'Disabled';
	}
	if (body.resultName !== undefined) plan.resultName = String(body.resultName);
	if (body.action !== undefined) {
		const a = String(body.action);
		if (a === 'Halt') engine.halt(plan);
		else if (a === 'Continue') engine.resume(plan, body.executionContinueOptions);
		else engine.act(plan, a as Action);
	}
	if (body.advance !== undefined) engine.advance(plan, Number(body.advance));
	if (body.complete) engine.complete(plan);
	return { ...summary(d, plan), progress: engine.totalProgress(plan), knownStates: Object.keys(STATES) };
}

function arg(argv: string[], name: string): string | undefined {
	const i = argv.indexOf(`--${name}`);
	return i >= 0 ? argv[i + 1] : undefined;
}

if (require.main === module) {
	const argv = process.argv.slice(2);
	const num = (name: string) => (arg(argv, name) !== undefined ? Number(arg(argv, name)) : undefined);
	startVroEmulator({
		port: num('port') ?? 0,
		seed: num('seed'),
		plans: num('plans'),
		versions: parseVersions(arg(argv, 'versions')),
		singleSession: argv.includes('--single-session'),
		latencyMs: num('latency'),
		progress: {
			...(arg(argv, 'progress') === 'time' ? { mode: 'time' as const } : {}),
			...(num('steps-per-poll') !== undefined ? { stepsPerPoll: num('steps-per-poll') } : {}),
			...(num('step-ms') !== undefined ? { stepMs: num('step-ms') } : {}),
		},
	}).then(
		(vro) => {
			process.stdout.write(`${JSON.stringify({ name: 'vro', url: vro.url, versions: vro.versions, credentials: VRO_CREDENTIALS })}\n`);
			const stop = () => void vro.close().then(() => process.exit(0));
			process.on('SIGINT', stop);
			process.on('SIGTERM', stop);
		},
		(e) => {
			process.stderr.write(`${(e as Error).message}\n`);
			process.exit(1);
		},
	);
}
