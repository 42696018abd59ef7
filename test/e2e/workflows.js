'use strict';
/**
 * Workflows and credentials the end-to-end suite (scripts/e2e.js) imports next to the examples.
 * Plain JS (no build step): the suite runs them in a real n8n.
 *
 * - e2e credentials with their own ids, so login counts start from an empty token;
 * - one published workflow with a Webhook trigger per scenario (GET /webhook/<path>), so many
 *   executions run inside one `n8n start`;
 * - one Manual Trigger workflow that calls each credential from n8n's own HTTP Request node
 *   (authentication: predefinedCredentialType), run with `n8n execute`.
 */
const { DEMO_LOGINS } = require('../../scripts/lib/emulators');

const PKG = 'n8n-nodes-kaseya-veeam';

const E2E_CRED = {
	vsaPat: { id: 'e2eVsaPat0000001', name: 'e2e VSA PAT', type: 'kaseyaVsaApi' },
	vsaPassword: { id: 'e2eVsaPwd0000001', name: 'e2e VSA password', type: 'kaseyaVsaApi' },
	vro721: { id: 'e2eVro7210000001', name: 'e2e VRO v7.21', type: 'veeamOrchestratorApi' },
	vroV1: { id: 'e2eVroV100000001', name: 'e2e VRO v1', type: 'veeamOrchestratorApi' },
	vroClient: { id: 'e2eVroCli0000001', name: 'e2e VRO v7.21 client', type: 'veeamOrchestratorApi' },
};

function e2eCredentials({ vsaUrl, vroUrl }) {
	const v = DEMO_LOGINS.vsa;
	const o = DEMO_LOGINS.vro;
	const vsa = { baseUrl: vsaUrl, allowUnauthorizedCerts: false, sessionToken: '' };
	const vro = { baseUrl: vroUrl, allowUnauthorizedCerts: false, accessToken: '', refreshToken: '' };
	return [
		{ ...E2E_CRED.vsaPat, data: { ...vsa, authMethod: 'personalAccessToken', username: v.patUser, personalAccessToken: v.pat } },
		{ ...E2E_CRED.vsaPassword, data: { ...vsa, authMethod: 'password', username: v.passwordUser, password: v.password } },
		{ ...E2E_CRED.vro721, data: { ...vro, apiVersion: 'v7.21', authMethod: 'password', username: o.username, password: o.password } },
		{ ...E2E_CRED.vroV1, data: { ...vro, apiVersion: 'v1', authMethod: 'password', username: o.username, password: o.password } },
		{ ...E2E_CRED.vroClient, data: { ...vro, apiVersion: 'v7.21', authMethod: 'clientCredentials', clientId: o.clientId, clientSecret: o.clientSecret } },
	];
}

const credRef = (c) => ({ [c.type]: { id: c.id, name: c.name } });

/** Webhook paths → what runs behind them. */
const HOOKS = {
	'e2e-vsa-pat': { cred: E2E_CRED.vsaPat, node: 'vsaAgents' },
	'e2e-vsa-password': { cred: E2E_CRED.vsaPassword, node: 'vsaAgents' },
	'e2e-vro-v721': { cred: E2E_CRED.vro721, node: 'vroPlans' },
	'e2e-vro-v1': { cred: E2E_CRED.vroV1, node: 'vroPlans' },
	'e2e-vro-client': { cred: E2E_CRED.vroClient, node: 'vroPlans' },
	'e2e-vro-v721-logout': { cred: E2E_CRED.vro721, node: 'vroLogout' },
	'e2e-vro-v1-logout': { cred: E2E_CRED.vroV1, node: 'vroLogout' },
};

const NODE_PARAMS = {
	vsaAgents: { type: `${PKG}.kaseyaVsa`, parameters: { resource: 'agent', operation: 'getAll', returnAll: false, limit: 3 } },
	vroPlans: { type: `${PKG}.veeamOrchestrator`, parameters: { resource: 'plan', operation: 'getAll', returnAll: false, limit: 2 } },
	vroLogout: { type: `${PKG}.veeamOrchestrator`, parameters: { resource: 'session', operation: 'logout' } },
};

/** One workflow, one Webhook trigger per scenario (each starts only its own branch). */
function webhookWorkflow() {
	const nodes = [];
	const connections = {};
	let y = 0;
	for (const [path, h] of Object.entries(HOOKS)) {
		const hook = `Webhook ${path}`;
		const action = `Call ${path}`;
		nodes.push({
			id: `hook-${path}`, name: hook, type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, y], webhookId: `0e2e0000-0000-4000-8000-${String(y / 200 + 1).padStart(12, '0')}`,
			parameters: { httpMethod: 'GET', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
		});
		const p = NODE_PARAMS[h.node];
		nodes.push({ id: `call-${path}`, name: action, type: p.type, typeVersion: 1, position: [300, y], parameters: { ...p.parameters }, credentials: credRef(h.cred) });
		connections[hook] = { main: [[{ node: action, type: 'main', index: 0 }]] };
		y += 200;
	}
	// Answers as soon as n8n has registered the workflow's webhooks (activation runs after /healthz/readiness).
	nodes.push({
		id: 'hook-ping', name: 'Webhook e2e-ping', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, y], webhookId: '0e2e0000-0000-4000-8000-0000000000ff',
		parameters: { httpMethod: 'GET', path: 'e2e-ping', responseMode: 'onReceived', options: {} },
	});
	return { id: 'e2eWebhooks00001', name: 'e2e: webhook scenarios', active: false, nodes, connections, settings: { executionOrder: 'v1' } };
}

/** Manual Trigger → one HTTP Request node per e2e credential, each with the predefined credential type. */
function httpRequestWorkflow({ vsaUrl, vroUrl }) {
	const calls = [
		['HTTP VSA PAT', E2E_CRED.vsaPat, `${vsaUrl}/api/v1.0/system/currentUser`],
		['HTTP VSA password', E2E_CRED.vsaPassword, `${vsaUrl}/api/v1.0/assetmgmt/agents?$top=2`],
		['HTTP VRO v7.21', E2E_CRED.vro721, `${vroUrl}/api/v7.21/Plans?limit=2`],
		['HTTP VRO v1', E2E_CRED.vroV1, `${vroUrl}/v1/FailoverPlans?$top=2`],
		['HTTP VRO client', E2E_CRED.vroClient, `${vroUrl}/api/v7.21/Plans?limit=2`],
	];
	const nodes = [{ id: 'start', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }];
	const connections = {};
	let prev = 'Manual Trigger';
	calls.forEach(([name, cred, url], i) => {
		nodes.push({
			id: `http-${i}`, name, type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2, position: [250 * (i + 1), 0], executeOnce: true,
			parameters: { url, authentication: 'predefinedCredentialType', nodeCredentialType: cred.type, options: {} },
			credentials: credRef(cred),
		});
		connections[prev] = { main: [[{ node: name, type: 'main', index: 0 }]] };
		prev = name;
	});
	return { id: 'e2eHttpRequest01', name: 'e2e: HTTP Request node with each credential', active: false, nodes, connections, settings: { executionOrder: 'v1' }, calls };
}

module.exports = { E2E_CRED, HOOKS, e2eCredentials, webhookWorkflow, httpRequestWorkflow };
