/**
 * The Veeam Service Provider Console node in n8n's real execution context (test/harness) against the strict VSPC
 * emulator over loopback: every operation, limit/offset paging, filters and sorts as VSPC's JSON, pick-lists, the
 * X-Request-id of writes (fresh per item, the same on a retry, applied once), errors inside the envelope, and one token
 * renewal for many concurrent items.
 */
import type { IDataObject } from 'n8n-workflow';

import { VeeamServiceProviderConsoleApi } from '../../credentials/VeeamServiceProviderConsoleApi.credentials';
import { VeeamServiceProviderConsole } from '../../nodes/VeeamServiceProviderConsole/VeeamServiceProviderConsole.node';
import { vspcOperations, VSPC_ROUTES } from '../../nodes/VeeamServiceProviderConsole/operations';
import { VSPC_PROFILE } from '../../nodes/VeeamServiceProviderConsole/transport';
import type { LogEntry } from '../emulators/common/server';
import { startVspcEmulator, VSPC_CREDENTIALS, type VspcEmulator } from '../emulators/vspc';
import { failure, rl } from '../harness/helpers';
import { Harness } from '../harness/n8n';

const TYPE = 'veeamServiceProviderConsoleApi';
const node = new VeeamServiceProviderConsole();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let vspc: VspcEmulator;
beforeAll(async () => {
	// 200 VMs per company: 800 protected VMs, two pages of 500.
	vspc = await startVspcEmulator({ seed: 13, vmsPerCompany: 200 });
});
afterAll(async () => {
	await vspc.close();
});
afterEach(() => {
	vspc.emulator.clearFaults();
});

function setup(data: IDataObject = {}) {
	const h = new Harness([new VeeamServiceProviderConsoleApi()]);
	const id = h.addCredential(TYPE, { baseUrl: vspc.url, authMethod: 'password', username: VSPC_CREDENTIALS.admin.username, password: VSPC_CREDENTIALS.admin.password, ...data } as any);
	const run = async (parameters: IDataObject, input?: IDataObject[], continueOnFail = false) =>
		(await h.execute({ nodeType: node, parameters, credentials: { [TYPE]: id }, input, continueOnFail }))[0].map((i) => i.json);
	return { h, id, run };
}

/** Requests to the emulator made during `fn`. */
async function sent<T>(fn: () => Promise<T>, path?: RegExp): Promise<{ result: T; requests: LogEntry[] }> {
	const before = vspc.requests().length;
	const result = await fn();
	return { result, requests: vspc.requests().slice(before).filter((r) => r.path !== '/api/v3/token' && (!path || path.test(r.path))) };
}

const START = /\/jobs\/[^/]+\/start$/;
const company = (i: number) => vspc.store.companies[i];
const jobOf = (type: string, c = 0) => vspc.store.jobs.find((j) => j.type === type && j.organizationUid === company(c).instanceUid)!;

describe('the table', () => {
	test('has exactly the resources and operations of the contract, and nothing else', () => {
		const table = vspcOperations.map((o) => `${o.resource}.${o.operation}`).sort();
		const contract = Object.entries(VSPC_ROUTES).flatMap(([r, ops]) => ops.map((o) => `${r}.${o}`)).sort();
		expect(table).toEqual(contract);
		expect(node.description.usableAsTool).toBe(true);
	});
});

describe('reads', () => {
	test('companies: Return All, Limit, a status filter and a sort sent as VSPC JSON', async () => {
		const { run } = setup();
		expect(await run({ resource: 'company', operation: 'getAll', returnAll: true })).toHaveLength(4);
		expect(await run({ resource: 'company', operation: 'getAll', limit: 2 })).toHaveLength(2);
		const { result, requests } = await sent(() => run({ resource: 'company', operation: 'getAll', returnAll: true, status: ['Disabled'], sort: { field: 'name', direction: 'descending' } }));
		expect(result.map((c) => c.name)).toEqual([company(3).name]);
		expect(JSON.parse(String(requests[0].query.filter))).toEqual([{ property: 'status', operation: 'equals', value: 'Disabled' }]);
		expect(JSON.parse(String(requests[0].query.sort))).toEqual([{ property: 'name', direction: 'descending' }]);
		const sorted = await run({ resource: 'company', operation: 'getAll', returnAll: true, sort: { field: 'name', direction: 'descending' } });
		expect(sorted.map((c) => c.name)).toEqual(vspc.store.companies.map((c) => c.name).sort().reverse());
	});

	test('several values of a filter become an `or` group; jobs filtered by company, server and status', async () => {
		const { run } = setup();
		const server = vspc.store.backupServers.find((s) => s.organizationUid === company(0).instanceUid)!;
		const { result, requests } = await sent(() =>
			run({ resource: 'backupJob', operation: 'getAll', returnAll: true, companyUid: rl(company(0).instanceUid), backupServerUid: rl(server.instanceUid), status: ['Failed', 'Warning'] }),
		);
		expect(result.map((j) => j.name)).toEqual([jobOf('BackupVm').name]);
		expect(JSON.parse(String(requests[0].query.filter))).toEqual([
			{ property: 'organizationUid', operation: 'equals', value: company(0).instanceUid },
			{ property: 'backupServerUid', operation: 'equals', value: server.instanceUid },
			{ operation: 'or', items: [{ property: 'status', operation: 'equals', value: 'Failed' }, { property: 'status', operation: 'equals', value: 'Warning' }] },
		]);
	});

	test('paging: limit/offset pages of up to 500 (the last asks for what remains), every record once; Limit asks only for what it needs', async () => {
		const { run } = setup();
		const all = await sent(() => run({ resource: 'protectedWorkload', operation: 'getAll', workloadType: 'virtualMachines', returnAll: true }));
		expect(all.result).toHaveLength(800);
		expect(new Set(all.result.map((v) => v.instanceUid)).size).toBe(800);
		expect(all.requests.map((r) => `${r.query.limit}/${r.query.offset}`)).toEqual(['500/0', '300/500']);
		const some = await sent(() => run({ resource: 'protectedWorkload', operation: 'getAll', workloadType: 'virtualMachines', limit: 600 }));
		expect(some.result).toHaveLength(600);
		expect(some.requests.map((r) => `${r.query.limit}/${r.query.offset}`)).toEqual(['500/0', '100/500']);
		const computers = await run({ resource: 'protectedWorkload', operation: 'getAll', workloadType: 'computersManagedByConsole', returnAll: true, companyUid: rl(company(1).instanceUid) });
		expect(computers).toHaveLength(3);
		expect(computers.every((c) => c.organizationUid === company(1).instanceUid && typeof c.backupAgentUid === 'string')).toBe(true);
	});

	test('one record by UID: company, backup server, job; locations, sites, alarms', async () => {
		const { run } = setup();
		expect((await run({ resource: 'company', operation: 'get', companyUid: rl(company(2).instanceUid) }))[0].name).toBe(company(2).name);
		const server = vspc.store.backupServers[1];
		expect((await run({ resource: 'backupServer', operation: 'get', backupServerUid: rl(server.instanceUid) }))[0].name).toBe(server.name);
		const job = jobOf('BackupCopy', 1);
		expect((await run({ resource: 'backupJob', operation: 'get', jobUid: job.instanceUid }))[0]).toMatchObject({ name: job.name, status: 'Warning' });
		const locations = await run({ resource: 'location', operation: 'getAll', returnAll: true, companyUid: rl(company(0).instanceUid) });
		expect(locations.map((l) => l.name).sort()).toEqual([`${company(0).name} — Branch`, `${company(0).name} — Main Office`]);
		expect((await run({ resource: 'site', operation: 'getAll', returnAll: true })).map((s) => s.siteName)).toEqual(['Cloud Connect EU']);
		const alarms = await run({ resource: 'alarm', operation: 'getAll', returnAll: true, status: ['Error'], objectType: ['BackupServerJob'] });
		expect(alarms.length).toBeGreaterThan(0);
		expect(alarms.every((a) => (a.lastActivation as IDataObject).status === 'Error' && (a.object as IDataObject).type === 'BackupServerJob')).toBe(true);
	});

	test('license usage: every organization over all pages, or one company', async () => {
		const { run } = setup();
		expect(await run({ resource: 'licenseUsage', operation: 'get' })).toHaveLength(5);
		const one = await sent(() => run({ resource: 'licenseUsage', operation: 'get', companyUid: rl(company(0).instanceUid) }));
		expect(one.result).toHaveLength(1);
		expect(one.requests[0].query.organizationUid).toBe(company(0).instanceUid);
	});

	test('pick-lists: companies and backup servers searched by name on the server', async () => {
		const { h, id } = setup();
		const ctx = h.loadOptionsContext({ nodeType: node, parameters: {}, credentials: { [TYPE]: id } });
		const found = await node.methods.listSearch.searchCompanies.call(ctx, 'BIRCH');
		expect(found.results).toEqual([{ name: company(1).name, value: company(1).instanceUid, description: 'Active' }]);
		const servers = await node.methods.listSearch.searchBackupServers.call(ctx);
		expect(servers.results.map((s) => s.name)).toEqual(vspc.store.backupServers.map((s) => s.name).sort());
	});

	test('a bad UID is refused before anything is sent', async () => {
		const { run } = setup();
		const { result, requests } = await sent(() => failure(run({ resource: 'backupJob', operation: 'get', jobUid: '42' })));
		expect(result.message).toMatch(/Job UID: "42" is not a valid VSPC UID/);
		expect(requests).toHaveLength(0);
	});
});

describe('writes', () => {

	test('start and stop carry a fresh X-Request-id per item, and apply once each', async () => {
		const { run } = setup();
		const jobs = [jobOf('SqlLogBackup', 1), jobOf('SqlLogBackup', 2)]; // not company 0: its jobs are read by the filter test, which a stopped (Failed) job would change
		const writes = vspc.effects.writes;
		const { result, requests } = await sent(() => run({ resource: 'backupJob', operation: 'start', jobUid: '={{ $json.uid }}' }, jobs.map((j) => ({ uid: j.instanceUid }))), START);
		expect(result).toEqual(jobs.map((j) => ({ jobUid: j.instanceUid, action: 'start', queued: true })));
		const ids = requests.map((r) => String(r.headers['x-request-id']));
		expect(ids.every((i) => UUID.test(i))).toBe(true);
		expect(new Set(ids).size).toBe(2);
		expect(vspc.effects.writes - writes).toBe(2);
		const stopped = await run({ resource: 'backupJob', operation: 'stop', jobUid: jobs[0].instanceUid });
		expect(stopped).toEqual([{ jobUid: jobs[0].instanceUid, action: 'stop', queued: true }]);
		expect((await run({ resource: 'backupJob', operation: 'get', jobUid: jobs[0].instanceUid }))[0]).toMatchObject({ status: 'Failed', failureMessage: 'Job has been stopped by user.' });
	});

	test('a write whose answer was lost is sent again with the same X-Request-id, and the server applies it once', async () => {
		const { run } = setup();
		const job = jobOf('BackupFile', 2);
		vspc.emulator.addFault({ kind: 'resetAfter', method: 'POST', path: 'start', times: 1 });
		const writes = vspc.effects.writes;
		const { result, requests } = await sent(() => run({ resource: 'backupJob', operation: 'start', jobUid: job.instanceUid }), START);
		expect(result).toEqual([{ jobUid: job.instanceUid, action: 'start', queued: true }]);
		expect(requests.map((r) => r.status)).toEqual(['reset', 200]);
		expect(requests[0].headers['x-request-id']).toBe(requests[1].headers['x-request-id']);
		expect(vspc.effects.writes - writes).toBe(1);
	});

	test('throttled (429 with errors[].retryAfter): retried with the same X-Request-id', async () => {
		const { run } = setup();
		const job = jobOf('BackupFile', 1);
		vspc.throttle(1, 1, 'start');
		const { result, requests } = await sent(() => run({ resource: 'backupJob', operation: 'start', jobUid: job.instanceUid }), START);
		expect(result).toHaveLength(1);
		expect(requests.map((r) => r.status)).toEqual([429, 200]);
		expect(requests[0].headers['x-request-id']).toBe(requests[1].headers['x-request-id']);
	});

	test('the wait in a 429 body is honoured: errors[0].retryAfter 2 → sent again after about 2 s, not sooner', async () => {
		const { run } = setup();
		vspc.throttle(1, 2, 'organizations/companies$');
		const { result, requests } = await sent(() => run({ resource: 'company', operation: 'getAll', returnAll: false, limit: 1 }), /\/organizations\/companies$/);
		expect(result).toHaveLength(1);
		expect(requests.map((r) => r.status)).toEqual([429, 200]);
		expect(requests[1].at - requests[0].at).toBeGreaterThanOrEqual(1900);
	});

	test('a 429 asking to wait more than a minute is not sat through: the item fails at once with the throttling advice', async () => {
		const { run } = setup();
		vspc.throttle(1, 3600, 'organizations/companies$');
		const { result, requests } = await sent(() => failure(run({ resource: 'company', operation: 'getAll', returnAll: false, limit: 1 })), /\/organizations\/companies$/);
		expect(requests.map((r) => r.status)).toEqual([429]);
		expect(result.message).toMatch(/throttling requests \(429\)/);
		expect(result.description).toMatch(/more than a minute/);
	});

	test('a write answered 520 is sent once, and the error says the change may have been made', async () => {
		const { run } = setup();
		const job = jobOf('BackupFile', 2);
		vspc.serverError(1, 520, 'start$');
		const { result, requests } = await sent(() => failure(run({ resource: 'backupJob', operation: 'start', jobUid: job.instanceUid })), START);
		expect(requests.map((r) => r.status)).toEqual([520]);
		expect(result.message).toMatch(/internal error on POST .*start \(520\)/);
		expect(result.description).toMatch(/may or may not have been made; it was not sent again/);
	});

	test('a keyed write is not resent once VSPC may have forgotten its key: the item says the change may have been applied', async () => {
		// The real profile with a short key lifetime (VSPC's is 5 minutes): the first send times out after 1 s, past it.
		const lifetime = VSPC_PROFILE.idempotencyKeyLifetimeMs;
		VSPC_PROFILE.idempotencyKeyLifetimeMs = 500;
		try {
			const { run } = setup();
			const job = jobOf('BackupFile', 3);
			const writes = vspc.effects.writes;
			vspc.emulator.addFault({ kind: 'delay', delayMs: 2500, path: 'start$', times: 1 });
			const { result, requests } = await sent(() => failure(run({ resource: 'backupJob', operation: 'start', jobUid: job.instanceUid, requestOptions: { timeout: 1 } })), START);
			expect(requests).toHaveLength(1);
			expect(`${result.message} ${result.description}`).toMatch(/may have been applied/);
			// The server did act on it: exactly once.
			await new Promise((resolve) => setTimeout(resolve, 1800));
			expect(vspc.effects.writes - writes).toBe(1);
		} finally {
			VSPC_PROFILE.idempotencyKeyLifetimeMs = lifetime;
		}
	});

	test('acknowledge and resolve send comment and resolveOnClients in the query', async () => {
		const { run } = setup();
		const alarm = vspc.store.alarms.find((a) => a.lastActivation.status === 'Error')!;
		const { result, requests } = await sent(() => run({ resource: 'alarm', operation: 'acknowledge', activeAlarmUid: alarm.instanceUid, comment: 'on it' }), /acknowledge$/);
		expect(result).toEqual([{ activeAlarmUid: alarm.instanceUid, status: 'Acknowledged' }]);
		expect(requests[0].query).toEqual({ comment: 'on it', resolveOnClients: 'false' });
		expect(await run({ resource: 'alarm', operation: 'resolve', activeAlarmUid: alarm.instanceUid, comment: 'fixed', resolveOnClients: true })).toEqual([{ activeAlarmUid: alarm.instanceUid, status: 'Resolved' }]);
		expect(alarm.lastActivation).toMatchObject({ status: 'Resolved', remark: 'fixed' });
	});
});

describe('errors', () => {
	test('the envelope\'s error is quoted: stopping an idle job (400, code 1000), an unknown job (404)', async () => {
		const { run } = setup();
		const idle = jobOf('SqlLogBackup', 3);
		const e = await failure(run({ resource: 'backupJob', operation: 'stop', jobUid: idle.instanceUid }));
		expect(e.message).toBe(`Veeam Service Provider Console rejected the request as invalid: Job "${idle.name}" is not running. [code 1000]`);
		expect(e.httpCode).toBe('400');
		const missing = await failure(run({ resource: 'backupJob', operation: 'get', jobUid: '00000000-0000-4000-8000-000000000000' }));
		expect(missing.message).toMatch(/found nothing at GET \/api\/v3\/infrastructure\/backupServers\/jobs\/00000000-0000-4000-8000-000000000000: Job with UID .* was not found/);
	});

	test('errors inside an HTTP 200 envelope fail the item instead of passing as data', async () => {
		const { run } = setup();
		vspc.emulator.addFault({ kind: 'body', status: 200, path: 'organizations/companies', times: 1, contentType: 'application/json', rawBody: '{"data":null,"meta":null,"errors":[{"message":"Collection is being rebuilt.","type":"retryableLogical","code":1000}]}' } as any);
		const e = await failure(run({ resource: 'company', operation: 'getAll', returnAll: true }));
		expect(e.message).toMatch(/Collection is being rebuilt\. \[code 1000\]/);
	});

	test('a read-only API key may not write (403): the message says so; Continue On Fail keeps the other items', async () => {
		const { run } = setup({ authMethod: 'apiKey', apiKey: VSPC_CREDENTIALS.readOnlyApiKey });
		const job = jobOf('BackupFile', 3);
		const out = await run({ resource: 'backupJob', operation: 'start', jobUid: '={{ $json.uid }}' }, [{ uid: job.instanceUid }, { uid: 'nope' }], true);
		expect(out[0].error).toMatch(/refused POST \/api\/v3\/infrastructure\/backupServers\/jobs\/.*\/start: access denied/);
		expect(out[0].description).toMatch(/read-only/);
		expect(out[1].error).toMatch(/not a valid VSPC UID/);
	});
});

describe('tokens', () => {
	test('an expired token is renewed once for many concurrent items', async () => {
		const { run } = setup();
		await run({ resource: 'company', operation: 'getAll', limit: 1 });
		vspc.expireAccessTokens();
		const before = { ...vspc.counters };
		const uids = vspc.store.companies.map((c) => ({ uid: c.instanceUid }));
		const out = await run({ resource: 'company', operation: 'get', companyUid: '={{ { "__rl": true, "mode": "id", "value": $json.uid } }}', requestOptions: { concurrency: 4 } }, [...uids, ...uids]);
		expect(out.map((c) => c.instanceUid)).toEqual([...uids, ...uids].map((u) => u.uid));
		expect(vspc.counters.refreshGrants + vspc.counters.passwordLogins - before.refreshGrants - before.passwordLogins).toBe(1);
	});
});

describe('custom API call', () => {
	test('GET one answer, Return All over limit/offset, a pasted /api/v3 dropped; a write carries X-Request-id', async () => {
		const { run } = setup();
		expect((await run({ resource: 'customApi', operation: 'request', method: 'GET', path: '/api/v3/about' }))[0].serverVersion).toBe('9.1.0.30713');
		const all = await run({ resource: 'customApi', operation: 'request', method: 'GET', path: 'protectedWorkloads/virtualMachines', returnAll: true, queryParameters: { parameter: [{ name: 'limit', value: '5' }] } });
		expect(all).toHaveLength(800);
		const job = jobOf('BackupCopy', 2);
		const { requests } = await sent(() => run({ resource: 'customApi', operation: 'request', method: 'POST', path: `/infrastructure/backupServers/jobs/${job.instanceUid}/start` }), START);
		expect(UUID.test(String(requests[0].headers['x-request-id']))).toBe(true);
		const e = await failure(run({ resource: 'customApi', operation: 'request', method: 'GET', path: 'https://elsewhere.example/api/v3/about' }));
		expect(e.description).toMatch(/Enter a path under \/api\/v3 such as \/organizations\/companies/);
	});
});
