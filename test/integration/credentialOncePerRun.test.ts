/**
 * The credential is read once per run, not once per request (nodes/shared/http.ts signingCredentials):
 * n8n's read, decrypt and resolve of the credential was a third of its CPU per page. What must not
 * change: a login is still n8n's (preAuthentication, persisted token), a rejected token still costs
 * one re-login and later requests carry the new token, and a credential that restricts its domains
 * leaves every request to n8n. Real n8n-core context and HTTP client, the VSA emulator.
 */
import type { ICredentialType, IDataObject } from 'n8n-workflow';
import { injectDomainRestrictionFields } from 'n8n-workflow';

import { KaseyaVsaApi } from '../../credentials/KaseyaVsaApi.credentials';
import { KaseyaVsa } from '../../nodes/KaseyaVsa/KaseyaVsa.node';
import type { LogEntry } from '../emulators/common/server';
import { startVsaEmulator, type VsaEmulator } from '../emulators/vsa';
import { vsaSession } from '../harness/helpers';

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
	it('reads 10 pages with a stored token from 2 credential reads (the token check and the signing data), every page with that token', async () => {
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
		expect(reads.mock.calls.length).toBeLessThanOrEqual(3);
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
