import type { INodeProperties } from 'n8n-workflow';

/** Parameters of the Veeam Orchestrator Trigger (n8n adds "Poll Times" itself). */
export const vroTriggerProperties: INodeProperties[] = [
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		default: 'planStateChanged',
		options: [
			{ name: 'Plan Run Finished', value: 'planRunFinished', description: 'A run, test or readiness check of a plan ended, with its result and duration' },
			{ name: 'Plan State Changed', value: 'planStateChanged', description: 'A plan is in another state than at the previous poll' },
			{ name: 'Readiness Check Failed', value: 'readinessCheckFailed', description: 'A readiness check of a plan ended with errors' },
		],
		description: 'What starts the workflow. Each event is one item: { event, plan: the Orchestrator plan, previousState | run }.',
	},
	{
		displayName: 'Plan Names or IDs',
		name: 'planIds',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getPlans' },
		default: [],
		description:
			'Only these plans. Leave empty for every plan. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'States',
		name: 'states',
		type: 'multiOptions',
		default: [],
		options: [
			{ name: 'Disabled', value: 'disabled' },
			{ name: 'Failback', value: 'failback', description: 'Failback complete' },
			{ name: 'Failover', value: 'failover', description: 'Failover complete' },
			{ name: 'Halted', value: 'halted' },
			{ name: 'Other', value: 'unknown', description: 'A state this node does not know by name' },
			{ name: 'Permanent Failover', value: 'permanentFailover' },
			{ name: 'Ready', value: 'ready' },
			{ name: 'Restored', value: 'restored', description: 'Restore complete' },
			{ name: 'Running', value: 'running', description: 'Any operation in progress (failover, restore, readiness check, undo…)' },
		],
		description: 'Fire only when a plan enters one of these states. Leave empty for any change.',
		displayOptions: { show: { event: ['planStateChanged'] } },
	},
	{
		displayName: 'Include Warnings',
		name: 'includeWarnings',
		type: 'boolean',
		default: false,
		description: 'Whether a readiness check that ended with warnings (but no errors) also fires',
		displayOptions: { show: { event: ['readinessCheckFailed'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Include Existing Items',
				name: 'includeExisting',
				type: 'boolean',
				default: false,
				description:
					"Whether the first poll after activation also emits what is already there (every plan's current state, or each plan's last results). Off: the first poll only notes where every plan stands.",
			},
		],
	},
];
