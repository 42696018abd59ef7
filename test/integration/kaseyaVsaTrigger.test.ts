/**
 * Kaseya VSA Trigger: poll() in n8n-core's real PollContext, over HTTP against the VSA emulator, across
 * sequences of emulator states. Static data is carried between polls as JSON (what n8n persists); in
 * manual mode n8n does not save static data, so it is not carried.
 */
import type { IDataObject } from 'n8n-workflow';

import { KaseyaVsaApi } from '../../credentials/KaseyaVsaApi.credentials';
import { KaseyaVsaTrigger } from '../../nodes/KaseyaVsa/KaseyaVsaTrigger.node';
import { startVsaEmulator, type VsaEmulator } from '../emulators/vsa';
import { Poller as TriggerPoller, rl, VSA_PAT } from '../harness/helpers';

const trigger = new KaseyaVsaTrigger();

let vsa: VsaEmulator;

beforeAll(async () => {
	vsa = await startVsaEmulator({ agents: 300, alarms: 40, ticketsPerDesk: 20, extraAssets: 0 });
});

afterAll(async () => {
	await vsa.close();
});

afterEach(() => {
	vsa.clearFaults();
	jest.restoreAllMocks();
});

/** The Kaseya VSA trigger with apiuser's credential (no session token yet), polled like n8n does. */
class Poller extends TriggerPoller {
	constructor(parameters: IDataObject) {
		super(trigger, { type: new KaseyaVsaApi(), data: { baseUrl: vsa.url, authMethod: 'personalAccessToken', username: 'apiuser', personalAccessToken: VSA_PAT, allowUnauthorizedCerts: false, sessionToken: '' } }, parameters);
	}
}

/** A VSA 500 with its JSON envelope (not retried: 500 is not a transient status). */
const SERVER_ERROR = {
	kind: 'status' as const,
	status: 500,
	headers: { 'Content-Type': 'application/json' },
	rawBody: '{"Result":null,"ResponseCode":500,"Status":"Error","Error":"Timeout expired querying alarms"}',
};
const tick = () => new Promise((resolve) => setTimeout(resolve, 3));
const agentWith = (pred: (a: { Online: number }) => boolean, skip = 0) => vsa.store.agents.filter(pred)[skip];
const alarmIds = (items: IDataObject[]) => items.map((i) => (i.alarm as IDataObject).AlarmId);
const addAlarm = (agentId?: bigint | string, alarmType?: string) =>
	vsa.mutate({ op: 'addAlarm', agentId: agentId === undefined ? undefined : String(agentId), alarmType }) as { AlarmId: number };

describe('alarmCreated', () => {
	it('the first poll sets a baseline and emits nothing; new alarms are emitted once, oldest first', async () => {
		const p = new Poller({ event: 'alarmCreated' });
		expect(vsa.store.alarms.length).toBeGreaterThan(0);
		expect(await p.poll()).toEqual([]);
		expect(await p.poll()).toEqual([]);

		const a = addAlarm();
		const b = addAlarm();
		const c = addAlarm();
		const items = await p.poll();
		expect(alarmIds(items)).toEqual([a.AlarmId, b.AlarmId, c.AlarmId]);
		expect(items[0]).toEqual({ event: 'alarmCreated', alarm: expect.objectContaining({ AlarmId: a.AlarmId, State: 'Open' }) });
		expect(await p.poll()).toEqual([]);
	});

	it('alarms sharing one EventDateTime are neither repeated nor missed', async () => {
		const p = new Poller({ event: 'alarmCreated' });
		await p.poll();
		const a = addAlarm();
		const b = addAlarm();
		const same = vsa.store.alarm(String(a.AlarmId))!.EventDateTime;
		vsa.store.alarm(String(b.AlarmId))!.EventDateTime = same;
		expect(alarmIds(await p.poll())).toEqual([a.AlarmId, b.AlarmId]);
		const c = addAlarm();
		vsa.store.alarm(String(c.AlarmId))!.EventDateTime = same;
		expect(alarmIds(await p.poll())).toEqual([c.AlarmId]);
		expect(await p.poll()).toEqual([]);
	});

	it('reads only what is new: the server filters on the cursor', async () => {
		const p = new Poller({ event: 'alarmCreated' });
		await p.poll();
		addAlarm();
		const before = vsa.log.length;
		await p.poll();
		const reads = vsa.log.slice(before).filter((e) => /alarms\/true/i.test(e.path));
		expect(reads).toHaveLength(1);
		expect(reads[0].query.$filter).toMatch(/^AlarmId ge \d+M$/);
		expect(reads[0].query.$orderby).toBe('AlarmId');
	});

	it('filters by organization, machine group and alarm type on the server', async () => {
		const orgA = vsa.store.orgs[1];
		const agentA = vsa.store.agents.find((x) => x.OrgId === orgA.OrgId)!;
		const agentB = vsa.store.agents.find((x) => x.OrgId !== orgA.OrgId)!;
		const byOrg = new Poller({ event: 'alarmCreated', organization: rl(String(orgA.OrgId)) });
		const byGroup = new Poller({ event: 'alarmCreated', machineGroup: rl(String(agentB.MachineGroupId)) });
		const byType = new Poller({ event: 'alarmCreated', alarmType: 'servi' });
		await Promise.all([byOrg.poll(), byGroup.poll(), byType.poll()]);
		const a1 = addAlarm(agentA.AgentId, 'Counter');
		const b1 = addAlarm(agentB.AgentId, 'Service');
		expect(alarmIds(await byOrg.poll())).toEqual([a1.AlarmId]);
		expect(alarmIds(await byGroup.poll())).toEqual([b1.AlarmId]);
		expect(alarmIds(await byType.poll())).toEqual([b1.AlarmId]);
	});

	it('a backlog larger than one page (250 alarms) is emitted in full and in order', async () => {
		const p = new Poller({ event: 'alarmCreated' });
		await p.poll();
		const added = Array.from({ length: 250 }, () => addAlarm().AlarmId);
		const items = await p.poll();
		expect(items).toHaveLength(250);
		expect(alarmIds(items)).toEqual(added);
		expect(await p.poll()).toEqual([]);
	});

	it('a small poll budget drains a backlog over several polls, in order, without repeats', async () => {
		const p = new Poller({ event: 'alarmCreated' });
		p.budgetMs = 15_000; // one 100-record page per poll
		await p.poll();
		const added = Array.from({ length: 250 }, () => addAlarm().AlarmId);
		const sizes: number[] = [];
		const got: unknown[] = [];
		for (let i = 0; i < 5; i++) {
			const items = await p.poll();
			sizes.push(items.length);
			got.push(...alarmIds(items));
		}
		// At most one page per poll (the `>=` cursor re-reads the last alarm of the previous poll, dropped as seen).
		expect(sizes.every((n) => n <= 100)).toBe(true);
		expect(sizes.slice(0, 3).every((n) => n > 0)).toBe(true);
		expect(sizes.slice(3)).toEqual([0, 0]);
		expect(got).toEqual(added);
	});

	it('restarts from persisted static data: nothing repeated, nothing missed', async () => {
		const p = new Poller({ event: 'alarmCreated' });
		await p.poll();
		const a = addAlarm();
		expect(alarmIds(await p.poll())).toEqual([a.AlarmId]);
		p.restart();
		const b = addAlarm();
		expect(alarmIds(await p.poll())).toEqual([b.AlarmId]);
		expect(await p.poll()).toEqual([]);
	});

	it('a server error fails the poll with a clear error and keeps the state; the next poll emits everything', async () => {
		const p = new Poller({ event: 'alarmCreated' });
		await p.poll();
		const a = addAlarm();
		const before = JSON.stringify(p.staticData);
		vsa.fault({ ...SERVER_ERROR, path: 'alarms' });
		let error: any;
		try {
			await p.poll();
		} catch (e) {
			error = e;
		}
		expect(error?.constructor?.name).toBe('NodeApiError');
		expect(error.message).toMatch(/^Kaseya VSA had an internal error on GET \/api\/v1\.0\/assetmgmt\/alarms\/true \(500\): Timeout expired querying alarms$/);
		expect(error.description).toMatch(/kept its position/);
		expect(JSON.stringify(p.staticData)).toBe(before);
		const b = addAlarm();
		vsa.clearFaults();
		expect(alarmIds(await p.poll())).toEqual([a.AlarmId, b.AlarmId]);
	});

	it('a failure on a later page of a backlog emits nothing and loses nothing', async () => {
		const p = new Poller({ event: 'alarmCreated' });
		await p.poll();
		const added = Array.from({ length: 150 }, () => addAlarm().AlarmId);
		const before = JSON.stringify(p.staticData);
		// Page 1 answers; the page read with $skip fails (a 500 is not retried).
		const hook = (entry: { path: string; query: Record<string, string> }) => {
			if (/alarms/.test(entry.path) && entry.query.$skip) vsa.fault({ ...SERVER_ERROR, path: 'alarms', times: 1 });
		};
		vsa.server.requestHooks.push(hook);
		try {
			await expect(p.poll()).rejects.toThrow(/internal error/);
		} finally {
			vsa.server.requestHooks.splice(vsa.server.requestHooks.indexOf(hook), 1);
		}
		expect(JSON.stringify(p.staticData)).toBe(before);
		expect(alarmIds(await p.poll())).toEqual(added);
	});

	it('manual mode returns the newest alarm as a sample and does not move the cursor', async () => {
		const p = new Poller({ event: 'alarmCreated' });
		await p.poll();
		const a = addAlarm();
		const before = JSON.stringify(p.staticData);
		const sample = await p.poll('manual');
		expect(alarmIds(sample)).toEqual([a.AlarmId]);
		expect(JSON.stringify(p.staticData)).toBe(before);
		// A manual fetch on a never-activated trigger also returns a sample.
		expect(alarmIds(await new Poller({ event: 'alarmCreated' }).poll('manual'))).toEqual([a.AlarmId]);
		expect(alarmIds(await p.poll())).toEqual([a.AlarmId]);
	});

	it('the manual sample is the newest open alarm, not a newer one that was already auto-closed', async () => {
		const open = addAlarm();
		const closed = addAlarm();
		Object.assign(vsa.store.alarm(closed.AlarmId)!, { MonitorAlarmStateId: 2, State: 'Closed', Notes: 'Auto-closed' });
		const sample = await new Poller({ event: 'alarmCreated' }).poll('manual');
		expect(alarmIds(sample)).toEqual([open.AlarmId]);
		expect((sample[0].alarm as IDataObject).MonitorAlarmStateId).toBe(1);
	});

	it('Include Existing Items emits existing alarms on the first poll, then continues', async () => {
		const p = new Poller({ event: 'alarmCreated', organization: rl(String(vsa.store.orgs[2].OrgId)), options: { includeExisting: true } });
		const existing = vsa.store.alarms.filter((x) => x.OrgId === vsa.store.orgs[2].OrgId).map((x) => x.AlarmId);
		expect(existing.length).toBeGreaterThan(0);
		expect(alarmIds(await p.poll())).toEqual(existing);
		expect(await p.poll()).toEqual([]);
	});

	it('changing the event or filters starts a new baseline instead of replaying', async () => {
		const p = new Poller({ event: 'alarmCreated' });
		await p.poll();
		addAlarm();
		const q = new Poller({ event: 'alarmCreated', alarmType: 'Counter' });
		q.staticData = p.staticData;
		expect(await q.poll()).toEqual([]);
	});
});

describe('tickets', () => {
	const deskIds = () => vsa.store.serviceDesks.map((d) => String(d.ServiceDeskId));
	const ticketIds = (items: IDataObject[]) => items.map((i) => (i.ticket as IDataObject).ServiceDeskTicketId);

	it('ticketCreated: new tickets of the chosen desks, once, oldest first', async () => {
		const [desk0, desk1] = deskIds();
		const one = new Poller({ event: 'ticketCreated', serviceDeskIds: [desk0] });
		const all = new Poller({ event: 'ticketCreated' });
		expect(await one.poll()).toEqual([]);
		expect(await all.poll()).toEqual([]);
		// One emulator millisecond between them, so "oldest first" does not rest on the tie-break of random IDs.
		const t1 = vsa.mutate({ op: 'addTicket', deskId: desk0, Summary: 'Printer on fire' }) as IDataObject;
		vsa.clock.advance(1);
		const t2 = vsa.mutate({ op: 'addTicket', deskId: desk1, Summary: 'VPN down' }) as IDataObject;
		vsa.clock.advance(1);
		const t3 = vsa.mutate({ op: 'addTicket', deskId: desk0, Summary: 'Mailbox full' }) as IDataObject;
		const oneItems = await one.poll();
		expect(ticketIds(oneItems)).toEqual([String(t1.ServiceDeskTicketId), String(t3.ServiceDeskTicketId)]);
		expect(oneItems[0]).toEqual({ event: 'ticketCreated', ticket: expect.objectContaining({ Summary: 'Printer on fire' }) });
		expect(ticketIds(await all.poll())).toEqual([t1, t2, t3].map((t) => String(t.ServiceDeskTicketId)));
		// The cursor is the ticket model's CreatedDate (a strict server answers 400 to CreatedDateTime).
		const read = vsa.requests({ method: 'GET', path: /\/tickets$/ }).pop()!;
		expect(read.status).toBe(200);
		expect(read.query.$filter).toMatch(/^CreatedDate ge DATETIME'[^']+'$/);
		expect(read.query.$orderby).toBe('CreatedDate,ServiceDeskTicketId');
		expect(await one.poll()).toEqual([]);
		expect(await all.poll()).toEqual([]);
	});

	it('ticketUpdated: a changed ticket is one event per poll; a new ticket is not an update; equal timestamps are neither repeated nor missed', async () => {
		const p = new Poller({ event: 'ticketUpdated' });
		await p.poll();
		const [x, y, z] = vsa.store.tickets.slice(0, 3);
		vsa.mutate({ op: 'updateTicket', ticketId: String(x.ServiceDeskTicketId), fields: { TicketStatus: 'In Progress' } });
		vsa.mutate({ op: 'updateTicket', ticketId: String(y.ServiceDeskTicketId), fields: { Priority: 'High' } });
		y.ModifiedDate = x.ModifiedDate; // same instant
		const fresh = vsa.mutate({ op: 'addTicket', Summary: 'brand new' }) as IDataObject;
		// Created at that instant too (the clock may have moved a millisecond): the cursor then ends at x's time.
		fresh.CreatedDate = fresh.ModifiedDate = x.ModifiedDate;
		let items = await p.poll();
		expect(ticketIds(items).sort()).toEqual([String(x.ServiceDeskTicketId), String(y.ServiceDeskTicketId)].sort());
		expect(items.every((i) => i.event === 'ticketUpdated')).toBe(true);
		const read = vsa.requests({ method: 'GET', path: /\/tickets$/ }).pop()!;
		expect(read.query.$filter).toMatch(/^ModifiedDate ge DATETIME'[^']+'$/);
		expect(read.query.$orderby).toBe('ModifiedDate,ServiceDeskTicketId');
		// Another ticket changes at that very instant after the poll.
		vsa.mutate({ op: 'updateTicket', ticketId: String(z.ServiceDeskTicketId), fields: { TicketStatus: 'On Hold' } });
		z.ModifiedDate = x.ModifiedDate;
		items = await p.poll();
		expect(ticketIds(items)).toEqual([String(z.ServiceDeskTicketId)]);
		expect(await p.poll()).toEqual([]);
		// The same ticket changed again later is a new event.
		await tick();
		vsa.mutate({ op: 'updateTicket', ticketId: String(x.ServiceDeskTicketId), fields: { TicketStatus: 'Resolved' } });
		items = await p.poll();
		expect(ticketIds(items)).toEqual([String(x.ServiceDeskTicketId)]);
		expect((items[0].ticket as IDataObject).TicketStatus).toBe('Resolved');
	});

	it('several desks cut short by the poll budget: every ticket once, oldest first', async () => {
		const [desk0, desk1] = deskIds();
		const p = new Poller({ event: 'ticketCreated' });
		p.budgetMs = 15_000; // 100 tickets per desk and poll
		await p.poll();
		const added: string[] = [];
		for (let i = 0; i < 150; i++) {
			const t = vsa.mutate({ op: 'addTicket', deskId: i % 5 === 0 ? desk1 : desk0, Summary: `bulk ${i}` }) as IDataObject;
			added.push(String(t.ServiceDeskTicketId));
		}
		const got: string[] = [];
		for (let i = 0; i < 4; i++) got.push(...ticketIds(await p.poll()).map(String));
		expect(got.sort()).toEqual([...added].sort());
		expect(new Set(got).size).toBe(150);
	});

	it('manual mode returns the most recently changed ticket without touching state', async () => {
		const p = new Poller({ event: 'ticketUpdated' });
		await p.poll();
		const t = vsa.store.tickets[5];
		vsa.mutate({ op: 'updateTicket', ticketId: String(t.ServiceDeskTicketId), fields: { TicketStatus: 'Closed' } });
		const before = JSON.stringify(p.staticData);
		expect(ticketIds(await p.poll('manual'))).toEqual([String(t.ServiceDeskTicketId)]);
		expect(JSON.stringify(p.staticData)).toBe(before);
		expect(ticketIds(await p.poll())).toEqual([String(t.ServiceDeskTicketId)]);
	});
});

describe('agents', () => {
	const agentIdsOf = (items: IDataObject[]) => items.map((i) => String((i.agent as IDataObject).AgentId));

	it('agentWentOffline / agentCameOnline: transitions of Online between polls, once each', async () => {
		const offline = new Poller({ event: 'agentWentOffline' });
		const online = new Poller({ event: 'agentCameOnline' });
		expect(await offline.poll()).toEqual([]);
		expect(await online.poll()).toEqual([]);
		const up = agentWith((a) => a.Online === 11);
		const down = agentWith((a) => a.Online === 0);
		vsa.mutate({ op: 'setOnline', agentId: String(up.AgentId), online: 0 });
		vsa.mutate({ op: 'setOnline', agentId: String(down.AgentId), online: 1 });
		const wentOffline = await offline.poll();
		expect(wentOffline).toEqual([
			{ event: 'agentWentOffline', agent: expect.objectContaining({ AgentId: String(up.AgentId), Online: 0 }), previousOnline: 11, online: 0, changedAt: expect.any(String) },
		]);
		const cameOnline = await online.poll();
		expect(agentIdsOf(cameOnline)).toEqual([String(down.AgentId)]);
		expect(cameOnline[0]).toMatchObject({ previousOnline: 0, online: 1 });
		expect(await offline.poll()).toEqual([]);
		expect(await online.poll()).toEqual([]);
		// 11 → 12 is still online: no event; suspended (198) is neither offline nor online.
		const idle = agentWith((a) => a.Online === 11, 1);
		vsa.mutate({ op: 'setOnline', agentId: String(idle.AgentId), online: 12 });
		vsa.mutate({ op: 'setOnline', agentId: String(agentWith((a) => a.Online === 11, 2).AgentId), online: 198 });
		expect(await offline.poll()).toEqual([]);
		// Back online: the offline trigger stays quiet, the online trigger fires.
		vsa.mutate({ op: 'setOnline', agentId: String(up.AgentId), online: 11 });
		expect(await offline.poll()).toEqual([]);
		expect(agentIdsOf(await online.poll())).toEqual([String(up.AgentId)]);
	});

	it('with a minimum duration, fires only after the agent stayed offline that long, and not for a short drop', async () => {
		const realNow = Date.now.bind(Date);
		let offset = 0;
		jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
		const p = new Poller({ event: 'agentWentOffline', minDuration: 10 });
		await p.poll();
		const stays = agentWith((a) => a.Online === 11, 3);
		const flaps = agentWith((a) => a.Online === 11, 4);
		vsa.mutate({ op: 'setOnline', agentId: String(stays.AgentId), online: 0 });
		vsa.mutate({ op: 'setOnline', agentId: String(flaps.AgentId), online: 0 });
		expect(await p.poll()).toEqual([]);
		offset += 4 * 60_000;
		vsa.mutate({ op: 'setOnline', agentId: String(flaps.AgentId), online: 11 });
		expect(await p.poll()).toEqual([]);
		offset += 7 * 60_000;
		expect(agentIdsOf(await p.poll())).toEqual([String(stays.AgentId)]);
		offset += 60 * 60_000;
		expect(await p.poll()).toEqual([]);
	});

	it('filters agents by machine group', async () => {
		const target = agentWith((a) => a.Online === 11, 5) as unknown as { AgentId: bigint; MachineGroupId: bigint };
		const other = vsa.store.agents.find((a) => a.Online === 11 && a.MachineGroupId !== target.MachineGroupId)!;
		const p = new Poller({ event: 'agentWentOffline', machineGroup: rl(String(target.MachineGroupId)) });
		await p.poll();
		const snapshot = ((p.staticData['node:Kaseya VSA Trigger'] as IDataObject).pollState as IDataObject).snapshot as IDataObject;
		expect(Object.keys(snapshot).length).toBe(vsa.store.agents.filter((a) => a.MachineGroupId === target.MachineGroupId).length);
		vsa.mutate({ op: 'setOnline', agentId: String(target.AgentId), online: 0 });
		vsa.mutate({ op: 'setOnline', agentId: String(other.AgentId), online: 0 });
		expect(agentIdsOf(await p.poll())).toEqual([String(target.AgentId)]);
	});

	it('manual mode returns an agent currently in the chosen state', async () => {
		const sample = await new Poller({ event: 'agentWentOffline' }).poll('manual');
		expect(sample).toHaveLength(1);
		expect((sample[0].agent as IDataObject).Online).toBe(0);
		const online = await new Poller({ event: 'agentCameOnline' }).poll('manual');
		expect([1, 2, 11, 12]).toContain((online[0].agent as IDataObject).Online);
	});

	it('agentAdded: an agent that checks in for the first time', async () => {
		const p = new Poller({ event: 'agentAdded' });
		expect(await p.poll()).toEqual([]);
		const a = vsa.mutate({ op: 'addAgent', name: 'fresh-01' }) as IDataObject;
		await tick(); // distinct FirstCheckIn (same-instant agents come ordered by AgentId)
		const b = vsa.mutate({ op: 'addAgent', name: 'fresh-02' }) as IDataObject;
		expect(agentIdsOf(await p.poll())).toEqual([String(a.AgentId), String(b.AgentId)]);
		expect(await p.poll()).toEqual([]);
	});
});

describe('pick-lists', () => {
	it('lists Service Desks, organizations and machine groups through the action node\'s lookups', async () => {
		const p = new Poller({ event: 'ticketCreated' });
		const ctx = p.harness.loadOptionsContext({ nodeType: trigger, parameters: p.parameters, credentials: { kaseyaVsaApi: p.credId } });
		const desks = await trigger.methods.loadOptions.getServiceDesks.call(ctx);
		expect(desks.map((d) => d.value).sort()).toEqual(vsa.store.serviceDesks.map((d) => String(d.ServiceDeskId)).sort());
		const orgs = await trigger.methods.listSearch.searchOrganizations.call(ctx, 'acme');
		expect(orgs.results.map((r) => r.name)).toContain('Acme Corp');
		const groups = await trigger.methods.listSearch.searchMachineGroups.call(ctx, 'servers');
		expect(groups.results.length).toBeGreaterThan(0);
	});
});

describe('a scripted sequence of 50 emulator changes', () => {
	it('each trigger emits every expected event exactly once, in order, and nothing when nothing changed', async () => {
		let seed = 7;
		const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
		const alarms = new Poller({ event: 'alarmCreated' });
		const created = new Poller({ event: 'ticketCreated' });
		const updated = new Poller({ event: 'ticketUpdated' });
		const offline = new Poller({ event: 'agentWentOffline' });
		const online = new Poller({ event: 'agentCameOnline' });
		const added = new Poller({ event: 'agentAdded' });
		const all = [alarms, created, updated, offline, online, added];
		for (const p of all) expect(await p.poll()).toEqual([]);

		const expected = new Map<Poller, string[]>(all.map((p) => [p, []]));
		const got = new Map<Poller, string[]>(all.map((p) => [p, []]));
		const pending = new Map<string, number>(); // agentId → Online as of the last offline/online poll
		const key = (p: Poller, i: IDataObject): string => {
			const o = (i.alarm ?? i.ticket ?? i.agent) as IDataObject;
			if (p === alarms) return String(o.AlarmId);
			if (p === updated) return `${String(o.ServiceDeskTicketId)}:${String(o.TicketStatus)}`;
			if (p === created) return String(o.ServiceDeskTicketId);
			return String(o.AgentId);
		};
		const updatedSincePoll = new Map<string, string>(); // ticket → latest status, in modification order
		const pollAll = async () => {
			for (const [id, status] of updatedSincePoll) expected.get(updated)!.push(`${id}:${status}`);
			updatedSincePoll.clear();
			for (const p of all) {
				const items = await p.poll();
				got.get(p)!.push(...items.map((i) => key(p, i)));
			}
			// Agent transitions are judged per poll: compare with the Online codes at the previous poll.
			for (const a of vsa.store.agents) {
				const id = String(a.AgentId);
				const before = pending.get(id);
				if (before !== undefined && before !== 0 && before < 198 && a.Online === 0) expected.get(offline)!.push(id);
				if (before === 0 && a.Online > 0 && a.Online < 198) expected.get(online)!.push(id);
				pending.set(id, a.Online);
			}
		};
		for (const a of vsa.store.agents) pending.set(String(a.AgentId), a.Online);

		const statuses = ['New', 'In Progress', 'On Hold', 'Resolved', 'Closed'];
		for (let step = 0; step < 50; step++) {
			await tick(); // each change at its own instant, so "in order" is well defined
			const r = rnd();
			if (r < 0.3) {
				expected.get(alarms)!.push(String(addAlarm().AlarmId));
			} else if (r < 0.45) {
				const t = vsa.mutate({ op: 'addTicket', Summary: `step ${step}`, deskId: String(vsa.store.serviceDesks[step % 2].ServiceDeskId) }) as IDataObject;
				expected.get(created)!.push(String(t.ServiceDeskTicketId));
			} else if (r < 0.65) {
				const t = vsa.store.tickets[Math.floor(rnd() * 30)];
				const status = statuses[step % statuses.length];
				vsa.mutate({ op: 'updateTicket', ticketId: String(t.ServiceDeskTicketId), fields: { TicketStatus: status } });
				// Polling sees a ticket's latest state: changes between two polls are one event.
				updatedSincePoll.delete(String(t.ServiceDeskTicketId));
				updatedSincePoll.set(String(t.ServiceDeskTicketId), status);
			} else if (r < 0.9) {
				const a = vsa.store.agents[10 + Math.floor(rnd() * 40)];
				vsa.mutate({ op: 'setOnline', agentId: String(a.AgentId), online: a.Online === 0 ? 11 : 0 });
			} else {
				const a = vsa.mutate({ op: 'addAgent', name: `seq-${step}` }) as IDataObject;
				expected.get(added)!.push(String(a.AgentId));
				pending.set(String(a.AgentId), Number(a.Online));
			}
			if (rnd() < 0.35) await pollAll();
		}
		await pollAll();
		// A poll where nothing changed emits nothing.
		for (const p of all) expect(await p.poll()).toEqual([]);

		expect(got.get(alarms)).toEqual(expected.get(alarms));
		expect(got.get(created)).toEqual(expected.get(created));
		expect(got.get(added)).toEqual(expected.get(added));
		// Updates come ordered by modification time, as they happened.
		expect(got.get(updated)).toEqual(expected.get(updated));
		expect([...got.get(offline)!].sort()).toEqual([...expected.get(offline)!].sort());
		expect([...got.get(online)!].sort()).toEqual([...expected.get(online)!].sort());
		// New objects are emitted once each (an agent or ticket may change several times, each an event).
		for (const p of [alarms, created, added]) expect(new Set(got.get(p)).size).toBe(got.get(p)!.length);
		for (const p of all) expect(got.get(p)!.length).toBeGreaterThan(0); // the script exercised every trigger
	});
});

