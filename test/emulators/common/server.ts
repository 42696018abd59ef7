/**
 * Shared scaffolding of the VSA and Orchestrator emulators: a real node:http server on loopback,
 * a small router with `{param}` path patterns, a request log, seeded fault injection, barriers that
 * release N concurrent requests at once, and a control API.
 *
 * The emulators are written from the vendors' public references (Help Center pages, Swagger/OpenAPI
 * files) and from clients used against live servers (docs/api-evidence.md), not from the package's
 * operation tables, so that a misunderstanding in the client cannot be mirrored by the emulator.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Query = Record<string, string>;

export interface EmulatorRequest {
	method: string;
	/** Path without query string, percent-decoded per segment by the router. */
	path: string;
	params: Record<string, string>;
	/** Last value wins for repeated keys (OData options are never repeated). */
	query: Query;
	headers: http.IncomingHttpHeaders;
	rawBody: Buffer;
	/** Parsed body: JSON, or an object for application/x-www-form-urlencoded, else undefined. */
	body: unknown;
	/** Parse error of a JSON/form body, if any. */
	bodyError?: string;
}

export interface EmulatorResponse {
	status: number;
	headers?: Record<string, string>;
	/** Object → JSON; string/Buffer → sent as is; undefined → empty body. */
	body?: unknown;
}

export type Handler = (req: EmulatorRequest) => EmulatorResponse | Promise<EmulatorResponse>;

export interface Route {
	method: string;
	/** e.g. `/api/v1.0/assetmgmt/agents/{agentId}`; matched case-insensitively on literal segments. */
	pattern: string;
	handler: Handler;
}

export type FaultKind =
	| 'status' // answer `status` (default 503) with a short JSON/text body, without running the handler
	| 'retryAfter' // 429 with Retry-After: `retryAfter` (seconds, or an HTTP date string)
	| 'resetBefore' // destroy the socket before the handler runs (request not applied)
	| 'resetAfter' // run the handler (request applied), then destroy the socket without answering
	| 'delay' // wait `delayMs` before handling (use with the client's timeout)
	| 'body'; // answer with the given raw `status`/`contentType`/`rawBody` (bad server responses)

export interface FaultRule {
	kind: FaultKind;
	method?: string;
	/** Substring or RegExp source matched against the path (case-insensitive). */
	path?: string;
	/** Apply to the next `times` matching requests (default: unlimited while `probability` applies). */
	times?: number;
	/** Probability 0..1 per matching request, drawn from the server's seeded RNG (default 1). */
	probability?: number;
	status?: number;
	retryAfter?: string;
	delayMs?: number;
	contentType?: string;
	rawBody?: string;
	headers?: Record<string, string>;
}

/**
 * Holds the next `count` matching requests until all of them have arrived, then lets them go on at
 * once: with zero latency this makes "N requests rejected at the same moment" deterministic.
 */
export interface BarrierRule {
	count: number;
	method?: string;
	/** Substring or RegExp source matched against the path (case-insensitive). */
	path?: string;
}

interface ActiveBarrier {
	rule: BarrierRule;
	waiting: Array<() => void>;
	/** Resolves when the barrier has released its requests. */
	released: Promise<void>;
	release: () => void;
}

export interface LogEntry {
	seq: number;
	at: number;
	method: string;
	path: string;
	query: Query;
	headers: http.IncomingHttpHeaders;
	body: unknown;
	status: number | 'reset';
	fault?: FaultKind;
	route?: string;
}

/** Deterministic PRNG (mulberry32) so seeded runs reproduce. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

interface CompiledRoute extends Route {
	segments: string[];
}

function splitPath(path: string): string[] {
	return path.split('/').filter((s) => s !== '');
}

function compile(route: Route): CompiledRoute {
	return { ...route, segments: splitPath(route.pattern) };
}

/** Literal segments beat `{param}` segments, so `/alarms/{id}/close` and `/alarms/true` resolve as written. */
function specificity(route: CompiledRoute): number {
	return route.segments.filter((s) => !s.startsWith('{')).length;
}

export function matchRoute(
	routes: CompiledRoute[],
	method: string,
	path: string,
): { route: CompiledRoute; params: Record<string, string> } | { methodMismatch: boolean } {
	const parts = splitPath(path);
	let methodMismatch = false;
	let best: { route: CompiledRoute; params: Record<string, string> } | undefined;
	for (const route of routes) {
		if (route.segments.length !== parts.length) continue;
		const params: Record<string, string> = {};
		let ok = true;
		for (let i = 0; i < parts.length; i++) {
			const seg = route.segments[i];
			if (seg.startsWith('{') && seg.endsWith('}')) {
				params[seg.slice(1, -1)] = safeDecode(parts[i]);
			} else if (seg.toLowerCase() !== parts[i].toLowerCase()) {
				ok = false;
				break;
			}
		}
		if (!ok) continue;
		if (route.method !== method) {
			methodMismatch = true;
			continue;
		}
		if (!best || specificity(route) > specificity(best.route)) best = { route, params };
	}
	return best ?? { methodMismatch };
}

function safeDecode(s: string): string {
	try {
		return decodeURIComponent(s);
	} catch {
		return s;
	}
}

function parseQuery(search: string): Query {
	const out: Query = {};
	for (const [k, v] of new URLSearchParams(search)) out[k] = v;
	return out;
}

function parseBody(raw: Buffer, contentType: string | undefined): { body: unknown; error?: string } {
	if (raw.length === 0) return { body: undefined };
	const text = raw.toString('utf8');
	const ct = (contentType ?? '').toLowerCase();
	if (ct.includes('application/x-www-form-urlencoded')) {
		return { body: Object.fromEntries(new URLSearchParams(text)) };
	}
	if (ct.includes('json') || /^\s*[[{"]/.test(text)) {
		try {
			return { body: JSON.parse(text) };
		} catch (e) {
			return { body: undefined, error: (e as Error).message };
		}
	}
	return { body: text };
}

export interface EmulatorOptions {
	name: string;
	routes: Route[];
	/** Answer for requests no route matches (the server's own 404 shape). */
	notFound: (req: EmulatorRequest, methodMismatch: boolean) => EmulatorResponse;
	seed?: number;
	/** Fixed latency added to every request, in ms. */
	latencyMs?: number;
	/** Extra control endpoints under /__emulator/ (e.g. data mutation for triggers). */
	control?: Record<string, (body: any) => unknown>;
}

/**
 * A running emulator. Tests drive it in-process through this object; other processes (n8n, scripts)
 * use the same knobs over HTTP under `/__emulator/*`.
 */
export class Emulator {
	readonly name: string;
	private server?: http.Server;
	private routes: CompiledRoute[];
	private readonly notFound: EmulatorOptions['notFound'];
	private readonly controlHandlers: Record<string, (body: any) => unknown>;
	readonly log: LogEntry[] = [];
	faults: FaultRule[] = [];
	/** Called for every logged request before faults and routes run (tests use it to revoke tokens or move clocks mid-run). */
	readonly requestHooks: Array<(entry: LogEntry) => void> = [];
	latencyMs: number;
	random: () => number;
	private barriers: ActiveBarrier[] = [];
	private seq = 0;
	private sockets = new Set<import('node:net').Socket>();

	constructor(options: EmulatorOptions) {
		this.name = options.name;
		this.routes = options.routes.map(compile);
		this.notFound = options.notFound;
		this.latencyMs = options.latencyMs ?? 0;
		this.random = seededRandom(options.seed ?? 1);
		this.controlHandlers = options.control ?? {};
	}

	get url(): string {
		const addr = this.server?.address() as AddressInfo | null;
		if (!addr) throw new Error(`${this.name} emulator is not listening`);
		return `http://127.0.0.1:${addr.port}`;
	}

	get port(): number {
		return (this.server?.address() as AddressInfo).port;
	}

	async listen(port = 0, host = '127.0.0.1', createServer?: (l: http.RequestListener) => http.Server): Promise<this> {
		const listener: http.RequestListener = (req, res) => void this.handle(req, res);
		this.server = createServer ? createServer(listener) : http.createServer(listener);
		this.server.keepAliveTimeout = 5000;
		this.server.on('connection', (s) => {
			this.sockets.add(s);
			s.on('close', () => this.sockets.delete(s));
		});
		await new Promise<void>((resolve, reject) => {
			this.server!.once('error', reject);
			this.server!.listen(port, host, () => resolve());
		});
		return this;
	}

	async close(): Promise<void> {
		if (!this.server) return;
		this.clearBarriers();
		for (const s of this.sockets) s.destroy();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
		this.server = undefined;
	}

	/** Requests that reached a route (or a fault), excluding control calls. */
	requests(filter?: { method?: string; path?: RegExp | string }): LogEntry[] {
		return this.log.filter((e) => {
			if (filter?.method && e.method !== filter.method) return false;
			if (filter?.path) {
				const re = typeof filter.path === 'string' ? new RegExp(filter.path, 'i') : filter.path;
				if (!re.test(e.path)) return false;
			}
			return true;
		});
	}

	clearLog(): void {
		this.log.length = 0;
	}

	addFault(rule: FaultRule): void {
		this.faults.push({ ...rule });
	}

	clearFaults(): void {
		this.faults = [];
	}

	/** See BarrierRule. Returns a promise that resolves once the barrier has released its requests. */
	addBarrier(rule: BarrierRule): Promise<void> {
		let release!: () => void;
		const released = new Promise<void>((resolve) => (release = resolve));
		this.barriers.push({ rule: { ...rule, count: Math.max(1, Math.floor(rule.count)) }, waiting: [], released, release });
		return released;
	}

	/** Drops unfilled barriers and lets the requests they hold go on. */
	clearBarriers(): void {
		for (const b of this.barriers.splice(0)) {
			for (const go of b.waiting) go();
			b.release();
		}
	}

	/** Waits at the first unfilled barrier this request matches; the last arrival releases them all. */
	private async passBarrier(method: string, path: string): Promise<void> {
		const barrier = this.barriers.find(
			(b) => (!b.rule.method || b.rule.method.toUpperCase() === method) && (!b.rule.path || new RegExp(b.rule.path, 'i').test(path)),
		);
		if (!barrier) return;
		const arrived = new Promise<void>((resolve) => barrier.waiting.push(resolve));
		if (barrier.waiting.length >= barrier.rule.count) {
			this.barriers.splice(this.barriers.indexOf(barrier), 1);
			for (const go of barrier.waiting) go();
			barrier.release();
		}
		await arrived;
	}

	private pickFault(method: string, path: string): FaultRule | undefined {
		for (const rule of this.faults) {
			if (rule.times !== undefined && rule.times <= 0) continue;
			if (rule.method && rule.method.toUpperCase() !== method) continue;
			if (rule.path && !new RegExp(rule.path, 'i').test(path)) continue;
			if (rule.probability !== undefined && this.random() >= rule.probability) continue;
			if (rule.times !== undefined) rule.times--;
			return rule;
		}
		return undefined;
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const c of req) chunks.push(c as Buffer);
		const raw = Buffer.concat(chunks);
		const url = new URL(req.url ?? '/', 'http://emulator');
		const method = (req.method ?? 'GET').toUpperCase();
		const path = url.pathname;

		if (path.startsWith('/__emulator/')) {
			return this.handleControl(method, path.slice('/__emulator/'.length), raw, res);
		}

		const parsed = parseBody(raw, req.headers['content-type']);
		const request: EmulatorRequest = {
			method,
			path,
			params: {},
			query: parseQuery(url.search),
			headers: req.headers,
			rawBody: raw,
			body: parsed.body,
			bodyError: parsed.error,
		};
		const entry: LogEntry = {
			seq: ++this.seq,
			at: Date.now(),
			method,
			path,
			query: request.query,
			headers: req.headers,
			body: parsed.body,
			status: 0,
		};
		this.log.push(entry);
		for (const hook of this.requestHooks) hook(entry);

		await this.passBarrier(method, path);
		if (this.latencyMs > 0) await delay(this.latencyMs);

		const fault = this.pickFault(method, path);
		if (fault) entry.fault = fault.kind;
		if (fault?.kind === 'delay') await delay(fault.delayMs ?? 1000);
		if (fault?.kind === 'resetBefore') {
			entry.status = 'reset';
			req.socket.destroy();
			return;
		}
		if (fault?.kind === 'status') {
			const status = fault.status ?? 503;
			return this.send(res, entry, { status, headers: fault.headers, body: fault.rawBody ?? `Service Unavailable (${status})` });
		}
		if (fault?.kind === 'retryAfter') {
			return this.send(res, entry, {
				status: 429,
				headers: { 'Retry-After': fault.retryAfter ?? '1', ...(fault.headers ?? {}) },
				body: 'Too Many Requests',
			});
		}
		if (fault?.kind === 'body') {
			return this.send(res, entry, {
				status: fault.status ?? 200,
				headers: { 'Content-Type': fault.contentType ?? 'text/html', ...(fault.headers ?? {}) },
				body: fault.rawBody ?? '',
			});
		}

		let response: EmulatorResponse;
		const match = matchRoute(this.routes, method, path);
		try {
			if ('route' in match) {
				request.params = match.params;
				entry.route = `${match.route.method} ${match.route.pattern}`;
				response = await match.route.handler(request);
			} else {
				response = this.notFound(request, match.methodMismatch);
			}
		} catch (e) {
			response = { status: 500, body: { emulatorError: (e as Error).stack } };
		}
		if (fault?.kind === 'resetAfter') {
			entry.status = 'reset';
			req.socket.destroy();
			return;
		}
		this.send(res, entry, response);
	}

	private send(res: http.ServerResponse, entry: LogEntry, response: EmulatorResponse): void {
		entry.status = response.status;
		const headers: Record<string, string> = { ...(response.headers ?? {}) };
		let payload: Buffer | undefined;
		if (response.body === undefined) {
			payload = undefined;
		} else if (Buffer.isBuffer(response.body)) {
			payload = response.body;
		} else if (typeof response.body === 'string') {
			payload = Buffer.from(response.body, 'utf8');
			if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = 'text/plain; charset=utf-8';
		} else {
			payload = Buffer.from(JSON.stringify(response.body), 'utf8');
			if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = 'application/json; charset=utf-8';
		}
		if (payload) headers['Content-Length'] = String(payload.length);
		res.writeHead(response.status, headers);
		res.end(payload);
	}

	private handleControl(method: string, what: string, raw: Buffer, res: http.ServerResponse): void {
		let body: any = {};
		try {
			body = raw.length ? JSON.parse(raw.toString('utf8')) : {};
		} catch {
			body = {};
		}
		const reply = (status: number, data: unknown) => {
			const payload = Buffer.from(JSON.stringify(data ?? null));
			res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) });
			res.end(payload);
		};
		switch (what) {
			case 'log':
				if (method === 'DELETE') {
					this.clearLog();
					return reply(200, { ok: true });
				}
				return reply(200, this.log);
			case 'faults':
				if (method === 'DELETE') this.clearFaults();
				else if (method === 'POST') for (const r of [].concat(body)) this.addFault(r);
				return reply(200, this.faults);
			case 'barrier':
				if (method === 'DELETE') this.clearBarriers();
				else if (method === 'POST') void this.addBarrier(body);
				return reply(200, { barriers: this.barriers.map((b) => ({ ...b.rule, waiting: b.waiting.length })) });
			case 'latency':
				if (method === 'POST') this.latencyMs = Number(body.ms ?? 0);
				return reply(200, { ms: this.latencyMs });
			case 'seed':
				if (method === 'POST') this.random = seededRandom(Number(body.seed ?? 1));
				return reply(200, { ok: true });
			default: {
				const fn = this.controlHandlers[what];
				if (!fn) return reply(404, { error: `no control endpoint ${what}` });
				try {
					return reply(200, fn(body));
				} catch (e) {
					return reply(400, { error: (e as Error).message });
				}
			}
		}
	}
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
	return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

export function delay(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}

/** Simple clock the emulators use for token expiry, so tests can move time forward. */
export class Clock {
	offsetMs = 0;
	now(): number {
		return Date.now() + this.offsetMs;
	}
	advance(ms: number): void {
		this.offsetMs += ms;
	}
}
