/** The Kaseya VSA router's pure parts: checks, path/query/body mapping, OData building, body builders, the node description. */
import type { INode, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { KaseyaVsa } from '../../nodes/KaseyaVsa/KaseyaVsa.node';
import { vsaOperations } from '../../nodes/KaseyaVsa/operations';
import { isoDate, scheduleBody } from '../../nodes/KaseyaVsa/operations/agentProcedure';
import { keyValueBody, ONLINE_STATUS_CONDITIONS } from '../../nodes/KaseyaVsa/operations/common';
import { customApiBody, customApiPath, customApiQuery, executionIdOf, isMissingEndpoint } from '../../nodes/KaseyaVsa/operations/handlers';
import { organizationBody, organizationCreateBody } from '../../nodes/KaseyaVsa/operations/organization';
import { CUSTOM_FIELD_TYPES } from '../../nodes/KaseyaVsa/operations/customField';
import { logTimeField } from '../../nodes/KaseyaVsa/operations/log';
import { ticketBody } from '../../nodes/KaseyaVsa/operations/serviceDesk';
import type { VsaOperation } from '../../nodes/KaseyaVsa/operations/types';
import { listQuery } from '../../nodes/KaseyaVsa/query';
import { buildBody, buildPath, buildQuery, checkValues, shapeOutput } from '../../nodes/KaseyaVsa/router';
import type { InputCheck } from '../../nodes/KaseyaVsa/validate';
import { requireNumericId } from '../../nodes/KaseyaVsa/validate';

const node: INode = { id: '1', name: 'Kaseya VSA', type: 'kaseyaVsa', typeVersion: 1, position: [0, 0], parameters: {} };
const check: InputCheck = { node, itemIndex: 3 };
const op = (resource: string, operation: string): VsaOperation => vsaOperations.find((o) => o.resource === resource && o.operation === operation)!;

function thrown(fn: () => unknown): any {
	try {
		fn();
	} catch (error) {
		return error;
	}
	throw new Error('expected an error');
}

describe('ID checks', () => {
	it('accepts 1–30 digits (trimmed) and safe integers, as exact text', () => {
		expect(requireNumericId(check, 'Agent', ' 979868787875855 ')).toBe('979868787875855');
		expect(requireNumericId(check, 'Org', '12345678901234567890123456')).toBe('12345678901234567890123456');
		expect(requireNumericId(check, 'Alarm ID', 1234)).toBe('1234');
	});

	it.each([['abc'], [''], ['12 34'], ['-5'], ['1e5'], ['1'.repeat(31)], [null], [{ id: 1 }]])('rejects %p naming the parameter and the value', (value) => {
		const error = thrown(() => requireNumericId(check, 'Agent', value));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/^Agent: /);
		expect(error.context.itemIndex).toBe(3);
		if (typeof value === 'string' && value) expect(error.message).toContain(`"${value}"`);
	});

	it('rejects a number that JavaScript has already rounded', () => {
		expect(thrown(() => requireNumericId(check, 'Agent', 979868787875855123)).message).toMatch(/not an exact VSA ID/);
	});

	it('checkValues validates path options and required text, and normalises IDs', () => {
		const values = checkValues(op('audit', 'runNow'), { agentId: ' 123 ', auditType: 'latest' }, check);
		expect(values).toEqual({ agentId: '123', auditType: 'latest' });
		expect(thrown(() => checkValues(op('audit', 'runNow'), { agentId: '123', auditType: 'everything' }, check)).message).toBe('Audit Type: "everything" is not a valid choice');
		expect(thrown(() => checkValues(op('agent', 'rename'), { agentId: '1', newName: '  ' }, check)).message).toBe('New Name is empty');
		// A status may be a name (looked up in the desk when the row runs), but not empty.
		expect(checkValues(op('serviceDeskTicket', 'updateStatus'), { ticketId: '1', statusId: 'Resolved' }, check)).toEqual({ ticketId: '1', statusId: 'Resolved' });
		expect(thrown(() => checkValues(op('serviceDeskTicket', 'updateStatus'), { ticketId: '1', statusId: ' ' }, check)).message).toBe('Status is empty');
		// an optional ID left empty is simply absent
		expect(checkValues(op('serviceDeskTicket', 'updateStatus'), { serviceDeskId: '', ticketId: '1', statusId: '2' }, check)).toEqual({ ticketId: '1', statusId: '2' });
	});
});

describe('request mapping', () => {
	it('encodes names as one path segment', () => {
		expect(buildPath(op('customField', 'setValue'), { agentId: '1', fieldName: 'Warranty End/x?y' }, check)).toBe('/assetmgmt/assets/1/customfields/Warranty%20End%2Fx%3Fy');
		expect(buildPath(op('agent', 'rename'), { agentId: '1', newName: 'pc 01' }, check)).toBe('/assetmgmt/agents/1/rename/pc%2001');
	});

	it('inserts listed multi-segment options as they are, and nothing else', () => {
		expect(buildPath(op('log', 'get'), { agentId: '1', logType: 'eventlog/security' }, check)).toBe('/assetmgmt/logs/1/eventlog/security');
		expect(thrown(() => buildPath(op('log', 'get'), { agentId: '1', logType: '../../system/users' }, check)).message).toMatch(/not a valid choice/);
	});

	it('converts booleans the way each endpoint expects', () => {
		expect(buildPath(op('agent', 'delete'), { agentId: '1', uninstallFirst: false }, check)).toBe('/assetmgmt/agents/1/False');
		expect(buildPath(op('patch', 'getMissing'), { agentId: '1', hideDenied: true }, check)).toBe('/assetmgmt/patch/1/machineupdate/True');
	});

	it('builds flat query and body objects from declared fields, keeping false and 0', () => {
		const row: VsaOperation = {
			resource: 'x',
			operation: 'y',
			name: 'Y',
			action: 'y',
			description: 'y',
			method: 'POST',
			path: '/x',
			fields: [
				{ displayName: 'A', name: 'a', type: 'boolean', default: false, in: 'body', apiName: 'Active' },
				{ displayName: 'N', name: 'n', type: 'number', default: 0, in: 'body' },
				{ displayName: 'E', name: 'e', type: 'string', default: '', in: 'body' },
				{ displayName: 'Q', name: 'q', type: 'string', default: '', in: 'query', apiName: 'moduleId' },
			],
		};
		expect(buildBody(row, { a: false, n: 0, e: '', q: '9' })).toEqual({ Active: false, n: 0 });
		expect(buildQuery(row, { a: false, n: 0, e: '', q: '9' })).toEqual({ moduleId: '9' });
		expect(buildBody({ ...row, fields: [] }, {})).toBeUndefined();
	});

	it('uses the body builders of the rows', () => {
		expect(buildBody(op('agentNote', 'create'), { note: 'hi' })).toBe('hi');
		expect(buildBody(op('alarm', 'close'), { notes: 'done' })).toEqual([{ key: 'notes', value: 'done' }]);
		expect(buildBody(op('alarm', 'close'), { notes: '' })).toBeUndefined();
		expect(buildBody(op('customField', 'create'), { newFieldName: ' Tier ', fieldType: 'number' })).toEqual([
			{ key: 'FieldName', value: 'Tier' },
			{ key: 'FieldType', value: 'number' },
		]);
		// Workflows saved before the KAT values were adopted carry 'DateTime', 'String', …: same words, KAT's case.
		expect(buildBody(op('customField', 'create'), { newFieldName: 'When', fieldType: 'DateTime' })).toEqual([
			{ key: 'FieldName', value: 'When' },
			{ key: 'FieldType', value: 'datetime' },
		]);
		expect(buildBody(op('customField', 'setValue'), { fieldValue: '' })).toEqual([{ key: 'FieldValue', value: '' }]);
		expect(buildBody(op('machineGroup', 'create'), { machineGroupName: 'lab', parentMachineGroupId: '12345678901234567890123456' })).toEqual({
			MachineGroupName: 'lab',
			ParentMachineGroupId: '12345678901234567890123456',
		});
	});

	it('shapes outputs: true/204 → what was done, records → items', () => {
		const rename = op('agent', 'rename');
		expect(shapeOutput(rename, true, { agentId: '1', newName: 'a' })).toEqual({ success: true, action: 'renamed', agentId: '1', newName: 'a' });
		expect(shapeOutput(rename, { AgentId: '1' }, {})).toEqual([{ AgentId: '1' }]);
		expect(shapeOutput(op('agent', 'get'), [{ a: 1 }, { a: 2 }], {})).toEqual([{ a: 1 }, { a: 2 }]);
		expect(shapeOutput(op('agent', 'get'), true, {})).toEqual([{ result: true }]);
	});
});

describe('OData', () => {
	it('combines filters with and, every value quoted or an exact decimal', () => {
		const q = listQuery(op('agent', 'getAll'), { returnAll: true, filters: { nameContains: "O'Brien", organizationId: '12345678901234567890123456', onlineStatus: 'online' } }, check);
		expect(q).toEqual({
			filter: "(substringof('O''Brien', AgentName)) and (OrgId eq 12345678901234567890123456M) and (Online gt 0 and Online lt 198)",
			orderby: undefined,
			limit: undefined,
		});
	});

	it('ignores empty filters, validates sort choices, applies row defaults', () => {
		expect(listQuery(op('agent', 'getAll'), { returnAll: false, limit: 7, filters: { nameContains: '' } }, check)).toEqual({ filter: undefined, orderby: undefined, limit: 7 });
		expect(listQuery(op('agent', 'getAll'), { sort: { field: 'ComputerName', direction: 'desc' }, limit: 5 }, check).orderby).toBe('ComputerName desc');
		expect(thrown(() => listQuery(op('agent', 'getAll'), { sort: { field: 'AgentName; drop' } }, check)).message).toMatch(/Sort By/);
		expect(listQuery(op('log', 'get'), { limit: 5 }, check).orderby).toBe('Time desc');
		expect(listQuery(op('log', 'get'), { limit: 5, newestFirst: false }, check).orderby).toBeUndefined();
	});

	it('maps every online status to a condition without "or"', () => {
		for (const condition of Object.values(ONLINE_STATUS_CONDITIONS)) expect(condition).not.toMatch(/ or /);
		expect(thrown(() => listQuery(op('agent', 'getAll'), { filters: { onlineStatus: 'sleepy' } }, check)).message).toMatch(/Online Status/);
	});
});

describe('body builders', () => {
	it('organization: whole numbers, contact info nested, empty values skipped', () => {
		expect(organizationBody({ orgName: ' Acme ', orgRef: 'acme', noOfEmployees: 7.9, annualRevenue: 1000.5, city: 'Leeds', parentOrgId: '', website: '' })).toEqual({
			OrgName: 'Acme',
			OrgRef: 'acme',
			NoOfEmployees: 7,
			AnnualRevenue: 1000.5,
			Website: '',
			ContactInfo: { City: 'Leeds' },
		});
	});

	it('ticket: summary, the resolved lookup IDs and the text fields that were set', () => {
		expect(ticketBody({ summary: ' Printer ', additionalFields: { status: 'New', category: '', severity: 'Sev1', submitterEmail: 'a@b.c', unknown: 'x' } }, { priority: '12', status: '34' })).toEqual({
			Summary: 'Printer',
			Priority: '12',
			Status: '34',
			SubmitterEmail: 'a@b.c',
		});
	});

	it('organization create: always OrgId placeholder and root default names (KAT New-VSAOrganization.ps1)', () => {
		expect(organizationCreateBody({ orgName: 'Acme', orgRef: 'acme' }, '123')).toEqual({
			OrgId: '123',
			OrgName: 'Acme',
			OrgRef: 'acme',
			DefaultDepartmentName: 'root',
			DefaultMachineGroupName: 'root',
		});
		const custom = organizationCreateBody({ orgName: 'Acme', orgRef: 'acme', additionalFields: { defaultDepartmentName: ' HQ ', defaultMachineGroupName: '' } });
		expect(custom.DefaultDepartmentName).toBe('HQ');
		expect(custom.DefaultMachineGroupName).toBe('root');
		expect(String(custom.OrgId)).toMatch(/^[1-9]\d{2}$/);
	});

	it('custom field types are the values KAT validates', () => {
		expect([...CUSTOM_FIELD_TYPES]).toEqual(['string', 'number', 'datetime', 'date', 'time']);
		const typeField = op('customField', 'create').fields!.find((f) => f.name === 'fieldType')!;
		expect((typeField.options as Array<{ value: string }>).map((o) => o.value)).toEqual(['string', 'number', 'datetime', 'date', 'time']);
	});

	it('logs sort by the time column of their own model', () => {
		expect(logTimeField('agentprocedure')).toBe('LastExecution');
		expect(logTimeField('remotecontrol')).toBe('StartTime');
		expect(logTimeField('eventlog/system')).toBe('Time');
		expect(listQuery(op('log', 'get'), { logType: 'agentprocedure', newestFirst: true, returnAll: true }, check).orderby).toBe('LastExecution desc');
	});

	it('schedule: always Distribution and SchedInAgentTime, recurrence only when repeating', () => {
		expect(scheduleBody({ startOn: '2024-07-01T10:00:00', repeat: 'Never', times: 3 })).toEqual({
			ServerTimeZone: false,
			SkipIfOffLine: false,
			PowerUpIfOffLine: false,
			Recurrence: { Repeat: 'Never' },
			Distribution: { Interval: 'Minutes', Magnitude: 0 },
			SchedInAgentTime: false,
			Start: { StartOn: '2024-07-01T10:00:00' },
		});
		expect(scheduleBody({ startOn: '2024-07-01T10:00:00', repeat: 'Days', scheduleOptions: { distributionMagnitude: 2.6, distributionInterval: 'Hours', agentTime: true } })).toMatchObject({
			Distribution: { Interval: 'Hours', Magnitude: 2 },
			SchedInAgentTime: true,
		});
		const body = scheduleBody({ startOn: '2024-07-01T10:00:00', repeat: 'Weeks', times: 2.7, scheduleOptions: { endOn: '2024-12-31T00:00:00', serverTimeZone: true } });
		expect(body.Recurrence).toEqual({ Repeat: 'Weeks', Times: 2, EndOn: '2024-12-31T00:00:00' });
		expect(body.ServerTimeZone).toBe(true);
	});

	it('isoDate keeps ISO text and converts other dates to UTC ISO', () => {
		expect(isoDate('2024-07-01T10:00:00')).toBe('2024-07-01T10:00:00');
		expect(isoDate(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))).toBe('2024-01-02T03:04:05.000Z');
		expect(isoDate('')).toBeUndefined();
	});

	it('key/value bodies drop undefined values only', () => {
		expect(keyValueBody({ a: '', b: undefined, c: 0 })).toEqual([
			{ key: 'a', value: '' },
			{ key: 'c', value: 0 },
		]);
	});
});

describe('custom API request', () => {
	it.each([
		['/system/orgs', '/system/orgs'],
		['system/orgs/', '/system/orgs'],
		['/api/v1.0/system/orgs', '/system/orgs'],
		['API/V1.0/assetmgmt/agents', '/assetmgmt/agents'],
		['/assetmgmt/assets/customfields/Warranty End', '/assetmgmt/assets/customfields/Warranty%20End'],
		['/assetmgmt/assets/customfields/Warranty%20End', '/assetmgmt/assets/customfields/Warranty%20End'],
	])('normalises %s to %s', (input, expected) => {
		expect(customApiPath(check, input)).toBe(expected);
	});

	it.each(['http://x/y', 'HTTPS://x', '//host/path', '\\\\host\\share', '/a/../b', '/a/%2E%2E/b', '/a/./b', '/a?b=1', '/a#b', '/a/%2f', '/a/%zz', '', '/', '/api/v1.0', '/a\u0000b'])('refuses %p', (input) => {
		expect(thrown(() => customApiPath(check, input))).toBeInstanceOf(NodeOperationError);
	});

	it('reads query parameters and keeps long integers of a JSON body exact', () => {
		expect(customApiQuery({ queryParameters: { parameter: [{ name: '$filter', value: "OrgName eq 'x'" }, { name: ' ', value: 'ignored' }] } })).toEqual({ $filter: "OrgName eq 'x'" });
		expect(customApiBody(check, '{"OrgId": 12345678901234567890123456, "n": 7}')).toEqual({ OrgId: '12345678901234567890123456', n: 7 });
		expect(customApiBody(check, '  ')).toBeUndefined();
		expect(customApiBody(check, { a: 1 })).toEqual({ a: 1 });
		expect(thrown(() => customApiBody(check, '{nope')).message).toMatch(/not valid JSON/);
	});
});

describe('run now helpers', () => {
	it('reads an execution id from a bare number or an object', () => {
		expect(executionIdOf(700001)).toBe('700001');
		expect(executionIdOf('700001')).toBe('700001');
		expect(executionIdOf({ ExecutionId: 5 })).toBe('5');
		expect(executionIdOf(true)).toBeUndefined();
	});

	it('tells a missing endpoint from a missing procedure', () => {
		const error = (httpCode: string, message: string) => new NodeApiError(node, { message }, { message, httpCode });
		expect(isMissingEndpoint(error('404', 'Kaseya VSA found nothing at PUT x: {"Message":"No HTTP resource was found that matches the request URI"}'))).toBe(true);
		expect(isMissingEndpoint(error('404', 'Kaseya VSA found nothing at PUT x: Agent procedure 5 does not exist'))).toBe(false);
		expect(isMissingEndpoint(error('500', 'No HTTP resource was found'))).toBe(false);
		expect(isMissingEndpoint(new Error('No HTTP resource was found'))).toBe(false);
	});
});

describe('node description', () => {
	const description = new KaseyaVsa().description;
	const props = description.properties;

	it('offers exactly the contract resources and operations', () => {
		const contract: Record<string, string[]> = {
			agent: ['getAll', 'get', 'rename', 'delete'],
			agentNote: ['getAll', 'create', 'delete'],
			agentProcedure: ['getAll', 'run', 'schedule', 'cancel', 'getHistory', 'getScheduled'],
			alarm: ['getAll', 'get', 'close'],
			asset: ['getAll', 'get'],
			audit: ['get', 'runNow'],
			customField: ['getAll', 'create', 'rename', 'delete', 'getValues', 'setValue'],
			log: ['get'],
			machineGroup: ['getAll', 'get', 'create', 'rename', 'delete'],
			organization: ['getAll', 'get', 'create', 'update', 'delete'],
			patch: ['getStatus', 'getHistory', 'getMissing', 'scanNow'],
			serviceDesk: ['getAll'],
			serviceDeskTicket: ['getAll', 'get', 'create', 'updateStatus', 'updatePriority', 'assign', 'getNotes', 'addNote', 'setCustomField'],
			user: ['getAll', 'get', 'getCurrent'],
			role: ['getAll'],
			scope: ['getAll'],
			system: ['getEnvironment'],
			customApi: ['request'],
		};
		const resource = props.find((p) => p.name === 'resource')!;
		expect((resource.options as Array<{ value: string }>).map((o) => o.value).sort()).toEqual(Object.keys(contract).sort());
		for (const [res, ops] of Object.entries(contract)) {
			const operation = props.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.[0] === res)!;
			expect((operation.options as Array<{ value: string }>).map((o) => o.value).sort()).toEqual([...ops].sort());
		}
		expect(description).toMatchObject({ name: 'kaseyaVsa', version: 1, usableAsTool: true, credentials: [{ name: 'kaseyaVsaApi', required: true }] });
	});

	it('gives every paged operation Return All and Limit, and every operation the Request Options', () => {
		for (const row of vsaOperations.filter((o) => o.paged)) {
			const shown = (p: INodeProperties) => p.displayOptions?.show?.resource?.[0] === row.resource && p.displayOptions?.show?.operation?.[0] === row.operation;
			expect(props.filter((p) => shown(p) && ['returnAll', 'limit'].includes(p.name))).toHaveLength(2);
		}
		const requestOptions = props.filter((p) => p.name === 'requestOptions');
		expect(requestOptions).toHaveLength(1);
		expect(requestOptions[0].displayOptions).toBeUndefined();
	});

	it('carries none of the router markers into n8n properties, and stays lean', () => {
		const text = JSON.stringify(props);
		expect(text).not.toMatch(/"(numericId|rawPath|in|apiName)":/);
		expect(text.length).toBeLessThan(100_000);
	});

	it('marks every ID parameter required where the endpoint needs it', () => {
		for (const row of vsaOperations) {
			for (const field of row.fields ?? []) {
				if (field.in === 'path') expect([row.operation, field.name, field.required === true || field.type === 'boolean' || field.default !== '']).toEqual([row.operation, field.name, true]);
			}
		}
	});
});
