import type { IDataObject } from 'n8n-workflow';

import { containsFilter, done, idFilter, machineGroupLocator, organizationLocator, sortOption } from './common';
import type { VsaOperation } from './types';

const nameField = {
	displayName: 'Name',
	name: 'machineGroupName',
	type: 'string' as const,
	default: '',
	required: true,
	placeholder: 'servers',
	description: 'Name of the machine group (unique within its organization)',
};

/** Machine groups: KAT VSAModule/public/Get-, New-, Rename-VSAMachineGroup.ps1; fields PSK KMachineGroup. */
export const machineGroupOperations: VsaOperation[] = [
	{
		resource: 'machineGroup',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many machine groups',
		description: 'List machine groups, optionally of one organization',
		method: 'GET',
		path: '/system/machinegroups',
		paged: true,
		key: 'MachineGroupId',
		filters: [
			containsFilter('nameContains', 'Name Contains', 'MachineGroupName', 'Only machine groups whose name contains this text'),
			idFilter('organizationId', 'Organization', 'OrgId', 'Only machine groups of this organization.', 'getOrganizations'),
		],
		sortFields: [sortOption('Name', 'MachineGroupName')],
	},
	{
		resource: 'machineGroup',
		operation: 'get',
		name: 'Get',
		action: 'Get a machine group',
		description: 'Get one machine group',
		method: 'GET',
		path: '/system/machinegroups/{machineGroupId}',
		fields: [machineGroupLocator()],
	},
	{
		resource: 'machineGroup',
		operation: 'create',
		name: 'Create',
		action: 'Create a machine group',
		description: 'Create a machine group in an organization',
		method: 'POST',
		path: '/system/orgs/{orgId}/machinegroups',
		fields: [
			organizationLocator({ description: 'The organization the group belongs to. Search by name, or enter its Org ID.' }),
			nameField,
			machineGroupLocator({
				displayName: 'Parent Machine Group',
				name: 'parentMachineGroupId',
				required: false,
				in: 'none',
				description: 'Optional: create the group inside this group (of the same organization)',
			}),
		],
		body: (values: IDataObject) => ({
			MachineGroupName: String(values.machineGroupName).trim(),
			...(values.parentMachineGroupId ? { ParentMachineGroupId: values.parentMachineGroupId } : {}),
		}),
	},
	{
		resource: 'machineGroup',
		operation: 'rename',
		name: 'Rename',
		action: 'Rename a machine group',
		description: 'Give a machine group a new name; its agents follow',
		method: 'PUT',
		path: '/system/machinegroups/{machineGroupId}',
		fields: [machineGroupLocator(), { ...nameField, displayName: 'New Name', description: 'The new name of the machine group' }],
		body: (values: IDataObject) => ({ MachineGroupName: String(values.machineGroupName).trim() }),
		successOutput: done('renamed', ['machineGroupId', 'machineGroupName']),
	},
	{
		resource: 'machineGroup',
		operation: 'delete',
		name: 'Delete',
		action: 'Delete a machine group',
		description: 'Delete an empty machine group',
		method: 'DELETE',
		path: '/system/machinegroups/{machineGroupId}',
		fields: [machineGroupLocator()],
		successOutput: done('deleted', ['machineGroupId']),
	},
];
