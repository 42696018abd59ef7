import { agentLocator, containsFilter, done, equalsTextFilter, idFilter, onlineStatusFilter, sortOption, startsWithFilter } from './common';
import type { VsaOperation } from './types';

/** Agents (machines): KAT VSAModule/public/Get-VSAAgent.ps1, Set-VSAAgentName.ps1, Remove-VSAAgent.ps1; fields PSK KAgent. */
export const agentOperations: VsaOperation[] = [
	{
		resource: 'agent',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many agents',
		description: 'List managed machines, optionally filtered by name, organization, machine group or online status',
		method: 'GET',
		path: '/assetmgmt/agents',
		paged: true,
		key: 'AgentId',
		filters: [
			containsFilter('nameContains', 'Name Contains', 'AgentName', 'Only agents whose name (machine.group.org) contains this text'),
			startsWithFilter('nameStartsWith', 'Name Starts With', 'AgentName', 'Only agents whose name starts with this text'),
			containsFilter('computerNameContains', 'Computer Name Contains', 'ComputerName', 'Only agents whose Windows/macOS computer name contains this text'),
			idFilter('organizationId', 'Organization', 'OrgId', 'Only agents of this organization.', 'getOrganizations'),
			idFilter('machineGroupId', 'Machine Group', 'MachineGroupId', 'Only agents of this machine group.', 'getMachineGroups'),
			onlineStatusFilter,
			equalsTextFilter('operatingSystem', 'Operating System', 'OperatingSystem', 'Only agents with this operating system family, e.g. Windows, Mac OS X or Linux'),
		],
		// Only fields Kaseya's model marks sortable (PSK Types/KaseyaDefinitions.cs, KAgent); Online is filterable only.
		sortFields: [
			sortOption('Agent Name', 'AgentName'),
			sortOption('Computer Name', 'ComputerName'),
			sortOption('Last Check-In Time', 'LastCheckInTime'),
			sortOption('Machine Group', 'MachineGroup'),
			sortOption('Operating System', 'OperatingSystem'),
		],
	},
	{
		resource: 'agent',
		operation: 'get',
		name: 'Get',
		action: 'Get an agent',
		description: 'Get one agent with its hardware, network and check-in details',
		method: 'GET',
		path: '/assetmgmt/agents/{agentId}',
		fields: [agentLocator()],
	},
	{
		resource: 'agent',
		operation: 'rename',
		name: 'Rename',
		action: 'Rename an agent',
		description: "Change an agent's machine name (the machine ID shown in VSA)",
		method: 'PUT',
		path: '/assetmgmt/agents/{agentId}/rename/{newName}',
		fields: [
			agentLocator(),
			{
				displayName: 'New Name',
				name: 'newName',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'ws-frontdesk-01',
				description: 'The new machine name. A plain name keeps the agent in its machine group; a full name (name.group.org) sets the whole machine ID.',
				in: 'path',
			},
		],
		successOutput: done('renamed', ['agentId', 'newName']),
	},
	{
		resource: 'agent',
		operation: 'delete',
		name: 'Delete',
		action: 'Delete an agent',
		description: 'Remove an agent account from VSA, optionally uninstalling the agent software first',
		method: 'DELETE',
		path: '/assetmgmt/agents/{agentId}/{uninstallFirst}',
		fields: [
			agentLocator(),
			{
				displayName: 'Uninstall Agent First',
				name: 'uninstallFirst',
				type: 'boolean',
				default: false,
				description: 'Whether to uninstall the agent software from the machine before the account is deleted (takes effect when the machine next checks in)',
				in: 'path',
				toApi: (value) => (value === true || value === 'true' ? 'True' : 'False'),
			},
		],
		successOutput: done('deleted', ['agentId', 'uninstallFirst']),
	},
];
