import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { beginRun } from '../shared/http';
import { NodeConnectionTypes } from 'n8n-workflow';

import { vsaTriggerProperties } from './trigger/description';
import { getServiceDesks, searchMachineGroups, searchOrganizations } from './trigger/methods';
import { pollVsaTrigger } from './trigger/poll';

/**
 * Polls Kaseya VSA for new alarms, created/updated Service Desk tickets, and agents that were added,
 * went offline or came online. Position and recently seen keys live in the workflow's static data
 * (nodes/shared/polling.ts), so the trigger neither floods on activation nor repeats or misses items.
 */
export class KaseyaVsaTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kaseya VSA Trigger',
		name: 'kaseyaVsaTrigger',
		icon: { light: 'file:../../icons/kaseya.svg', dark: 'file:../../icons/kaseya.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description: 'Starts the workflow on new Kaseya VSA alarms, tickets and agent status changes',
		defaults: { name: 'Kaseya VSA Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'kaseyaVsaApi', required: true }],
		properties: vsaTriggerProperties,
	};

	methods = {
		loadOptions: { getServiceDesks },
		listSearch: { searchOrganizations, searchMachineGroups },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		// n8n reuses this context for every poll: start a fresh run so credential edits are picked up.
		beginRun(this);
		return await pollVsaTrigger(this);
	}
}
