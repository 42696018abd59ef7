import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { beginRun } from '../shared/http';
import { NodeConnectionTypes } from 'n8n-workflow';

import { vroTriggerProperties } from './trigger/description';
import { getPlans } from './trigger/methods';
import { pollVroTrigger } from './trigger/poll';

/**
 * Polls Veeam Availability / Recovery Orchestrator for plan state changes, finished runs, tests and
 * readiness checks, and failed readiness checks. What it last saw of every plan lives in the
 * workflow's static data (nodes/shared/polling.ts), so each change is emitted once.
 */
export class VeeamOrchestratorTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Veeam Orchestrator Trigger',
		name: 'veeamOrchestratorTrigger',
		icon: { light: 'file:../../icons/veeam.svg', dark: 'file:../../icons/veeam.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description: 'Starts the workflow when a Veeam Orchestrator plan changes state, finishes a run or fails a readiness check',
		defaults: { name: 'Veeam Orchestrator Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'veeamOrchestratorApi', required: true }],
		properties: vroTriggerProperties,
	};

	methods = { loadOptions: { getPlans } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		// n8n reuses this context for every poll: start a fresh run so credential edits are picked up.
		beginRun(this);
		return await pollVroTrigger(this);
	}
}
