import type { VsaField, VsaOperation } from './types';
import { agentLocator, containsFilter, done, keyValueBody } from './common';

/** FieldType values KAT validates (VSAModule/public/New-VSACustomField.ps1 ValidateSet); TT VSA.py lists the same. */
export const CUSTOM_FIELD_TYPES = ['string', 'number', 'datetime', 'date', 'time'] as const;
const CUSTOM_FIELD_TYPE_NAMES: Record<string, string> = { string: 'String', number: 'Number', datetime: 'Date and Time', date: 'Date', time: 'Time' };

/** The API value of a field type; older workflows saved `String`, `DateTime`, … (same words, other case). */
export function customFieldType(value: unknown): string {
	const text = String(value ?? 'string').trim().toLowerCase();
	return (CUSTOM_FIELD_TYPES as readonly string[]).includes(text) ? text : String(value);
}

function fieldNameField(description: string): VsaField {
	return {
		displayName: 'Field Name or ID',
		name: 'fieldName',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getCustomFields' },
		default: '',
		required: true,
		// VSA identifies a custom field by its name: the name is the ID here.
		description: `${description} (its name is its ID). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
		in: 'path',
	};
}

/**
 * Agent custom fields. Key/value bodies and paths: KAT VSAModule/public/New-VSACustomField.ps1,
 * Update-VSACustomField.ps1, Remove-VSACustomField.ps1, Get-VSACustomField.ps1.
 */
export const customFieldOperations: VsaOperation[] = [
	{
		resource: 'customField',
		operation: 'getAll',
		name: 'Get Many',
		action: 'Get many custom fields',
		description: 'List the custom fields defined for agents',
		method: 'GET',
		path: '/assetmgmt/assets/customfields',
		paged: true,
		key: 'FieldName',
		filters: [containsFilter('nameContains', 'Name Contains', 'FieldName', 'Only fields whose name contains this text')],
	},
	{
		resource: 'customField',
		operation: 'create',
		name: 'Create',
		action: 'Create a custom field',
		description: 'Define a new custom field for all agents',
		method: 'POST',
		path: '/assetmgmt/assets/customfields',
		fields: [
			{
				displayName: 'Field Name',
				name: 'newFieldName',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'Contract',
				description: 'Name of the new field',
			},
			{
				displayName: 'Field Type',
				name: 'fieldType',
				type: 'options',
				default: 'string',
				options: CUSTOM_FIELD_TYPES.map((t) => ({ name: CUSTOM_FIELD_TYPE_NAMES[t], value: t })),
				description: 'Type of the values the field holds',
			},
		],
		body: (values) => keyValueBody({ FieldName: String(values.newFieldName).trim(), FieldType: customFieldType(values.fieldType) }),
		successOutput: done('created', ['newFieldName', 'fieldType']),
	},
	{
		resource: 'customField',
		operation: 'rename',
		name: 'Rename',
		action: 'Rename a custom field',
		description: 'Rename an agent custom field; its values are kept',
		method: 'PUT',
		path: '/assetmgmt/assets/customfields/{fieldName}',
		fields: [
			fieldNameField('The field to rename'),
			{
				displayName: 'New Name',
				name: 'newFieldName',
				type: 'string',
				default: '',
				required: true,
				description: 'The new name of the field',
			},
		],
		body: (values) => keyValueBody({ NewFieldName: String(values.newFieldName).trim() }),
		successOutput: done('renamed', ['fieldName', 'newFieldName']),
	},
	{
		resource: 'customField',
		operation: 'delete',
		name: 'Delete',
		action: 'Delete a custom field',
		description: 'Delete an agent custom field and its values on every agent',
		method: 'DELETE',
		path: '/assetmgmt/assets/customfields/{fieldName}',
		fields: [fieldNameField('The field to delete')],
		successOutput: done('deleted', ['fieldName']),
	},
	{
		resource: 'customField',
		operation: 'getValues',
		name: 'Get Values',
		action: 'Get custom field values of an agent',
		description: 'List the custom fields of one agent with their values',
		method: 'GET',
		path: '/assetmgmt/assets/{agentId}/customfields',
		paged: true,
		key: 'FieldName',
		fields: [agentLocator()],
	},
	{
		resource: 'customField',
		operation: 'setValue',
		name: 'Set Value',
		action: 'Set a custom field value of an agent',
		description: 'Set the value of a custom field on one agent',
		method: 'PUT',
		path: '/assetmgmt/assets/{agentId}/customfields/{fieldName}',
		fields: [
			agentLocator(),
			fieldNameField('The field to set'),
			{
				displayName: 'Value',
				name: 'fieldValue',
				type: 'string',
				default: '',
				description: 'The value, in the format of the field type (numbers as digits, dates as YYYY-MM-DD). Leave empty to clear it.',
			},
		],
		body: (values) => [{ key: 'FieldValue', value: values.fieldValue === undefined || values.fieldValue === null ? '' : String(values.fieldValue) }],
		successOutput: done('valueSet', ['agentId', 'fieldName', 'fieldValue']),
	},
];
