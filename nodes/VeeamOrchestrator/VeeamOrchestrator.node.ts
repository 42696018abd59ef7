import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { requestOptionsProperty, returnAllLimitFields } from '../shared/descriptions';
import { buildProperties } from '../shared/operations';
import { searchPlans } from './methods/listSearch';
import { OPERATIONS, RESOURCES } from './operations';
import { route } from './router';

export class VeeamOrchestrator implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Veeam Orchestrator',
		name: 'veeamOrchestrator',
		icon: { light: 'file:../../icons/veeam.svg', dark: 'file:../../icons/veeam.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Run and watch disaster-recovery plans of Veeam Availability / Recovery Orchestrator (VAO 1.0 to VRO 13.1)',
		defaults: { name: 'Veeam Orchestrator' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'veeamOrchestratorApi', required: true }],
		properties: [...buildProperties(RESOURCES, OPERATIONS, { returnAllLimit: () => returnAllLimitFields() }), requestOptionsProperty],
	};

	methods = { listSearch: { searchPlans } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return route.call(this);
	}
}
