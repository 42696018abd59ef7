/**
 * Logins across executions: n8n has no lock around preAuthentication, so when a token dies while
 * several executions (or queue-mode workers) run, each could log in again. Before logging in, the
 * transport looks at the stored token: if another execution already replaced it, the request is
 * resent with that token instead. Real n8n-core context and HTTP against the VSA emulator.
 */
import type { LogEntry } from '../emulators/common/server';
import { VSA_PAT, vsaSession } from '../harness/helpers';
import { KaseyaVsa } from '../../nodes/KaseyaVsa/KaseyaVsa.node';
import { startVsaEmulator, type VsaEmulator } from '../emulators/vsa';

let vsa: VsaEmulator;

beforeAll(async () => {
	vsa = await startVsaEmulator({ agents: 300 });
});
afterAll(async () => vsa.close());

async function loginByHand(): Promise<string> {
	const res = await fetch(`${vsa.url}/api/v1.0/auth`, { headers: { Authorization: `Basic ${Buffer.from(`apiuser:${VSA_PAT}`).toString('base64')}` } });
	return String(((await res.json()) as { Result: { Token: string } }).Result.Token);
}

test('a token another execution stored meanwhile is used instead of a second login', async () => {
	const { harness: h, credId: id } = vsaSession(vsa.url);
	const run = () => h.execute({ nodeType: new KaseyaVsa(), parameters: { resource: 'agent', operation: 'getAll', returnAll: true }, credentials: { kaseyaVsaApi: id } });

	expect((await run())[0]).toHaveLength(300); // logs in and stores token T1
	vsa.revokeTokens();
	const tokenOfOtherExecution = await loginByHand();

	// While this execution's first request (still carrying the revoked T1) is on the wire, "another
	// execution" stores its fresh token, as n8n would after that execution's own login.
	let handedOver = false;
	const hook = (entry: LogEntry) => {
		if (!handedOver && /assetmgmt\/agents/i.test(entry.path)) {
			handedOver = true;
			h.credentials.get(id).data.sessionToken = tokenOfOtherExecution;
		}
	};
	vsa.server.requestHooks.push(hook);
	const loginsBefore = vsa.logins();
	try {
		expect((await run())[0]).toHaveLength(300);
	} finally {
		vsa.server.requestHooks.splice(vsa.server.requestHooks.indexOf(hook), 1);
	}
	expect(handedOver).toBe(true);
	expect(vsa.logins() - loginsBefore).toBe(0);
	expect(h.credentialData(id).sessionToken).toBe(tokenOfOtherExecution);
});

test('a stored token that is rejected too leads to exactly one login, not a loop', async () => {
	const { harness: h, credId: id } = vsaSession(vsa.url);
	const run = () => h.execute({ nodeType: new KaseyaVsa(), parameters: { resource: 'agent', operation: 'getAll', returnAll: true }, credentials: { kaseyaVsaApi: id } });
	await run();
	const deadToken = await loginByHand();
	vsa.revokeTokens();
	let handedOver = false;
	const hook = (entry: LogEntry) => {
		if (!handedOver && /assetmgmt\/agents/i.test(entry.path)) {
			handedOver = true;
			h.credentials.get(id).data.sessionToken = deadToken; // another execution stored a token that is dead too
		}
	};
	vsa.server.requestHooks.push(hook);
	const loginsBefore = vsa.logins();
	try {
		expect((await run())[0]).toHaveLength(300);
	} finally {
		vsa.server.requestHooks.splice(vsa.server.requestHooks.indexOf(hook), 1);
	}
	expect(vsa.logins() - loginsBefore).toBe(1);
});
