import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { containsFilter, done, equalsTextFilter, organizationLocator, sortOption, startsWithFilter } from './common';
import type { VsaOperation } from './types';

/** Optional organization fields, shared by Create and Update (names → VSA's OrgModel). */
const ORG_FIELDS: INodeProperties[] = [
	{ displayName: 'Annual Revenue', name: 'annualRevenue', type: 'number', default: 0 },
	{ displayName: 'City', name: 'city', type: 'string', default: '' },
	{ displayName: 'Country', name: 'country', type: 'string', default: '', placeholder: 'US' },
	{ displayName: 'Default Department Name', name: 'defaultDepartmentName', type: 'string', default: 'root', description: 'Name of the department created with the organization' },
	{ displayName: 'Default Machine Group Name', name: 'defaultMachineGroupName', type: 'string', default: 'root', description: 'Name of the machine group created with the organization' },
	{ displayName: 'Number of Employees', name: 'noOfEmployees', type: 'number', typeOptions: { minValue: 0, numberPrecision: 0 }, default: 0, description: 'A whole number' },
	{ displayName: 'Organization Type', name: 'orgType', type: 'string', default: '', placeholder: 'Customer', description: 'Such as Customer, Prospect, Partner or Vendor' },
	{ displayName: 'Parent Organization ID', name: 'parentOrgId', type: 'string', default: '', description: 'ID of the organization this one belongs to' },
	{ displayName: 'Primary Email', name: 'primaryEmail', type: 'string', placeholder: 'name@email.com', default: '' },
	{ displayName: 'Primary Phone', name: 'primaryPhone', type: 'string', default: '' },
	{ displayName: 'State', name: 'state', type: 'string', default: '' },
	{ displayName: 'Street', name: 'street', type: 'string', default: '' },
	{ displayName: 'Website', name: 'website', type: 'string', default: '', placeholder: 'https://example.com' },
	{ displayName: 'ZIP Code', name: 'zipCode', type: 'string', default: '' },
];

const TOP_LEVEL: Record<string, string> = {
	orgName: 'OrgName',
	orgRef: 'OrgRef',
	orgType: 'OrgType',
	website: 'Website',
	defaultDepartmentName: 'DefaultDepartmentName',
	defaultMachineGroupName: 'DefaultMachineGroupName',
	parentOrgId: 'ParentOrgId',
};
const CONTACT: Record<string, string> = {
	primaryEmail: 'PrimaryEmail',
	primaryPhone: 'PrimaryPhone',
	street: 'Street',
	city: 'City',
	state: 'State',
	zipCode: 'ZipCode',
	country: 'Country',
};

/**
 * VSA's OrgModel from the node's fields (PSK Types/KaseyaDefinitions.cs KOrganization/ContactInfo;
 * KAT VSAModule/public/New-VSAOrganization.ps1, Update-VSAOrganization.ps1). Numeric fields go as
 * whole numbers (VSA answers 400 to `7.0`: KAT VSAModule/CHANGELOG.md); IDs go as exact text, which
 * VSA converts.
 */
export function organizationBody(fields: IDataObject): IDataObject {
	const body: IDataObject = {};
	const contact: IDataObject = {};
	for (const [name, value] of Object.entries(fields)) {
		if (value === undefined || value === null) continue;
		if (name in TOP_LEVEL) {
			if (value === '' && name !== 'website') continue;
			body[TOP_LEVEL[name]] = String(value).trim();
		} else if (name in CONTACT) {
			contact[CONTACT[name]] = String(value);
		} else if (name === 'noOfEmployees') {
			body.NoOfEmployees = Math.trunc(Number(value));
		} else if (name === 'annualRevenue') {
			body.AnnualRevenue = Number(value);
		}
	}
	if (Object.keys(contact).length > 0) body.ContactInfo = contact;
	return body;
}

/**
 * Create body. KAT New-VSAOrganization.ps1, the only client whose create ran against a live server
 * (KAT VSAModule/CHANGELOG.md, "live-found during full-module acceptance testing"), always sends
 * `DefaultDepartmentName`/`DefaultMachineGroupName` (default `root`) and an `OrgId`. It fills OrgId
 * with a throw-away random number and reads the new org back by OrgRef, because the server issues the
 * real 26-digit id itself (KAT VSAModule/README.md). No public source shows a create without OrgId,
 * so we send one too: a placeholder the server replaces, chosen like KAT's (three digits).
 */
export function organizationCreateBody(values: IDataObject, placeholderId: string = randomPlaceholderOrgId()): IDataObject {
	const fields: IDataObject = { orgName: values.orgName, orgRef: values.orgRef, ...((values.additionalFields as IDataObject) ?? {}) };
	const body = organizationBody(fields);
	return {
		OrgId: placeholderId,
		...body,
		DefaultDepartmentName: nonEmpty(fields.defaultDepartmentName) ?? 'root',
		DefaultMachineGroupName: nonEmpty(fields.defaultMachineGroupName) ?? 'root',
	};
}

function nonEmpty(value: unknown): string | undefined {
	const text = value === undefined || value === null ? '' : String(value).trim();
	return text === '' ? undefined : text;
}

function randomPlaceholderOrgId(): string {
	return String(100 + Math.floor(Math.random() * 900));
}

/** Organizations: paths KAT VSAModule/public/*-VSAOrganization.ps1, PSK Functions/Organizations.ps1. */
export const organizationOperations: VsaOperation[] = [
	{
		resource: 'organization',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many organizations',
		description: 'List organizations (customers, the MSP itself, partners)',
		method: 'GET',
		path: '/system/orgs',
		paged: true,
		key: 'OrgId',
		filters: [
			containsFilter('nameContains', 'Name Contains', 'OrgName', 'Only organizations whose name contains this text'),
			startsWithFilter('nameStartsWith', 'Name Starts With', 'OrgName', 'Only organizations whose name starts with this text'),
			equalsTextFilter('orgRef', 'Short Name', 'OrgRef', 'Only the organization with this short name (OrgRef)'),
			equalsTextFilter('orgType', 'Organization Type', 'OrgType', 'Only organizations of this type, e.g. Customer'),
		],
		// Kaseya's model marks OrgName and OrgRef sortable, not OrgType (PSK KOrganization, from DOC 31704).
		sortFields: [sortOption('Name', 'OrgName'), sortOption('Short Name', 'OrgRef')],
	},
	{
		resource: 'organization',
		operation: 'get',
		name: 'Get',
		action: 'Get an organization',
		description: 'Get one organization with its contact details and custom fields',
		method: 'GET',
		path: '/system/orgs/{orgId}',
		fields: [organizationLocator()],
	},
	{
		resource: 'organization',
		operation: 'create',
		name: 'Create',
		action: 'Create an organization',
		description: 'Create an organization, with its root department and machine group',
		method: 'POST',
		path: '/system/orgs',
		fields: [
			{ displayName: 'Name', name: 'orgName', type: 'string', default: '', required: true, placeholder: 'Acme Corp', description: 'Full name of the organization' },
			{
				displayName: 'Short Name',
				name: 'orgRef',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'acme',
				description: 'Unique short name (OrgRef) used in machine IDs, e.g. machine.group.acme. Letters, digits, dot, dash and underscore.',
			},
			{ displayName: 'Additional Fields', name: 'additionalFields', type: 'collection', placeholder: 'Add Field', default: {}, options: ORG_FIELDS },
		],
		body: (values) => organizationCreateBody(values),
	},
	{
		resource: 'organization',
		operation: 'update',
		name: 'Update',
		action: 'Update an organization',
		description: 'Change the name, type or contact details of an organization',
		method: 'PUT',
		path: '/system/orgs/{orgId}',
		fields: [
			organizationLocator(),
			{
				displayName: 'Update Fields',
				name: 'updateFields',
				type: 'collection',
				placeholder: 'Add Field',
				default: {},
				options: [{ displayName: 'Name', name: 'orgName', type: 'string', default: '' }, ...ORG_FIELDS],
			},
		],
		body: (values) => organizationBody((values.updateFields as IDataObject) ?? {}),
		successOutput: done('updated', ['orgId']),
	},
	{
		resource: 'organization',
		operation: 'delete',
		name: 'Delete',
		action: 'Delete an organization',
		description: 'Delete an organization that no longer has agents',
		method: 'DELETE',
		path: '/system/orgs/{orgId}',
		fields: [organizationLocator()],
		successOutput: done('deleted', ['orgId']),
	},
];
