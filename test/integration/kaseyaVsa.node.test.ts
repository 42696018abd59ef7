/**
 * Kaseya VSA node, every operation at least once: execute() in n8n-core's real ExecuteContext, over
 * HTTP against the VSA emulator. Reads are compared with the emulator's store; writes must change
 * the store, and bump its effect counter exactly once.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { KaseyaVsa } from '../../nodes/KaseyaVsa/KaseyaVsa.node';
import { vsaOperations } from '../../nodes/KaseyaVsa/operations';
import { startVsaEmulator, type VsaEmulator } from '../emulators/vsa';
import { patchHistory } from '../emulators/vsa/details';
import { rl, vsaSession } from '../harness/helpers';
import { Harness } from '../harness/n8n';

const node = new KaseyaVsa();

let vsa: VsaEmulator;
let harness: Harness;
let credId: string;

beforeAll(async () => {
	vsa = await startVsaEmulator({ agents: 300, alarms: 250, ticketsPerDesk: 120 });
	({ harness, credId } = vsaSession(vsa.url));
	// Warm-up: the one login of the suite happens here, so the login count is 1 whichever cases run, in any order.
	await run({ resource: 'user', operation: 'getCurrent' });
});

afterAll(async () => {
	await vsa.close();
});


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

const agent = (i: number) => vsa.store.agents[i];
const agentId = (i: number) => agent(i).AgentId.toString();

/*
 * Fixtures: a case that works on an object creates its own through the node (or picks one from the emulator's
 * store), so every case passes alone and in any order. Names differ per case because the emulator refuses
 * duplicates, as VSA does.
 */

/** Adds a note to an agent through the node; answers the note's ID. */
async function addAgentNote(id: string, note: string): Promise<string> {
	await run({ resource: 'agentNote', operation: 'create', agentId: rl(id), note });
	const created = vsa.store.agentNotes.find((n) => n.AgentId.toString() === id && n.Note === note);
	if (!created) throw new Error(`fixture: note "${note}" was not created`);
	return String(created.Id);
}

const procedureId = (name: string) => vsa.store.procedures.find((p) => p.AgentProcedureName === name)!.AgentProcedureId;

/** Schedules `name` on the agent every 2 days with a prompt, through the node. */
const scheduleProcedure = (id: string, name: string) =>
	run({
		resource: 'agentProcedure',
		operation: 'schedule',
		agentId: rl(id),
		procedureId: rl(procedureId(name)),
		startOn: '2024-07-01T22:30:00',
		repeat: 'Days',
		times: 2,
		scheduleOptions: { skipIfOffline: true, prompts: { prompt: [{ name: 'Version', value: '126' }] } },
	});

const createCustomField = (name: string) => run({ resource: 'customField', operation: 'create', newFieldName: name, fieldType: 'string' });

/** Creates a machine group in organization `orgIndex` through the node; answers its ID and the organization's. */
async function createMachineGroup(orgIndex: number, name: string): Promise<{ mgId: string; orgId: string }> {
	const org = vsa.store.orgs[orgIndex].OrgId.toString();
	const [out] = json(await run({ resource: 'machineGroup', operation: 'create', orgId: rl(org), machineGroupName: name }));
	return { mgId: String(out.MachineGroupId), orgId: org };
}

/** Creates an organization through the node; answers its (26-digit) ID as the node returned it. */
async function createOrganization(orgName: string, orgRef: string): Promise<string> {
	const [out] = json(await run({ resource: 'organization', operation: 'create', orgName, orgRef }));
	return String(out.OrgId);
}

/** Tickets are opened in the second desk: the ticket list case counts the first desk's 120 seeded tickets. */
const ticketDesk = () => vsa.store.serviceDesks[1].ServiceDeskId.toString();
const ticketLookups = () => vsa.store.deskLookups.get(ticketDesk())!;

/** Opens a ticket 'On Hold', priority High, category Hardware, through the node; answers its ID. */
async function openTicket(summary = 'Backup failed on SRV01'): Promise<string> {
	const status = ticketLookups().status.find((s) => s.StatusName === 'On Hold')!;
	const [out] = json(
		await run({
			resource: 'serviceDeskTicket',
			operation: 'create',
			serviceDeskId: rl(ticketDesk()),
			summary,
			priority: 'high',
			additionalFields: { category: 'Hardware', status: status.StatusId.toString(), description: 'From n8n' },
		}),
	);
	return String(out.ServiceDeskTicketId);
}

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
		},
	},
	{
		resource: 'agentNote',
		operation: 'getAll',
		title: 'lists the notes of one agent',
		test: async () => {
			const id = agentId(11);
			await addAgentNote(id, "Disk replaced by O'Brien");
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
			const noteId = await addAgentNote(agentId(12), 'Note to delete');
			const [out] = json(await once('note:delete', () => run({ resource: 'agentNote', operation: 'delete', noteId })));
			expect(out).toMatchObject({ success: true, noteId });
			expect(vsa.store.agentNotes.some((n) => String(n.Id) === noteId)).toBe(false);
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
			const proc = procedureId('Install Chrome');
			const [out] = json(await once(`schedule:${id}:${proc}`, () => scheduleProcedure(id, 'Install Chrome')));
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
		},
	},
	{
		resource: 'agentProcedure',
		operation: 'getScheduled',
		title: 'lists scheduled procedures of an agent',
		test: async () => {
			const id = agentId(13);
			await scheduleProcedure(id, 'Install Chrome');
			const out = json(await run({ resource: 'agentProcedure', operation: 'getScheduled', agentId: rl(id), returnAll: true }));
			const row = out.find((s) => String(s.AgentProcedureId) === String(procedureId('Install Chrome')));
			expect(row).toMatchObject({ Recurrence: 'Days', SkipIfOffLine: true, AgentId: id });
		},
	},
	{
		resource: 'agentProcedure',
		operation: 'cancel',
		title: 'cancels the scheduled procedure',
		test: async () => {
			const id = agentId(14);
			const scheduledProc = String(procedureId('Install Chrome'));
			await scheduleProcedure(id, 'Install Chrome');
			const [out] = json(await once(`unschedule:${id}:${scheduledProc}`, () => run({ resource: 'agentProcedure', operation: 'cancel', agentId: rl(id), procedureId: rl(scheduledProc) })));
			expect(out).toMatchObject({ success: true, action: 'cancelled' });
			const left = json(await run({ resource: 'agentProcedure', operation: 'getScheduled', agentId: rl(id), returnAll: true }));
			expect(left.some((s) => String(s.AgentProcedureId) === scheduledProc)).toBe(false);
		},
	},
	{
		resource: 'agentProcedure',
		operation: 'getHistory',
		title: 'lists the procedure history of an agent, including a run it just started',
		test: async () => {
			await run({ resource: 'agentProcedure', operation: 'run', agentId: rl(agentId(15)), procedureId: rl(procedureId('Disk Cleanup')) });
			const out = json(await run({ resource: 'agentProcedure', operation: 'getHistory', agentId: rl(agentId(15)), returnAll: true }));
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
		},
	},
	{
		resource: 'alarm',
		operation: 'close',
		title: 'closes an alarm with a note',
		test: async () => {
			const alarmId = String(vsa.store.alarms.find((a) => a.MonitorAlarmStateId === 1)!.AlarmId); // a currently open alarm
			const [out] = json(await once(`alarm:close:${alarmId}`, () => run({ resource: 'alarm', operation: 'close', alarmId, notes: 'Fixed by n8n' })));
			expect(out).toMatchObject({ success: true, action: 'closed', alarmId });
			expect(lastRequest('PUT', /close$/).body).toEqual([{ key: 'notes', value: 'Fixed by n8n' }]);
			expect(vsa.store.alarm(alarmId)).toMatchObject({ State: 'Closed', Notes: 'Fixed by n8n' });
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
		},
	},
	{
		resource: 'asset',
		operation: 'get',
		title: 'gets one asset',
		test: async () => {
			const assetId = String(vsa.store.assets.find((a) => a.AssetType === 'Printer')!.AssetId);
			const [out] = json(await run({ resource: 'asset', operation: 'get', assetId }));
			expect(out.AssetId).toBe(assetId);
			expect(out.AssetType).toBe('Printer');
			// KAT's path for one asset (VSAEndpointMaps.ps1 Get-VSAAssetById); the emulator has no /assetmgmt/assets/{id}.
			expect(lastRequest('GET', /getassetbyid/).path).toBe(`/api/v1.0/assetmgmt/assets/getassetbyid/${assetId}`);
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
			await createCustomField('Backup Level');
			await once('customfield:rename', () => run({ resource: 'customField', operation: 'rename', fieldName: 'Backup Level', newFieldName: 'Backup Tier' }));
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
			await createCustomField('Backup Class');
			await once(`customfield:set:${id}:Backup Class`, () => run({ resource: 'customField', operation: 'setValue', agentId: rl(id), fieldName: 'Backup Class', fieldValue: 'Gold' }));
			expect(vsa.store.customFieldValues.get(id)!.get('Backup Class')).toBe('Gold');
		},
	},
	{
		resource: 'customField',
		operation: 'getValues',
		title: 'reads the custom field values of an agent',
		test: async () => {
			const id = agentId(16);
			await createCustomField('Support Tier');
			await run({ resource: 'customField', operation: 'setValue', agentId: rl(id), fieldName: 'Support Tier', fieldValue: 'Gold' });
			const out = json(await run({ resource: 'customField', operation: 'getValues', agentId: rl(id), returnAll: true }));
			expect(out.find((f) => f.FieldName === 'Support Tier')).toMatchObject({ FieldValue: 'Gold', AgentId: id });
		},
	},
	{
		resource: 'customField',
		operation: 'delete',
		title: 'deletes a custom field',
		test: async () => {
			await createCustomField('Retired Field');
			await once('customfield:delete', () => run({ resource: 'customField', operation: 'delete', fieldName: 'Retired Field' }));
			expect(vsa.store.customFieldDefs.some((f) => f.FieldName === 'Retired Field')).toBe(false);
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
		},
	},
	{
		resource: 'machineGroup',
		operation: 'getAll',
		title: 'lists the machine groups of an organization',
		test: async () => {
			const { orgId } = await createMachineGroup(3, 'tills');
			const out = json(await run({ resource: 'machineGroup', operation: 'getAll', returnAll: true, filters: { organizationId: orgId } }));
			expect(out.map((g) => g.MachineGroupId).sort()).toEqual(vsa.store.machineGroups.filter((g) => g.OrgId.toString() === orgId).map((g) => g.MachineGroupId.toString()).sort());
			expect(out.map((g) => g.MachineGroupName)).toContain('tills');
		},
	},
	{
		resource: 'machineGroup',
		operation: 'get',
		title: 'gets one machine group',
		test: async () => {
			const { mgId } = await createMachineGroup(4, 'lobby');
			const [out] = json(await run({ resource: 'machineGroup', operation: 'get', machineGroupId: rl(mgId) }));
			expect(out).toMatchObject({ MachineGroupId: mgId, MachineGroupName: 'lobby' });
		},
	},
	{
		resource: 'machineGroup',
		operation: 'rename',
		title: 'renames a machine group',
		test: async () => {
			const { mgId } = await createMachineGroup(5, 'kiosk');
			await once(`machinegroup:update:${mgId}`, () => run({ resource: 'machineGroup', operation: 'rename', machineGroupId: rl(mgId), machineGroupName: 'kiosk-pcs' }));
			expect(vsa.store.machineGroup(mgId)!.MachineGroupName).toBe('kiosk-pcs');
		},
	},
	{
		resource: 'machineGroup',
		operation: 'delete',
		title: 'deletes an empty machine group',
		test: async () => {
			const { mgId } = await createMachineGroup(6, 'spare');
			await once(`machinegroup:delete:${mgId}`, () => run({ resource: 'machineGroup', operation: 'delete', machineGroupId: rl(mgId) }));
			expect(vsa.store.machineGroup(mgId)).toBeUndefined();
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
			const orgId = await createOrganization('Fabrikam Ltd', 'fabrikam-get');
			expect(orgId).toMatch(/^\d{26}$/);
			const [out] = json(await run({ resource: 'organization', operation: 'get', orgId: rl(orgId) }));
			expect(out).toMatchObject({ OrgId: orgId, OrgName: 'Fabrikam Ltd' });
		},
	},
	{
		resource: 'organization',
		operation: 'update',
		title: 'updates an organization',
		test: async () => {
			const orgId = await createOrganization('Contoso Trading', 'contoso-update');
			const [out] = json(await once(`org:update:${orgId}`, () => run({ resource: 'organization', operation: 'update', orgId: rl(orgId), updateFields: { orgName: 'Contoso Group', website: 'https://contoso.example' } })));
			expect(out).toMatchObject({ success: true, action: 'updated', orgId });
			expect(vsa.store.org(orgId)).toMatchObject({ OrgName: 'Contoso Group', Website: 'https://contoso.example' });
		},
	},
	{
		resource: 'organization',
		operation: 'delete',
		title: 'deletes an organization',
		test: async () => {
			const orgId = await createOrganization('Tailspin Toys', 'tailspin-delete');
			await once(`org:delete:${orgId}`, () => run({ resource: 'organization', operation: 'delete', orgId: rl(orgId) }));
			expect(vsa.store.org(orgId)).toBeUndefined();
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
			const desk = ticketDesk();
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
		},
	},
	{
		resource: 'serviceDeskTicket',
		operation: 'get',
		title: 'gets a new ticket',
		test: async () => {
			const ticketId = await openTicket();
			const [out] = json(await run({ resource: 'serviceDeskTicket', operation: 'get', ticketId }));
			expect(out).toMatchObject({ ServiceDeskTicketId: ticketId, Summary: 'Backup failed on SRV01', TicketStatus: 'On Hold' });
		},
	},
	{
		resource: 'serviceDeskTicket',
		operation: 'updateStatus',
		title: 'sets the status by ID',
		test: async () => {
			const ticketId = await openTicket();
			expect(vsa.store.ticket(ticketId)!.TicketStatus).toBe('On Hold');
			const status = ticketLookups().status.find((s) => s.StatusName === 'In Progress')!;
			const [out] = json(
				await once(`ticket:status:${ticketId}`, () =>
					run({ resource: 'serviceDeskTicket', operation: 'updateStatus', serviceDeskId: rl(ticketDesk()), ticketId, statusId: status.StatusId.toString() }),
				),
			);
			expect(out).toEqual({ success: true, action: 'statusUpdated', ticketId, statusId: status.StatusId.toString() });
			expect(vsa.store.ticket(ticketId)!.TicketStatus).toBe('In Progress');
		},
	},
	{
		resource: 'serviceDeskTicket',
		operation: 'updatePriority',
		title: "sets the priority by name without a desk (the ticket's own desk is read)",
		test: async () => {
			const ticketId = await openTicket();
			const priority = ticketLookups().priorities.find((s) => s.PriorityName === 'Critical')!;
			const [out] = json(await once(`ticket:priority:${ticketId}`, () => run({ resource: 'serviceDeskTicket', operation: 'updatePriority', ticketId, priorityId: 'Critical' })));
			expect(out).toMatchObject({ action: 'priorityUpdated', priorityId: priority.PriorityId.toString() });
			expect(vsa.store.ticket(ticketId)!.Priority).toBe('Critical');
		},
	},
	{
		resource: 'serviceDeskTicket',
		operation: 'assign',
		title: 'assigns the ticket to a staff member',
		test: async () => {
			const ticketId = await openTicket();
			const staff = vsa.store.staff[2];
			await once(`ticket:assign:${ticketId}`, () => run({ resource: 'serviceDeskTicket', operation: 'assign', ticketId, staffId: staff.StaffId.toString() }));
			expect(vsa.store.ticket(ticketId)!.Assignee).toBe(staff.StaffName);
		},
	},
	{
		resource: 'serviceDeskTicket',
		operation: 'addNote',
		title: 'adds a hidden note',
		test: async () => {
			const ticketId = await openTicket();
			await once(`ticket:note:${ticketId}`, () => run({ resource: 'serviceDeskTicket', operation: 'addNote', ticketId, text: 'Restarted the backup job', hidden: true }));
			expect(vsa.store.ticketNotes.find((n) => n.ServiceDeskTicketId.toString() === ticketId)).toMatchObject({ Text: 'Restarted the backup job', Hidden: true });
		},
	},
	{
		resource: 'serviceDeskTicket',
		operation: 'getNotes',
		title: 'lists the notes of a ticket',
		test: async () => {
			const ticketId = await openTicket();
			await run({ resource: 'serviceDeskTicket', operation: 'addNote', ticketId, text: 'Restarted the backup job', hidden: true });
			const out = json(await run({ resource: 'serviceDeskTicket', operation: 'getNotes', ticketId, returnAll: true }));
			expect(out.map((n) => n.Text)).toEqual(['Restarted the backup job']);
		},
	},
	{
		resource: 'serviceDeskTicket',
		operation: 'setCustomField',
		title: 'sets a list custom field of the ticket (body: a bare JSON string)',
		test: async () => {
			const ticketId = await openTicket();
			const field = ticketLookups().customfields.find((f) => f.FieldName === 'BillingCode')!;
			await once(`ticket:customfield:${field.CustomFieldId}:${ticketId}`, () =>
				run({ resource: 'serviceDeskTicket', operation: 'setCustomField', ticketId, fieldId: field.CustomFieldId.toString(), value: 'Warranty' }),
			);
			// The log holds the parsed JSON body: the JSON string "Warranty" (a key/value array would be an array).
			expect(lastRequest('PUT', /\/customfields\/\d+$/).body).toBe('Warranty');
			expect(vsa.store.ticketExtras.get(ticketId)!.customFields.get(field.CustomFieldId.toString())).toBe('Warranty');
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
