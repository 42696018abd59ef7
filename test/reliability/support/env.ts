/**
 * Shared set-up of the reliability scenarios: emulators with users whose secrets are long and
 * distinctive (so the scanner has something real to look for), Harnesses holding the credential
 * types, credential data per product, n8n's logger captured for the secret scan, and fault mixes.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ICredentialDataDecryptedObject, ICredentialType, IDataObject, INodeType } from 'n8n-workflow';
import { LoggerProxy } from 'n8n-workflow';

import { KaseyaVsaApi } from '../../../credentials/KaseyaVsaApi.credentials';
import type { Emulator, FaultRule } from '../../emulators/common/server';
import { Harness } from '../../harness/n8n';
import { DEFAULT_USERS, startVsaEmulator, type VsaEmulator, type VsaEmulatorOptions } from '../../emulators/vsa';
import { VRO_CREDENTIALS } from '../../emulators/vro';
import { VSPC_CREDENTIALS } from '../../emulators/vspc';

// ---------------------------------------------------------------- test identities

/** VSA users of the suite: long, unique secrets so any leak is a certain hit. */
export const VSA_PAT_USER = { username: 'n8n-reliability', pat: '7d4e2b91-3f6a-4c8d-9e15-a2b3c4d5e6f7' };
export const VSA_PASSWORD_USER = { username: 'n8n-hashuser', password: 'Hash-Login!Secret#2024' };

export const VSA_USERS: VsaEmulatorOptions['users'] = [
	{ username: VSA_PAT_USER.username, pats: [VSA_PAT_USER.pat], userId: 71000001, roleId: 2, scopeId: '2' },
	{ username: VSA_PASSWORD_USER.username, password: VSA_PASSWORD_USER.password, userId: 71000002, roleId: 2, scopeId: '2' },
	...DEFAULT_USERS,
];

/** Credential data as the Harness stores it. */
export type CredData = ICredentialDataDecryptedObject;

export function vsaCredentialData(vsa: { url: string }, method: 'personalAccessToken' | 'password' = 'personalAccessToken', extra: CredData = {}): CredData {
	return method === 'password'
		? { baseUrl: vsa.url, authMethod: 'password', username: VSA_PASSWORD_USER.username, password: VSA_PASSWORD_USER.password, allowUnauthorizedCerts: false, ...extra }
		: { baseUrl: vsa.url, authMethod: 'personalAccessToken', username: VSA_PAT_USER.username, personalAccessToken: VSA_PAT_USER.pat, allowUnauthorizedCerts: false, ...extra };
}

export async function startVsa(options: VsaEmulatorOptions = {}): Promise<VsaEmulator> {
	return startVsaEmulator({ users: VSA_USERS, ...options });
}

// ---------------------------------------------------------------- nodes and credentials (loaded lazily: they may be in progress)

export function vsaNode(): INodeType {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const m = require('../../../nodes/KaseyaVsa/KaseyaVsa.node');
	return new m.KaseyaVsa();
}

export function vroNode(): INodeType {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const m = require('../../../nodes/VeeamOrchestrator/VeeamOrchestrator.node');
	return new m.VeeamOrchestrator();
}

export function vroCredentialType(): ICredentialType {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const m = require('../../../credentials/VeeamOrchestratorApi.credentials');
	return new m.VeeamOrchestratorApi();
}

export function harness(withVro = false): Harness {
	const types: ICredentialType[] = [new KaseyaVsaApi()];
	if (withVro) types.push(vroCredentialType());
	return new Harness(types);
}

/** An Orchestrator credential of the emulator's admin (password grant) for API `apiVersion`. */
export function vroCredentialData(vro: { url: string }, apiVersion: string, extra: CredData = {}): CredData {
	return { baseUrl: vro.url, apiVersion, authMethod: 'password', username: VRO_CREDENTIALS.admin.username, password: VRO_CREDENTIALS.admin.password, allowUnauthorizedCerts: false, ...extra };
}

export function vspcNode(): INodeType {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const m = require('../../../nodes/VeeamServiceProviderConsole/VeeamServiceProviderConsole.node');
	return new m.VeeamServiceProviderConsole();
}

export function vspcCredentialType(): ICredentialType {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const m = require('../../../credentials/VeeamServiceProviderConsoleApi.credentials');
	return new m.VeeamServiceProviderConsoleApi();
}

/** A Harness holding the VSPC credential type. */
export function vspcHarness(): Harness {
	return new Harness([vspcCredentialType()]);
}

/** A VSPC credential: the emulator's Portal Administrator (password grant), or its full-access API key. */
export function vspcCredentialData(vspc: { url: string }, method: 'password' | 'apiKey' = 'password', extra: CredData = {}): CredData {
	return method === 'password'
		? { baseUrl: vspc.url, authMethod: 'password', username: VSPC_CREDENTIALS.admin.username, password: VSPC_CREDENTIALS.admin.password, allowUnauthorizedCerts: false, ...extra }
		: { baseUrl: vspc.url, authMethod: 'apiKey', apiKey: VSPC_CREDENTIALS.apiKey, allowUnauthorizedCerts: false, ...extra };
}

/** A resource locator value "By ID", as the editor stores it. */
export function byId(value: string | number, mode = 'id'): IDataObject {
	return { __rl: true, mode, value: String(value) };
}

// ---------------------------------------------------------------- n8n's logger, captured

export interface CapturedLog {
	lines: string[];
	text(): string;
}

/** Routes n8n's Logger (DI) and LoggerProxy into memory, so log lines can be scanned for secrets. */
export function captureN8nLogs(): CapturedLog {
	const lines: string[] = [];
	const write = (level: string) => (message: string, meta?: unknown) => {
		let metaText = '';
		try {
			metaText = meta === undefined ? '' : ` ${JSON.stringify(meta)}`;
		} catch {
			metaText = ' [unserialisable meta]';
		}
		lines.push(`${level} ${message}${metaText}`);
	};
	const logger = {
		error: write('error'),
		warn: write('warn'),
		info: write('info'),
		debug: write('debug'),
		verbose: write('verbose'),
		scoped() {
			return logger;
		},
	};
	Container.set(Logger, logger as unknown as Logger);
	LoggerProxy.init(logger as any);
	return { lines, text: () => lines.join('\n') };
}

// ---------------------------------------------------------------- faults

/**
 * Adds rules so that each matching request fails with overall probability `rate`, spread evenly
 * over the given kinds. The emulator tries rules in order, each with its own draw from its seeded
 * RNG, so rule i gets the conditional probability p / (1 − i·p) for an even split.
 */
export function addFaultMix(server: Emulator, base: Omit<FaultRule, 'kind'>, kinds: Array<Omit<FaultRule, 'probability'>>, rate: number): void {
	const p = rate / kinds.length;
	kinds.forEach((kind, i) => server.addFault({ ...base, ...kind, probability: p / (1 - i * p) }));
}

/**
 * The rule one of an emulator's own fault knobs adds (e.g. VSPC's `throttle`, with the product's
 * error body), taken back out unarmed so that a scenario can arm it its own way (in a mix, once for
 * one write).
 */
export function knobRule(server: Emulator, arm: () => void): Omit<FaultRule, 'method' | 'path' | 'times'> {
	const before = server.faults.length;
	arm();
	const added = server.faults.splice(before);
	if (added.length !== 1) throw new Error(`the knob added ${added.length} fault rules, expected 1`);
	const { method: _method, path: _path, times: _times, ...rule } = added[0];
	return rule;
}

/** Fault log entries of a server since `fromSeq` (exclusive). */
export function faultsSince(server: Emulator, fromSeq: number): number {
	return server.log.filter((e) => e.seq > fromSeq && e.fault).length;
}

export function lastSeq(server: Emulator): number {
	return server.log.length ? server.log[server.log.length - 1].seq : 0;
}

// ---------------------------------------------------------------- TLS

/**
 * A self-signed certificate made with `openssl req -x509` in a temp dir: for 127.0.0.1/localhost, or
 * for `hostName` only (then it is also the wrong name for the loopback server).
 */
export function selfSignedCertificate(hostName?: string): { key: Buffer; cert: Buffer; dir: string } {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kv-reliability-tls-'));
	const key = path.join(dir, 'key.pem');
	const cert = path.join(dir, 'cert.pem');
	execFileSync(
		'openssl',
		['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${hostName ?? '127.0.0.1'}`, '-addext', `subjectAltName=${hostName ? `DNS:${hostName}` : 'IP:127.0.0.1,DNS:localhost'}`],
		{ stdio: 'pipe' },
	);
	return { key: fs.readFileSync(key), cert: fs.readFileSync(cert), dir };
}

/** Moves a running emulator onto HTTPS with the given certificate; returns its https:// URL. */
export async function serveOverHttps(server: Emulator, tls: { key: Buffer; cert: Buffer }): Promise<string> {
	await server.close();
	await server.listen(0, '127.0.0.1', (listener) => https.createServer({ key: tls.key, cert: tls.cert }, listener));
	return `https://127.0.0.1:${server.port}`;
}
