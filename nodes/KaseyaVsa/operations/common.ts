import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { odataField, odataId, odataNumber, odataString } from '../../shared/odata';
import { requireNumericId, requireOption } from '../validate';
import type { VsaField, VsaFilter } from './types';

/**
 * Fragments shared by the operation tables: ID pickers (resource locators), filter builders and
 * output shapes. Every filter is built with nodes/shared/odata.ts, so a value from item data is
 * always a quoted literal and can never add filter syntax.
 */

// ---------------------------------------------------------------- ID pickers

interface LocatorSpec {
	displayName: string;
	name: string;
	searchListMethod: string;
	description: string;
	placeholder: string;
	required?: boolean;
	in?: VsaField['in'];
	apiName?: string;
}

export function idLocator(spec: LocatorSpec): VsaField {
	return {
		displayName: spec.displayName,
		name: spec.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: spec.required ?? true,
		description: spec.description,
		in: spec.in ?? 'path',
		apiName: spec.apiName,
		numericId: true,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select ${/^[aeiou]/i.test(spec.displayName) ? 'an' : 'a'} ${spec.displayName.toLowerCase()}…`,
				typeOptions: { searchListMethod: spec.searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: spec.placeholder,
				validation: [
					{
						type: 'regex',
						properties: { regex: '^\\s*\\d{1,30}\\s*$', errorMessage: 'A VSA ID is a number made of digits only' },
					},
				],
			},
		],
	};
}

export const agentLocator = (over: Partial<LocatorSpec> = {}): VsaField =>
	idLocator({
		displayName: 'Agent',
		name: 'agentId',
		searchListMethod: 'searchAgents',
		placeholder: '979868787875855',
		description: 'The managed machine (agent). Search by machine name, or enter its Agent ID.',
		...over,
	});

export const organizationLocator = (over: Partial<LocatorSpec> = {}): VsaField =>
	idLocator({
		displayName: 'Organization',
		name: 'orgId',
		searchListMethod: 'searchOrganizations',
		placeholder: '12345678901234567890123456',
		description: 'The organization. Search by name, or enter its Org ID.',
		...over,
	});

export const machineGroupLocator = (over: Partial<LocatorSpec> = {}): VsaField =>
	idLocator({
		displayName: 'Machine Group',
		name: 'machineGroupId',
		searchListMethod: 'searchMachineGroups',
		placeholder: '12345678901234567890123456',
		description: 'The machine group. Search by name, or enter its Machine Group ID.',
		...over,
	});

export const serviceDeskLocator = (over: Partial<LocatorSpec> = {}): VsaField =>
	idLocator({
		displayName: 'Service Desk',
		name: 'serviceDeskId',
		searchListMethod: 'searchServiceDesks',
		placeholder: '12345678901234567890123456',
		description: 'The Service Desk. Pick it from the list, or enter its ID.',
		...over,
	});

export const procedureLocator = (over: Partial<LocatorSpec> = {}): VsaField =>
	idLocator({
		displayName: 'Agent Procedure',
		name: 'procedureId',
		searchListMethod: 'searchProcedures',
		placeholder: '1000108',
		description: 'The agent procedure. Search by name, or enter its Agent Procedure ID.',
		...over,
	});

/** A plain numeric ID typed as text (IDs that have no list to pick from, e.g. an alarm or note). */
export function idField(displayName: string, name: string, description: string, over: Partial<VsaField> = {}): VsaField {
	return {
		displayName,
		name,
		type: 'string',
		default: '',
		required: true,
		placeholder: '979868787875855',
		description,
		in: 'path',
		numericId: true,
		...over,
	} as VsaField;
}

// ---------------------------------------------------------------- filters

function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value === '');
}

function textOption(name: string, displayName: string, description: string, placeholder?: string): INodeProperties {
	return { displayName, name, type: 'string', default: '', description, ...(placeholder ? { placeholder } : {}) };
}

/** `substringof('value', Field)`: the field contains the text (case-insensitive on VSA's SQL Server). */
export function containsFilter(name: string, displayName: string, apiField: string, description: string): VsaFilter {
	return {
		property: textOption(name, displayName, description),
		build: (value) => (isEmpty(value) ? undefined : `substringof(${odataString(value)}, ${odataField(apiField)})`),
	};
}

/** `startswith(Field, 'value')`. */
export function startsWithFilter(name: string, displayName: string, apiField: string, description: string): VsaFilter {
	return {
		property: textOption(name, displayName, description),
		build: (value) => (isEmpty(value) ? undefined : `startswith(${odataField(apiField)}, ${odataString(value)})`),
	};
}

/** `Field eq 'value'`. */
export function equalsTextFilter(name: string, displayName: string, apiField: string, description: string, over: Partial<INodeProperties> = {}): VsaFilter {
	return {
		property: { ...textOption(name, displayName, description), ...over } as INodeProperties,
		build: (value) => (isEmpty(value) ? undefined : `${odataField(apiField)} eq ${odataString(value)}`),
	};
}

/** `Field eq 123M` for a numeric ID, validated first; optionally picked from a list. */
export function idFilter(name: string, displayName: string, apiField: string, description: string, loadOptionsMethod?: string): VsaFilter {
	const property: INodeProperties = loadOptionsMethod
		? { displayName: `${displayName} Name or ID`, name, type: 'options', typeOptions: { loadOptionsMethod }, default: '', description: `${description.replace(/\.$/, '')}. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.` }
		: { displayName, name, type: 'string', default: '', description, placeholder: '979868787875855' };
	return {
		property,
		build: (value, check) => (isEmpty(value) ? undefined : `${odataField(apiField)} eq ${odataId(requireNumericId(check, displayName, value))}`),
	};
}

/** Agent `Online` codes (https://help.kaseya.com/webhelp/EN/RESTAPI/9050000/31655.htm): 0 offline, 1/2/11/12 online, 198 suspended, 199 never checked in. */
export const ONLINE_STATUS_CONDITIONS: Record<string, string> = {
	online: `Online gt ${odataNumber(0)} and Online lt ${odataNumber(198)}`,
	userLoggedIn: `Online ge ${odataNumber(11)} and Online le ${odataNumber(12)}`,
	offline: `Online eq ${odataNumber(0)}`,
	suspended: `Online eq ${odataNumber(198)}`,
	neverCheckedIn: `Online eq ${odataNumber(199)}`,
};

export const onlineStatusFilter: VsaFilter = {
	property: {
		displayName: 'Online Status',
		name: 'onlineStatus',
		type: 'options',
		default: 'online',
		options: [
			{ name: 'Never Checked In', value: 'neverCheckedIn' },
			{ name: 'Offline', value: 'offline' },
			{ name: 'Online', value: 'online', description: 'Checked in, with or without a user logged in' },
			{ name: 'Online With a User Logged In', value: 'userLoggedIn' },
			{ name: 'Suspended', value: 'suspended' },
		],
		description: 'Only agents in this state',
	},
	build: (value, check) =>
		isEmpty(value) ? undefined : ONLINE_STATUS_CONDITIONS[requireOption(check, 'Online Status', value, Object.keys(ONLINE_STATUS_CONDITIONS))],
};

// ---------------------------------------------------------------- outputs

/** Output of an action the server answers with `true` or 204: what was done, with the IDs as text. */
export function done(action: string, pick: string[] = []): (values: IDataObject) => IDataObject {
	return (values) => {
		const out: IDataObject = { success: true, action };
		for (const name of pick) if (values[name] !== undefined) out[name] = values[name];
		return out;
	};
}

/** Key/value body convention of custom fields and alarm close: `[{"key": "…", "value": "…"}]` (KAT VSAModule/public/New-VSACustomField.ps1, Close-VSAAlarm.ps1). */
export function keyValueBody(pairs: Record<string, unknown>): Array<{ key: string; value: unknown }> {
	return Object.entries(pairs)
		.filter(([, value]) => value !== undefined)
		.map(([key, value]) => ({ key, value }));
}

export function sortOption(name: string, value: string) {
	return { name, value };
}
