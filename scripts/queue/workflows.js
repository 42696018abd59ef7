'use strict';
/**
 * The workflows the queue test imports and publishes (fixed ids, inactive until publish:workflow):
 *  - two webhook workflows whose last node answers the webhook with all its items:
 *    Kaseya VSA agent Get Many (Return All) and Veeam Orchestrator plan Get Many (Return All, v7.21);
 *  - one workflow per polling trigger (every minute, n8n's shortest poll interval), each posting
 *    every item it gets to the test's loopback collector.
 */

const { CRED } = require('../lib/fixtures');
const { PACKAGE_NAME } = require('../lib/n8n');

const IDS = {
	vsaAgents: 'queueVsaAgents000001',
	vroPlans: 'queueVroPlans0000001',
	vsaTrigger: 'queueVsaTrigger00001',
	vroTrigger: 'queueVroTrigger00001',
};

const WEBHOOK_PATHS = {
	vsaAgents: 'queue-test/vsa-agents',
	vroPlans: 'queue-test/vro-plans',
};

/** Collector names the trigger workflows post to. */
const HIT_NAMES = { vsaTrigger: 'vsaTrigger', vroTrigger: 'vroTrigger' };

/** What the trigger workflows listen for, and how the test makes one such change on the emulators. */
const TRIGGER_EVENTS = {
	vsa: 'alarmCreated',
	vro: 'planStateChanged',
};

const credRef = (c) => ({ id: c.id, name: c.name });

function webhookWorkflow({ id, name, path, webhookId, node, product }) {
	return {
		product,
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
		nodes: [
			{
				id: `${id}-webhook`,
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				position: [0, 0],
				webhookId,
				parameters: { httpMethod: 'GET', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
			},
			{ id: `${id}-node`, position: [240, 0], ...node },
		],
		connections: { Webhook: { main: [[{ node: node.name, type: 'main', index: 0 }]] } },
	};
}

function triggerWorkflow({ id, name, trigger, collectorUrl, hitName, product }) {
	return {
		product,
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
		nodes: [
			{ id: `${id}-trigger`, position: [0, 0], ...trigger },
			{
				id: `${id}-collect`,
				name: 'Report to collector',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [240, 0],
				parameters: {
					method: 'POST',
					url: `${collectorUrl}/hit/${hitName}`,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify({ execution: $execution.id, item: $json }) }}',
					options: {},
				},
			},
		],
		connections: { [trigger.name]: { main: [[{ node: 'Report to collector', type: 'main', index: 0 }]] } },
	};
}

/** @param {{collectorUrl: string}} opts */
function queueWorkflows({ collectorUrl }) {
	const pollTimes = { item: [{ mode: 'everyMinute' }] };
	return [
		webhookWorkflow({
			product: 'vsa',
			id: IDS.vsaAgents,
			name: 'Queue test: VSA agents (Return All)',
			path: WEBHOOK_PATHS.vsaAgents,
			webhookId: '6c1d6f0e-4a51-4a55-9a43-0b1f3a6b7a01',
			node: {
				name: 'Kaseya VSA',
				type: `${PACKAGE_NAME}.kaseyaVsa`,
				typeVersion: 1,
				parameters: { resource: 'agent', operation: 'getAll', returnAll: true },
				credentials: { kaseyaVsaApi: credRef(CRED.vsaPat) },
			},
		}),
		webhookWorkflow({
			product: 'vro',
			id: IDS.vroPlans,
			name: 'Queue test: Orchestrator plans (Return All)',
			path: WEBHOOK_PATHS.vroPlans,
			webhookId: '6c1d6f0e-4a51-4a55-9a43-0b1f3a6b7a02',
			node: {
				name: 'Veeam Orchestrator',
				type: `${PACKAGE_NAME}.veeamOrchestrator`,
				typeVersion: 1,
				parameters: { resource: 'plan', operation: 'getAll', returnAll: true },
				credentials: { veeamOrchestratorApi: credRef(CRED.vro) },
			},
		}),
		triggerWorkflow({
			product: 'vsa',
			id: IDS.vsaTrigger,
			name: 'Queue test: VSA trigger (new alarm)',
			collectorUrl,
			hitName: HIT_NAMES.vsaTrigger,
			trigger: {
				name: 'Kaseya VSA Trigger',
				type: `${PACKAGE_NAME}.kaseyaVsaTrigger`,
				typeVersion: 1,
				parameters: { pollTimes, event: TRIGGER_EVENTS.vsa },
				credentials: { kaseyaVsaApi: credRef(CRED.vsaPat) },
			},
		}),
		triggerWorkflow({
			product: 'vro',
			id: IDS.vroTrigger,
			name: 'Queue test: Orchestrator trigger (plan state)',
			collectorUrl,
			hitName: HIT_NAMES.vroTrigger,
			trigger: {
				name: 'Veeam Orchestrator Trigger',
				type: `${PACKAGE_NAME}.veeamOrchestratorTrigger`,
				typeVersion: 1,
				parameters: { pollTimes, event: TRIGGER_EVENTS.vro },
				credentials: { veeamOrchestratorApi: credRef(CRED.vro) },
			},
		}),
	];
}

module.exports = { queueWorkflows, IDS, WEBHOOK_PATHS, HIT_NAMES, TRIGGER_EVENTS };
