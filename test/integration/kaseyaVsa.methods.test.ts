/**
 * Kaseya VSA node pick-lists: listSearch (searchable resource locators) and loadOptions, run in
 * n8n-core's real LoadOptionsContext against the VSA emulator. They return server data, and a
 * failing lookup throws instead of returning an empty list.
 */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';

import { KaseyaVsa } from '../../nodes/KaseyaVsa/KaseyaVsa.node';
import { startVsaEmulator, type VsaEmulator } from '../emulators/vsa';
import { vsaSession } from '../harness/helpers';
import { Harness } from '../harness/n8n';

const node = new KaseyaVsa();

let vsa: VsaEmulator;
let harness: Harness;
let credId: string;

beforeAll(async () => {
	vsa = await startVsaEmulator({ agents: 450 });
	({ harness, credId } = vsaSession(vsa.url));
});

afterAll(async () => {
	await vsa.close();
});

afterEach(() => vsa.clearFaults());

function context(parameters: IDataObject = {}, cred = credId): ILoadOptionsFunctions {
	return harness.loadOptionsContext({ nodeType: node, parameters: { resource: 'agent', operation: 'get', ...parameters }, credentials: { kaseyaVsaApi: cred } }) as unknown as ILoadOptionsFunctions;
}

type Search = (this: ILoadOptionsFunctions, filter?: string, token?: string) => Promise<INodeListSearchResult>;
type Load = (this: ILoadOptionsFunctions) => Promise<INodePropertyOptions[]>;
const search = (name: string, ctx: ILoadOptionsFunctions, filter?: string, token?: string) => ((node.methods.listSearch as Record<string, Search>)[name]).call(ctx, filter, token);
const load = (name: string, ctx: ILoadOptionsFunctions) => ((node.methods.loadOptions as Record<string, Load>)[name]).call(ctx);

const byName = (a: string, b: string) => a.localeCompare(b, 'en', { sensitivity: 'base' });

describe('listSearch', () => {
	it('searchAgents pages by 100 in name order, with a token for the next page', async () => {
		const sorted = [...vsa.store.agents].sort((a, b) => byName(a.AgentName, b.AgentName));
		const first = await search('searchAgents', context());
		expect(first.results).toHaveLength(100);
		expect(first.paginationToken).toBe('100');
		expect(first.results.map((r) => r.value)).toEqual(sorted.slice(0, 100).map((a) => a.AgentId.toString()));
		const last = await search('searchAgents', context(), undefined, '400');
		expect(last.results.map((r) => r.name)).toEqual(sorted.slice(400).map((a) => a.AgentName));
		expect(last.paginationToken).toBeUndefined();
		expect(vsa.requests({ path: /assetmgmt\/agents$/ }).pop()!.query).toEqual({ $top: '100', $skip: '400', $orderby: 'AgentName' });
	});

	it('searchAgents filters by name on the server (substringof, quoted)', async () => {
		const { results } = await search('searchAgents', context(), "srv-o'b");
		expect(vsa.requests({ path: /assetmgmt\/agents$/ }).pop()!.query.$filter).toBe("substringof('srv-o''b', AgentName)");
		expect(results.map((r) => r.value).sort()).toEqual(vsa.store.agents.filter((a) => a.AgentName.toLowerCase().includes("srv-o'b")).map((a) => a.AgentId.toString()).sort());
	});

	it('searchOrganizations, searchServiceDesks and searchProcedures return server records with exact IDs', async () => {
		const orgs = await search('searchOrganizations', context());
		expect(orgs.results.map((r) => r.value).sort()).toEqual(vsa.store.orgs.map((o) => o.OrgId.toString()).sort());
		const desks = await search('searchServiceDesks', context());
		expect(desks.results.map((r) => r.name).sort()).toEqual(vsa.store.serviceDesks.map((d) => d.ServiceDeskName).sort());
		const procs = await search('searchProcedures', context(), 'Install');
		expect(procs.results.map((r) => r.name).sort()).toEqual(['Install 7-Zip', 'Install Chrome', 'Uninstall Flash']);
	});

	it('searchMachineGroups names each group with its organization', async () => {
		const { results } = await search('searchMachineGroups', context(), 'servers');
		const mg = vsa.store.machineGroups.find((g) => g.MachineGroupName === 'servers')!;
		const org = vsa.store.org(mg.OrgId)!;
		expect(results).toContainEqual(expect.objectContaining({ value: mg.MachineGroupId.toString(), name: `servers (${org.OrgName})` }));
	});
});

describe('loadOptions', () => {
	it('getOrganizations, getMachineGroups, getCustomFields and getStaff list server data', async () => {
		const orgs = await load('getOrganizations', context());
		expect(orgs.map((o) => o.name)).toEqual(vsa.store.orgs.map((o) => o.OrgName).sort(byName));
		const groups = await load('getMachineGroups', context());
		expect(groups).toHaveLength(vsa.store.machineGroups.length);
		const fields = await load('getCustomFields', context());
		expect(fields.map((f) => f.value)).toEqual(vsa.store.customFieldDefs.map((f) => f.FieldName).sort(byName));
		const staff = await load('getStaff', context());
		expect(staff.map((s) => s.value).sort()).toEqual(vsa.store.staff.map((s) => s.StaffId.toString()).sort());
		// Named and sorted by StaffFullName (PSK Functions/Staff.ps1): the emulator 400s on a field the model lacks.
		expect(staff.map((s) => s.name)).toEqual(vsa.store.staff.map((s) => s.StaffFullName).sort(byName));
		expect(vsa.requests({ method: 'GET', path: '/system/staff' }).pop()!.query.$orderby).toBe('StaffFullName');
	});

	it('getAssetTypes lists the asset types by AssetTypeId (KAT Get-VSAAssetType, PSK KAssetType)', async () => {
		const types = await load('getAssetTypes', context());
		const ids = [...new Set(vsa.store.assets.map((a) => String(a.AssetTypeId)))];
		expect(types.map((t) => t.value).sort()).toEqual(ids.sort());
		expect(types.find((t) => t.name === 'Printer')).toBeDefined();
	});

	it('lists the statuses, priorities, categories and custom fields of the chosen desk, valued by ID', async () => {
		const desk = vsa.store.serviceDesks[1];
		const lookups = vsa.store.deskLookups.get(desk.ServiceDeskId.toString())!;
		const ctx = context({ resource: 'serviceDeskTicket', operation: 'updateStatus', serviceDeskId: { __rl: true, mode: 'list', value: desk.ServiceDeskId.toString() } });
		const statuses = await load('getDeskStatuses', ctx);
		expect(statuses.map((s) => [s.name, s.value])).toEqual(lookups.status.map((s) => [s.StatusName, s.StatusId.toString()]));
		// Optional lists of Create start with an entry that sends nothing, so an added field is never "not supported".
		const optionalStatuses = await load('getDeskStatusesOrDefault', ctx);
		expect(optionalStatuses[0]).toMatchObject({ name: 'Desk Default (Not Sent)', value: '' });
		expect(optionalStatuses.slice(1).map((s) => s.value)).toEqual(lookups.status.map((s) => s.StatusId.toString()));
		const categories = await load('getDeskCategoriesOrDefault', ctx);
		expect(categories.slice(1).map((c) => [c.name, c.value])).toEqual(lookups.categories.map((c) => [c.CategoryName, c.CategoryId.toString()]));
		// Priorities come in the desk's own order (Medium, Critical, High, Low); the list sorts them by name.
		const priorities = await load('getDeskPriorities', ctx);
		expect(lookups.priorities.map((p) => p.PriorityName)).toEqual(['Medium', 'Critical', 'High', 'Low']);
		expect(priorities.map((p) => p.name)).toEqual(['Critical', 'High', 'Low', 'Medium']);
		expect(priorities.map((p) => p.value)).toEqual(['Critical', 'High', 'Low', 'Medium'].map((n) => lookups.priorities.find((p) => p.PriorityName === n)!.PriorityId.toString()));
		const fields = await load('getDeskCustomFields', ctx);
		expect(fields.map((f) => [f.name, f.value])).toEqual(lookups.customfields.map((f) => [f.FieldName, f.CustomFieldId.toString()]));
	});

	it('says "Choose a Service Desk first" instead of failing while no desk is chosen', async () => {
		const ctx = context({ resource: 'serviceDeskTicket', operation: 'updateStatus' });
		const before = vsa.requests().length;
		for (const method of ['getDeskStatuses', 'getDeskPriorities', 'getDeskCustomFields', 'getDeskStatusesOrDefault', 'getDeskCategoriesOrDefault']) {
			expect(await load(method, ctx)).toEqual([expect.objectContaining({ name: 'Choose a Service Desk First', value: '' })]);
		}
		expect(vsa.requests().length).toBe(before);
	});
});

describe('failing lookups throw', () => {
	it('a server error is shown, not an empty list', async () => {
		vsa.fault({ kind: 'status', status: 500, path: '/system/orgs$', rawBody: '{"Result":null,"ResponseCode":500,"Status":"Error","Error":"Database timeout"}', contentType: 'application/json' });
		await expect(load('getOrganizations', context())).rejects.toThrow(/internal error.*Database timeout/);
		await expect(search('searchOrganizations', context())).rejects.toThrow(/internal error/);
	});

	it('a failed login is shown, not an empty list', async () => {
		const bad = harness.addCredential('kaseyaVsaApi', { baseUrl: vsa.url, authMethod: 'personalAccessToken', username: 'apiuser', personalAccessToken: '11111111-1111-1111-1111-111111111111' }, 'bad-pat');
		await expect(search('searchAgents', context({}, bad))).rejects.toThrow(/login failed/i);
	});
});
