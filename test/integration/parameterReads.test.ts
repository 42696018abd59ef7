/**
 * Per-item parameter reads (nodes/shared/parameters.ts): a value without an expression is resolved
 * by n8n once per run and reused; a value with an expression anywhere in it (also nested, as in a
 * resource locator) is resolved for each item, as n8n always did. Real n8n-core context, the VSA
 * emulator; n8n's own parameter read is counted, not replaced.
 */
import type { IDataObject } from 'n8n-workflow';

import { KaseyaVsa } from '../../nodes/KaseyaVsa/KaseyaVsa.node';
import { holdsExpression } from '../../nodes/shared/parameters';
import { startVsaEmulator, type VsaEmulator } from '../emulators/vsa';
import { failure, rl, vsaSession } from '../harness/helpers';

const CLOSE = /\/assetmgmt\/alarms\/(\d+)\/close$/;
const AGENT = /\/assetmgmt\/agents\/(\d+)$/;
const node = new KaseyaVsa();
let vsa: VsaEmulator;

beforeAll(async () => {
	vsa = await startVsaEmulator({ agents: 10, alarms: 40 });
});
afterAll(async () => {
	await vsa.close();
});

/** Runs the node over one item per id; returns n8n's parameter reads by name and the requests matching `path`. */
async function runVsa(parameters: IDataObject, ids: Array<number | string>, path: RegExp) {
	const { harness, credId } = vsaSession(vsa.url);
	// n8n-core's NodeExecutionContext resolves every parameter read in _getNodeParameter: count its calls by name.
	const context = Object.getPrototypeOf(Object.getPrototypeOf(jest.requireActual('n8n-core').ExecuteContext.prototype));
	const reads = jest.spyOn(context, '_getNodeParameter');
	const before = vsa.log.length;
	try {
		const run = harness.execute({ nodeType: node, parameters, credentials: { kaseyaVsaApi: credId }, input: ids.map((id) => ({ id })) });
		const items = (await run)[0];
		const byName: Record<string, number> = {};
		for (const [name] of reads.mock.calls as Array<[string]>) byName[name] = (byName[name] ?? 0) + 1;
		const requests = vsa.log.slice(before).filter((e) => path.test(e.path));
		return { items, byName, requests };
	} finally {
		reads.mockRestore();
	}
}

const closeAlarms = async (alarms: number[], parameters: IDataObject) => {
	const { requests, ...rest } = await runVsa({ resource: 'alarm', operation: 'close', ...parameters }, alarms, CLOSE);
	return { ...rest, closes: requests };
};
const ids = (from: number, n: number) => vsa.store.alarms.slice(from, from + n).map((a) => a.AlarmId);
const noteOf = (e: { body: unknown }) => JSON.stringify(e.body);

describe('a value without an expression is read once per run', () => {
	it('12 items: the fixed note is resolved once, the ID expression 12 times; every request carries its own ID and the note', async () => {
		const alarms = ids(0, 12);
		const { items, byName, closes } = await closeAlarms(alarms, { alarmId: '={{ $json.id }}', notes: 'closed by the nightly run' });
		expect(items).toHaveLength(12);
		expect(byName.notes).toBe(1);
		expect(byName.alarmId).toBe(12);
		expect(closes.map((e) => Number(CLOSE.exec(e.path)![1])).sort((a, b) => a - b)).toEqual([...alarms].sort((a, b) => a - b));
		for (const close of closes) expect(noteOf(close)).toContain('closed by the nightly run');
	});

	it('a note with an expression is resolved per item, and each request carries its own', async () => {
		const alarms = ids(12, 6);
		const { byName, closes } = await closeAlarms(alarms, { alarmId: '={{ $json.id }}', notes: '=note for {{ $json.id }}' });
		expect(byName.notes).toBe(6);
		for (const close of closes) expect(noteOf(close)).toContain(`note for ${CLOSE.exec(close.path)![1]}`);
	});

	it('an expression nested in a resource locator counts as an expression (read per item)', async () => {
		const agents = vsa.store.agents.slice(0, 5).map((a) => String(a.AgentId));
		const { items, byName, requests } = await runVsa({ resource: 'agent', operation: 'get', agentId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } }, agents, AGENT);
		expect(byName.agentId).toBe(5);
		expect(requests.map((e) => AGENT.exec(e.path)![1]).sort()).toEqual([...agents].sort());
		expect(items.map((i) => String(i.json.AgentId))).toEqual(agents);
	});

	it('a fixed resource locator is read once and used by every item', async () => {
		const agent = String(vsa.store.agents[0].AgentId);
		const { items, byName, requests } = await runVsa({ resource: 'agent', operation: 'get', agentId: rl(agent) }, ['a', 'b', 'c'], AGENT);
		expect(byName.agentId).toBe(1);
		expect(requests.map((e) => e.path)).toEqual(Array(3).fill(`/api/v1.0/assetmgmt/agents/${agent}`));
		expect(items.map((i) => String(i.json.AgentId))).toEqual([agent, agent, agent]);
	});

	it('a fixed invalid ID fails the first item with the same error as before (nothing is sent)', async () => {
		const before = vsa.log.length;
		const error = await failure(closeAlarms([1, 2], { alarmId: 'not-a-number', notes: 'x' }));
		expect(error.message).toMatch(/Alarm ID/);
		expect(vsa.log.slice(before).filter((e) => CLOSE.test(e.path))).toHaveLength(0);
	});
});

describe('holdsExpression', () => {
	it.each([
		['=1', true],
		['plain', false],
		[{ __rl: true, mode: 'id', value: '={{ $json.id }}' }, true],
		[{ values: [{ field: 'a', value: 'b' }] }, false],
		[{ values: [{ field: 'a', value: '={{ 1 }}' }] }, true],
		[42, false],
		[null, false],
	])('%j → %s', (value, expected) => {
		expect(holdsExpression(value)).toBe(expected);
	});
});
