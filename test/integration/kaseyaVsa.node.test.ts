/**
 * Kaseya VSA node, every operation at least once: execute() in n8n-core's real ExecuteContext, over
 * HTTP against the VSA emulator. Reads are compared with the emulator's store; writes must change
 * the store, and bump its effect counter exactly once.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { KaseyaVsaApi } from '../../credentials/KaseyaVsaApi.credentials';
import { KaseyaVsa } from '../../nodes/KaseyaVsa/KaseyaVsa.node';
import { vsaOperations } from '../../nodes/KaseyaVsa/operations';
import { startVsaEmulator, type VsaEmulator } from '../emulators/vsa';
import { patchHistory } from '../emulators/vsa/details';
import { Harness } from '../harness/n8n';

const PAT = '00000000-0000-0000-0000-000000000000';
const node = new KaseyaVsa();

let vsa: VsaEmulator;
let harness: Harness;
let credId: string;

beforeAll(async () => {
	vsa = await startVsaEmulator({ agents: 300, alarms: 250, ticketsPerDesk: 120 });
	harness = new Harness([new KaseyaVsaApi()]);
	credId = harness.addCredential('kaseyaVsaApi', { baseUrl: vsa.url, authMethod: 'personalAccessToken', username: 'apiuser', personalAccessToken: PAT });
});

afterAll(async () => {
	await vsa.close();
});

const rl = (value: unknown) => ({ __rl: true, mode: 'id', value: String(value) });

async function run(parameters: IDataObject, input?: IDataObject[]): Promise<INodeExecutionData[]> {
	const out = await harness.execute({ nodeType: node, parameters, credentials: { kaseyaVsaApi: credId }, input });
	return out[0];
}

const json = (items: INodeExecutionData[]) => items.map((i) => i.json);

/** The effect counter `key` moves by exactly one while `fn` runs. */
async function once<T>(key: string, fn: () => Promise<T>): Promise<T> {
	const before = vsa.store.counter(key);
	const result = await fn();
	expect(vsa.store.counter(key) - before).toBe(1);
	return result;
}

function lastRequest(method: string, path: RegExp) {
	const hits = vsa.requests({ method, path });
	return hits[hits.length - 1];
}

interface Case {
	resource: string;
	operation: string;
	title: string;
	test: () => Promise<void>;
}

const state: IDataObject = {};
const agent = (i: number) => vsa.store.agents[i];
const agentId = (i: number) => agent(i).AgentId.toString();

const cases: Case[] = [
	// ------------------------------------------------------------ agent
	{
		resource: 'agent',
		operation: 'getAll',
		title: 'lists agents with a filter, sort and limit; IDs are exact strings',
		test: async () => {
			const out = json(await run({ resource: 'agent', operation: 'getAll', returnAll: false, limit: 30, filters: { nameStartsWith: 'srv' }, sort: { field: 'AgentName', direction: 'desc' } }));
			const expected = vsa.store.agents.filter((a) => a.AgentName.startsWith('srv')).map((a) => a.AgentName).sort().reverse().slice(0, 30);
			expect(out.map((a) => a.AgentName)).toEqual(expected);
			for (const a of out) expect(typeof a.AgentId).toBe('string');
			const req = lastRequest('GET', /\/assetmgmt\/agents$/);
			expect(req.query).toMatchObject({ $filter: "startswith(AgentName, 'srv')", $orderby: 'AgentName desc', $top: '30' });
		},
	},
	{
		resource: 'agent',
		operation: 'get',
		title: 'gets one agent by ID',
		test: async () => {
			const [a] = json(await run({ resource: 'agent', operation: 'get', agentId: rl(agentId(3)) }));
			expect(a.AgentId).toBe(agentId(3));
			expect(a.AgentName).toBe(agent(3).AgentName);
			expect(a.OrgId).toBe(agent(3).OrgId.toString());
		},
	},
	{
		resource: 'agent',
		operation: 'rename',
		title: 'renames an agent',
		test: async () => {
			const id = agentId(4);
			const [out] = json(await once(`agent:rename:${id}`, () => run({ resource: 'agent', operation: 'rename', agentId: rl(id), newName: 'renamed-box' })));
			expect(out).toMatchObject({ success: true, action: 'renamed', agentId: id, newName: 'renamed-box' });
			expect(vsa.store.agent(id)!.AgentName).toBe(`renamed-box.${vsa.store.agent(id)!.MachineGroup}`);
		},
	},
	{
		resource: 'agent',
		operation: 'delete',
		title: 'deletes an agent, uninstalling first',
		test: async () => {
			const id = vsa.store.agents[vsa.store.agents.length - 1].AgentId.toString();
			const [out] = json(await once(`agent:delete:${id}`, () => run({ resource: 'agent', operation: 'delete', agentId: rl(id), uninstallFirst: true })));
			expect(out).toMatchObject({ success: true, action: 'deleted', agentId: id });
			expect(vsa.store.agent(id)).toBeUndefined();
			expect(vsa.store.counter(`agent:uninstall:${id}`)).toBe(1);
			expect(lastRequest('DELETE', /assetmgmt\/agents/).path).toBe(`/api/v1.0/assetmgmt/agents/${id}/True`);
		},
	},
	// ------------------------------------------------------------ agent notes
	{
		resource: 'agentNote',
		operation: 'create',
		title: 'adds a note to an agent',
		test: async () => {
			const id = agentId(5);
			const [out] = json(await once(`note:add:${id}`, () => run({ resource: 'agentNote', operation: 'create', agentId: rl(id), note: "Disk replaced by O'Brien" })));
			expect(out).toMatchObject({ success: true, agentId: id });
			const note = vsa.store.agentNotes.find((n) => n.AgentId.toString() === id && n.Note === "Disk replaced by O'Brien");
			expect(note).toBeDefined();
			state.noteId = String(note!.Id);
		},
	},
	{
		resource: 'agentNote',
		operation: 'getAll',
		title: 'lists the notes of one agent',
		test: async () => {
			const id = agentId(5);
			const out = json(await run({ resource: 'agentNote', operation: 'getAll', returnAll: true, filters: { agentId: id } }));
			expect(out.length).toBe(vsa.store.agentNotes.filter((n) => n.AgentId.toString() === id).length);
			expect(out.map((n) => n.Note)).toContain("Disk replaced by O'Brien");
			expect(lastRequest('GET', /agent\/notes/).query.$filter).toBe(`AgentId eq ${id}M`);
		},
	},
	{
		resource: 'agentNote',
		operation: 'delete',
		title: 'deletes a note',
		test: async () => {
			const [out] = json(await once('note:delete', () => run({ resource: 'agentNote', operation: 'delete', noteId: state.noteId })));
			expect(out).toMatchObject({ success: true, noteId: state.noteId });
			expect(vsa.store.agentNotes.some((n) => String(n.Id) === state.noteId)).toBe(false);
		},
	},
	// ------------------------------------------------------------ agent procedures
	{
		resource: 'agentProcedure',
		operation: 'getAll',
		title: 'lists procedures visible to the user',
		test: async () => {
			const out = json(await run({ resource: 'agentProcedure', operation: 'getAll', returnAll: true, filters: { folderStartsWith: 'Shared/Maintenance' } }));
			expect(out.map((p) => p.AgentProcedureName).sort()).toEqual(['Clear Temp Files', 'Defrag C Drive', 'Disk Cleanup', 'Reboot If Pending']);
		},
	},
	{
		resource: 'agentProcedure',
		operation: 'run',
		title: 'runs a procedure now and returns the execution ID',
		test: async () => {
			const id = agentId(6);
			const proc = vsa.store.procedures.find((p) => p.AgentProcedureName === 'Disk Cleanup')!.AgentProcedureId;
			const [out] = json(await once(`runnow:${id}:${proc}`, () => run({ resource: 'agentProcedure', operation: 'run', agentId: rl(id), procedureId: rl(proc) })));
			expect(out).toMatchObject({ success: true, action: 'started', agentId: id, procedureId: String(proc) });
			expect(out.executionId).toMatch(/^\d+$/);
			// `{}` body, as KAT Start-VSAAPReturnId.ps1 sends (the emulator refuses runnowgetid without one).
			expect(lastRequest('PUT', /runnowgetid$/).body).toEqual({});
		},
	},
	{
		resource: 'agentProcedure',
		operation: 'schedule',
		title: 'schedules a recurring procedure with prompts',
		test: async () => {
			const id = agentId(6);
			const proc = vsa.store.procedures.find((p) => p.AgentProcedureName === 'Install Chrome')!.AgentProcedureId;
			const [out] = json(
				await once(`schedule:${id}:${proc}`, () =>
					run({
						resource: 'agentProcedure',
						operation: 'schedule',
						agentId: rl(id),
						procedureId: rl(proc),
						startOn: '2024-07-01T22:30:00',
						repeat: 'Days',
						times: 2,
						scheduleOptions: { skipIfOffline: true, prompts: { prompt: [{ name: 'Version', value: '126' }] } },
					}),
				),
			);
			expect(out).toMatchObject({ success: true, action: 'scheduled', agentId: id, procedureId: String(proc), repeat: 'Days' });
			// Distribution and SchedInAgentTime always, as KAT New-VSAAPScheduled.ps1 (and PSK for Distribution) send them.
			expect(lastRequest('PUT', /schedule$/).body).toEqual({
				ServerTimeZone: false,
				SkipIfOffLine: true,
				PowerUpIfOffLine: false,
				Recurrence: { Repeat: 'Days', Times: 2 },
				Distribution: { Interval: 'Minutes', Magnitude: 0 },
				SchedInAgentTime: false,
				Start: { StartOn: '2024-07-01T22:30:00' },
				ScriptPrompts: [{ Caption: 'Version', Name: 'Version', Value: '126' }],
			});
			state.scheduledProc = String(proc);
		},
	},
	{
		resource: 'agentProcedure',
		operation: 'getScheduled',
		title: 'lists scheduled procedures of an agent',
		test: async () => {
			const out = json(await run({ resource: 'agentProcedure', operation: 'getScheduled', agentId: rl(agentId(6)), returnAll: true }));
			const row = out.find((s) => String(s.AgentProcedureId) === state.scheduledProc);
			expect(row).toMatchObject({ Recurrence: 'Days', SkipIfOffLine: true, AgentId: agentId(6) });
		},
	},
	{
		resource: 'agentProcedure',
		operation: 'cancel',
		title: 'cancels the scheduled procedure',
		test: async () => {
			const id = agentId(6);
			const [out] = json(await once(`unschedule:${id}:${state.scheduledProc}`, () => run({ resource: 'agentProcedure', operation: 'cancel', agentId: rl(id), procedureId: rl(state.scheduledProc) })));
			expect(out).toMatchObject({ success: true, action: 'cancelled' });
			const left = json(await run({ resource: 'agentProcedure', operation: 'getScheduled', agentId: rl(id), returnAll: true }));
			expect(left.some((s) => String(s.AgentProcedureId) === state.scheduledProc)).toBe(false);
		},
	},
	{
		resource: 'agentProcedure',
		operation: 'getHistory',
		title: 'lists the procedure history of an agent, including the run above',
		test: async () => {
			const out = json(await run({ resource: 'agentProcedure', operation: 'getHistory', agentId: rl(agentId(6)), returnAll: true }));
			expect(out.some((h) => h.ScriptName === 'Disk Cleanup' && h.Admin === 'apiuser')).toBe(true);
		},
	},
	// ------------------------------------------------------------ alarms
	{
		resource: 'alarm',
		operation: 'getAll',
		title: 'lists all open alarms across pages',
		test: async () => {
			const out = json(await run({ resource: 'alarm', operation: 'getAll', alarmSet: 'true', returnAll: true, filters: { state: 'open' } }));
			const open = vsa.store.alarms.filter((a) => a.MonitorAlarmStateId === 1);
			expect(out.map((a) => a.AlarmId)).toEqual(open.map((a) => a.AlarmId));
			expect(lastRequest('GET', /alarms\/true/).query.$filter).toBe('MonitorAlarmStateId eq 1');
		},
	},
	{
		resource: 'alarm',
		operation: 'get',
		title: 'gets one alarm',
		test: async () => {
			const alarm = vsa.store.alarms.find((a) => a.MonitorAlarmStateId === 1)!;
			const [out] = json(await run({ resource: 'alarm', operation: 'get', alarmId: String(alarm.AlarmId) }));
			expect(out).toMatchObject({ AlarmId: alarm.AlarmId, AlarmSubject: alarm.AlarmSubject });
			state.alarmId = String(alarm.AlarmId);
		},
	},
	{
		resource: 'alarm',
		operation: 'close',
		title: 'closes an alarm with a note',
		test: async () => {
			const [out] = json(await once(`alarm:close:${state.alarmId}`, () => run({ resource: 'alarm', operation: 'close', alarmId: state.alarmId, notes: 'Fixed by n8n' })));
			expect(out).toMatchObject({ success: true, action: 'closed', alarmId: state.alarmId });
			expect(lastRequest('PUT', /close$/).body).toEqual([{ key: 'notes', value: 'Fixed by n8n' }]);
			expect(vsa.store.alarm(String(state.alarmId))).toMatchObject({ State: 'Closed', Notes: 'Fixed by n8n' });
		},
	},
	// ------------------------------------------------------------ assets
	{
		resource: 'asset',
		operation: 'getAll',
		title: 'lists printers',
		test: async () => {
			// Kaseya's asset model filters by AssetTypeId (PSK KAsset); the type comes from the asset-type pick-list.
			const printer = vsa.store.assets.find((a) => a.AssetType === 'Printer')!.AssetTypeId;
			const out = json(await run({ resource: 'asset', operation: 'getAll', returnAll: true, filters: { assetTypeId: String(printer) }, sort: { field: 'AssetTypeId', direction: 'asc' } }));
			expect(out.length).toBe(vsa.store.assets.filter((a) => a.AssetTypeId === printer).length);
			expect(lastRequest('GET', /\/assetmgmt\/assets$/).query.$filter).toBe(`AssetTypeId eq ${printer}M`);
			expect(out.length).toBeGreaterThan(0);
			state.assetId = out[0].AssetId;
		},
	},
	{
		resource: 'asset',
		operation: 'get',
		title: 'gets one asset',
		test: async () => {
			const [out] = json(await run({ resource: 'asset', operation: 'get', assetId: state.assetId }));
			expect(out.AssetId).toBe(state.assetId);
			expect(out.AssetType).toBe('Printer');
			// KAT's path for one asset (VSAEndpointMaps.ps1 Get-VSAAssetById); the emulator has no /assetmgmt/assets/{id}.
			expect(lastRequest('GET', /getassetbyid/).path).toBe(`/api/v1.0/assetmgmt/assets/getassetbyid/${state.assetId}`);
		},
	},
	// ------------------------------------------------------------ audit
	{
		resource: 'audit',
		operation: 'get',
		title: 'gets the audit summary and a list category',
		test: async () => {
			const [summary] = json(await run({ resource: 'audit', operation: 'get', agentId: rl(agentId(7)), category: 'summary' }));
			expect(summary.AgentId).toBe(agentId(7));
			const apps = json(await run({ resource: 'audit', operation: 'get', agentId: rl(agentId(7)), category: 'software/installedapplications', returnAll: true }));
			expect(apps.length).toBeGreaterThan(0);
			expect(lastRequest('GET', /audit/).path).toBe(`/api/v1.0/assetmgmt/audit/${agentId(7)}/software/installedapplications`);
			const warranty = json(await run({ resource: 'audit', operation: 'get', agentId: rl(agentId(7)), category: 'hardware/purchaseandwarrantyexpire' }));
			expect(warranty).toHaveLength(1);
		},
	},
	{
		resource: 'audit',
		operation: 'runNow',
		title: 'starts a latest audit',
		test: async () => {
			const id = agentId(7);
			const [out] = json(await once(`audit:latest:${id}`, () => run({ resource: 'audit', operation: 'runNow', agentId: rl(id), auditType: 'latest' })));
			expect(out).toMatchObject({ success: true, action: 'auditStarted', agentId: id, auditType: 'latest' });
		},
	},
	// ------------------------------------------------------------ custom fields
	{
		resource: 'customField',
		operation: 'create',
		title: 'creates a custom field',
		test: async () => {
			await once('customfield:create', () => run({ resource: 'customField', operation: 'create', newFieldName: 'Backup Plan', fieldType: 'string' }));
			expect(vsa.store.customFieldDefs.some((f) => f.FieldName === 'Backup Plan' && f.FieldType === 'string')).toBe(true);
			// A workflow saved with the old option value 'DateTime' still sends KAT's 'datetime'.
			await once('customfield:create', () => run({ resource: 'customField', operation: 'create', newFieldName: 'Renewal', fieldType: 'DateTime' }));
			expect(lastRequest('POST', /customfields$/).body).toEqual([
				{ key: 'FieldName', value: 'Renewal' },
				{ key: 'FieldType', value: 'datetime' },
			]);
		},
	},
	{
		resource: 'customField',
		operation: 'getAll',
		title: 'lists custom fields',
		test: async () => {
			const out = json(await run({ resource: 'customField', operation: 'getAll', returnAll: true }));
			expect(out.map((f) => f.FieldName)).toEqual(vsa.store.customFieldDefs.map((f) => f.FieldName));
		},
	},
	{
		resource: 'customField',
		operation: 'rename',
		title: 'renames a custom field (name with a space in the path)',
		test: async () => {
			await once('customfield:rename', () => run({ resource: 'customField', operation: 'rename', fieldName: 'Backup Plan', newFieldName: 'Backup Tier' }));
			expect(vsa.store.customFieldDefs.map((f) => f.FieldName)).toContain('Backup Tier');
			expect(lastRequest('PUT', /customfields/).body).toEqual([{ key: 'NewFieldName', value: 'Backup Tier' }]);
		},
	},
	{
		resource: 'customField',
		operation: 'setValue',
		title: 'sets a custom field value on an agent',
		test: async () => {
			const id = agentId(8);
			await once(`customfield:set:${id}:Backup Tier`, () => run({ resource: 'customField', operation: 'setValue', agentId: rl(id), fieldName: 'Backup Tier', fieldValue: 'Gold' }));
			expect(vsa.store.customFieldValues.get(id)!.get('Backup Tier')).toBe('Gold');
		},
	},
	{
		resource: 'customField',
		operation: 'getValues',
		title: 'reads the custom field values of an agent',
		test: async () => {
			const out = json(await run({ resource: 'customField', operation: 'getValues', agentId: rl(agentId(8)), returnAll: true }));
			expect(out.find((f) => f.FieldName === 'Backup Tier')).toMatchObject({ FieldValue: 'Gold', AgentId: agentId(8) });
		},
	},
	{
		resource: 'customField',
		operation: 'delete',
		title: 'deletes a custom field',
		test: async () => {
			await once('customfield:delete', () => run({ resource: 'customField', operation: 'delete', fieldName: 'Backup Tier' }));
			expect(vsa.store.customFieldDefs.some((f) => f.FieldName === 'Backup Tier')).toBe(false);
		},
	},
	// ------------------------------------------------------------ logs
	{
		resource: 'log',
		operation: 'get',
		title: 'reads an event log newest first over two pages',
		test: async () => {
			const out = json(await run({ resource: 'log', operation: 'get', agentId: rl(agentId(9)), logType: 'eventlog/system', returnAll: false, limit: 120 }));
			expect(out).toHaveLength(120);
			const times = out.map((r) => String(r.Time));
			expect([...times].sort().reverse()).toEqual(times);
			const reqs = vsa.requests({ method: 'GET', path: /eventlog\/system/ }).slice(-2);
			expect(reqs.map((r) => r.query)).toEqual([
				{ $top: '100', $orderby: 'Time desc' },
				{ $top: '20', $skip: '100', $orderby: 'Time desc' },
			]);
			// The agent procedure log has no Time column: it sorts by LastExecution (PSK KAgentProcedureLog).
			const procLog = json(await run({ resource: 'log', operation: 'get', agentId: rl(agentId(9)), logType: 'agentprocedure', returnAll: false, limit: 5 }));
			expect(procLog).toHaveLength(5);
			expect(lastRequest('GET', /logs\/\d+\/agentprocedure$/).query.$orderby).toBe('LastExecution desc');
		},
	},
	// ------------------------------------------------------------ machine groups
	{
		resource: 'machineGroup',
		operation: 'create',
		title: 'creates a machine group in an organization',
		test: async () => {
			const org = vsa.store.orgs[1];
			const [out] = json(await once('machinegroup:create', () => run({ resource: 'machineGroup', operation: 'create', orgId: rl(org.OrgId), machineGroupName: 'kiosks' })));
			expect(out).toMatchObject({ MachineGroupName: 'kiosks', OrgId: org.OrgId.toString() });
			expect(typeof out.MachineGroupId).toBe('string');
			state.mgId = out.MachineGroupId;
			state.mgOrg = org.OrgId.toString();
		},
	},
	{
		resource: 'machineGroup',
		operation: 'getAll',
		title: 'lists the machine groups of an organization',
		test: async () => {
			const out = json(await run({ resource: 'machineGroup', operation: 'getAll', returnAll: true, filters: { organizationId: state.mgOrg } }));
			expect(out.map((g) => g.MachineGroupId).sort()).toEqual(vsa.store.machineGroups.filter((g) => g.OrgId.toString() === state.mgOrg).map((g) => g.MachineGroupId.toString()).sort());
			expect(out.map((g) => g.MachineGroupName)).toContain('kiosks');
		},
	},
	{
		resource: 'machineGroup',
		operation: 'get',
		title: 'gets one machine group',
		test: async () => {
			const [out] = json(await run({ resource: 'machineGroup', operation: 'get', machineGroupId: rl(state.mgId) }));
			expect(out).toMatchObject({ MachineGroupId: state.mgId, MachineGroupName: 'kiosks' });
		},
	},
	{
		resource: 'machineGroup',
		operation: 'rename',
		title: 'renames a machine group',
		test: async () => {
			await once(`machinegroup:update:${state.mgId}`, () => run({ resource: 'machineGroup', operation: 'rename', machineGroupId: rl(state.mgId), machineGroupName: 'kiosk-pcs' }));
			expect(vsa.store.machineGroup(String(state.mgId))!.MachineGroupName).toBe('kiosk-pcs');
		},
	},
	{
		resource: 'machineGroup',
		operation: 'delete',
		title: 'deletes an empty machine group',
		test: async () => {
			await once(`machinegroup:delete:${state.mgId}`, () => run({ resource: 'machineGroup', operation: 'delete', machineGroupId: rl(state.mgId) }));
			expect(vsa.store.machineGroup(String(state.mgId))).toBeUndefined();
		},
	},
	// ------------------------------------------------------------ organizations
	{
		resource: 'organization',
		operation: 'create',
		title: 'creates an organization with whole-number and contact fields',
		test: async () => {
			const [out] = json(
				await once('org:create', () =>
					run({ resource: 'organization', operation: 'create', orgName: 'Contoso Ltd', orgRef: 'contoso', additionalFields: { noOfEmployees: 42, city: 'Leeds', orgType: 'Customer' } }),
				),
			);
			expect(out).toMatchObject({ OrgName: 'Contoso Ltd', OrgRef: 'contoso', NoOfEmployees: 42 });
			expect((out.ContactInfo as IDataObject).City).toBe('Leeds');
			expect(String(out.OrgId)).toMatch(/^\d{26}$/);
			// KAT New-VSAOrganization.ps1's body: a placeholder OrgId and both default names.
			expect(lastRequest('POST', /\/system\/orgs$/).body).toMatchObject({ OrgName: 'Contoso Ltd', DefaultDepartmentName: 'root', DefaultMachineGroupName: 'root', OrgId: expect.stringMatching(/^\d{3}$/) });
			state.orgId = out.OrgId;
		},
	},
	{
		resource: 'organization',
		operation: 'getAll',
		title: "finds an organization whose name has a quote (O'Brien)",
		test: async () => {
			const out = json(await run({ resource: 'organization', operation: 'getAll', returnAll: true, filters: { nameContains: "O'Brien" } }));
			expect(out.map((o) => o.OrgName)).toEqual(vsa.store.orgs.filter((o) => o.OrgName.includes("O'Brien")).map((o) => o.OrgName));
			expect(out.length).toBeGreaterThan(0);
			expect(lastRequest('GET', /system\/orgs$/).query.$filter).toBe("substringof('O''Brien', OrgName)");
		},
	},
	{
		resource: 'organization',
		operation: 'get',
		title: 'gets one organization (26-digit ID, exact)',
		test: async () => {
			const [out] = json(await run({ resource: 'organization', operation: 'get', orgId: rl(state.orgId) }));
			expect(out).toMatchObject({ OrgId: state.orgId, OrgName: 'Contoso Ltd' });
		},
	},
	{
		resource: 'organization',
		operation: 'update',
		title: 'updates an organization',
		test: async () => {
			const [out] = json(await once(`org:update:${state.orgId}`, () => run({ resource: 'organization', operation: 'update', orgId: rl(state.orgId), updateFields: { orgName: 'Contoso Group', website: 'https://contoso.example' } })));
			expect(out).toMatchObject({ success: true, action: 'updated', orgId: state.orgId });
			expect(vsa.store.org(String(state.orgId))).toMatchObject({ OrgName: 'Contoso Group', Website: 'https://contoso.example' });
		},
	},
	{
		resource: 'organization',
		operation: 'delete',
		title: 'deletes an organization',
		test: async () => {
			await once(`org:delete:${state.orgId}`, () => run({ resource: 'organization', operation: 'delete', orgId: rl(state.orgId) }));
			expect(vsa.store.org(String(state.orgId))).toBeUndefined();
		},
	},
	// ------------------------------------------------------------ patch
	{
		resource: 'patch',
		operation: 'getStatus',
		title: 'gets the patch status of an agent',
		test: async () => {
			const [out] = json(await run({ resource: 'patch', operation: 'getStatus', agentId: rl(agentId(10)) }));
			expect(out.AgentId).toBe(agentId(10));
			expect(out).toHaveProperty('MissingPatches');
		},
	},
	{
		resource: 'patch',
		operation: 'getHistory',
		title: 'lists the patch history of an agent',
		test: async () => {
			const out = json(await run({ resource: 'patch', operation: 'getHistory', agentId: rl(agentId(10)), returnAll: true }));
			expect(out.length).toBe(patchHistory(vsa.store, agent(10)).length);
			for (const h of out) expect(h.AgentId).toBe(agentId(10));
		},
	},
	{
		resource: 'patch',
		operation: 'getMissing',
		title: 'lists missing patches, with and without denied ones',
		test: async () => {
			const all = json(await run({ resource: 'patch', operation: 'getMissing', agentId: rl(agentId(10)), hideDenied: false, returnAll: true }));
			const approved = json(await run({ resource: 'patch', operation: 'getMissing', agentId: rl(agentId(10)), hideDenied: true, returnAll: true }));
			expect(approved.length).toBe(all.filter((p) => p.PatchApprovalStatus !== 'Denied').length);
			expect(lastRequest('GET', /machineupdate/).path).toMatch(/machineupdate\/True$/);
		},
	},
	{
		resource: 'patch',
		operation: 'scanNow',
		title: 'starts a patch scan',
		test: async () => {
			const id = agentId(10);
			const [out] = json(await once(`patch:scan:${id}`, () => run({ resource: 'patch', operation: 'scanNow', agentId: rl(id) })));
			expect(out).toMatchObject({ success: true, action: 'scanStarted', agentId: id });
		},
	},
	// ------------------------------------------------------------ service desk
	{
		resource: 'serviceDesk',
		operation: 'getAll',
		title: 'lists service desks',
		test: async () => {
			const out = json(await run({ resource: 'serviceDesk', operation: 'getAll', returnAll: true }));
			expect(out.map((d) => d.ServiceDeskId)).toEqual(vsa.store.serviceDesks.map((d) => d.ServiceDeskId.toString()));
		},
	},
	{
		resource: 'serviceDeskTicket',
		operation: 'getAll',
		title: 'lists the in-progress tickets of a desk across pages (TicketStatus filter)',
		test: async () => {
			const desk = vsa.store.serviceDesks[0].ServiceDeskId.toString();
			const out = json(await run({ resource: 'serviceDeskTicket', operation: 'getAll', serviceDeskId: rl(desk), returnAll: true, filters: { status: 'In Progress' } }));
			const expected = vsa.store.tickets.filter((t) => t.ServiceDeskId.toString() === desk && t.TicketStatus === 'In Progress');
			expect(expected.length).toBeGreaterThan(0);
			expect(out.map((t) => t.ServiceDeskTicketId)).toEqual(expected.map((t) => t.ServiceDeskTicketId.toString()));
			expect(lastRequest('GET', /\/tickets$/).query.$filter).toBe("(substringof('In Progress', TicketStatus) or substringof('InProgress', TicketStatus))");
			const all = json(await run({ resource: 'serviceDeskTicket', operation: 'getAll', serviceDeskId: rl(desk), returnAll: true }));
			expect(all).toHaveLength(120);
		},
	},
	{
		resource: 'serviceDeskTicket',
		operation: 'create',
		title: 'opens a ticket with priority and category by name, status by ID (sent as numeric IDs)',
		test: async () => {
			const desk = vsa.store.serviceDesks[0].ServiceDeskId.toString();
			const lk = vsa.store.deskLookups.get(desk)!;
			const status = lk.status.find((s) => s.StatusName === 'On Hold')!;
			const [out] = json(
				await once('ticket:create', () =>
					run({
						resource: 'serviceDeskTicket',
						operation: 'create',
						serviceDeskId: rl(desk),
						summary: 'Backup failed on SRV01',
						priority: 'high',
						additionalFields: { category: 'Hardware', status: status.StatusId.toString(), description: 'From n8n' },
					}),
				),
			);
			expect(out).toMatchObject({ Summary: 'Backup failed on SRV01', Priority: 'High', Category: 'Hardware', TicketStatus: 'On Hold', ServiceDeskId: desk });
			expect(lastRequest('POST', /\/ticket$/).body).toEqual({
				Summary: 'Backup failed on SRV01',
				Priority: lk.priorities.find((p) => p.PriorityName === 'High')!.PriorityId.toString(),
				Status: status.StatusId.toString(),
				Category: lk.categories.find((c) => c.CategoryName === 'Hardware')!.CategoryId.toString(),
				Description: 'From n8n',
			});
			state.ticketId = out.ServiceDeskTicketId;
			state.deskId = desk;
		},
	},
	{
		resource: 'serviceDeskTicket',
		operation: 'get',
		title: 'gets the new ticket',
		test: async () => {
			const [out] = json(await run({ resource: 'serviceDeskTicket', operation: 'get', ticketId: state.ticketId }));
			expect(out).toMatchObject({ ServiceDeskTicketId: state.ticketId, Summary: 'Backup failed on SRV01', TicketStatus: 'On Hold' });
		},
	},
	{
		resource: 'serviceDeskTicket',
		operation: 'updateStatus',
		title: 'sets the status by ID',
		test: async () => {
			const status = vsa.store.deskLookups.get(String(state.deskId))!.status.find((s) => s.StatusName === 'In Progress')!;
			const [out] = json(
				await once(`ticket:status:${state.ticketId}`, () =>
					run({ resource: 'serviceDeskTicket', operation: 'updateStatus', serviceDeskId: rl(state.deskId), ticketId: state.ticketId, statusId: status.StatusId.toString() }),
				),
			);
			expect(out).toEqual({ success: true, action: 'statusUpdated', ticketId: state.ticketId, statusId: status.StatusId.toString() });
			expect(vsa.store.ticket(String(state.ticketId))!.TicketStatus).toBe('In Progress');
		},
	},
	{
		resource: 'serviceDeskTicket',
		operation: 'updatePriority',
		title: "sets the priority by name without a desk (the ticket's own desk is read)",
		test: async () => {
			const priority = vsa.store.deskLookups.get(String(state.deskId))!.priorities.find((s) => s.PriorityName === 'Critical')!;
			const [out] = json(await once(`ticket:priority:${state.ticketId}`, () => run({ resource: 'serviceDeskTicket', operation: 'updatePriority', ticketId: state.ticketId, priorityId: 'Critical' })));
			expect(out).toMatchObject({ action: 'priorityUpdated', priorityId: priority.PriorityId.toString() });
			expect(vsa.store.ticket(String(state.ticketId))!.Priority).toBe('Critical');
		},
	},
	{
		resource: 'serviceDeskTicket',
		operation: 'assign',
		title: 'assigns the ticket to a staff member',
		test: async () => {
			const staff = vsa.store.staff[2];
			await once(`ticket:assign:${state.ticketId}`, () => run({ resource: 'serviceDeskTicket', operation: 'assign', ticketId: state.ticketId, staffId: staff.StaffId.toString() }));
			expect(vsa.store.ticket(String(state.ticketId))!.Assignee).toBe(staff.StaffName);
		},
	},
	{
		resource: 'serviceDeskTicket',
		operation: 'addNote',
		title: 'adds a hidden note',
		test: async () => {
			await once(`ticket:note:${state.ticketId}`, () => run({ resource: 'serviceDeskTicket', operation: 'addNote', ticketId: state.ticketId, text: 'Restarted the backup job', hidden: true }));
			expect(vsa.store.ticketNotes.find((n) => n.ServiceDeskTicketId.toString() === state.ticketId)).toMatchObject({ Text: 'Restarted the backup job', Hidden: true });
		},
	},
	{
		resource: 'serviceDeskTicket',
		operation: 'getNotes',
		title: 'lists the notes of the ticket',
		test: async () => {
			const out = json(await run({ resource: 'serviceDeskTicket', operation: 'getNotes', ticketId: state.ticketId, returnAll: true }));
			expect(out.map((n) => n.Text)).toEqual(['Restarted the backup job']);
		},
	},
	{
		resource: 'serviceDeskTicket',
		operation: 'setCustomField',
		title: 'sets a list custom field of the ticket (body: a bare JSON string)',
		test: async () => {
			const field = vsa.store.deskLookups.get(String(state.deskId))!.customfields.find((f) => f.FieldName === 'BillingCode')!;
			await once(`ticket:customfield:${field.CustomFieldId}:${state.ticketId}`, () =>
				run({ resource: 'serviceDeskTicket', operation: 'setCustomField', ticketId: state.ticketId, fieldId: field.CustomFieldId.toString(), value: 'Warranty' }),
			);
			// The log holds the parsed JSON body: the JSON string "Warranty" (a key/value array would be an array).
			expect(lastRequest('PUT', /\/customfields\/\d+$/).body).toBe('Warranty');
			expect(vsa.store.ticketExtras.get(String(state.ticketId))!.customFields.get(field.CustomFieldId.toString())).toBe('Warranty');
		},
	},
	// ------------------------------------------------------------ users, roles, scopes, system
	{
		resource: 'user',
		operation: 'getAll',
		title: 'lists users',
		test: async () => {
			const out = json(await run({ resource: 'user', operation: 'getAll', returnAll: true, filters: { nameContains: 'admin' } }));
			expect(out.map((u) => u.AdminName)).toEqual(vsa.store.users.filter((u) => u.AdminName.includes('admin')).map((u) => u.AdminName));
		},
	},
	{
		resource: 'user',
		operation: 'get',
		title: 'gets one user',
		test: async () => {
			const user = vsa.store.users.find((u) => u.AdminName === 'kadmin')!;
			const [out] = json(await run({ resource: 'user', operation: 'get', userId: String(user.UserId) }));
			expect(out).toMatchObject({ UserId: user.UserId, AdminName: 'kadmin' });
		},
	},
	{
		resource: 'user',
		operation: 'getCurrent',
		title: 'gets the user of the credential',
		test: async () => {
			const [out] = json(await run({ resource: 'user', operation: 'getCurrent' }));
			expect(out.AdminName).toBe('apiuser');
		},
	},
	{
		resource: 'role',
		operation: 'getAll',
		title: 'lists roles',
		test: async () => {
			const out = json(await run({ resource: 'role', operation: 'getAll', returnAll: true }));
			expect(out.map((r) => r.RoleName)).toEqual(vsa.store.roles.map((r) => r.RoleName));
		},
	},
	{
		resource: 'scope',
		operation: 'getAll',
		title: 'lists scopes (26-digit string IDs)',
		test: async () => {
			const out = json(await run({ resource: 'scope', operation: 'getAll', returnAll: true }));
			expect(out.map((s) => s.ScopeId)).toEqual(vsa.store.scopes.map((s) => s.ScopeId));
		},
	},
	{
		resource: 'system',
		operation: 'getEnvironment',
		title: 'gets the server environment',
		test: async () => {
			const [out] = json(await run({ resource: 'system', operation: 'getEnvironment' }));
			expect(out).toMatchObject({ SystemVersion: vsa.store.environment.SystemVersion });
		},
	},
	// ------------------------------------------------------------ custom API request
	{
		resource: 'customApi',
		operation: 'request',
		title: 'GETs any path with Return All, and POSTs a JSON body with a long ID',
		test: async () => {
			const orgs = json(
				await run({
					resource: 'customApi',
					operation: 'request',
					method: 'GET',
					path: '/api/v1.0/system/orgs',
					returnAll: true,
					queryParameters: { parameter: [{ name: '$orderby', value: 'OrgName' }] },
				}),
			);
			expect(orgs.map((o) => o.OrgName)).toEqual(vsa.store.orgs.map((o) => o.OrgName).sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
			const org = vsa.store.orgs[2].OrgId.toString();
			const [created] = json(
				await once('machinegroup:create', () =>
					run({ resource: 'customApi', operation: 'request', method: 'POST', path: `system/orgs/${org}/machinegroups`, body: '{"MachineGroupName": "lab"}' }),
				),
			);
			expect(created).toMatchObject({ MachineGroupName: 'lab', OrgId: org });
			const [single] = json(await run({ resource: 'customApi', operation: 'request', method: 'GET', path: '/environment' }));
			expect(single.SystemVersion).toBe(vsa.store.environment.SystemVersion);
		},
	},
];

describe('Kaseya VSA node: every operation against the emulator', () => {
	it('covers every operation row of the node', () => {
		const covered = new Set(cases.map((c) => `${c.resource}.${c.operation}`));
		const missing = vsaOperations.map((o) => `${o.resource}.${o.operation}`).filter((k) => !covered.has(k));
		expect(missing).toEqual([]);
	});

	it.each(cases.map((c) => [`${c.resource}.${c.operation}: ${c.title}`, c] as const))('%s', async (_title, c) => {
		await c.test();
	});

	it('logged in once for the whole suite (the session token is persisted and reused)', () => {
		expect(vsa.logins()).toBe(1);
	});
});
