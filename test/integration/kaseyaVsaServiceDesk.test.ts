/**
 * Kaseya VSA Service Desk against the strict emulator: the ticket model's real fields in filters and
 * sorts, lookups given by name or by ID (sent as numeric IDs), the errors a technician sees for an
 * unknown name, and the custom-field body. Real n8n-core context, real HTTP; nothing mocked.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { KaseyaVsa } from '../../nodes/KaseyaVsa/KaseyaVsa.node';
import { serviceDeskTicketOperations } from '../../nodes/KaseyaVsa/operations/serviceDesk';
import { startVsaEmulator, type VsaEmulator } from '../emulators/vsa';
import { failure, rl, vsaSession } from '../harness/helpers';
import { Harness } from '../harness/n8n';

const node = new KaseyaVsa();

let vsa: VsaEmulator;
let harness: Harness;
let credId: string;

beforeAll(async () => {
	vsa = await startVsaEmulator({ agents: 50, alarms: 10, ticketsPerDesk: 140 });
	({ harness, credId } = vsaSession(vsa.url));
});

afterAll(async () => {
	await vsa.close();
});


async function run(parameters: IDataObject, input?: IDataObject[], continueOnFail = false): Promise<INodeExecutionData[]> {
	const out = await harness.execute({ nodeType: node, parameters: { resource: 'serviceDeskTicket', ...parameters }, credentials: { kaseyaVsaApi: credId }, input, continueOnFail });
	return out[0];
}

const json = (items: INodeExecutionData[]) => items.map((i) => i.json);
const desk = () => vsa.store.serviceDesks[0];
const deskId = () => desk().ServiceDeskId.toString();
const lookups = () => vsa.store.deskLookups.get(deskId())!;
const ticketsOfDesk = () => vsa.store.tickets.filter((t) => t.ServiceDeskId === desk().ServiceDeskId);
const lastRequest = (method: string, path: RegExp) => vsa.requests({ method, path }).pop()!;


describe('ticket Get Many on the ticket model', () => {
	const sortFields = serviceDeskTicketOperations.find((o) => o.operation === 'getAll')!.sortFields!.map((s) => s.value);

	it('offers only sortable fields of the ticket model', () => {
		expect(sortFields).toEqual(['CreatedDate', 'ModifiedDate', 'Priority', 'Severity', 'TicketStatus', 'TicketRef']);
	});

	it.each(['CreatedDate', 'ModifiedDate', 'Priority', 'Severity', 'TicketStatus', 'TicketRef'])('sorts by %s (descending) across pages', async (field) => {
		const out = json(await run({ operation: 'getAll', serviceDeskId: rl(deskId()), returnAll: true, sort: { field, direction: 'desc' } }));
		expect(lastRequest('GET', /\/tickets$/).query.$orderby).toBe(`${field} desc`);
		expect(out).toHaveLength(140);
		const values = out.map((t) => (t[field] === null ? '' : String(t[field])));
		// Same ordering rule as the emulator's OData: text compares case-insensitively, nulls first ascending.
		const sorted = [...values].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })).reverse();
		expect(values.map((v) => v.toLowerCase())).toEqual(sorted.map((v) => v.toLowerCase()));
	});

	it('filters by status and priority names the way PSK does (with and without spaces)', async () => {
		const out = json(await run({ operation: 'getAll', serviceDeskId: rl(deskId()), returnAll: true, filters: { status: 'on hold', priority: 'High' } }));
		const expected = ticketsOfDesk().filter((t) => t.TicketStatus === 'On Hold' && t.Priority === 'High');
		expect(expected.length).toBeGreaterThan(0);
		expect(out.map((t) => t.ServiceDeskTicketId).sort()).toEqual(expected.map((t) => t.ServiceDeskTicketId.toString()).sort());
		expect(lastRequest('GET', /\/tickets$/).query.$filter).toBe(
			"((substringof('on hold', TicketStatus) or substringof('onhold', TicketStatus))) and (substringof('High', Priority))",
		);
	});
});

describe('ticket Create: priority, status and category by name or ID, sent as IDs', () => {
	// New tickets go to the second desk: the Get Many cases count the first desk's 140 seeded tickets, in any order.
	const deskId = () => vsa.store.serviceDesks[1].ServiceDeskId.toString();
	const lookups = () => vsa.store.deskLookups.get(deskId())!;

	it('sends the IDs a name resolves to (any letter case)', async () => {
		const lk = lookups();
		const [out] = json(
			await run({ operation: 'create', serviceDeskId: rl(deskId()), summary: 'By name', priority: 'CRITICAL', additionalFields: { status: 'in progress', category: 'network' } }),
		);
		expect(out).toMatchObject({ Summary: 'By name', Priority: 'Critical', TicketStatus: 'In Progress', Category: 'Network' });
		expect(lastRequest('POST', /\/ticket$/).body).toEqual({
			Summary: 'By name',
			Priority: lk.priorities.find((p) => p.PriorityName === 'Critical')!.PriorityId.toString(),
			Status: lk.status.find((s) => s.StatusName === 'In Progress')!.StatusId.toString(),
			Category: lk.categories.find((c) => c.CategoryName === 'Network')!.CategoryId.toString(),
		});
	});

	it('passes IDs through without reading the lookups', async () => {
		const lk = lookups();
		const before = vsa.requests({ method: 'GET', path: /\/(priorities|status|categories)$/ }).length;
		const [out] = json(
			await run({
				operation: 'create',
				serviceDeskId: rl(deskId()),
				summary: 'By ID',
				priority: lk.priorities[3].PriorityId.toString(),
				additionalFields: { status: lk.status[4].StatusId.toString(), category: lk.categories[1].CategoryId.toString(), submitterName: 'Ops', submitterEmail: 'ops@example.com' },
			}),
		);
		expect(out).toMatchObject({ Priority: lk.priorities[3].PriorityName, TicketStatus: lk.status[4].StatusName, Category: lk.categories[1].CategoryName, Submitter: 'Ops', SubmitterEmail: 'ops@example.com' });
		expect(vsa.requests({ method: 'GET', path: /\/(priorities|status|categories)$/ }).length).toBe(before);
	});

	it('reads each lookup once for many items', async () => {
		const before = vsa.requests({ method: 'GET', path: /\/priorities$/ }).length;
		const items = await run({ operation: 'create', serviceDeskId: rl(deskId()), summary: '={{ $json.s }}', priority: '={{ $json.p }}' }, [
			{ s: 'one', p: 'Low' },
			{ s: 'two', p: 'high' },
			{ s: 'three', p: 'Medium' },
		]);
		expect(json(items).map((t) => t.Priority)).toEqual(['Low', 'High', 'Medium']);
		expect(vsa.requests({ method: 'GET', path: /\/priorities$/ }).length - before).toBe(1);
	});

	it('an unknown name fails before sending, listing the names the desk has', async () => {
		const creates = vsa.requests({ method: 'POST', path: /\/ticket$/ }).length;
		const error = await failure(run({ operation: 'create', serviceDeskId: rl(deskId()), summary: 'x', priority: 'Urgent' }));
		expect(error.message).toBe(`No priority named "Urgent" in Service Desk ${deskId()}`);
		expect(error.description).toContain('Available priorities: Critical, High, Low, Medium.');
		const status = await failure(run({ operation: 'create', serviceDeskId: rl(deskId()), summary: 'x', priority: 'High', additionalFields: { status: 'Open' } }));
		expect(status.message).toBe(`No status named "Open" in Service Desk ${deskId()}`);
		expect(status.description).toContain('New, In Progress, On Hold, Resolved, Closed');
		expect(vsa.requests({ method: 'POST', path: /\/ticket$/ }).length).toBe(creates);
	});

	it('a missing priority is a clear input error (the server rejects a ticket without one)', async () => {
		expect((await failure(run({ operation: 'create', serviceDeskId: rl(deskId()), summary: 'x', priority: '' }))).message).toBe('Priority is empty');
	});
});

describe('Update Status / Update Priority by name or ID', () => {
	const ticket = () => ticketsOfDesk()[7];

	it('Update Status by name with the desk chosen', async () => {
		const status = lookups().status.find((s) => s.StatusName === 'Resolved')!;
		const [out] = json(await run({ operation: 'updateStatus', serviceDeskId: rl(deskId()), ticketId: ticket().ServiceDeskTicketId.toString(), statusId: 'resolved' }));
		expect(out).toEqual({ success: true, action: 'statusUpdated', ticketId: ticket().ServiceDeskTicketId.toString(), statusId: status.StatusId.toString() });
		expect(lastRequest('PUT', /\/status\/\d+$/).path).toBe(`/api/v1.0/automation/servicedesktickets/${ticket().ServiceDeskTicketId}/status/${status.StatusId}`);
		expect(ticket().TicketStatus).toBe('Resolved');
	});

	it('Update Priority by ID needs no desk and reads nothing first', async () => {
		const priority = lookups().priorities.find((p) => p.PriorityName === 'Low')!;
		const reads = vsa.requests({ method: 'GET' }).length;
		await run({ operation: 'updatePriority', ticketId: ticket().ServiceDeskTicketId.toString(), priorityId: priority.PriorityId.toString() });
		expect(vsa.requests({ method: 'GET' }).length).toBe(reads);
		expect(ticket().Priority).toBe('Low');
	});

	it('an unknown status name lists the available ones', async () => {
		const error = await failure(run({ operation: 'updateStatus', serviceDeskId: rl(deskId()), ticketId: ticket().ServiceDeskTicketId.toString(), statusId: 'Done' }));
		expect(error.message).toBe(`No status named "Done" in Service Desk ${deskId()}`);
		expect(error.description).toContain('Available statuses: New, In Progress, On Hold, Resolved, Closed.');
	});
});

describe('Set Custom Field', () => {
	it('sends the value as a bare JSON string; the strict server checks it against the field', async () => {
		const t = ticketsOfDesk()[3];
		const field = lookups().customfields.find((f) => f.FieldName === 'MinutesWorked')!;
		const [out] = json(await run({ operation: 'setCustomField', ticketId: t.ServiceDeskTicketId.toString(), fieldId: field.CustomFieldId.toString(), value: '45' }));
		expect(out).toEqual({ success: true, action: 'customFieldSet', ticketId: t.ServiceDeskTicketId.toString(), fieldId: field.CustomFieldId.toString(), value: '45' });
		const sent = lastRequest('PUT', /\/customfields\/\d+$/);
		expect(sent.headers['content-type']).toMatch(/application\/json/);
		expect(sent.body).toBe('45'); // parsed from the JSON text "45": a string, not the number 45
		expect(vsa.store.ticketExtras.get(t.ServiceDeskTicketId.toString())!.customFields.get(field.CustomFieldId.toString())).toBe('45');
		const error = await failure(run({ operation: 'setCustomField', ticketId: t.ServiceDeskTicketId.toString(), fieldId: field.CustomFieldId.toString(), value: 'lots' }));
		expect(error.message + String((error as Error & { description?: string }).description)).toContain("'lots' is not a valid Integer.");
	});

	it('the field is a numeric ID', async () => {
		const t = ticketsOfDesk()[3];
		expect((await failure(run({ operation: 'setCustomField', ticketId: t.ServiceDeskTicketId.toString(), fieldId: 'BillingCode', value: 'x' }))).message).toBe('Field: "BillingCode" is not a valid VSA ID');
	});
});
