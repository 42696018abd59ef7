import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { vsaProperties } from './description';
import { listSearch } from './methods/listSearch';
import { loadOptions } from './methods/loadOptions';
import { route } from './router';

/** Kaseya VSA 9.x: the operations are data (operations/*.ts); the router runs them. */
export class KaseyaVsa implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kaseya VSA',
		name: 'kaseyaVsa',
		icon: { light: 'file:../../icons/kaseya.svg', dark: 'file:../../icons/kaseya.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Automate Kaseya VSA 9: agents, procedures, alarms, audits, patches, Service Desk tickets and more',
		defaults: { name: 'Kaseya VSA' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'kaseyaVsaApi', required: true }],
		properties: vsaProperties,
	};

	methods = { loadOptions, listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route(this);
	}
}
