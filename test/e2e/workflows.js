'use strict';
/**
 * Workflows and credentials the end-to-end suite (scripts/e2e.js) imports next to the examples.
 * Plain JS (no build step): the suite runs them in a real n8n.
 *
 * - e2e credentials with their own ids, so login counts start from an empty token;
 * - one published workflow with a Webhook trigger per scenario (GET /webhook/<path>), so many
 *   executions run inside one `n8n start`;
 * - one Manual Trigger workflow that calls each credential from n8n's own HTTP Request node
 *   (authentication: predefinedCredentialType), run with `n8n execute`;
 * - one workflow per polling-trigger case (TRIGGER_CASES), created and published over REST while
 *   n8n runs: the trigger polls every minute (a custom cron with a chosen second) and an HTTP Request
 *   node posts every item it emits to the suite's loopback collector.
 */
const { DEMO_LOGINS } = require('../../scripts/lib/emulators');
const { VSPC_TRIGGER_CASES } = require('./vspc');

const PKG = 'n8n-nodes-kaseya-veeam';

const E2E_CRED = {
	vsaPat: { id: 'e2eVsaPat0000001', name: 'e2e VSA PAT', type: 'kaseyaVsaApi' },
	vsaPassword: { id: 'e2eVsaPwd0000001', name: 'e2e VSA password', type: 'kaseyaVsaApi' },
	vro721: { id: 'e2eVro7210000001', name: 'e2e VRO v7.21', type: 'veeamOrchestratorApi' },
	vroV1: { id: 'e2eVroV100000001', name: 'e2e VRO v1', type: 'veeamOrchestratorApi' },
	vroClient: { id: 'e2eVroCli0000001', name: 'e2e VRO v7.21 client', type: 'veeamOrchestratorApi' },
	// Used only by the trigger workflows, so their logins never mix with the counted scenarios.
	vsaTrigger: { id: 'e2eVsaTrg0000001', name: 'e2e VSA trigger', type: 'kaseyaVsaApi' },
	vroTrigger: { id: 'e2eVroTrg0000001', name: 'e2e VRO trigger', type: 'veeamOrchestratorApi' },
	vspcTrigger: { id: 'e2eVspcTrg000001', name: 'e2e VSPC trigger', type: 'veeamServiceProviderConsoleApi' },
	// A wrong password: the login error's own message must reach the user on every n8n line.
	vsaWrongPassword: { id: 'e2eVsaBad0000001', name: 'e2e VSA wrong password', type: 'kaseyaVsaApi' },
};

function e2eCredentials({ vsaUrl, vroUrl, vspcUrl }) {
	const v = DEMO_LOGINS.vsa;
	const o = DEMO_LOGINS.vro;
	const s = DEMO_LOGINS.vspc;
	const vsa = { baseUrl: vsaUrl, allowUnauthorizedCerts: false, sessionToken: '' };
	const vro = { baseUrl: vroUrl, allowUnauthorizedCerts: false, accessToken: '', refreshToken: '' };
	return [
		{ ...E2E_CRED.vsaPat, data: { ...vsa, authMethod: 'personalAccessToken', username: v.patUser, personalAccessToken: v.pat } },
		{ ...E2E_CRED.vsaPassword, data: { ...vsa, authMethod: 'password', username: v.passwordUser, password: v.password } },
		{ ...E2E_CRED.vro721, data: { ...vro, apiVersion: 'v7.21', authMethod: 'password', username: o.username, password: o.password } },
		{ ...E2E_CRED.vroV1, data: { ...vro, apiVersion: 'v1', authMethod: 'password', username: o.username, password: o.password } },
		{ ...E2E_CRED.vroClient, data: { ...vro, apiVersion: 'v7.21', authMethod: 'clientCredentials', clientId: o.clientId, clientSecret: o.clientSecret } },
		{ ...E2E_CRED.vsaTrigger, data: { ...vsa, authMethod: 'personalAccessToken', username: v.patUser, personalAccessToken: v.pat } },
		{ ...E2E_CRED.vroTrigger, data: { ...vro, apiVersion: 'v7.21', authMethod: 'password', username: o.username, password: o.password } },
		{
			...E2E_CRED.vspcTrigger,
			data: { baseUrl: vspcUrl, allowUnauthorizedCerts: false, authMethod: 'password', username: s.username, password: s.password, accessToken: '', refreshToken: '' },
		},
		{ ...E2E_CRED.vsaWrongPassword, data: { ...vsa, authMethod: 'password', username: v.passwordUser, password: `${v.password}-wrong` } },
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

/** Manual Trigger → Kaseya VSA (agent: Get Many) on the wrong-password credential: the run must fail with the login error. */
function wrongPasswordWorkflow() {
	return {
		id: 'e2eWrongPwd00001', name: 'e2e: VSA login with a wrong password', active: false, settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 'start', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'vsa', name: 'Kaseya VSA', type: `${PKG}.kaseyaVsa`, typeVersion: 1, position: [250, 0],
				parameters: { ...NODE_PARAMS.vsaAgents.parameters }, credentials: credRef(E2E_CRED.vsaWrongPassword),
			},
		],
		connections: { 'Manual Trigger': { main: [[{ node: 'Kaseya VSA', type: 'main', index: 0 }]] } },
	};
}

/**
 * Polling-trigger cases: one published workflow each. The suite makes one emulator change per case
 * (control API: /__emulator/mutate of VSA and Orchestrator, /__emulator/raiseAlarm and runJob of
 * VSPC) and `itemId(item)` is the object id the emitted item must carry. `pollPath` tells the
 * trigger's poll requests apart in the emulator's request log. The Orchestrator cases watch only
 * their own plan (Plan Names or IDs), so runs left over by the examples never count; the VSPC cases
 * watch every company (the examples change nothing in VSPC).
 */
const TRIGGER_CASES = [
	{
		key: 'vsaAlarm', id: 'e2eTrgVsaAlarm01', product: 'vsa', event: 'alarmCreated', object: 'alarm',
		pollPath: /\/assetmgmt\/alarms\/true$/i, itemId: (i) => i && i.alarm && i.alarm.AlarmId,
	},
	{
		key: 'vsaOffline', id: 'e2eTrgVsaOffl01', product: 'vsa', event: 'agentWentOffline', object: 'agent',
		pollPath: /\/assetmgmt\/agents$/i, itemId: (i) => i && i.agent && i.agent.AgentId,
	},
	{
		// Both ticket triggers watch every desk; their cursors are the ticket model's CreatedDate / ModifiedDate.
		key: 'vsaTicketNew', id: 'e2eTrgVsaTkNew01', product: 'vsa', event: 'ticketCreated', object: 'ticket',
		pollPath: /\/automation\/servicedesks\/\d+\/tickets$/i, itemId: (i) => i && i.ticket && i.ticket.ServiceDeskTicketId,
	},
	{
		key: 'vsaTicketUpd', id: 'e2eTrgVsaTkUpd01', product: 'vsa', event: 'ticketUpdated', object: 'ticket',
		pollPath: /\/automation\/servicedesks\/\d+\/tickets$/i, itemId: (i) => i && i.ticket && i.ticket.ServiceDeskTicketId,
	},
	{
		key: 'vroState', id: 'e2eTrgVroState01', product: 'vro', event: 'planStateChanged', object: 'plan',
		pollPath: /\/api\/v7\.21\/Plans$/i, itemId: (i) => i && i.plan && i.plan.id,
	},
	{
		key: 'vroRun', id: 'e2eTrgVroRun0001', product: 'vro', event: 'planRunFinished', object: 'plan',
		pollPath: /\/api\/v7\.21\/Plans$/i, itemId: (i) => i && i.plan && i.plan.id,
	},
	{
		key: 'vroCheck', id: 'e2eTrgVroCheck01', product: 'vro', event: 'readinessCheckFailed', object: 'plan',
		pollPath: /\/api\/v7\.21\/Plans$/i, itemId: (i) => i && i.plan && i.plan.id,
	},
	// Cases that bring their own setup (pick + change, called by scripts/e2e.js).
	...VSPC_TRIGGER_CASES,
];

/** n8n's Poll Times parameter with one custom cron (6 fields: seconds first). */
const pollTimesCron = (cronExpression) => ({ item: [{ mode: 'custom', cronExpression }] });

/**
 * Trigger → HTTP Request node that POSTs {workflow, execution, item} to <collectorUrl>/hit/<case key>
 * (once per item).
 * @param {typeof TRIGGER_CASES[number]} c
 * @param {{collectorUrl: string, cron: string, planId?: string}} o
 */
function triggerWorkflow(c, { collectorUrl, cron, planId }) {
	const byProduct = {
		vsa: { name: 'Kaseya VSA Trigger', type: 'kaseyaVsaTrigger', cred: E2E_CRED.vsaTrigger, parameters: {} },
		vro: { name: 'Veeam Orchestrator Trigger', type: 'veeamOrchestratorTrigger', cred: E2E_CRED.vroTrigger, parameters: { planIds: planId ? [planId] : [] } },
		// Default filters: every company; alarms Error and Warning of any object type; jobs Failed and Warning.
		vspc: { name: 'Veeam Service Provider Console Trigger', type: 'veeamServiceProviderConsoleTrigger', cred: E2E_CRED.vspcTrigger, parameters: {} },
	};
	const p = byProduct[c.product];
	if (!p) throw new Error(`trigger case ${c.key}: unknown product ${c.product}`);
	const trigger = {
		id: `${c.id}-trigger`,
		name: p.name,
		type: `${PKG}.${p.type}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: { pollTimes: pollTimesCron(cron), event: c.event, ...p.parameters, options: {} },
		credentials: credRef(p.cred),
	};
	return {
		id: c.id,
		name: `e2e trigger: ${c.event}`,
		nodes: [
			trigger,
			{
				id: `${c.id}-sink`,
				name: 'Post to collector',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [260, 0],
				parameters: {
					method: 'POST',
					url: `${collectorUrl}/hit/${c.key}`,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify({ workflow: $workflow.id, execution: $execution.id, item: $json }) }}',
					options: {},
				},
			},
		],
		connections: { [trigger.name]: { main: [[{ node: 'Post to collector', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** A VSA trigger polling every 15 seconds: n8n must refuse to publish it (sub-minute poll). */
function subMinuteTriggerWorkflow() {
	return {
		id: 'e2eTrgSubMinute1',
		name: 'e2e trigger: every 15 s (n8n must refuse it)',
		nodes: [{
			id: 'e2eTrgSubMinute1-trigger', name: 'Kaseya VSA Trigger', type: `${PKG}.kaseyaVsaTrigger`, typeVersion: 1, position: [0, 0],
			parameters: { pollTimes: pollTimesCron('*/15 * * * * *'), event: 'alarmCreated', options: {} },
			credentials: credRef(E2E_CRED.vsaTrigger),
		}],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

module.exports = { E2E_CRED, HOOKS, TRIGGER_CASES, e2eCredentials, webhookWorkflow, httpRequestWorkflow, triggerWorkflow, subMinuteTriggerWorkflow, wrongPasswordWorkflow };
