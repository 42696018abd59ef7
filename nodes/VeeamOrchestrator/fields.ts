import type { INodePropertyOptions } from 'n8n-workflow';

import type { FieldDef } from '../shared/operations';

/** Field fragments the operation tables share (plan locator, wait options, action options). */
export function planLocator(name = 'planId', displayName = 'Plan', description = 'The plan, chosen from the list or by ID'): FieldDef {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a plan…',
				typeOptions: { searchListMethod: 'searchPlans', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 3fa85f64-5717-4562-b3fc-2c963f66afa6',
			},
		],
	};
}

export function idField(name: string, displayName: string, description: string, required = true): FieldDef {
	return { displayName, name, type: 'string', default: '', required, description };
}

/** Wait for Completion: poll plan state and runtime details until a terminal state or the timeout. */
export function waitFields(options: { failOnError: boolean }): FieldDef[] {
	return [
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: false,
			description:
				'Whether to wait until the plan leaves its running state, then output the final state, result, duration and failed steps. Without it the node returns as soon as the server has accepted the action.',
		},
		{
			displayName: 'Wait Options',
			name: 'waitOptions',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			displayOptions: { show: { waitForCompletion: [true] } },
			options: [
				{
					displayName: 'Poll Interval (Seconds)',
					name: 'pollIntervalSeconds',
					type: 'number',
					typeOptions: { minValue: 1 },
					default: 15,
					description: 'Time between two reads of the plan state',
				},
				{
					displayName: 'Timeout (Minutes)',
					name: 'timeoutMinutes',
					type: 'number',
					typeOptions: { minValue: 1 },
					default: 120,
					description: 'Stop waiting after this long (the action keeps running on the server) and fail the item',
				},
				...(options.failOnError
					? [
							{
								displayName: 'Error If the Plan Fails',
								name: 'failOnError',
								type: 'boolean' as const,
								default: true,
								description: 'Whether to fail the item when the plan ends halted or with result Error (the output then lists the failed steps in the error description)',
							},
						]
					: []),
			],
		},
	];
}

const RESTORE_POINT_DATE = {
	displayName: 'Restore Point Date',
	name: 'restorePointDate',
	type: 'dateTime' as const,
	default: '',
	description: 'Use the restore point nearest this date instead of the latest one',
};

const CHAINED = {
	displayName: 'Execute Chained Plans',
	name: 'executeChainedPlans',
	type: 'boolean' as const,
	default: false,
	description: 'Whether to also run the plans scheduled to run after this one',
};

const RECOVERY_LOCATION = {
	displayName: 'Recovery Location ID',
	name: 'recoveryLocationId',
	type: 'string' as const,
	default: '',
	description: 'Recovery location to use instead of the one configured in the plan (see Recovery Location → Get Many)',
};

export function actionOptions(kind: 'failover' | 'failback' | 'restore'): FieldDef {
	const opts: FieldDef['options'] =
		kind === 'failover'
			? [
					CHAINED,
					{
						displayName: 'Protect Storage Volumes',
						name: 'protectStorageVolumes',
						type: 'boolean',
						default: false,
						description: 'Whether to protect the storage volumes (storage plans, API v3 and later)',
					},
					RESTORE_POINT_DATE,
					{
						displayName: 'Restore Point Rule (API 1 and 2)',
						name: 'restorePointMode',
						type: 'options',
						options: [
							{ name: 'Nearest Before the Date', value: 'NearestBefore' },
							{ name: 'Nearest After the Date', value: 'NearestAfter' },
						],
						default: 'NearestBefore',
						description: 'How VAO 1.0/2.0 pick the restore point around the date',
					},
				]
			: kind === 'failback'
				? [
						RECOVERY_LOCATION,
						{
							displayName: 'Restore VM Tags',
							name: 'failbackRestoreVMTags',
							type: 'boolean',
							default: false,
							description: 'Whether to restore the VM tags on failback',
						},
					]
				: [RECOVERY_LOCATION, CHAINED, RESTORE_POINT_DATE];
	return { displayName: 'Options', name: 'actionOptions', type: 'collection', placeholder: 'Add option', default: {}, options: opts };
}

export const CONTINUE_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Server Default', value: '', description: 'Send no option: the plan resumes where it halted' },
	{ name: 'Proceed to Next Group', value: 'ProceedToNextGroup' },
	{ name: 'Proceed to Next Step', value: 'ProceedToNextStep' },
	{ name: 'Proceed to Next VM', value: 'ProceedToNextVm' },
	{ name: 'Retry Failed Group', value: 'RetryFailedGroup' },
	{ name: 'Retry Failed Step', value: 'RetryFailedStep' },
	{ name: 'Retry Failed VM', value: 'RetryFailedVm' },
];
