import { containsFilter, idField, sortOption } from './common';
import type { VsaOperation } from './types';

/**
 * VSA users, roles and scopes: KAT VSAModule/public/Get-VSAUser.ps1, Get-VSAScope.ps1, private/VSAEndpointMaps.ps1.
 * Read-only: user writes are blocked on hardened servers (KAT VSAModule/CHANGELOG.md, "Typed API errors").
 */
export const directoryOperations: VsaOperation[] = [
	{
		resource: 'user',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many users',
		description: 'List VSA users (administrators and technicians)',
		method: 'GET',
		path: '/system/users',
		paged: true,
		key: 'UserId',
		filters: [
			containsFilter('nameContains', 'User Name Contains', 'AdminName', 'Only users whose login name contains this text'),
			containsFilter('emailContains', 'Email Contains', 'Email', 'Only users whose email address contains this text'),
		],
		sortFields: [sortOption('User Name', 'AdminName'), sortOption('Last Name', 'LastName')],
	},
	{
		resource: 'user',
		operation: 'get',
		name: 'Get',
		action: 'Get a user',
		description: 'Get one VSA user by ID',
		method: 'GET',
		path: '/system/users/{userId}',
		fields: [idField('User ID', 'userId', 'ID of the VSA user (field UserId)', { placeholder: '61234577' })],
	},
	{
		resource: 'user',
		operation: 'getCurrent',
		name: 'Get Current',
		action: 'Get the current user',
		description: 'Get the VSA user the credential logs in as',
		method: 'GET',
		path: '/system/currentUser',
	},
	{
		resource: 'role',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many roles',
		description: 'List user roles',
		method: 'GET',
		path: '/system/roles',
		paged: true,
		key: 'RoleId',
		filters: [containsFilter('nameContains', 'Name Contains', 'RoleName', 'Only roles whose name contains this text')],
		sortFields: [sortOption('Name', 'RoleName')],
	},
	{
		resource: 'scope',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many scopes',
		description: 'List scopes (which organizations and machine groups users may see)',
		method: 'GET',
		path: '/system/scopes',
		paged: true,
		key: 'ScopeId',
		filters: [containsFilter('nameContains', 'Name Contains', 'ScopeName', 'Only scopes whose name contains this text')],
		sortFields: [sortOption('Name', 'ScopeName')],
	},
	{
		resource: 'system',
		operation: 'getEnvironment',
		name: 'Get Environment',
		action: 'Get the server environment',
		description: 'Get the VSA version, patch level, customer ID and time zone of the server',
		method: 'GET',
		path: '/environment',
	},
];
