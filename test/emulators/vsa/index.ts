/**
 * Kaseya VSA 9.x REST API emulator — written from public sources: Kaseya's Help Center REST reference,
 * KAT (Kaseya-Automation-Team VSAModule), PSK (zalexan1996/PsKaseya record models), AE and TT; the
 * request-by-request sources are in docs/evidence/kaseya-vsa.json, the record models in models.ts.
 *
 *   const vsa = await startVsaEmulator({ agents: 300 });
 *   fetch(`${vsa.baseUrl}/auth`, { headers: { Authorization: 'Basic …' } });
 *   await vsa.close();
 *
 * CLI (for scripts and n8n in other processes): `node build/test/emulators/vsa/index.js --port 0`
 * prints one JSON line `{"url": …, "baseUrl": …}` and serves until SIGINT/SIGTERM.
 * Control API over HTTP (besides the shared /__emulator/log|faults|latency|seed):
 *   GET  /__emulator/state          logins, failed logins, sessions, write counters, record counts
 *   POST /__emulator/revoke         {token?}: revoke one token (Token or ApiToken) or all
 *   POST /__emulator/auth-config    partial VsaAuthOptions (ttl, sliding, maxRequestsPerToken, …)
 *   POST /__emulator/settings       {caseSensitive?, orgPropagationMs?}
 *   POST /__emulator/clock          {advanceMs}: move the emulator clock (token expiry, timestamps)
 *   POST /__emulator/envelope-error EnvelopeFault, or {clear: true}
 *   POST /__emulator/mutate         {op: addAlarm|closeAlarm|setOnline|updateTicket|addTicket|addAgent, …}
 */
import { Clock, Emulator, type FaultRule, type LogEntry } from '../common/server';
import { VsaAuth, type VsaAuthOptions } from './auth';
import { warmSchemas } from './details';
import type { EnvelopeFault, VsaContext, VsaSettings } from './context';
import { toPlainJson } from './json';
import { API_PREFIX, buildRoutes, vsaNotFound } from './routes';
import { createVsaStore, fmtTime, type OnlineCode, type VsaStore, type VsaStoreOptions, type VsaTicket } from './store';

export { challengeHashPayload } from './auth';
export type { VsaAuthOptions, VsaSession } from './auth';
export type { EnvelopeFault } from './context';
export { DEFAULT_USERS, createVsaStore } from './store';
export type { VsaStore, VsaStoreOptions } from './store';

export interface VsaEmulatorOptions extends VsaStoreOptions, VsaAuthOptions, Partial<VsaSettings> {
	/** Use a prepared store instead of seeding one. */
	store?: VsaStore;
	port?: number;
	host?: string;
	/** Fixed latency per request, ms. */
	latencyMs?: number;
}

export type MutateOp =
	| { op: 'addAlarm'; agentId?: string; alarmType?: string; subject?: string; message?: string }
	| { op: 'closeAlarm'; alarmId: number | string; notes?: string }
	| { op: 'setOnline'; agentId: string; online: OnlineCode }
	| { op: 'updateTicket'; ticketId: string; fields: Partial<Pick<VsaTicket, 'TicketStatus' | 'Priority' | 'Summary' | 'Assignee' | 'Category' | 'Severity' | 'Stage'>> }
	| { op: 'addTicket'; deskId?: string; Summary: string; TicketStatus?: string; Priority?: string }
	| { op: 'addAgent'; name?: string; machineGroupId?: string; online?: OnlineCode };

export interface VsaEmulator {
	/** http://127.0.0.1:<port> */
	readonly url: string;
	/** url + /api/v1.0 */
	readonly baseUrl: string;
	readonly port: number;
	readonly store: VsaStore;
	readonly auth: VsaAuth;
	readonly clock: Clock;
	readonly settings: VsaSettings;
	/** The underlying shared emulator (faults, latency, log). */
	readonly server: Emulator;
	readonly log: LogEntry[];
	requests(filter?: { method?: string; path?: RegExp | string }): LogEntry[];
	/** Successful GET /auth calls so far. */
	logins(): number;
	failedLogins(): number;
	/** Revoke all tokens, or the one given (Token or ApiToken); returns how many. */
	revokeTokens(token?: string): number;
	configureAuth(options: VsaAuthOptions): void;
	advanceClock(ms: number): void;
	fault(rule: FaultRule): void;
	clearFaults(): void;
	/** Next `times` matching requests answer HTTP 200 with `ResponseCode` ≠ 0 in the envelope. */
	envelopeError(rule: EnvelopeFault): void;
	mutate(op: MutateOp): unknown;
	close(): Promise<void>;
}

function mutate(vsa: VsaContext, m: MutateOp): unknown {
	const { store, clock } = vsa;
	switch (m.op) {
		case 'addAlarm':
			return store.addAlarm({ agentId: m.agentId, at: clock.now(), alarmType: m.alarmType, subject: m.subject, message: m.message });
		case 'closeAlarm': {
			const a = store.alarm(String(m.alarmId));
			if (!a) throw new Error(`no alarm ${m.alarmId}`);
			a.MonitorAlarmStateId = 2;
			a.State = 'Closed';
			if (m.notes) a.Notes = m.notes;
			return a;
		}
		case 'setOnline':
			return store.setOnline(m.agentId, m.online, clock.now());
		case 'updateTicket': {
			const t = store.ticket(m.ticketId);
			if (!t) throw new Error(`no ticket ${m.ticketId}`);
			Object.assign(t, m.fields, { ModifiedDate: fmtTime(clock.now()) });
			return t;
		}
		case 'addTicket': {
			const desk = m.deskId ? store.desk(m.deskId) : store.serviceDesks[0];
			if (!desk) throw new Error(`no desk ${m.deskId}`);
			const proto = store.tickets.find((t) => t.ServiceDeskId === desk.ServiceDeskId);
			if (!proto) throw new Error(`desk ${m.deskId} has no ticket to copy`);
			const now = fmtTime(clock.now());
			const t: VsaTicket = {
				...proto,
				ServiceDeskTicketId: store.newId(15),
				TicketRef: `${desk.ServiceDeskName.slice(0, 3).toUpperCase()}${String(store.tickets.length + 5000).padStart(6, '0')}`,
				Summary: m.Summary,
				TicketStatus: m.TicketStatus ?? 'New',
				Priority: m.Priority ?? 'Medium',
				CreatedDate: now,
				ModifiedDate: now,
				LastPublicUpdate: now,
				Closed: null,
			};
			store.tickets.push(t);
			const extra = store.ticketExtras.get(proto.ServiceDeskTicketId.toString());
			store.ticketExtras.set(t.ServiceDeskTicketId.toString(), { Description: '', customFields: new Map(extra?.customFields ?? []) });
			return t;
		}
		case 'addAgent': {
			const mg = m.machineGroupId ? store.machineGroup(m.machineGroupId) : store.machineGroups[0];
			if (!mg) throw new Error(`no machine group ${m.machineGroupId}`);
			const org = store.org(mg.OrgId)!;
			const proto = store.agents[0];
			const name = m.name ?? `new-${store.agents.length + 1}`;
			const group = `${mg.MachineGroupName}.${org.OrgRef}`;
			const agent = {
				...proto,
				AgentId: store.newId(15),
				AgentName: `${name}.${group}`,
				ComputerName: name.toUpperCase(),
				MachineGroup: group,
				MachineGroupId: mg.MachineGroupId,
				OrgId: org.OrgId,
				Online: m.online ?? 1,
				FirstCheckIn: fmtTime(clock.now()),
				LastCheckInTime: fmtTime(clock.now()),
			};
			store.addAgentRecord(agent);
			return agent;
		}
		default:
			throw new Error(`unknown mutate op ${(m as { op: string }).op}`);
	}
}

export async function startVsaEmulator(options: VsaEmulatorOptions = {}): Promise<VsaEmulator> {
	const store = options.store ?? createVsaStore(options);
	warmSchemas(store);
	const clock = new Clock();
	const auth = new VsaAuth(store, clock, options);
	const settings: VsaSettings = {
		caseSensitive: options.caseSensitive ?? false,
		orgPropagationMs: options.orgPropagationMs ?? 0,
	};
	const envelopeFaults: EnvelopeFault[] = [];
	const ctx: VsaContext = { store, auth, clock, settings, envelopeFaults };

	const server = new Emulator({
		name: 'vsa',
		routes: buildRoutes(ctx),
		notFound: vsaNotFound,
		seed: store.seed,
		latencyMs: options.latencyMs,
		control: {
			state: () => ({
				logins: auth.logins,
				failedLogins: auth.failedLogins,
				activeSessions: auth.activeSessions(),
				sessions: [...auth.sessions.values()].map((s) => ({
					token: s.token,
					username: s.username,
					method: s.method,
					requests: s.requests,
					revoked: s.revoked,
					expiresAt: new Date(s.expiresAt).toISOString(),
				})),
				counters: Object.fromEntries(store.counters),
				records: { orgs: store.orgs.length, agents: store.agents.length, alarms: store.alarms.length, tickets: store.tickets.length },
				now: new Date(clock.now()).toISOString(),
			}),
			revoke: (body: { token?: string }) => ({ revoked: auth.revoke(body?.token) }),
			'auth-config': (body: VsaAuthOptions) => {
				auth.configure(body ?? {});
				return auth.options;
			},
			settings: (body: Partial<VsaSettings>) => {
				if (body?.caseSensitive !== undefined) settings.caseSensitive = !!body.caseSensitive;
				if (body?.orgPropagationMs !== undefined) settings.orgPropagationMs = Number(body.orgPropagationMs);
				return settings;
			},
			clock: (body: { advanceMs?: number }) => {
				if (body?.advanceMs) clock.advance(Number(body.advanceMs));
				return { now: new Date(clock.now()).toISOString() };
			},
			'envelope-error': (body: EnvelopeFault & { clear?: boolean }) => {
				if (body?.clear) envelopeFaults.length = 0;
				else if (body?.responseCode) envelopeFaults.push({ ...body });
				return envelopeFaults;
			},
			mutate: (body: MutateOp) => toPlainJson(mutate(ctx, body)),
		},
	});
	await server.listen(options.port ?? 0, options.host ?? '127.0.0.1');

	return {
		get url() {
			return server.url;
		},
		get baseUrl() {
			return server.url + API_PREFIX;
		},
		get port() {
			return server.port;
		},
		store,
		auth,
		clock,
		settings,
		server,
		log: server.log,
		requests: (filter) => server.requests(filter),
		logins: () => auth.logins,
		failedLogins: () => auth.failedLogins,
		revokeTokens: (token) => auth.revoke(token),
		configureAuth: (o) => auth.configure(o),
		advanceClock: (ms) => clock.advance(ms),
		fault: (rule) => server.addFault(rule),
		clearFaults: () => {
			server.clearFaults();
			envelopeFaults.length = 0;
		},
		envelopeError: (rule) => envelopeFaults.push({ ...rule }),
		mutate: (op) => mutate(ctx, op),
		close: () => server.close(),
	};
}

function parseArgs(argv: string[]): VsaEmulatorOptions {
	const opts: VsaEmulatorOptions = {};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		const value = () => inline ?? argv[++i];
		switch (flag) {
			case '--port':
				opts.port = Number(value());
				break;
			case '--host':
				opts.host = value();
				break;
			case '--seed':
				opts.seed = Number(value());
				break;
			case '--agents':
				opts.agents = Number(value());
				break;
			case '--session-ttl-ms':
				opts.sessionTtlMs = Number(value());
				break;
			case '--max-requests-per-token':
				opts.maxRequestsPerToken = Number(value());
				break;
			case '--latency-ms':
				opts.latencyMs = Number(value());
				break;
			default:
				throw new Error(`unknown option ${flag}`);
		}
	}
	return opts;
}

if (require.main === module) {
	startVsaEmulator(parseArgs(process.argv.slice(2)))
		.then((vsa) => {
			process.stdout.write(`${JSON.stringify({ url: vsa.url, baseUrl: vsa.baseUrl })}\n`);
			const stop = () => void vsa.close().then(() => process.exit(0));
			process.on('SIGINT', stop);
			process.on('SIGTERM', stop);
		})
		.catch((e) => {
			process.stderr.write(`${(e as Error).message}\n`);
			process.exit(1);
		});
}
