/**
 * The two products whose sessions are OAuth2 pairs with single-use refresh tokens — Veeam Recovery
 * Orchestrator and the Service Provider Console — described once for the token scenarios (3, 3b):
 * the emulator as the scenarios drive it, and the list each scenario reads through the node.
 */
import type { IDataObject, INodeType } from 'n8n-workflow';

import type { Emulator } from '../../emulators/common/server';
import type { VroEmulator } from '../../emulators/vro';
import type { VspcEmulator } from '../../emulators/vspc';
import { errorEnvelope } from '../../emulators/vspc/routes';
import type { Harness } from '../../harness/n8n';
import { SecretSet } from '../secrets';
import { type CredData, harness, vroCredentialData, vroNode, vspcCredentialData, vspcHarness, vspcNode } from './env';

/** A running emulator of an OAuth2 product, as the token scenarios drive it. */
export interface OAuthServer {
	server: Emulator;
	counters: { refreshGrants: number; passwordLogins: number; failedTokenRequests: number; clientCredentialGrants?: number };
	/** Where a refresh grant is posted (form body). */
	tokenUrl: string;
	expireAccessTokens(): void;
	/** Revokes every access and refresh token. */
	revokeTokens(): void;
	/** Moves the server's clock. */
	advance(ms: number): void;
	close(): Promise<void>;
	/** The ids a complete list holds. */
	expected(): Set<string>;
	/** The emulator's secrets (passwords, tokens it issued or received). */
	secrets(): SecretSet;
}

export function vroServer(vro: VroEmulator, apiVersion: 'v13.1' | 'v7.21' = 'v13.1'): OAuthServer {
	return {
		server: vro.emulator,
		counters: vro.counters,
		tokenUrl: vro.tokenUrl(apiVersion),
		expireAccessTokens: () => vro.expireAccessTokens(),
		revokeTokens: () => vro.revokeTokens(),
		advance: (ms) => vro.advance(ms),
		close: () => vro.close(),
		expected: () => new Set(vro.store.plans.map((p) => p.id)),
		secrets: () => new SecretSet().addVro(vro),
	};
}

export function vspcServer(vspc: VspcEmulator): OAuthServer {
	return {
		server: vspc.emulator,
		counters: vspc.counters,
		tokenUrl: `${vspc.base}/token`,
		expireAccessTokens: () => vspc.expireAccessTokens(),
		revokeTokens: () => vspc.revokeTokens(),
		advance: (ms) => vspc.advance(ms),
		close: () => vspc.close(),
		expected: () => new Set(vspc.store.vms.map((v) => v.instanceUid)),
		secrets: () => new SecretSet().addVspc(vspc),
	};
}

/** A product's list read through its node with a password credential: what the token scenarios run. */
export interface OAuthList {
	/** Short name in labels: VRO, VSPC. */
	label: string;
	harness(): Harness;
	credentialType: string;
	credentialData(url: string): CredData;
	nodeType(): INodeType;
	/** The list operation's parameters (Return All), without requestOptions. */
	parameters: IDataObject;
	/** Path regex source of the list's data requests. */
	dataPath: string;
	idOf(json: IDataObject): string;
	/** The server's answer to a token it refuses. */
	refusal: { rawBody: string; headers: Record<string, string> };
	/** How far the server clock must run ahead to expire the access token only, and the refresh token too. */
	lifetimes: { accessExpiredMs: number; refreshExpiredMs: number };
}

/** Orchestrator plans (API v13.1; access tokens live 15 min, refresh tokens 2 h). */
export const VRO_PLANS: OAuthList = {
	label: 'VRO',
	harness: () => harness(true),
	credentialType: 'veeamOrchestratorApi',
	credentialData: (url) => vroCredentialData({ url }, 'v13.1'),
	nodeType: vroNode,
	parameters: { resource: 'plan', operation: 'getAll', returnAll: true },
	dataPath: '/Plans$',
	idOf: (j) => String(j.id),
	refusal: { rawBody: '{"Message":"Authorization has been denied for this request."}', headers: { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer' } },
	lifetimes: { accessExpiredMs: 16 * 60_000, refreshExpiredMs: 3 * 3600_000 },
};

/** VSPC protected VMs (access tokens live 1 h, refresh tokens 48 h). */
export const VSPC_VMS: OAuthList = {
	label: 'VSPC',
	harness: vspcHarness,
	credentialType: 'veeamServiceProviderConsoleApi',
	credentialData: (url) => vspcCredentialData({ url }),
	nodeType: vspcNode,
	parameters: { resource: 'protectedWorkload', operation: 'getAll', workloadType: 'virtualMachines', returnAll: true },
	dataPath: '/protectedWorkloads/virtualMachines$',
	idOf: (j) => String(j.instanceUid),
	refusal: { rawBody: JSON.stringify(errorEnvelope('Authorization has been denied for this request.', { type: 'security', code: 401 })), headers: { 'Content-Type': 'application/json; charset=utf-8' } },
	lifetimes: { accessExpiredMs: 61 * 60_000, refreshExpiredMs: 49 * 3600_000 },
};
