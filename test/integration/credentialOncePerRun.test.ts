/**
 * The credential is read once per run, not once per request (nodes/shared/http.ts signingCredentials):
 * n8n's read, decrypt and resolve of the credential was a third of its CPU per page. What must not
 * change: a login is still n8n's (preAuthentication, persisted token), a rejected token still costs
 * one re-login and later requests carry the new token, and a credential that restricts its domains
 * leaves every request to n8n. Real n8n-core context and HTTP client, the VSA emulator.
 */
import type { ICredentialDataDecryptedObject, ICredentialType, IDataObject } from 'n8n-workflow';
import { injectDomainRestrictionFields } from 'n8n-workflow';

import { KaseyaVsaApi } from '../../credentials/KaseyaVsaApi.credentials';
import { VeeamServiceProviderConsoleApi } from '../../credentials/VeeamServiceProviderConsoleApi.credentials';
import { KaseyaVsa } from '../../nodes/KaseyaVsa/KaseyaVsa.node';
import { VeeamOrchestrator } from '../../nodes/VeeamOrchestrator/VeeamOrchestrator.node';
import { VeeamServiceProviderConsole } from '../../nodes/VeeamServiceProviderConsole/VeeamServiceProviderConsole.node';
import type { LogEntry } from '../emulators/common/server';
import { startVroEmulator, VRO_CREDENTIALS, type VroEmulator } from '../emulators/vro';
import { startVsaEmulator, type VsaEmulator } from '../emulators/vsa';
import { startVspcEmulator, VSPC_CREDENTIALS, type VspcEmulator } from '../emulators/vspc';
import { failure, vroSession, vsaSession } from '../harness/helpers';
import { Harness } from '../harness/n8n';

const AGENTS = /^\/api\/v1\.0\/assetmgmt\/agents$/;
const node = new KaseyaVsa();

let vsa: VsaEmulator;

beforeAll(async () => {
	vsa = await startVsaEmulator({ agents: 1000 });
});

afterAll(async () => {
	await vsa.close();
});

/** The credential type as n8n loads it: n8n adds "Allowed HTTP Request Domains" to every type with `authenticate`. */
function loadedCredentialType(): ICredentialType {
	const type = new KaseyaVsaApi();
	type.properties = injectDomainRestrictionFields(type);
	return type;
}

function newSession(data: IDataObject = {}) {
	const { harness, credId } = vsaSession(vsa.url, data, loadedCredentialType());
	const reads = jest.spyOn(harness.credentials, 'getDecrypted');
	const returnAll = async () =>
		(await harness.execute({ nodeType: node, parameters: { resource: 'agent', operation: 'getAll', returnAll: true, requestOptions: { concurrency: 5 } }, credentials: { kaseyaVsaApi: credId } }))[0];
	return { harness, credId, reads, returnAll };
}

function agentRequestsSince(seq: number): LogEntry[] {
	return vsa.log.filter((e) => e.seq > seq && AGENTS.test(e.path));
}

const lastSeq = () => (vsa.log.length ? vsa.log[vsa.log.length - 1].seq : 0);

describe('the credential is read once per run', () => {
	it('reads 10 pages with a stored token from 1 credential read (shared by the API base, the token check and the signing data), every page with that token', async () => {
		const { harness, credId, reads, returnAll } = newSession();
		await returnAll(); // logs in and stores the token
		const token = String(harness.credentialData(credId).sessionToken);
		expect(token).not.toBe('');
		reads.mockClear();
		const logins = vsa.logins();
		const seq = lastSeq();
		const items = await returnAll();
		expect(items).toHaveLength(1000);
		expect(vsa.logins() - logins).toBe(0);
		const pages = agentRequestsSince(seq);
		expect(pages).toHaveLength(10);
		for (const page of pages) expect(page.headers.authorization).toBe(`Bearer ${token}`);
		// Before: one read per page (10) plus the run's own reads.
		expect(reads.mock.calls.length).toBe(1);
	});

	it('without a token, n8n logs in and stores it for the first request; the later pages are signed with the stored token', async () => {
		const { harness, credId, reads, returnAll } = newSession();
		const logins = vsa.logins();
		const seq = lastSeq();
		const items = await returnAll();
		expect(items).toHaveLength(1000);
		expect(vsa.logins() - logins).toBe(1);
		const token = String(harness.credentialData(credId).sessionToken);
		expect(token).not.toBe('');
		const pages = agentRequestsSince(seq);
		expect(pages).toHaveLength(10);
		for (const page of pages) expect(page.headers.authorization).toBe(`Bearer ${token}`);
		expect(reads.mock.calls.length).toBeLessThanOrEqual(5);
	});

	it('a token revoked after page 1: one re-login through n8n, stored, and every later request carries the new token', async () => {
		const { harness, credId, returnAll } = newSession();
		await returnAll();
		const oldToken = String(harness.credentialData(credId).sessionToken);
		let revoked = 0;
		const log = vsa.log;
		const push = log.push;
		log.push = function (this: LogEntry[], ...entries: LogEntry[]) {
			const n = push.apply(this, entries);
			for (const e of entries) if (AGENTS.test(e.path) && e.query.$skip !== undefined && revoked === 0) revoked = vsa.revokeTokens();
			return n;
		};
		try {
			const logins = vsa.logins();
			const seq = lastSeq();
			const items = await returnAll();
			expect(revoked).toBeGreaterThan(0);
			expect(items.map((i) => i.json.AgentId)).toEqual(vsa.store.agents.map((a) => a.AgentId.toString()));
			expect(vsa.logins() - logins).toBe(1);
			const newToken = String(harness.credentialData(credId).sessionToken);
			expect(newToken).not.toBe(oldToken);
			const accepted = agentRequestsSince(seq).filter((e) => e.status === 200 && e.headers.authorization === `Bearer ${newToken}`);
			const skips = new Set(accepted.map((e) => String(e.query.$skip ?? 0)));
			// Every page after the revocation was read with the new token (page 1 was read before it).
			expect(skips.size).toBeGreaterThanOrEqual(9);
		} finally {
			log.push = push;
		}
	});

	it('a credential that restricts its domains leaves every request to n8n (one credential read per page, as before)', async () => {
		const { reads, returnAll } = newSession({ allowedHttpRequestDomains: 'domains', allowedDomains: '127.0.0.1' });
		await returnAll();
		reads.mockClear();
		const seq = lastSeq();
		const items = await returnAll();
		expect(items).toHaveLength(1000);
		expect(agentRequestsSince(seq)).toHaveLength(10);
		expect(reads.mock.calls.length).toBeGreaterThanOrEqual(10);
	});
});

/**
 * The Orchestrator and VSPC credentials sign the same way (their profiles carry the credential's own
 * authenticate function). What their authenticate adds must survive: the Orchestrator's token goes
 * only to the server, version and account it was issued for; VSPC adds X-Client-Version, and an API
 * key is signed directly.
 */
describe('the Orchestrator and VSPC credentials are also read once per run', () => {
	const V = 'v7' as const;
	let vro: VroEmulator;
	let vspc: VspcEmulator;
	const vroNode = new VeeamOrchestrator();
	const vspcNode = new VeeamServiceProviderConsole();

	beforeAll(async () => {
		vro = await startVroEmulator({ plans: 300, versions: [V] });
		// 4 companies × 150 VMs: 2 pages of 500.
		vspc = await startVspcEmulator({ seed: 15, vmsPerCompany: 150 });
	});
	afterAll(async () => {
		await vro.close();
		await vspc.close();
	});

	function vroRun(data: IDataObject = {}) {
		const { harness, credId } = vroSession(vro.url, V, data);
		const reads = jest.spyOn(harness.credentials, 'getDecrypted');
		const returnAll = async () =>
			(await harness.execute({ nodeType: vroNode, parameters: { resource: 'plan', operation: 'getAll', returnAll: true }, credentials: { veeamOrchestratorApi: credId } }))[0];
		return { harness, credId, reads, returnAll };
	}

	function vspcRun(data: IDataObject) {
		const harness = new Harness([new VeeamServiceProviderConsoleApi()]);
		const credId = harness.addCredential('veeamServiceProviderConsoleApi', { baseUrl: vspc.url, ...data } as ICredentialDataDecryptedObject);
		const reads = jest.spyOn(harness.credentials, 'getDecrypted');
		const returnAll = async () =>
			(
				await harness.execute({
					nodeType: vspcNode,
					parameters: { resource: 'protectedWorkload', operation: 'getAll', workloadType: 'virtualMachines', returnAll: true },
					credentials: { veeamServiceProviderConsoleApi: credId },
				})
			)[0];
		return { harness, credId, reads, returnAll };
	}

	it('Orchestrator: every page from 1 credential read, each with the stored token', async () => {
		const { harness, credId, reads, returnAll } = vroRun();
		// The plans the admin's scopes see (most of the 300 seeded).
		const visible = (await returnAll()).length;
		expect(visible).toBeGreaterThan(250);
		const token = String(harness.credentialData(credId).accessToken);
		expect(token).not.toBe('');
		reads.mockClear();
		const before = vro.requests().length;
		const items = await returnAll();
		expect(items).toHaveLength(visible);
		const pages = vro.requests().slice(before).filter((e) => /\/Plans$/i.test(e.path));
		expect(pages).toHaveLength(Math.ceil(visible / 100));
		for (const page of pages) expect(page.headers.authorization).toBe(`Bearer ${token}`);
		expect(vro.requests().slice(before).filter((e) => /token/i.test(e.path))).toHaveLength(0);
		expect(reads.mock.calls.length).toBe(1);
	});

	it('Orchestrator: a token stored for another account is never sent; the edited account logs in instead', async () => {
		const { harness, credId, returnAll } = vroRun();
		await returnAll();
		const oldToken = String(harness.credentialData(credId).accessToken);
		// The user edits the account: the stored token was issued to someone else.
		harness.credentialData(credId).username = `${VRO_CREDENTIALS.admin.username}-renamed`;
		const before = vro.requests().length;
		const failed = vro.counters.failedTokenRequests;
		await failure(returnAll());
		// The renamed account does not exist on the emulator: its login is refused.
		expect(vro.counters.failedTokenRequests).toBeGreaterThan(failed);
		const sent = vro.requests().slice(before);
		expect(sent.length).toBeGreaterThan(0);
		for (const request of sent) expect(request.headers.authorization ?? '').not.toContain(oldToken);
	});

	it('VSPC password grant: 2 pages from 1 credential read, each with the token and X-Client-Version', async () => {
		const { harness, credId, reads, returnAll } = vspcRun({ authMethod: 'password', ...VSPC_CREDENTIALS.admin });
		await returnAll();
		const token = String(harness.credentialData(credId).accessToken);
		expect(token).not.toBe('');
		reads.mockClear();
		const before = vspc.requests().length;
		const items = await returnAll();
		expect(items).toHaveLength(600);
		const pages = vspc.requests().slice(before).filter((e) => /\/protectedWorkloads\/virtualMachines$/.test(e.path));
		expect(pages).toHaveLength(2);
		for (const page of pages) {
			expect(page.headers.authorization).toBe(`Bearer ${token}`);
			expect(page.headers['x-client-version']).toMatch(/^\d/);
		}
		expect(reads.mock.calls.length).toBe(1);
	});

	it('VSPC API key: every page carries the key from 1 credential read, and no token grant is made', async () => {
		const { reads, returnAll } = vspcRun({ authMethod: 'apiKey', apiKey: VSPC_CREDENTIALS.apiKey });
		await returnAll();
		reads.mockClear();
		const grants = vspc.counters.passwordLogins + vspc.counters.refreshGrants;
		const before = vspc.requests().length;
		expect(await returnAll()).toHaveLength(600);
		const pages = vspc.requests().slice(before).filter((e) => /\/protectedWorkloads\/virtualMachines$/.test(e.path));
		expect(pages).toHaveLength(2);
		for (const page of pages) expect(page.headers.authorization).toBe(`Bearer ${VSPC_CREDENTIALS.apiKey}`);
		expect(vspc.counters.passwordLogins + vspc.counters.refreshGrants).toBe(grants);
		expect(reads.mock.calls.length).toBe(1);
	});
});
