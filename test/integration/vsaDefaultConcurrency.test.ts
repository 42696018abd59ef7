/**
 * Kaseya VSA's default concurrency is Kaseya's own module's: 8 requests in flight for pages and for
 * per-item calls when the user has not set Concurrency (nodes/KaseyaVsa/transport.ts
 * VSA_DEFAULT_CONCURRENCY); the user's setting still wins, and the other products keep the shared
 * default. Real n8n-core context and HTTP client, the VSA emulator.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { KaseyaVsa } from '../../nodes/KaseyaVsa/KaseyaVsa.node';
import { VSA_DEFAULT_CONCURRENCY } from '../../nodes/KaseyaVsa/transport';
import { VeeamOrchestrator } from '../../nodes/VeeamOrchestrator/VeeamOrchestrator.node';
import { DEFAULT_CONCURRENCY } from '../../nodes/shared/descriptions';
import type { LogEntry } from '../emulators/common/server';
import { startVsaEmulator, type VsaEmulator } from '../emulators/vsa';
import { vsaSession } from '../harness/helpers';

const node = new KaseyaVsa();
let vsa: VsaEmulator;

beforeAll(async () => {
	vsa = await startVsaEmulator({ agents: 2500 });
});

afterAll(async () => {
	await vsa.close();
});

function session() {
	const { harness, credId } = vsaSession(vsa.url);
	return async (parameters: IDataObject, input?: IDataObject[]) => (await harness.execute({ nodeType: node, parameters, credentials: { kaseyaVsaApi: credId }, input }))[0];
}

/** Most requests matching `path` that the emulator held at once while `fn` ran (each answered after 30 ms). */
async function mostInFlight(path: RegExp, fn: () => Promise<unknown>): Promise<number> {
	const log = vsa.log;
	const push = log.push;
	const seen: LogEntry[] = [];
	let most = 0;
	log.push = function (this: LogEntry[], ...entries: LogEntry[]) {
		const n = push.apply(this, entries);
		for (const e of entries) {
			if (!path.test(e.path)) continue;
			seen.push(e);
			most = Math.max(most, seen.filter((p) => p.status === 0).length);
		}
		return n;
	};
	vsa.server.latencyMs = 30;
	try {
		await fn();
	} finally {
		vsa.server.latencyMs = 0;
		log.push = push;
	}
	return most;
}

const concurrencyDefault = (properties: INodeProperties[]) =>
	properties.find((p) => p.name === 'requestOptions')!.options!.map((o) => o as INodeProperties).find((o) => o.name === 'concurrency')!.default;

describe('Kaseya VSA default concurrency', () => {
	it('is 8, and the node shows 8 as the Concurrency default; the Orchestrator node keeps the shared default', () => {
		expect(VSA_DEFAULT_CONCURRENCY).toBe(8);
		expect(concurrencyDefault(node.description.properties)).toBe(8);
		expect(concurrencyDefault(new VeeamOrchestrator().description.properties)).toBe(DEFAULT_CONCURRENCY);
	});

	it('keeps more than the shared default and at most 8 pages in flight when Concurrency is not set', async () => {
		const run = session();
		await run({ resource: 'system', operation: 'getEnvironment' });
		let out: unknown[] = [];
		const most = await mostInFlight(/^\/api\/v1\.0\/assetmgmt\/agents$/, async () => {
			out = await run({ resource: 'agent', operation: 'getAll', returnAll: true });
		});
		expect(out).toHaveLength(2500);
		expect(most).toBeGreaterThan(DEFAULT_CONCURRENCY);
		expect(most).toBeLessThanOrEqual(VSA_DEFAULT_CONCURRENCY);
	});

	it('runs per-item writes with up to 8 in flight when Concurrency is not set, each once, in input order', async () => {
		const run = session();
		await run({ resource: 'system', operation: 'getEnvironment' });
		const agents = vsa.store.agents.slice(100, 124).map((a) => a.AgentId.toString());
		let out: Array<{ json: IDataObject }> = [];
		const most = await mostInFlight(/^\/api\/v1\.0\/assetmgmt\/agent\/\d+\/note$/, async () => {
			out = await run({ resource: 'agentNote', operation: 'create', agentId: { __rl: true, mode: 'id', value: '={{ $json.agent }}' }, note: 'default concurrency' }, agents.map((agent) => ({ agent })));
		});
		expect(out.map((i) => i.json.agentId)).toEqual(agents);
		for (const a of agents) expect(vsa.store.counter(`note:add:${a}`)).toBe(1);
		expect(most).toBeGreaterThan(DEFAULT_CONCURRENCY);
		expect(most).toBeLessThanOrEqual(VSA_DEFAULT_CONCURRENCY);
	});

	it('lets the user\'s Concurrency win: 2 means at most 2 pages in flight', async () => {
		const run = session();
		await run({ resource: 'system', operation: 'getEnvironment' });
		const most = await mostInFlight(/^\/api\/v1\.0\/assetmgmt\/agents$/, () => run({ resource: 'agent', operation: 'getAll', returnAll: true, requestOptions: { concurrency: 2 } }));
		expect(most).toBe(2);
	});
});
