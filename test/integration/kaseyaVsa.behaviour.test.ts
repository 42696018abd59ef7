/**
 * Kaseya VSA node: the behaviour around the operations — paging counts, login reuse and renewal,
 * secrets in errors, continueOnFail, OData escaping, ID checks, the never-re-send-a-write rule, the
 * "new alarms" session semantics and the custom request's path checks. Real n8n-core context, real
 * HTTP, the VSA emulator; nothing of our transport is mocked.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { KaseyaVsa } from '../../nodes/KaseyaVsa/KaseyaVsa.node';
import { VSA_DEFAULT_CONCURRENCY } from '../../nodes/KaseyaVsa/transport';
import type { LogEntry } from '../emulators/common/server';
import { startVsaEmulator, type VsaEmulator } from '../emulators/vsa';
import { failure, rl, VSA_PAT, vsaSession } from '../harness/helpers';

const node = new KaseyaVsa();

let vsa: VsaEmulator;

beforeAll(async () => {
	vsa = await startVsaEmulator({ agents: 2500, alarms: 250 });
});

afterAll(async () => {
	await vsa.close();
});

afterEach(() => {
	vsa.clearFaults();
});

/** A fresh n8n credential store (no session token yet) per test unless the test shares one. */
function newSession(data: IDataObject = {}) {
	const { harness, credId } = vsaSession(vsa.url, data);
	const run = async (parameters: IDataObject, input?: IDataObject[], continueOnFail = false): Promise<INodeExecutionData[]> =>
		(await harness.execute({ nodeType: node, parameters, credentials: { kaseyaVsaApi: credId }, input, continueOnFail }))[0];
	return { harness, credId, run };
}


/** Calls `fn` for every request the emulator receives, before it is answered. */
function onRequest(fn: (entry: LogEntry) => void): () => void {
	const log = vsa.log;
	const push = log.push;
	log.push = function (this: LogEntry[], ...entries: LogEntry[]) {
		const n = push.apply(this, entries);
		for (const e of entries) fn(e);
		return n;
	};
	return () => {
		log.push = push;
	};
}

/** Requests and logins made while `fn` runs. */
async function measure<T>(fn: () => Promise<T>, path: RegExp): Promise<{ result: T; requests: LogEntry[]; logins: number }> {
	const seq = vsa.log.length ? vsa.log[vsa.log.length - 1].seq : 0;
	const logins = vsa.logins();
	const result = await fn();
	return { result, requests: vsa.log.filter((e) => e.seq > seq && path.test(e.path)), logins: vsa.logins() - logins };
}


const AGENTS = /^\/api\/v1\.0\/assetmgmt\/agents$/;

describe('Return All and Limit', () => {
	it('reads 2,500 agents with 1 login and 25 requests (page 1, then 24 pages concurrently), every ID exact and once', async () => {
		const { run } = newSession();
		const { result, requests, logins } = await measure(() => run({ resource: 'agent', operation: 'getAll', returnAll: true }), AGENTS);
		expect(logins).toBe(1);
		expect(requests).toHaveLength(25);
		expect(requests[0].query).toEqual({ $top: '100' });
		expect(requests.slice(1).map((r) => Number(r.query.$skip)).sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => (i + 1) * 100));
		for (const r of requests.slice(1)) expect(r.query.$top).toBe('100');
		const ids = result.map((i) => i.json.AgentId);
		expect(ids.every((id) => typeof id === 'string')).toBe(true);
		expect(new Set(ids).size).toBe(2500);
		expect(ids).toEqual(vsa.store.agents.map((a) => a.AgentId.toString()));
		expect(result.every((i, n) => (i.pairedItem as { item: number }).item === 0 && i.json.AgentName === vsa.store.agents[n].AgentName)).toBe(true);
	});

	it('asks only for what a Limit of 150 needs: 2 requests', async () => {
		const { run } = newSession();
		const { result, requests } = await measure(() => run({ resource: 'agent', operation: 'getAll', returnAll: false, limit: 150 }), AGENTS);
		expect(result).toHaveLength(150);
		expect(requests.map((r) => r.query)).toEqual([{ $top: '100' }, { $top: '50', $skip: '100' }]);
		expect(result.map((i) => i.json.AgentId)).toEqual(vsa.store.agents.slice(0, 150).map((a) => a.AgentId.toString()));
	});

	it('fetches the pages after page 1 concurrently, never more at once than Concurrency', async () => {
		const { run } = newSession();
		await run({ resource: 'system', operation: 'getEnvironment' });
		let inFlight = 0;
		let most = 0;
		const pending: LogEntry[] = [];
		const stop = onRequest((e) => {
			if (!AGENTS.test(e.path)) return;
			pending.push(e);
			inFlight = pending.filter((p) => p.status === 0).length;
			most = Math.max(most, inFlight);
		});
		vsa.server.latencyMs = 15;
		try {
			const out = await run({ resource: 'agent', operation: 'getAll', returnAll: true, requestOptions: { concurrency: 3 } });
			expect(out).toHaveLength(2500);
		} finally {
			vsa.server.latencyMs = 0;
			stop();
		}
		expect(most).toBeGreaterThan(1);
		expect(most).toBeLessThanOrEqual(3);
	});

	it('refuses a Return All above Max Records with a clear message', async () => {
		const { run } = newSession();
		const error = await failure(run({ resource: 'agent', operation: 'getAll', returnAll: true, requestOptions: { maxRecords: 1000 } }));
		expect(error.message).toMatch(/2500 records, more than the safety limit of 1000/);
		expect(error.description).toMatch(/Max Records/);
	});
});

describe('login and session renewal', () => {
	it('fails a wrong password with an authentication error that contains no secret', async () => {
		const { run } = newSession({ authMethod: 'password', password: 'Wr0ng-Passw0rd!' });
		const before = vsa.failedLogins();
		const error = await failure(run({ resource: 'agent', operation: 'getAll', returnAll: false, limit: 1 }));
		expect(vsa.failedLogins()).toBe(before + 1);
		expect(error.message).toMatch(/login failed/i);
		expect(error.message).toMatch(/wrong username or password/i);
		const sent = vsa.requests({ method: 'GET', path: /\/auth$/ }).pop()!;
		const basic = String(sent.headers.authorization).replace(/^Basic /, '');
		const decoded = Buffer.from(basic, 'base64').toString('utf8');
		const hashes = decoded.split(',').map((kv) => kv.split('=')[1]).filter((v) => v && v.length >= 16);
		expect(hashes.length).toBeGreaterThan(0);
		const everything = JSON.stringify({ message: error.message, description: error.description, context: error.context, cause: String(error.cause), stack: error.stack });
		for (const secret of ['Wr0ng-Passw0rd!', VSA_PAT, basic, ...hashes]) expect(everything).not.toContain(secret);
		expect(everything).not.toMatch(/Bearer [A-Za-z0-9]/);
	});

	it('reuses the persisted token across executions, and a token revoked in between costs exactly one new login', async () => {
		const { run } = newSession();
		const first = await measure(() => run({ resource: 'system', operation: 'getEnvironment' }), /environment/);
		expect(first.logins).toBe(1);
		const second = await measure(() => run({ resource: 'system', operation: 'getEnvironment' }), /environment/);
		expect(second.logins).toBe(0);
		vsa.revokeTokens();
		const third = await measure(() => run({ resource: 'agent', operation: 'getAll', returnAll: true }), AGENTS);
		expect(third.logins).toBe(1);
		expect(third.result).toHaveLength(2500);
	});

	it('renews a token revoked after page 1 of a concurrent Return All with exactly one login, losing no page', async () => {
		const { run } = newSession();
		await run({ resource: 'system', operation: 'getEnvironment' });
		let revoked = 0;
		const stop = onRequest((e) => {
			if (AGENTS.test(e.path) && e.query.$skip !== undefined && revoked === 0) revoked = vsa.revokeTokens();
		});
		try {
			const { result, logins, requests } = await measure(() => run({ resource: 'agent', operation: 'getAll', returnAll: true }), AGENTS);
			expect(revoked).toBeGreaterThan(0);
			expect(logins).toBe(1);
			expect(result.map((i) => i.json.AgentId)).toEqual(vsa.store.agents.map((a) => a.AgentId.toString()));
			// 25 pages, plus one resend for each page that was in flight with the revoked token (at most the default concurrency)
			expect(requests.length).toBeGreaterThan(25);
			expect(requests.length).toBeLessThanOrEqual(25 + VSA_DEFAULT_CONCURRENCY);
		} finally {
			stop();
		}
	});

	it('treats ResponseCode 401 inside an HTTP 200 envelope as a rejected session: one new login, then success', async () => {
		const { run } = newSession();
		await run({ resource: 'system', operation: 'getEnvironment' });
		vsa.envelopeError({ path: '/system/orgs$', responseCode: 401, times: 1 });
		const { result, logins, requests } = await measure(() => run({ resource: 'organization', operation: 'getAll', returnAll: true }), /system\/orgs$/);
		expect(logins).toBe(1);
		expect(requests).toHaveLength(2);
		expect(result.map((i) => i.json.OrgId)).toEqual(vsa.store.orgs.map((o) => o.OrgId.toString()));
	});
});

describe('items', () => {
	it('with continueOnFail, a bad item becomes an error item and the others succeed, in input order with pairedItem', async () => {
		const { run } = newSession();
		const good = vsa.store.agents.slice(0, 2).map((a) => a.AgentId.toString());
		const input = [{ id: good[0] }, { id: 'PC-042' }, { id: '999999999999999' }, { id: good[1] }];
		const out = await run({ resource: 'agent', operation: 'get', agentId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } }, input, true);
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(out[0].json.AgentId).toBe(good[0]);
		expect(out[3].json.AgentId).toBe(good[1]);
		expect(out[1].json.error).toMatch(/Agent.*"PC-042".*not a valid VSA ID/);
		expect(out[2].json.error).toMatch(/found nothing/i);
		expect(vsa.requests({ path: /PC-042/ })).toHaveLength(0);
	});

	it('without continueOnFail, the first bad item stops the node with an error naming the parameter, the value and the item', async () => {
		const { run } = newSession();
		const error = await failure(run({ resource: 'alarm', operation: 'get', alarmId: '={{ $json.alarm }}' }, [{ alarm: vsa.store.alarms[0].AlarmId }, { alarm: '12; DROP' }]));
		expect(error.message).toBe('Alarm ID: "12; DROP" is not a valid VSA ID');
		expect(error.context?.itemIndex).toBe(1);
	});

	it('refuses an ID that arrives as a rounded JavaScript number', async () => {
		const { run } = newSession();
		const out = await run({ resource: 'agent', operation: 'get', agentId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } }, [{ id: 979868787875855123 }], true);
		expect(out[0].json.error).toMatch(/not an exact VSA ID/);
	});

	it('runs per-item writes concurrently but keeps input order', async () => {
		const { run } = newSession();
		const agents = vsa.store.agents.slice(10, 18).map((a) => a.AgentId.toString());
		const out = await run(
			{ resource: 'agentNote', operation: 'create', agentId: { __rl: true, mode: 'id', value: '={{ $json.agent }}' }, note: '=note {{ $itemIndex }}', requestOptions: { concurrency: 4 } },
			agents.map((agent) => ({ agent })),
		);
		expect(out.map((i) => i.json.agentId)).toEqual(agents);
		expect(out.map((i) => i.json.note)).toEqual(agents.map((_, n) => `note ${n}`));
		for (const a of agents) expect(vsa.store.counter(`note:add:${a}`)).toBe(1);
	});
});

describe('OData escaping', () => {
	it('sends a filter value with quotes and "or" as one quoted literal', async () => {
		const { run } = newSession();
		const evil = "x' or 1 eq 1 or 'a";
		const { result, requests } = await measure(() => run({ resource: 'agent', operation: 'getAll', returnAll: true, filters: { nameContains: evil } }), AGENTS);
		expect(requests).toHaveLength(1);
		expect(requests[0].query.$filter).toBe("substringof('x'' or 1 eq 1 or ''a', AgentName)");
		expect(result).toHaveLength(0);
	});

	it('combines filters with "and", IDs as exact decimals', async () => {
		const { run } = newSession();
		const org = vsa.store.orgs[3].OrgId.toString();
		const { result, requests } = await measure(() => run({ resource: 'agent', operation: 'getAll', returnAll: true, filters: { organizationId: org, onlineStatus: 'offline' } }), AGENTS);
		expect(requests[0].query.$filter).toBe(`(OrgId eq ${org}M) and (Online eq 0)`);
		expect(result.map((i) => i.json.AgentId)).toEqual(vsa.store.agents.filter((a) => a.OrgId.toString() === org && a.Online === 0).map((a) => a.AgentId.toString()));
	});

	it('rejects a non-numeric ID in a filter before sending', async () => {
		const { run } = newSession();
		const { requests } = await measure(async () => {
			const error = await failure(run({ resource: 'agent', operation: 'getAll', returnAll: true, filters: { machineGroupId: '1 or 1 eq 1' } }));
			expect(error.message).toBe('Machine Group: "1 or 1 eq 1" is not a valid VSA ID');
		}, AGENTS);
		expect(requests).toHaveLength(0);
	});
});

describe('writes are never re-sent', () => {
	it('does not repeat a procedure run whose connection broke after the server applied it, and says it may have run', async () => {
		const { run } = newSession();
		const agent = vsa.store.agents[20].AgentId.toString();
		const proc = vsa.store.procedures.find((p) => p.AgentProcedureName === 'Reboot If Pending')!.AgentProcedureId;
		vsa.fault({ kind: 'resetAfter', method: 'PUT', path: 'runnowgetid', times: 1 });
		const error = await failure(run({ resource: 'agentProcedure', operation: 'run', agentId: rl(agent), procedureId: rl(proc) }));
		expect(error.message).toMatch(/may have been applied/);
		expect(error.description).toMatch(/NOT sent again/);
		expect(vsa.store.counter(`runnow:${agent}:${proc}`)).toBe(1);
		expect(vsa.requests({ method: 'PUT', path: `${agent}/${proc}/runnow` })).toHaveLength(1);
	});

	it('does repeat an action URI that is safe to repeat (patch scan)', async () => {
		const { run } = newSession();
		const agent = vsa.store.agents[21].AgentId.toString();
		vsa.fault({ kind: 'resetAfter', method: 'PUT', path: 'scannow', times: 1 });
		const [out] = await run({ resource: 'patch', operation: 'scanNow', agentId: rl(agent) });
		expect(out.json).toMatchObject({ success: true, agentId: agent });
		expect(vsa.requests({ method: 'PUT', path: `${agent}/scannow` })).toHaveLength(2);
	});

	it('falls back to runnow on a server without runnowgetid (no execution ID)', async () => {
		const { run } = newSession();
		const agent = vsa.store.agents[22].AgentId.toString();
		const proc = vsa.store.procedures.find((p) => p.AgentProcedureName === 'Clear Temp Files')!.AgentProcedureId;
		vsa.fault({
			kind: 'body',
			method: 'PUT',
			path: 'runnowgetid',
			times: 1,
			status: 404,
			contentType: 'application/json',
			rawBody: '{"Message":"No HTTP resource was found that matches the request URI."}',
		});
		const [out] = await run({ resource: 'agentProcedure', operation: 'run', agentId: rl(agent), procedureId: rl(proc) });
		expect(out.json).toMatchObject({ success: true, action: 'started', executionId: null });
		expect(vsa.store.counter(`runnow:${agent}:${proc}`)).toBe(1);
	});

	it('reports a procedure that does not exist (404) without trying another endpoint', async () => {
		const { run } = newSession();
		const agent = vsa.store.agents[23].AgentId.toString();
		const error = await failure(run({ resource: 'agentProcedure', operation: 'run', agentId: rl(agent), procedureId: rl('1002999') }));
		expect(error.message).toMatch(/found nothing/);
		expect(error.description).toMatch(/permission to run it/);
		expect(vsa.requests({ method: 'PUT', path: `${agent}/1002999/runnow$` })).toHaveLength(0);
	});
});

describe('alarms: only new', () => {
	it('returns every alarm on a session’s first request (over pages), then only alarms raised since', async () => {
		const { run } = newSession();
		const all = await run({ resource: 'alarm', operation: 'getAll', alarmSet: 'false', returnAll: true });
		expect(all.map((i) => i.json.AlarmId)).toEqual(vsa.store.alarms.map((a) => a.AlarmId).sort((a, b) => a - b));
		const raised = [1, 2, 3].map(() => vsa.mutate({ op: 'addAlarm', agentId: vsa.store.agents[0].AgentId.toString() }) as { AlarmId: number });
		const fresh = await run({ resource: 'alarm', operation: 'getAll', alarmSet: 'false', returnAll: true });
		expect(fresh.map((i) => i.json.AlarmId)).toEqual(raised.map((a) => a.AlarmId));
		const none = await run({ resource: 'alarm', operation: 'getAll', alarmSet: 'false', returnAll: true });
		expect(none).toHaveLength(0);
	});
});

describe('custom API request', () => {
	it.each([
		['https://evil.example/api/v1.0/system/orgs', /not a full URL/],
		['//evil.example/system/orgs', /not a full URL/],
		['../auth', /"\." and "\.\." segments/],
		['/system/%2e%2e/auth', /"\." and "\.\." segments/],
		['/system/orgs?$top=5', /Query Parameters/],
		['/system/a%2Fb', /hides a path separator/],
	])('refuses the path %s before sending', async (path, why) => {
		const { run } = newSession();
		const before = vsa.log.length;
		const error = await failure(run({ resource: 'customApi', operation: 'request', method: 'GET', path }));
		expect(error.message).toMatch(why);
		expect(vsa.log.slice(before).filter((e) => !/\/auth$/.test(e.path))).toHaveLength(0);
	});

	it('reports invalid JSON in the body', async () => {
		const { run } = newSession();
		const error = await failure(run({ resource: 'customApi', operation: 'request', method: 'POST', path: '/notification', body: '{"Title": ' }));
		expect(error.message).toMatch(/JSON Body is not valid JSON/);
	});

	it('answers the Custom API Call entry n8n adds to an operation list with a pointer to the node\'s own Custom API Call resource', async () => {
		const { run } = newSession();
		const error = await failure(run({ resource: 'agent', operation: '__CUSTOM_API_CALL__' }));
		expect(error.message).toMatch(/"Custom API Call" resource/);
	});

	it('passes the server error of a custom request through the same error handling', async () => {
		const { run } = newSession();
		const error = await failure(run({ resource: 'customApi', operation: 'request', method: 'GET', path: '/automation/servicedesktickets' }));
		expect(error.message).toMatch(/permission denied/);
		expect(error.httpCode).toBe('403');
	});
});
