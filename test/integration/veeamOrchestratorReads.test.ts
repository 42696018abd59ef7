/**
 * Orchestrator reads through the node (Harness, n8n's real helpers) against the emulator: paging in
 * each generation's style, filters, plan lookups, the plan picker, sites/scopes/locations/licensing,
 * client accounts, the custom API call, and refusals for operations a version lacks.
 */
import type { IDataObject } from 'n8n-workflow';

import { VeeamOrchestrator } from '../../nodes/VeeamOrchestrator/VeeamOrchestrator.node';
import { startVroEmulator, VRO_CREDENTIALS, type VroEmulator, type VroVersion } from '../emulators/vro';
import { failure, rl, vroSession } from '../harness/helpers';

const NODE = new VeeamOrchestrator();
const admin = VRO_CREDENTIALS.admin;

let vro: VroEmulator;
beforeAll(async () => {
	vro = await startVroEmulator({ seed: 5, plans: 250 });
});
afterAll(async () => {
	await vro.close();
});

function setup(server: VroEmulator, apiVersion: VroVersion, data: IDataObject = {}) {
	const { harness: h, credId: id } = vroSession(server.url, apiVersion, data);
	const run = async (parameters: IDataObject, options: { input?: IDataObject[]; continueOnFail?: boolean } = {}) =>
		(await h.execute({ nodeType: NODE, parameters, credentials: { veeamOrchestratorApi: id }, ...options }))[0];
	const json = async (parameters: IDataObject) => (await run(parameters)).map((i) => i.json);
	return { h, id, run, json };
}


/** The emulator's own answer, read over HTTP with a token of our own (independent of the node). */
const rawTokens = new Map<string, string>();
async function raw(server: VroEmulator, v: VroVersion, path: string): Promise<any> {
	const key = `${server.url}|${v}`;
	if (!rawTokens.has(key)) {
		const res = await fetch(server.tokenUrl(v), {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: 'password', username: admin.username, password: admin.password }).toString(),
		});
		rawTokens.set(key, ((await res.json()) as { access_token: string }).access_token);
	}
	const res = await fetch(server.base(v) + path, { headers: { authorization: `Bearer ${rawTokens.get(key)}` } });
	return res.json();
}

/** Requests the node sends during `fn`, as "METHOD path?query". */
async function sent(server: VroEmulator, fn: () => Promise<unknown>): Promise<string[]> {
	const before = server.requests().length;
	await fn();
	return server
		.requests()
		.slice(before)
		.map((r) => `${r.method} ${r.path}${Object.keys(r.query).length ? `?${new URLSearchParams(r.query).toString()}` : ''}`);
}


function uniqueIds(items: IDataObject[]): number {
	return new Set(items.map((i) => String(i.id))).size;
}

describe('paging in each generation\'s style', () => {
	test('v7.21 ({total, data}): Return All of 250 plans in 3 requests, pages after the first fetched by offset', async () => {
		const { json } = setup(vro, 'v7.21');
		let items: IDataObject[] = [];
		const requests = await sent(vro, async () => (items = await json({ resource: 'plan', operation: 'getAll', returnAll: true })));
		expect(items).toHaveLength(250);
		expect(uniqueIds(items)).toBe(250);
		expect((await raw(vro, 'v7.21', '/Plans?limit=1')).total).toBe(250);
		expect(requests.filter((r) => r.startsWith('GET'))).toEqual(
			expect.arrayContaining(['GET /api/v7.21/Plans?limit=100', 'GET /api/v7.21/Plans?limit=100&start=100', 'GET /api/v7.21/Plans?limit=50&start=200']),
		);
		expect(requests.filter((r) => r.startsWith('GET'))).toHaveLength(3);
	});

	test('v13.1: Limit asks only for what it needs', async () => {
		const { json } = setup(vro, 'v13.1');
		let items: IDataObject[] = [];
		const requests = await sent(vro, async () => (items = await json({ resource: 'plan', operation: 'getAll', returnAll: false, limit: 30 })));
		expect(items).toHaveLength(30);
		expect(requests.filter((r) => r.startsWith('GET'))).toEqual(['GET /api/v13.1/Plans?limit=30']);
	});

	test.each([['v4'], ['v5'], ['v6']])('%s ({total, data} with start/limit): Return All matches the server total', async (v) => {
		const { json } = setup(vro, v as VroVersion);
		let items: IDataObject[] = [];
		const requests = await sent(vro, async () => (items = await json({ resource: 'plan', operation: 'getAll', returnAll: true })));
		const total = (await raw(vro, v as VroVersion, '/Plans?limit=1')).total as number;
		expect(items).toHaveLength(total);
		expect(uniqueIds(items)).toBe(total);
		expect(requests.filter((r) => r.startsWith('GET'))).toHaveLength(Math.ceil(total / 100));
		expect(requests).toContain(`GET /api/${v}/Plans?limit=100&start=100`);
	});

	test('v3 ({total, data}, no paging parameters): one request; Limit is applied to the one answer', async () => {
		const { json } = setup(vro, 'v3');
		let items: IDataObject[] = [];
		const all = await sent(vro, async () => (items = await json({ resource: 'plan', operation: 'getAll', returnAll: true })));
		expect(items).toHaveLength((await raw(vro, 'v3', '/Plans')).total);
		expect(all.filter((r) => r.startsWith('GET'))).toEqual(['GET /api/v3/Plans']);
		expect(await json({ resource: 'plan', operation: 'getAll', returnAll: false, limit: 7 })).toHaveLength(7);
	});

	test('v1 (OData $top/$skip over bare arrays): walks pages until a short one', async () => {
		const big = await startVroEmulator({ seed: 8, plans: 600, versions: ['v1'] });
		try {
			const { json } = setup(big, 'v1');
			const total = ((await raw(big, 'v1', '/FailoverPlans')) as unknown[]).length;
			expect(total).toBeGreaterThan(200);
			let items: IDataObject[] = [];
			const requests = await sent(big, async () => (items = await json({ resource: 'plan', operation: 'getAll', returnAll: true })));
			expect(items).toHaveLength(total);
			expect(uniqueIds(items)).toBe(total);
			const pages = Math.floor(total / 100) + 1;
			expect(requests.filter((r) => r.startsWith('GET'))).toEqual(
				['GET /v1/FailoverPlans?%24top=100', ...Array.from({ length: pages - 1 }, (_, i) => `GET /v1/FailoverPlans?%24top=100&%24skip=${(i + 1) * 100}`)],
			);
			const limited = await sent(big, async () => expect(await json({ resource: 'plan', operation: 'getAll', returnAll: false, limit: 150 })).toHaveLength(150));
			expect(limited.filter((r) => r.startsWith('GET'))).toEqual(['GET /v1/FailoverPlans?%24top=100', 'GET /v1/FailoverPlans?%24top=50&%24skip=100']);
		} finally {
			await big.close();
		}
	});

	test('v2: failover plans and restore plans are both listed', async () => {
		const { json } = setup(vro, 'v2');
		const items = await json({ resource: 'plan', operation: 'getAll', returnAll: true });
		const failover = (await raw(vro, 'v2', '/FailoverPlans')) as IDataObject[];
		const restore = (await raw(vro, 'v2', '/RestorePlans')) as IDataObject[];
		expect(items.map((i) => i.id)).toEqual([...failover, ...restore].map((i) => i.id));
		expect(restore.length).toBeGreaterThan(0);
	});
});

describe('plan list filters', () => {
	test('v7.21: only enabled, JSON filter and sort go to the server', async () => {
		const { json } = setup(vro, 'v7.21');
		const enabled = await json({ resource: 'plan', operation: 'getAll', returnAll: true, filters: { onlyEnabled: true } });
		expect(enabled.length).toBeGreaterThan(0);
		expect(enabled.every((p) => p.planMode === 'Enabled')).toBe(true);
		const restore = await json({
			resource: 'plan',
			operation: 'getAll',
			returnAll: true,
			filters: { filter: '[{"property":"planType","operator":"==","value":"Restore"}]', sort: '[{"property":"name","direction":"DESC"}]' },
		});
		expect(restore.length).toBeGreaterThan(0);
		expect(restore.every((p) => p.planType === 'Restore')).toBe(true);
		expect(restore.map((p) => p.name)).toEqual([...restore.map((p) => String(p.name))].sort().reverse());
	});

	test('v1: OData filter and only enabled become $filter', async () => {
		const { json } = setup(vro, 'v1');
		const items = await json({ resource: 'plan', operation: 'getAll', returnAll: true, filters: { onlyEnabled: true, odataFilter: "startswith(name, 'Replica - E')" } });
		expect(items.length).toBeGreaterThan(0);
		expect(items.every((p) => p.planState !== 'Disabled' && String(p.name).startsWith('Replica - E'))).toBe(true);
		expect(vro.requests({ method: 'GET', path: /\/v1\/FailoverPlans$/ }).at(-1)!.query.$filter).toBe("(planState ne 'Disabled') and (startswith(name, 'Replica - E'))");
	});

	test('options of another generation are refused before sending', async () => {
		const v1 = setup(vro, 'v1');
		const before = vro.requests().length;
		expect((await failure(v1.json({ resource: 'plan', operation: 'getAll', returnAll: true, filters: { filter: '[]' } }))).message).toMatch(/need API v4 or later/);
		const v7 = setup(vro, 'v7.21');
		expect((await failure(v7.json({ resource: 'plan', operation: 'getAll', returnAll: true, filters: { odataFilter: 'a eq 1' } }))).message).toMatch(/OData options exist only on API v1\/v2/);
		expect((await failure(v7.json({ resource: 'plan', operation: 'getAll', returnAll: true, filters: { filter: '{"property":"x"}' } }))).message).toBe('Filter (JSON) must be a JSON array');
		const v3 = setup(vro, 'v3');
		expect((await failure(v3.json({ resource: 'plan', operation: 'getAll', returnAll: true, filters: { sort: '[]' } }))).message).toMatch(/without filter or sort/);
		expect(vro.requests().length).toBe(before);
	});
});

describe('plan reads', () => {
	test('get on v1, v2 (restore plans live in their own collection) and v7.21', async () => {
		const replica = vro.store.plans.find((p) => p.planType === 'Replica')!;
		const restore = vro.store.plans.find((p) => p.planType === 'Restore' && vro.store.location(p.recoveryLocationId)?.type === 'Restore')!;
		expect((await setup(vro, 'v1').json({ resource: 'plan', operation: 'get', planId: rl(replica.id) }))[0]).toMatchObject({ id: replica.id, name: replica.name });
		const v2 = setup(vro, 'v2');
		let out: IDataObject[] = [];
		const requests = await sent(vro, async () => (out = await v2.json({ resource: 'plan', operation: 'get', planId: rl(restore.id) })));
		expect(out[0]).toMatchObject({ id: restore.id, name: restore.name });
		expect(requests.filter((r) => r.startsWith('GET'))).toEqual([`GET /v2/FailoverPlans/${restore.id}`, `GET /v2/RestorePlans/${restore.id}`]);
		expect((await setup(vro, 'v7.21').json({ resource: 'plan', operation: 'get', planId: rl(replica.id) }))[0]).toMatchObject({ id: replica.id, planType: 'Replica' });
	});

	test('an unknown plan ID quotes the server', async () => {
		const f = await failure(setup(vro, 'v7.21').json({ resource: 'plan', operation: 'get', planId: rl('00000000-0000-4000-8000-000000000000') }));
		expect(f.message).toBe("Veeam Orchestrator found nothing at GET /api/v7.21/Plans/00000000-0000-4000-8000-000000000000: Plan with ID '00000000-0000-4000-8000-000000000000' was not found.");
	});

	test('continueOnFail: a bad item becomes an error item, paired with its input', async () => {
		const good = vro.store.plans[0];
		const { run } = setup(vro, 'v7.21');
		const out = await run({ resource: 'plan', operation: 'get', planId: rl('={{ $json.id }}') }, { input: [{ id: good.id }, { id: 'nope' }], continueOnFail: true });
		expect(out[0]).toMatchObject({ json: { id: good.id }, pairedItem: { item: 0 } });
		expect(out[1].pairedItem).toEqual({ item: 1 });
		expect(String(out[1].json.error)).toMatch(/found nothing/);
	});

	test('groups, VMs (of one group and of every group) and steps (of a group and of a VM) on v7.21', async () => {
		const plan = vro.store.plans.find((p) => p.groups.length >= 2 && p.groups.some((g) => g.category === 'Virtual'))!;
		const { json } = setup(vro, 'v7.21');
		const groups = await json({ resource: 'plan', operation: 'getGroups', planId: rl(plan.id), returnAll: true });
		expect(groups.map((g) => g.id)).toEqual(plan.groups.map((g) => g.id));
		const inventory = plan.groups.find((g) => g.category === 'Inventory')!;
		const vms = await json({ resource: 'plan', operation: 'getVms', planId: rl(plan.id), groupId: inventory.id, returnAll: true });
		expect(vms.map((x) => x.id)).toEqual(inventory.vms.map((x) => x.id));
		const allVms = await json({ resource: 'plan', operation: 'getVms', planId: rl(plan.id), groupId: '', returnAll: true });
		expect(allVms).toHaveLength(plan.groups.reduce((n, g) => n + g.vms.length, 0));
		const virtual = plan.groups.find((g) => g.category === 'Virtual')!;
		const groupSteps = await json({ resource: 'plan', operation: 'getSteps', planId: rl(plan.id), stepsOf: 'group', groupId: virtual.id, returnAll: true });
		expect(groupSteps.map((s) => s.name)).toEqual(virtual.steps.map((s) => s.name));
		const vm = inventory.vms[0];
		const vmSteps = await json({ resource: 'plan', operation: 'getSteps', planId: rl(plan.id), stepsOf: 'vm', vmId: vm.id, returnAll: true });
		expect(vmSteps.map((s) => s.id)).toEqual(vm.steps.map((s) => s.id));
	});

	test('runtime details with groups (v3 and v13.1)', async () => {
		const plan = vro.store.plans.find((p) => p.state === 'Halted')!;
		for (const v of ['v3', 'v13.1'] as VroVersion[]) {
			const [details] = await setup(vro, v).json({ resource: 'runtimeDetails', operation: 'get', planId: rl(plan.id), includeGroups: true });
			expect(details).toMatchObject({ id: plan.id, state: 'Halted' });
			expect((details.groups as IDataObject[]).length).toBe(plan.groups.length);
		}
	});

	test('the plan picker lists plans from the server, filtered by name', async () => {
		const { h, id } = setup(vro, 'v7.21');
		const ctx = h.loadOptionsContext({ nodeType: NODE, parameters: { resource: 'plan', operation: 'get' }, credentials: { veeamOrchestratorApi: id } });
		const all = await NODE.methods.listSearch.searchPlans.call(ctx);
		expect(all.results).toHaveLength(250);
		const erp = await NODE.methods.listSearch.searchPlans.call(ctx, 'erp');
		expect(erp.results.length).toBeGreaterThan(0);
		expect(erp.results.every((r) => /ERP/.test(r.name))).toBe(true);
		const sample = vro.store.plans.find((p) => p.name.includes('ERP'))!;
		expect(erp.results).toContainEqual({ name: expect.stringContaining(sample.name), value: sample.id });
		const v1 = setup(vro, 'v1');
		const ctx1 = v1.h.loadOptionsContext({ nodeType: NODE, parameters: {}, credentials: { veeamOrchestratorApi: v1.id } });
		expect((await NODE.methods.listSearch.searchPlans.call(ctx1)).results.length).toBe(((await raw(vro, 'v1', '/FailoverPlans')) as unknown[]).length);
	});
});

describe('sites, scopes, recovery locations, license usage', () => {
	test('sites: v1 and v6 list, v2 gets one; v7.21 has no Sites resource', async () => {
		const site = vro.store.sites[0];
		expect((await setup(vro, 'v1').json({ resource: 'site', operation: 'getAll', returnAll: true })).map((s) => s.id)).toEqual(vro.store.sites.map((s) => s.id));
		expect((await setup(vro, 'v6').json({ resource: 'site', operation: 'getAll', returnAll: true })).map((s) => s.id)).toEqual(vro.store.sites.map((s) => s.id));
		expect((await setup(vro, 'v2').json({ resource: 'site', operation: 'get', siteId: site.id }))[0]).toMatchObject({ id: site.id, name: site.name });
		const before = vro.requests().length;
		const f = await failure(setup(vro, 'v7.21').json({ resource: 'site', operation: 'getAll', returnAll: true }));
		expect(f.message).toBe('Site → Get Many is not available on Orchestrator API v7.21 (Recovery Orchestrator 7.2.1)');
		expect(f.description).toMatch(/has it on v1 to v6\. Nothing was sent/);
		expect(vro.requests().length).toBe(before);
	});

	test('scopes: per site on v2 (site added to each), one collection from v3; none on v1', async () => {
		const v2 = await setup(vro, 'v2').json({ resource: 'scope', operation: 'getAll', returnAll: true, siteId: '' });
		expect(v2.length).toBe(vro.store.scopes.length);
		expect(v2.every((s) => s.siteId === vro.store.sites[0].id)).toBe(true);
		expect((await setup(vro, 'v7.21').json({ resource: 'scope', operation: 'getAll', returnAll: true })).map((s) => s.id)).toEqual(vro.store.scopes.map((s) => s.id));
		expect((await failure(setup(vro, 'v1').json({ resource: 'scope', operation: 'getAll', returnAll: true }))).message).toMatch(/not available on Orchestrator API v1 \(Availability Orchestrator 1\.0\)/);
	});

	test('recovery locations on v2 and v13.1 (Hyper-V locations appear from v7.2)', async () => {
		const v2 = await setup(vro, 'v2').json({ resource: 'recoveryLocation', operation: 'getAll', returnAll: true });
		const v13 = await setup(vro, 'v13.1').json({ resource: 'recoveryLocation', operation: 'getAll', returnAll: true });
		expect(v13.length).toBeGreaterThan(v2.length);
		const loc = v13[0];
		expect((await setup(vro, 'v13.1').json({ resource: 'recoveryLocation', operation: 'get', locationId: String(loc.id) }))[0]).toEqual(loc);
	});

	test('license usage: per site on v2–v6, server-wide on v7.21 and v13 (different paths)', async () => {
		const paths: Record<string, string[]> = {};
		for (const v of ['v2', 'v5', 'v7.21', 'v13'] as VroVersion[]) {
			const { json } = setup(vro, v);
			let out: IDataObject[] = [];
			paths[v] = (await sent(vro, async () => (out = await json({ resource: 'licenseUsage', operation: 'get', siteId: '' })))).filter((r) => r.startsWith('GET'));
			expect(out[0]).toHaveProperty('managedInstances');
			// v2–v6 answer a one-element array per site: one item per site, tagged with it, not an array spread into keys.
			if (v === 'v2' || v === 'v5') expect(out).toEqual(vro.store.sites.map((site) => expect.objectContaining({ siteId: site.id, newInstances: expect.any(Number), managedInstances: expect.any(Number) })));
			expect(out[0]).not.toHaveProperty('0');
		}
		expect(paths.v2.at(-1)).toMatch(/^GET \/v2\/Sites\/[^/]+\/LicenseUsage$/);
		expect(paths.v5.at(-1)).toMatch(/^GET \/api\/v5\/Sites\/[^/]+\/LicenseUsage$/);
		expect(paths['v7.21']).toEqual(['GET /api/v7.21/LicenseUsage/Server']);
		expect(paths.v13).toEqual(['GET /api/v13/License/Usage/Server']);
	});
});

describe('client accounts', () => {
	test.each([['v2'], ['v7.21']])('%s: create, log in with it, list, delete', async (v) => {
		const { json } = setup(vro, v as VroVersion);
		const [created] = await json({ resource: 'clientAccount', operation: 'create' });
		expect(created).toEqual({ client_id: expect.any(String), client_secret: expect.any(String) });
		const asClient = setup(vro, v as VroVersion, { authMethod: 'clientCredentials', clientId: created.client_id, clientSecret: created.client_secret });
		expect((await asClient.json({ resource: 'plan', operation: 'getAll', returnAll: false, limit: 1 })).length).toBe(1);
		const refused = await failure(asClient.json({ resource: 'clientAccount', operation: 'getAll', returnAll: true }));
		expect(refused.message).toBe('Client accounts can only be managed by a user account');
		const listed = await json({ resource: 'clientAccount', operation: 'getAll', returnAll: true });
		expect(listed.map((c) => c.client_id)).toContain(created.client_id);
		expect((await json({ resource: 'clientAccount', operation: 'delete', clientId: created.client_id }))[0]).toEqual({ success: true, deleted: true, clientId: created.client_id });
		expect((await json({ resource: 'clientAccount', operation: 'getAll', returnAll: true })).map((c) => c.client_id)).not.toContain(created.client_id);
	});

	test('v1 and v13 have no client accounts: refused before sending', async () => {
		const before = vro.requests().length;
		expect((await failure(setup(vro, 'v1').json({ resource: 'clientAccount', operation: 'create' }))).description).toMatch(/has it on v2 to v7\.21/);
		expect((await failure(setup(vro, 'v13').json({ resource: 'clientAccount', operation: 'create' }))).message).toMatch(/not available on Orchestrator API v13/);
		expect(vro.requests().length).toBe(before);
	});
});

describe('custom API call', () => {
	test('GET and query parameters under the version base (v7.21 and v1)', async () => {
		const v7 = setup(vro, 'v7.21');
		const scopes = await v7.json({ resource: 'customApi', operation: 'request', method: 'GET', path: '/Scopes', queryParameters: { parameter: [{ name: 'limit', value: '2' }] } });
		expect(scopes[0]).toEqual({ data: [expect.any(Object), expect.any(Object)], total: vro.store.scopes.length });
		const odata = await setup(vro, 'v1').json({ resource: 'customApi', operation: 'request', method: 'GET', path: 'FailoverPlans', queryParameters: { parameter: [{ name: '$top', value: '3' }] } });
		expect(odata).toHaveLength(3);
		// Return All pages in the version's style, with the user's own parameters kept.
		let restore: IDataObject[] = [];
		const requests = await sent(vro, async () => (restore = await v7.json({ resource: 'customApi', operation: 'request', method: 'GET', path: '/Plans', returnAll: true, queryParameters: { parameter: [{ name: 'filter', value: '[{"property":"planType","operator":"==","value":"Restore"}]' }] } })));
		const total = (await raw(vro, 'v7.21', `/Plans?limit=1&filter=${encodeURIComponent('[{"property":"planType","operator":"==","value":"Restore"}]')}`)).total;
		expect(restore).toHaveLength(total);
		expect(restore.every((p) => p.planType === 'Restore')).toBe(true);
		expect(requests.filter((r) => r.startsWith('GET'))).toHaveLength(Math.ceil(total / 100));
	});

	test('a POST through the custom call is sent once with its JSON body; a refusal quotes the server', async () => {
		const plan = vro.store.plans.find((p) => p.planType === 'Replica' && p.state === 'Ready' && p.enabled && !p.failure && p.name.includes('CRM'))!;
		const { json } = setup(vro, 'v7.21');
		const before = vro.requests().length;
		const out = await json({ resource: 'customApi', operation: 'request', method: 'POST', path: `/Plans/${plan.id}/ReadinessCheck`, body: '{}' });
		expect(out).toEqual([{ success: true, method: 'POST', path: `/Plans/${plan.id}/ReadinessCheck` }]);
		const posts = vro.requests().slice(before).filter((r) => r.method === 'POST' && !/token$/.test(r.path));
		expect(posts).toEqual([expect.objectContaining({ path: `/api/v7.21/Plans/${plan.id}/ReadinessCheck`, body: {} })]);
		const f = await failure(json({ resource: 'customApi', operation: 'request', method: 'POST', path: `/Plans/${plan.id}/Continue`, body: '{"executionContinueOptions":"RetryFailedStep"}' }));
		expect(f.message).toMatch(new RegExp(`^Veeam Orchestrator rejected POST /api/v7\\.21/Plans/${plan.id}/Continue: Cannot continue plan`));
	});

	test('an invalid path is refused before sending; a server error is quoted', async () => {
		const { json } = setup(vro, 'v7.21');
		const before = vro.requests().length;
		const f = await failure(json({ resource: 'customApi', operation: 'request', method: 'GET', path: 'https://other.example.com/api/v7.21/Plans' }));
		expect(f.message).toBe('Invalid path for the custom API call');
		expect(vro.requests().length).toBe(before);
		const missing = await failure(json({ resource: 'customApi', operation: 'request', method: 'GET', path: '/NoSuchThing' }));
		expect(missing.message).toBe('Veeam Orchestrator found nothing at GET /api/v7.21/NoSuchThing: emulator has no route for GET /api/v7.21/NoSuchThing');
	});
});

describe('operations a version lacks are refused before anything is sent', () => {
	test.each([
		['v1', { resource: 'plan', operation: 'getGroups', planId: rl('x'), returnAll: true }, /Plan → Get Groups is not available on Orchestrator API v1/, /v3 and later/],
		['v2', { resource: 'runtimeDetails', operation: 'get', planId: rl('x') }, /Runtime Detail → Get is not available on Orchestrator API v2/, /v3 and later/],
		['v4', { resource: 'plan', operation: 'clone', planId: rl('x') }, /Plan → Clone is not available on Orchestrator API v4/, /v5 and later/],
		['v1', { resource: 'plan', operation: 'readinessCheck', planId: rl('x') }, /Plan → Readiness Check is not available on Orchestrator API v1 \(Availability Orchestrator 1\.0\)/, /v2 and later/],
	])('%s: %j', async (v, parameters, message, versions) => {
		const before = vro.requests().length;
		const f = await failure(setup(vro, v as VroVersion).json(parameters as IDataObject));
		expect(f.message).toMatch(message);
		expect(f.description).toMatch(versions);
		expect(vro.requests().length).toBe(before); // not even a login
	});
});
