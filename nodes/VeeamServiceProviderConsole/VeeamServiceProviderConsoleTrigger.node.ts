import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { beginRun } from '../shared/http';
import { listSearch } from './methods';
import { vspcTriggerProperties } from './trigger/description';
import { pollVspcTrigger } from './trigger/poll';

/**
 * Polls Veeam Service Provider Console for newly triggered alarms and for backup job sessions that finished Failed
 * or Warning (the final result after retries). Position and recently seen keys live in the workflow's static data
 * (nodes/shared/polling.ts), so the trigger neither floods on activation nor repeats or misses events.
 */
export class VeeamServiceProviderConsoleTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Veeam Service Provider Console Trigger',
		name: 'veeamServiceProviderConsoleTrigger',
		icon: { light: 'file:../../icons/vspc.svg', dark: 'file:../../icons/vspc.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description: 'Starts the workflow on new VSPC alarms and on backup jobs that finished Failed or Warning',
		defaults: { name: 'Veeam Service Provider Console Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'veeamServiceProviderConsoleApi', required: true }],
		properties: vspcTriggerProperties,
	};

	methods = { listSearch: { searchCompanies: listSearch.searchCompanies } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		// n8n reuses this context for every poll: start a fresh run so credential edits are picked up.
		beginRun(this);
		return await pollVspcTrigger(this);
	}
}
