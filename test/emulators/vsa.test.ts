/**
 * The VSA emulator, exercised over real HTTP with Node's fetch. Hashes are computed here with
 * node:crypto from the algorithm of https://help.kaseya.com/webhelp/EN/RESTAPI/9050000/37320.htm, not with the emulator's helpers.
 */
import { createHash } from 'node:crypto';
import { startVsaEmulator, type VsaEmulator, type VsaEmulatorOptions } from './vsa';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const sha1 = (s: string) => createHash('sha1').update(s, 'utf8').digest('hex');
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** Vector A exactly as printed on Kaseya's page (https://help.kaseya.com/webhelp/EN/RESTAPI/9050000/37320.htm) (rpass = covered hashes, twofapass present). */
const VECTOR_A_DOC =
	'dXNlcj1rYWRtaW4scGFzczI9ZjE5ZWFmYzY3ZWY5MzJjMjBkMTlmZGQ1ZmIyZTY1NjBkY2U5YTk1YWFhYjEwNjczMjQ5YTU3YTkzODY2ZTQxZCxwYXNzMT0wZGMwZmY5YzBkNGVkMDRlODJiYzZmYTk0ZTY3NTQzMjFhMDgyMzc1LHJhbmQyPTk5NDY1NixycGFzczI9ZjE5ZWFmYzY3ZWY5MzJjMjBkMTlmZGQ1ZmIyZTY1NjBkY2U5YTk1YWFhYjEwNjczMjQ5YTU3YTkzODY2ZTQxZCxycGFzczE9MGRjMGZmOWMwZDRlZDA0ZTgyYmM2ZmE5NGU2NzU0MzIxYTA4MjM3NSx0d29mYXBhc3M9OnVuZGVmaW5lZA==';
/** Vector A, algorithm-faithful variant (raw hashes in rpass). */
const VECTOR_A_RAW =
	'dXNlcj1rYWRtaW4scGFzczI9ZjE5ZWFmYzY3ZWY5MzJjMjBkMTlmZGQ1ZmIyZTY1NjBkY2U5YTk1YWFhYjEwNjczMjQ5YTU3YTkzODY2ZTQxZCxwYXNzMT0wZGMwZmY5YzBkNGVkMDRlODJiYzZmYTk0ZTY3NTQzMjFhMDgyMzc1LHJhbmQyPTk5NDY1NixycGFzczI9NWVjODA1YzcwNGU1MmM0ODA5Yzk2ZDdhODYyYzBlNTMxYjZkZjM2OTJlN2ZmNmYyMmIyYjk0MGFkYmY2MzA5OCxycGFzczE9OWFhMmM4NDFmMzBmODdkZjg0MzJmZWNkZGIxNzgwYjA3M2ZmNDc5OSx0d29mYXBhc3M9OnVuZGVmaW5lZA==';
/** Vector B (apiuser / S3cret!, rand2 12345678), computed locally. */
const VECTOR_B =
	'dXNlcj1hcGl1c2VyLHBhc3MyPTZjY2I2MTY0MjRkNDE3Y2FiN2ZhNzg4ZmYyZDJmYmRkYjc3OTgwMTQ1YTA4MTQ2Y2NiMWEwZjQ4NDA2ZDhlNjQscGFzczE9MzU0ODViMDgzNTY3NmY3YTNkNjMwZTA0ZjVkMTIzZTdiOGYwN2VkYSxyYW5kMj0xMjM0NTY3OCxycGFzczI9ODhkM2ZmMDk5OTFiYWUzOWNiODQ0NzQ2Yzc4YWIwOWQ0YzYyMDUwODU3ZDMzNjc1MWUzN2M0YjFkODRhMWQ0NCxycGFzczE9OWZjMmFjZDQ2YjMwNDY5NzMwYzAzOTFhOGUxNGMxMDlkMzQyNjYzOA==';
/** Vector C (PAT), computed locally. */
const VECTOR_C = 'YXBpdXNlcjowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA=';

/** Challenge payload computed per the help page's algorithm, fields in the given order. */
function challenge(user: string, password: string, rand2: string, order: string[]): string {
	const v: Record<string, string> = {
		user,
		pass2: sha256(sha256(password + user) + rand2),
		pass1: sha1(sha1(password + user) + rand2),
		rand2,
		rpass2: sha256(password),
		rpass1: sha1(password),
	};
	return b64(order.map((k) => `${k}=${v[k]}`).join(','));
}
const KASEYA_ORDER = ['user', 'pass2', 'pass1', 'rand2', 'rpass2', 'rpass1'];
const GEM_ORDER = ['user', 'pass2', 'pass1', 'rpass2', 'rpass1', 'rand2'];

interface Reply {
	status: number;
	text: string;
	json: any;
	headers: Headers;
}

async function call(vsa: VsaEmulator, method: string, path: string, auth?: string, body?: unknown): Promise<Reply> {
	const headers: Record<string, string> = {};
	if (auth !== undefined) headers.Authorization = auth;
	let payload: string | undefined;
	if (body !== undefined) {
		headers['Content-Type'] = 'application/json';
		payload = typeof body === 'string' && body.startsWith('RAW:') ? body.slice(4) : JSON.stringify(body);
	}
	const res = await fetch(vsa.baseUrl + path, { method, headers, body: payload });
	const text = await res.text();
	let json: any;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return { status: res.status, text, json, headers: res.headers };
}

async function login(vsa: VsaEmulator, payload: string): Promise<Reply> {
	return call(vsa, 'GET', '/auth', `Basic ${payload}`);
}

async function token(vsa: VsaEmulator, payload = VECTOR_A_DOC): Promise<string> {
	const r = await login(vsa, payload);
	expect(r.json?.ResponseCode).toBe(0);
	return r.json.Result.Token as string;
}

const emulators: VsaEmulator[] = [];
async function start(options: VsaEmulatorOptions = {}): Promise<VsaEmulator> {
	const vsa = await startVsaEmulator({ agents: 150, ...options });
	emulators.push(vsa);
	return vsa;
}
afterAll(async () => {
	await Promise.all(emulators.map((e) => e.close()));
});

describe('challenge-hash login (Kaseya help 37320)', () => {
	let vsa: VsaEmulator;
	beforeAll(async () => {
		vsa = await start();
	});

	it("accepts Kaseya's published vector A byte-for-byte and returns the R9.5 /auth envelope", async () => {
		const r = await login(vsa, VECTOR_A_DOC);
		expect(r.status).toBe(200);
		expect(r.json).toMatchObject({ ResponseCode: 0, Status: 'OK', Error: 'None' });
		const res = r.json.Result;
		expect(res).toMatchObject({ TenantId: '1', UserName: 'kadmin', RoleId: 2, ScopeId: '2', AdminId: 55957651, MachineId: null, CultureInfo: 'en-US' });
		expect(typeof res.Token).toBe('string');
		expect(typeof res.ApiToken).toBe('string');
		expect(res.SessionExpiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
		expect(typeof res.OffSetInMinutes).toBe('number');
	});

	it('accepts the algorithm-faithful variant (raw hashes in rpass) and vector B', async () => {
		expect((await login(vsa, VECTOR_A_RAW)).json.ResponseCode).toBe(0);
		const b = await login(vsa, VECTOR_B);
		expect(b.json.ResponseCode).toBe(0);
		expect(b.json.Result.UserName).toBe('apiuser');
	});

	it('parses key=value pairs in either published field order', async () => {
		for (const order of [KASEYA_ORDER, GEM_ORDER, [...GEM_ORDER].reverse()]) {
			const r = await login(vsa, challenge('kadmin', 'kadmin', '4242', order));
			expect(r.json.ResponseCode).toBe(0);
		}
	});

	it('rejects a wrong password with an envelope error and does not count it as a login', async () => {
		const before = vsa.logins();
		const r = await login(vsa, challenge('kadmin', 'wrong', '994656', KASEYA_ORDER));
		expect(r.status).toBe(401);
		expect(r.json).toMatchObject({ ResponseCode: 401, Error: 'username/password incorrect' });
		expect(vsa.logins()).toBe(before);
		expect(vsa.failedLogins()).toBeGreaterThan(0);
	});

	it('checks pass2 for SHA-256 users and pass1 only for legacy SHA-1 users', async () => {
		const p1Only = (user: string, pw: string) =>
			b64(`user=${user},pass2=${'0'.repeat(64)},pass1=${sha1(sha1(pw + user) + '77')},rand2=77`);
		expect((await login(vsa, p1Only('legacyuser', 'OldPass1'))).json.ResponseCode).toBe(0);
		expect((await login(vsa, p1Only('kadmin', 'kadmin'))).json.ResponseCode).toBe(401);
	});

	it('answers the documented header errors', async () => {
		expect((await call(vsa, 'GET', '/auth')).json.Error).toBe('Header missing authorization');
		expect((await call(vsa, 'GET', '/auth', VECTOR_A_DOC)).json.Error).toBe('Header missing user param');
	});

	it('refuses a disabled user', async () => {
		const r = await login(vsa, challenge('disableduser', 'Disabled1', '1', KASEYA_ORDER));
		expect(r.json).toMatchObject({ ResponseCode: 401, Error: 'user disabled' });
	});
});

describe('personal access token login', () => {
	let vsa: VsaEmulator;
	beforeAll(async () => {
		vsa = await start();
	});

	it('accepts vector C: Basic base64(username:PAT)', async () => {
		const r = await login(vsa, VECTOR_C);
		expect(r.json.ResponseCode).toBe(0);
		expect(r.json.Result.UserName).toBe('apiuser');
	});

	it('rejects a wrong PAT and a password in the PAT position', async () => {
		expect((await login(vsa, b64('apiuser:11111111-0000-0000-0000-000000000000'))).status).toBe(401);
		expect((await login(vsa, b64('apiuser:S3cret!'))).status).toBe(401);
	});
});

describe('Bearer tokens', () => {
	it('requires the Bearer scheme: the documented in-body 401', async () => {
		const vsa = await start();
		const t = await token(vsa);
		const r = await call(vsa, 'GET', '/environment', t);
		expect(r.status).toBe(200);
		expect(r.json).toEqual({ ResponseCode: 401, Status: 'OK', Error: 'None' });
		const none = await call(vsa, 'GET', '/environment');
		expect(none.json.ResponseCode).toBe(401);
		const okr = await call(vsa, 'GET', '/environment', `Bearer ${t}`);
		expect(okr.json.ResponseCode).toBe(0);
		expect(okr.json.Result.SystemVersion).toMatch(/^9\./);
	});

	it('answers an unknown token with HTTP 401, or in-body under authErrorStyle "body"', async () => {
		const vsa = await start();
		expect((await call(vsa, 'GET', '/environment', 'Bearer 12345')).status).toBe(401);
		vsa.configureAuth({ authErrorStyle: 'body' });
		const r = await call(vsa, 'GET', '/environment', 'Bearer 12345');
		expect(r.status).toBe(200);
		expect(r.json.ResponseCode).toBe(401);
	});

	it('accepts ApiToken as Bearer unless disabled', async () => {
		const vsa = await start();
		const apiToken = (await login(vsa, VECTOR_A_DOC)).json.Result.ApiToken;
		expect((await call(vsa, 'GET', '/echo')).json.ResponseCode).toBe(0);
		expect((await call(vsa, 'GET', '/environment', `Bearer ${apiToken}`)).json.ResponseCode).toBe(0);
		vsa.configureAuth({ acceptApiTokenAsBearer: false });
		expect((await call(vsa, 'GET', '/environment', `Bearer ${apiToken}`)).status).toBe(401);
	});

	it('expires tokens after 30 minutes, not sliding by default', async () => {
		const vsa = await start();
		const t = await token(vsa);
		vsa.advanceClock(20 * 60 * 1000);
		expect((await call(vsa, 'GET', '/environment', `Bearer ${t}`)).status).toBe(200);
		vsa.advanceClock(10 * 60 * 1000 + 1);
		const r = await call(vsa, 'GET', '/environment', `Bearer ${t}`);
		expect(r.status).toBe(401);
		expect(r.headers.get('x-emulator-auth')).toBe('expired');
	});

	it('slides the expiry on use when configured', async () => {
		const vsa = await start({ slidingExpiration: true, sessionTtlMs: 60_000 });
		const t = await token(vsa);
		for (let i = 0; i < 3; i++) {
			vsa.advanceClock(45_000);
			expect((await call(vsa, 'GET', '/environment', `Bearer ${t}`)).status).toBe(200);
		}
		vsa.advanceClock(61_000);
		expect((await call(vsa, 'GET', '/environment', `Bearer ${t}`)).status).toBe(401);
	});

	it('expires a token after maxRequestsPerToken requests', async () => {
		const vsa = await start({ maxRequestsPerToken: 3 });
		const t = await token(vsa);
		for (let i = 0; i < 3; i++) expect((await call(vsa, 'GET', '/environment', `Bearer ${t}`)).status).toBe(200);
		const r = await call(vsa, 'GET', '/environment', `Bearer ${t}`);
		expect(r.status).toBe(401);
		expect(r.headers.get('x-emulator-auth')).toBe('exhausted');
	});

	it('revokes one token, all tokens, and the caller’s token on logout', async () => {
		const vsa = await start();
		const [a, b, c] = [await token(vsa), await token(vsa), await token(vsa)];
		expect(vsa.revokeTokens(a)).toBe(1);
		expect((await call(vsa, 'GET', '/environment', `Bearer ${a}`)).status).toBe(401);
		expect((await call(vsa, 'GET', '/environment', `Bearer ${b}`)).status).toBe(200);
		expect((await call(vsa, 'DELETE', '/system/users/session', `Bearer ${b}`)).json.Result).toBe(true);
		expect((await call(vsa, 'GET', '/environment', `Bearer ${b}`)).status).toBe(401);
		const ctl = await fetch(`${vsa.url}/__emulator/revoke`, { method: 'POST', body: '{}' });
		expect(((await ctl.json()) as any).revoked).toBe(1);
		expect((await call(vsa, 'GET', '/environment', `Bearer ${c}`)).status).toBe(401);
		const state = (await (await fetch(`${vsa.url}/__emulator/state`)).json()) as any;
		expect(state.logins).toBe(3);
	});
});

describe('collections: paging cap and TotalRecords (KAT README)', () => {
	let vsa: VsaEmulator;
	let auth: string;
	beforeAll(async () => {
		vsa = await start({ agents: 2500 });
		auth = `Bearer ${await token(vsa)}`;
	});

	it('caps every response at 100 records whatever $top asks, with TotalRecords of the whole set', async () => {
		const all = await call(vsa, 'GET', '/assetmgmt/agents', auth);
		expect(all.json.TotalRecords).toBe(2500);
		expect(all.json.Result).toHaveLength(100);
		const big = await call(vsa, 'GET', '/assetmgmt/agents?$top=500', auth);
		expect(big.json.Result).toHaveLength(100);
		const tail = await call(vsa, 'GET', '/assetmgmt/agents?$skip=2450&$top=100', auth);
		expect(tail.json.Result).toHaveLength(50);
		const zero = await call(vsa, 'GET', '/assetmgmt/agents?$top=0', auth);
		expect(zero.json).toMatchObject({ TotalRecords: 2500, Result: [] });
	});

	it('pages through 2,500 agents without loss or duplicates', async () => {
		const ids = new Set<string>();
		for (let skip = 0; skip < 2500; skip += 100) {
			const r = await call(vsa, 'GET', `/assetmgmt/agents?$skip=${skip}&$top=100&$orderby=AgentName`, auth);
			for (const m of r.text.matchAll(/"AgentId":(\d+)/g)) ids.add(m[1]);
		}
		expect(ids.size).toBe(2500);
	});

	it('counts TotalRecords after the filter', async () => {
		const expected = vsa.store.agents.filter((a) => a.Online === 0).length;
		const r = await call(vsa, 'GET', '/assetmgmt/agents?$filter=Online eq 0&$top=5', auth);
		expect(r.json.TotalRecords).toBe(expected);
		expect(r.json.Result).toHaveLength(5);
	});

	it('rejects a non-numeric $top', async () => {
		const r = await call(vsa, 'GET', '/assetmgmt/agents?$top=ten', auth);
		expect(r.status).toBe(400);
		expect(r.json.Error).toMatch(/\$top/);
	});
});

describe('OData $filter / $orderby (Kaseya help 31622)', () => {
	let vsa: VsaEmulator;
	let auth: string;
	const total = async (path: string, filter: string) => {
		const r = await call(vsa, 'GET', `${path}?$filter=${encodeURIComponent(filter)}&$top=1`, auth);
		expect(r.status).toBe(200);
		return r.json.TotalRecords as number;
	};
	const agents = () => vsa.store.agents;
	beforeAll(async () => {
		vsa = await start({ agents: 400 });
		auth = `Bearer ${await token(vsa)}`;
	});

	it('eq, ne, gt, ge, lt, le on an Int32 field', async () => {
		const n = (p: (o: number) => boolean) => agents().filter((a) => p(a.Online)).length;
		expect(await total('/assetmgmt/agents', 'Online eq 11')).toBe(n((o) => o === 11));
		expect(await total('/assetmgmt/agents', 'Online ne 11')).toBe(n((o) => o !== 11));
		expect(await total('/assetmgmt/agents', 'Online gt 11')).toBe(n((o) => o > 11));
		expect(await total('/assetmgmt/agents', 'Online ge 11')).toBe(n((o) => o >= 11));
		expect(await total('/assetmgmt/agents', 'Online lt 11')).toBe(n((o) => o < 11));
		expect(await total('/assetmgmt/agents', 'Online le 11')).toBe(n((o) => o <= 11));
	});

	it('and, or, not and parentheses', async () => {
		const exp = agents().filter((a) => (a.Online === 0 || a.Online === 199) && a.OperatingSystem === 'Windows').length;
		expect(await total('/assetmgmt/agents', "(Online eq 0 or Online eq 199) and OperatingSystem eq 'Windows'")).toBe(exp);
		const notExp = agents().filter((a) => !a.AgentName.startsWith('ws-')).length;
		expect(await total('/assetmgmt/agents', "not startswith(AgentName,'ws-')")).toBe(notExp);
	});

	it('startswith, endswith, substringof', async () => {
		const a = agents()[7];
		const machine = a.AgentName.split('.')[0];
		expect(await total('/assetmgmt/agents', `startswith(AgentName,'${machine}.')`)).toBe(1);
		expect(await total('/assetmgmt/agents', `endswith(AgentName,'.${a.MachineGroup}')`)).toBe(
			agents().filter((x) => x.AgentName.endsWith(`.${a.MachineGroup}`)).length,
		);
		expect(await total('/assetmgmt/agents', "substringof('srv-', AgentName)")).toBe(agents().filter((x) => x.AgentName.includes('srv-')).length);
	});

	it('compares 15-digit AgentIds exactly with the M suffix', async () => {
		const id = agents()[42].AgentId.toString();
		const r = await call(vsa, 'GET', `/assetmgmt/agents?$filter=AgentId eq ${id}M`, auth);
		expect(r.json.TotalRecords).toBe(1);
		expect(r.text).toContain(`"AgentId":${id}`);
		const next = (BigInt(id) + 1n).toString();
		expect(await total('/assetmgmt/agents', `AgentId eq ${next}M`)).toBe(0);
	});

	it('compares 26-digit OrgIds exactly with M, and 400s without a suffix like the real server', async () => {
		const org = vsa.store.orgs[3].OrgId.toString();
		expect(await total('/system/orgs', `OrgId eq ${org}M`)).toBe(1);
		expect(await total('/system/orgs', `OrgId eq ${(BigInt(org) + 1n).toString()}M`)).toBe(0);
		const r = await call(vsa, 'GET', `/system/orgs?$filter=OrgId eq ${org}`, auth);
		expect(r.status).toBe(400);
		expect(r.json.Error).toContain("Unrecognized 'Edm.Int32' literal");
	});

	it('unescapes doubled single quotes', async () => {
		expect(await total('/system/orgs', "OrgName eq 'O''Brien Plumbing'")).toBe(1);
	});

	it("DATETIME'…' literals (any case of the prefix)", async () => {
		const cut = '2024-06-01T00:00:00';
		const exp = agents().filter((a) => a.LastCheckInTime !== null && a.LastCheckInTime >= cut).length;
		expect(await total('/assetmgmt/agents', `LastCheckInTime ge DATETIME'${cut}.000Z'`)).toBe(exp);
		expect(await total('/assetmgmt/agents', `LastCheckInTime ge datetime'${cut}'`)).toBe(exp);
	});

	it('true, false and null literals', async () => {
		const neverChecked = agents().filter((a) => a.LastCheckInTime === null).length;
		expect(await total('/assetmgmt/agents', 'LastCheckInTime eq null')).toBe(neverChecked);
		const computers = vsa.store.assets.filter((a) => a.IsComputerAgent).length;
		expect(await total('/assetmgmt/assets', 'IsComputerAgent eq true')).toBe(computers);
		expect(await total('/assetmgmt/assets', 'IsComputerAgent eq false')).toBe(vsa.store.assets.length - computers);
	});

	it.each([
		['unbalanced parenthesis', "(Online eq 1", /'\)' or operator expected/],
		['unterminated string', "AgentName eq 'abc", /unterminated string literal/],
		['C-style operator', 'Online == 1', /Syntax error/],
		['upper-case keyword', 'Online EQ 1', /Syntax error/],
		['unknown field', "Nope eq 'x'", /Could not find a property named 'Nope'/],
		['wrong-case field', 'online eq 1', /Could not find a property named 'online'/],
		['incompatible types', 'AgentName eq 5', /incompatible types/],
		['unknown function', "contains(AgentName,'x')", /Unknown function 'contains'/],
		['non-boolean filter', 'AgentName', /single boolean value/],
	])('malformed filter (%s) → HTTP 400 envelope with the parser error', async (_name, filter, message) => {
		const r = await call(vsa, 'GET', `/assetmgmt/agents?$filter=${encodeURIComponent(filter)}`, auth);
		expect(r.status).toBe(400);
		expect(r.json).toMatchObject({ ResponseCode: 400, Result: null });
		expect(r.json.Error).toMatch(message);
	});

	it('$orderby with several keys and directions', async () => {
		const r = await call(vsa, 'GET', '/assetmgmt/agents?$orderby=Online desc,AgentName asc&$top=100', auth);
		const rows = r.json.Result as Array<{ Online: number; AgentName: string }>;
		for (let i = 1; i < rows.length; i++) {
			const [p, c] = [rows[i - 1], rows[i]];
			expect(p.Online > c.Online || (p.Online === c.Online && p.AgentName.toLowerCase() <= c.AgentName.toLowerCase())).toBe(true);
		}
		expect((await call(vsa, 'GET', '/assetmgmt/agents?$orderby=Bogus', auth)).status).toBe(400);
	});
});

describe('lossless JSON (KAT CHANGELOG)', () => {
	it('prints 15-digit AgentIds and 26-digit OrgIds as exact number literals', async () => {
		const vsa = await start();
		const auth = `Bearer ${await token(vsa)}`;
		const org = vsa.store.orgs[0].OrgId.toString();
		expect(org).toHaveLength(26);
		const r = await call(vsa, 'GET', `/system/orgs/${org}`, auth);
		expect(r.text).toContain(`"OrgId":${org},`);
		expect(String(BigInt(Math.trunc(r.json.Result.OrgId)))).not.toBe(org); // a double cannot hold it
		const agent = vsa.store.agents[0];
		const a = await call(vsa, 'GET', `/assetmgmt/agents/${agent.AgentId}`, auth);
		expect(a.text).toMatch(new RegExp(`"AgentId":${agent.AgentId},`));
		expect(agent.AgentId.toString()).toHaveLength(15);
		expect(a.text).toContain(`"OrgId":${agent.OrgId},`);
	});
});

describe('writes mutate the store exactly once', () => {
	let vsa: VsaEmulator;
	let auth: string;
	beforeAll(async () => {
		vsa = await start();
		auth = `Bearer ${await token(vsa)}`;
	});

	it('adds and deletes an agent note', async () => {
		const agent = vsa.store.agents[5];
		const before = vsa.store.agentNotes.length;
		// Only a bare JSON string (KAT New-VSAAgentNote.ps1): an object is refused.
		expect((await call(vsa, 'POST', `/assetmgmt/agent/${agent.AgentId}/note`, auth, { Note: 'Replaced the fan' })).status).toBe(400);
		const r = await call(vsa, 'POST', `/assetmgmt/agent/${agent.AgentId}/note`, auth, 'Replaced the fan');
		expect(r.json).toMatchObject({ ResponseCode: 0, Result: true });
		expect(vsa.store.agentNotes.length).toBe(before + 1);
		const list = await call(vsa, 'GET', `/assetmgmt/agent/notes?$filter=AgentId eq ${agent.AgentId}M and Note eq 'Replaced the fan'`, auth);
		expect(list.json.TotalRecords).toBe(1);
		const id = list.json.Result[0].Id;
		expect((await call(vsa, 'DELETE', `/assetmgmt/agent/note/${id}`, auth)).status).toBe(204);
		expect(vsa.store.agentNotes.length).toBe(before);
	});

	it('runs a procedure (204) once per call and applies the documented 404 rules (Kaseya help 31668)', async () => {
		const agent = vsa.store.agents[1];
		const proc = vsa.store.procedures.find((p) => p.Path === 'Shared/Maintenance')!;
		const r = await call(vsa, 'PUT', `/automation/agentprocs/${agent.AgentId}/${proc.AgentProcedureId}/runnow`, auth);
		expect(r.status).toBe(204);
		expect(r.text).toBe('');
		expect(vsa.store.counter(`runnow:${agent.AgentId}:${proc.AgentProcedureId}`)).toBe(1);
		expect((await call(vsa, 'PUT', `/automation/agentprocs/${agent.AgentId}/135/runnow`, auth)).status).toBe(204);
		expect((await call(vsa, 'PUT', `/automation/agentprocs/${agent.AgentId}/101/runnow`, auth)).status).toBe(404);
		expect((await call(vsa, 'PUT', `/automation/agentprocs/${agent.AgentId}/1002999/runnow`, auth)).status).toBe(404);
		expect((await call(vsa, 'PUT', `/automation/agentprocs/${agent.AgentId}/424242/runnow`, auth)).status).toBe(404);
		// runnowgetid takes a JSON object ({} from KAT Start-VSAAPReturnId.ps1); without a body it is refused.
		expect((await call(vsa, 'PUT', `/automation/agentprocs/${agent.AgentId}/${proc.AgentProcedureId}/runnowgetid`, auth)).status).toBe(400);
		const id = await call(vsa, 'PUT', `/automation/agentprocs/${agent.AgentId}/${proc.AgentProcedureId}/runnowgetid`, auth, {});
		expect(typeof id.json.Result).toBe('number');
		expect(vsa.store.counter(`runnow:${agent.AgentId}:${proc.AgentProcedureId}`)).toBe(2);
	});

	it('validates and stores a procedure schedule', async () => {
		const agent = vsa.store.agents[2];
		const proc = vsa.store.procedures.find((p) => p.Path === 'Shared/Software')!;
		const path = `/automation/agentprocs/${agent.AgentId}/${proc.AgentProcedureId}/schedule`;
		const bad = await call(vsa, 'PUT', path, auth, { Recurrence: { Repeat: 'Fortnightly' } });
		expect(bad.status).toBe(400);
		const body = {
			ServerTimeZone: false,
			SkipIfOffLine: true,
			Recurrence: { Repeat: 'Days', Times: 1, EndAt: 'T0000' },
			Start: { StartOn: '2030-01-01T09:00:00Z' },
		};
		// Distribution is in every live-tested client's body (KAT New-VSAAPScheduled.ps1, PSK AgentProcedures.ps1).
		const noDistribution = await call(vsa, 'PUT', path, auth, body);
		expect(noDistribution.status).toBe(400);
		expect(noDistribution.json.Error).toMatch(/Distribution is required/);
		expect((await call(vsa, 'PUT', path, auth, { ...body, Distribution: { Interval: 'Minutes' } })).status).toBe(400);
		expect((await call(vsa, 'PUT', path, auth, { ...body, Distribution: { Interval: 'Weeks', Magnitude: 1 } })).status).toBe(400);
		const good = await call(vsa, 'PUT', path, auth, { ...body, Distribution: { Interval: 'Minutes', Magnitude: 0 }, SchedInAgentTime: false });
		expect(good.status).toBe(204);
		const s = await call(vsa, 'GET', `/automation/agentprocs/${agent.AgentId}/scheduledprocs?$filter=AgentProcedureId eq ${proc.AgentProcedureId}`, auth);
		expect(s.json.TotalRecords).toBe(1);
		expect((await call(vsa, 'DELETE', `/automation/agentprocs/${agent.AgentId}/${proc.AgentProcedureId}`, auth)).status).toBe(204);
	});

	it('rejects 7.0 for an integer org field and keeps single-element arrays arrays (KAT CHANGELOG)', async () => {
		const defaults = '"OrgId":"123","DefaultDepartmentName":"root","DefaultMachineGroupName":"root"';
		// KAT New-VSAOrganization.ps1 always sends OrgId and the two default names: less is refused.
		const noOrgId = await call(vsa, 'POST', '/system/orgs', auth, { OrgName: 'Newco', OrgRef: 'newco', DefaultDepartmentName: 'root', DefaultMachineGroupName: 'root' });
		expect(noOrgId.status).toBe(400);
		expect(noOrgId.json.Error).toBe('OrgId is required.');
		expect((await call(vsa, 'POST', '/system/orgs', auth, { OrgId: '123', OrgName: 'Newco', OrgRef: 'newco', DefaultDepartmentName: 'root' })).json.Error).toBe('DefaultMachineGroupName is required.');
		const bad = await call(vsa, 'POST', '/system/orgs', auth, `RAW:{${defaults},"OrgName":"Newco","OrgRef":"newco","NoOfEmployees":7.0}`);
		expect(bad.status).toBe(400);
		expect(bad.json.Error).toMatch(/Input string '7\.0' is not a valid integer/);
		const bareObject = await call(vsa, 'POST', '/system/orgs', auth, {
			OrgId: '123',
			DefaultDepartmentName: 'root',
			DefaultMachineGroupName: 'root',
			OrgName: 'Newco',
			OrgRef: 'newco',
			CustomFields: { FieldName: 'Contract', FieldValue: 'Gold' },
		});
		expect(bareObject.status).toBe(400);
		const good = await call(vsa, 'POST', '/system/orgs', auth, `RAW:{${defaults},"OrgName":"Newco","OrgRef":"newco","NoOfEmployees":7}`);
		expect(good.json.ResponseCode).toBe(0);
		const id = /"OrgId":(\d+)/.exec(good.text)![1];
		// The placeholder OrgId is not used: the server issues a 26-digit id.
		expect(id).toHaveLength(26);
		expect(vsa.store.org(id)?.NoOfEmployees).toBe(7);
		const cf = await call(vsa, 'PUT', `/assetmgmt/assets/${vsa.store.agents[0].AgentId}/customfields/Contract`, auth, { key: 'FieldValue', value: 'Gold' });
		expect(cf.status).toBe(400);
	});

	it('closes an alarm with notes and sets a custom field value', async () => {
		const alarm = vsa.store.alarms.find((a) => a.State === 'Open')!;
		const r = await call(vsa, 'PUT', `/assetmgmt/alarms/${alarm.AlarmId}/close`, auth, [{ key: 'notes', value: 'handled' }]);
		expect(r.json.Result).toBe(true);
		expect(alarm).toMatchObject({ State: 'Closed', MonitorAlarmStateId: 2, Notes: 'handled' });
		const agent = vsa.store.agents[3];
		await call(vsa, 'PUT', `/assetmgmt/assets/${agent.AgentId}/customfields/Rack Unit`, auth, [{ key: 'FieldValue', value: '12' }]);
		const v = await call(vsa, 'GET', `/assetmgmt/assets/${agent.AgentId}/customfields?$filter=FieldName eq 'Rack Unit'`, auth);
		expect(v.json.Result[0].FieldValue).toBe('12');
	});

	it('creates a ticket with lookup ids and a ticket note, changes status by id', async () => {
		const desk = vsa.store.serviceDesks[0];
		const lk = vsa.store.deskLookups.get(desk.ServiceDeskId.toString())!;
		const high = lk.priorities.find((p) => p.PriorityName === 'High')!;
		const created = await call(vsa, 'POST', `/automation/servicedesktickets/${desk.ServiceDeskId}/ticket`, auth, { Summary: 'Emulator test', Priority: high.PriorityId.toString() });
		expect(created.json.Result).toMatchObject({ Summary: 'Emulator test', Priority: 'High', TicketStatus: 'New' });
		const ticketId = /"ServiceDeskTicketId":(\d+)/.exec(created.text)![1];
		await call(vsa, 'POST', `/automation/servicedesktickets/${ticketId}/notes`, auth, { Text: 'first note', Hidden: false });
		const notes = await call(vsa, 'GET', `/automation/servicedesktickets/${ticketId}/notes`, auth);
		expect(notes.json.TotalRecords).toBe(1);
		const closed = lk.status.find((s) => s.StatusName === 'Closed')!;
		await call(vsa, 'PUT', `/automation/servicedesktickets/${ticketId}/status/${closed.StatusId}`, auth);
		expect(vsa.store.ticket(ticketId)!.TicketStatus).toBe('Closed');
		expect((await call(vsa, 'GET', '/automation/servicedesktickets', auth)).status).toBe(403);
	});

	it('is strict where the real Service Desk is: lookup names, numeric create fields, OData on the ticket model, custom field bodies', async () => {
		const desk = vsa.store.serviceDesks[0];
		const lk = vsa.store.deskLookups.get(desk.ServiceDeskId.toString())!;
		const base = `/automation/servicedesks/${desk.ServiceDeskId}`;
		// Desk lookups answer the real field names only.
		expect(Object.keys((await call(vsa, 'GET', `${base}/status`, auth)).json.Result[0]).sort()).toEqual(['StatusId', 'StatusName']);
		expect(Object.keys((await call(vsa, 'GET', `${base}/priorities`, auth)).json.Result[0]).sort()).toEqual(['PriorityId', 'PriorityName']);
		expect(Object.keys((await call(vsa, 'GET', `${base}/categories`, auth)).json.Result[0]).sort()).toEqual(['CategoryId', 'CategoryName']);
		// A name where the create endpoint int-parses an id: HTTP 500 (KAT New-VSASDTicket.ps1).
		const create = (body: object) => call(vsa, 'POST', `/automation/servicedesktickets/${desk.ServiceDeskId}/ticket`, auth, body);
		const priority = lk.priorities[0].PriorityId.toString();
		for (const body of [{ Summary: 's', Priority: 'High' }, { Summary: 's', Priority: priority, Status: 'New' }, { Summary: 's', Priority: priority, Category: 'Hardware' }]) {
			const r = await create(body);
			expect(r.status).toBe(500);
			expect(r.text).toContain('Input string was not in a correct format.');
		}
		expect((await create({ Summary: 's' })).status).toBe(400);
		expect((await create({ Summary: 's', Priority: priority, Colour: 'red' })).status).toBe(400);
		// OData on fields the ticket model does not have: 400 with the property named.
		for (const qs of ["$filter=Status eq 'New'", '$orderby=CreatedDateTime', '$orderby=LastModifiedDateTime desc']) {
			const r = await call(vsa, 'GET', `${base}/tickets?${qs}`, auth);
			expect(r.status).toBe(400);
			expect(r.text).toMatch(/Could not find a property named '(Status|CreatedDateTime|LastModifiedDateTime)'/);
		}
		const ok = await call(vsa, 'GET', `${base}/tickets?$filter=substringof('Progress', TicketStatus)&$orderby=ModifiedDate desc,ServiceDeskTicketId desc`, auth);
		expect(ok.status).toBe(200);
		expect(ok.json.Result.length).toBeGreaterThan(0);
		expect(ok.json.Result.every((t: { TicketStatus: string }) => t.TicketStatus === 'In Progress')).toBe(true);
		// Custom field value: a bare JSON string only.
		const t = vsa.store.tickets.find((x) => x.ServiceDeskId === desk.ServiceDeskId)!;
		const billing = lk.customfields.find((f) => f.FieldName === 'BillingCode')!;
		const path = `/automation/servicedesktickets/${t.ServiceDeskTicketId}/customfields/${billing.CustomFieldId}`;
		expect((await call(vsa, 'PUT', path, auth, [{ key: 'FieldValue', value: 'Warranty' }])).status).toBe(400);
		expect((await call(vsa, 'PUT', path, auth, { FieldValue: 'Warranty' })).status).toBe(400);
		expect((await call(vsa, 'PUT', path, auth, 'Warranty')).json.Result).toBe(true);
		expect((await call(vsa, 'GET', path, auth)).json.Result.Value).toBe('Warranty');
	});
});

describe('alarms, faults and control API', () => {
	it('GET /assetmgmt/alarms/false returns only alarms new since this session’s last request', async () => {
		const vsa = await start();
		const a = `Bearer ${await token(vsa)}`;
		const b = `Bearer ${await token(vsa)}`;
		expect((await call(vsa, 'GET', '/assetmgmt/alarms/false?$top=1', a)).json.TotalRecords).toBe(vsa.store.alarms.length);
		expect((await call(vsa, 'GET', '/assetmgmt/alarms/false', a)).json.TotalRecords).toBe(0);
		const res = await fetch(`${vsa.url}/__emulator/mutate`, { method: 'POST', body: JSON.stringify({ op: 'addAlarm' }) });
		const added = (await res.json()) as any;
		const fresh = await call(vsa, 'GET', '/assetmgmt/alarms/false', a);
		expect(fresh.json.TotalRecords).toBe(1);
		expect(fresh.json.Result[0].AlarmId).toBe(added.AlarmId);
		expect((await call(vsa, 'GET', '/assetmgmt/alarms/false', b)).json.TotalRecords).toBe(vsa.store.alarms.length);
		expect((await call(vsa, 'GET', '/assetmgmt/alarms/true', a)).json.TotalRecords).toBe(vsa.store.alarms.length);
	});

	it('injects envelope errors inside HTTP 200 for the next N matching requests', async () => {
		const vsa = await start();
		const auth = `Bearer ${await token(vsa)}`;
		vsa.envelopeError({ path: '/assetmgmt/agents', times: 2, responseCode: 500, error: 'Object reference not set' });
		for (let i = 0; i < 2; i++) {
			const r = await call(vsa, 'GET', '/assetmgmt/agents', auth);
			expect(r.status).toBe(200);
			expect(r.json).toMatchObject({ ResponseCode: 500, Error: 'Object reference not set' });
		}
		expect((await call(vsa, 'GET', '/assetmgmt/agents', auth)).json.ResponseCode).toBe(0);
	});

	it('names unknown routes in a 404', async () => {
		const vsa = await start();
		const r = await call(vsa, 'GET', '/assetmgmt/nothing', `Bearer ${await token(vsa)}`);
		expect(r.status).toBe(404);
		expect(r.json.Error).toBe('emulator has no route for GET /api/v1.0/assetmgmt/nothing');
	});

	it('matches paths case-insensitively', async () => {
		const vsa = await start();
		const r = await fetch(`${vsa.url}/API/v1.0/Auth`, { headers: { Authorization: `Basic ${VECTOR_C}` } });
		expect(((await r.json()) as any).ResponseCode).toBe(0);
	});
});

describe('endpoint catalog', () => {
	it('answers every documented GET with an envelope, collections with TotalRecords', async () => {
		const vsa = await start({ agents: 60 });
		const auth = `Bearer ${await token(vsa)}`;
		const s = vsa.store;
		const agent = s.agents.find((a) => a.OperatingSystem === 'Windows')!.AgentId;
		const org = s.orgs[1].OrgId;
		const desk = s.serviceDesks[0].ServiceDeskId;
		const ticket = s.tickets[0].ServiceDeskTicketId;
		const single = [
			'/environment',
			'/system/currentUser',
			`/assetmgmt/agents/${agent}`,
			`/assetmgmt/assets/getassetbyid/${s.assets[0].AssetId}`,
			`/assetmgmt/alarms/${s.alarms[0].AlarmId}`,
			`/assetmgmt/audit/${agent}/summary`,
			`/assetmgmt/audit/${agent}/hardware/purchaseandwarrantyexpire`,
			`/assetmgmt/patch/${agent}/status`,
			`/system/orgs/${org}`,
			`/system/machinegroups/${s.machineGroups[0].MachineGroupId}`,
			`/system/users/${s.users[0].UserId}`,
			`/automation/servicedesktickets/${ticket}`,
			`/automation/servicedesktickets/${ticket}/customfields/${s.deskLookups.get(s.tickets[0].ServiceDeskId.toString())!.customfields[0].CustomFieldId}`,
		];
		const collections = [
			'/assetmgmt/agents',
			'/assetmgmt/agent/notes',
			'/assetmgmt/assets',
			'/assetmgmt/alarms/true',
			'/assetmgmt/audit',
			...['credentials', 'groups', 'members', 'useraccounts'].map((c) => `/assetmgmt/audit/${agent}/${c}`),
			...['diskvolumes', 'pcianddisk', 'printers'].map((c) => `/assetmgmt/audit/${agent}/hardware/${c}`),
			...['addremoveprograms', 'installedapplications', 'licenses', 'securityproducts', 'startupapps'].map((c) => `/assetmgmt/audit/${agent}/software/${c}`),
			'/assetmgmt/assets/customfields',
			`/assetmgmt/assets/${agent}/customfields`,
			...['agent', 'agentprocedure', 'alarms', 'configurationchanges', 'legacyremotecontrol', 'remotecontrol', 'monitoractions', 'networkstats', 'logmonitoring'].map((l) => `/assetmgmt/logs/${agent}/${l}`),
			...['application', 'directoryservice', 'dnsserver', 'internetexplorer', 'security', 'system'].map((l) => `/assetmgmt/logs/${agent}/eventlog/${l}`),
			`/assetmgmt/patch/${agent}/history`,
			`/assetmgmt/patch/${agent}/machineupdate/true`,
			`/assetmgmt/patch/${agent}/machineupdate/false`,
			'/automation/agentprocs',
			`/automation/agentprocs/${agent}/history`,
			`/automation/agentprocs/${agent}/scheduledprocs`,
			'/automation/servicedesks',
			`/automation/servicedesks/${desk}/tickets`,
			...['status', 'priorities', 'categories', 'customfields'].map((k) => `/automation/servicedesks/${desk}/${k}`),
			`/automation/servicedesktickets/${ticket}/notes`,
			'/system/machinegroups',
			`/system/orgs/${org}/machinegroups`,
			'/system/orgs',
			'/system/users',
			'/system/roles',
			'/system/scopes',
			'/system/staff',
		];
		for (const path of single) {
			const r = await call(vsa, 'GET', path, auth);
			expect([path, r.status, r.json?.ResponseCode]).toEqual([path, 200, 0]);
			expect(r.json.TotalRecords).toBeUndefined();
		}
		for (const path of collections) {
			const r = await call(vsa, 'GET', path, auth);
			expect([path, r.status, r.json?.ResponseCode]).toEqual([path, 200, 0]);
			expect(Array.isArray(r.json.Result) && typeof r.json.TotalRecords === 'number').toBe(true);
			expect(r.json.Result.length).toBeLessThanOrEqual(100);
		}
		const logs = await call(vsa, 'GET', `/assetmgmt/logs/${agent}/agent`, auth);
		expect(logs.json.TotalRecords).toBeGreaterThan(100);
	});

	it('validates $filter fields on an empty collection and on always-null fields', async () => {
		const vsa = await start({ agents: 60 });
		const auth = `Bearer ${await token(vsa)}`;
		const bare = vsa.store.agents.find((a) => vsa.store.detail.get(`scheduledprocs|${a.AgentId}`) === undefined)!;
		const r = await call(vsa, 'GET', `/automation/agentprocs/${bare.AgentId}/scheduledprocs?$filter=AgentProcedureId eq 5`, auth);
		expect(r.json).toMatchObject({ ResponseCode: 0, TotalRecords: 0 });
		const org = vsa.store.orgs[0].OrgId;
		const p = await call(vsa, 'GET', `/system/orgs?$filter=ParentOrgId eq ${org}M`, auth);
		expect(p.json).toMatchObject({ ResponseCode: 0, TotalRecords: 0 });
	});

	it('hides a new org by id during the configured propagation lag (KAT README 1.6)', async () => {
		const vsa = await start({ agents: 20, orgPropagationMs: 2000 });
		const auth = `Bearer ${await token(vsa)}`;
		const created = await call(vsa, 'POST', '/system/orgs', auth, { OrgId: '123', OrgName: 'Lagco', OrgRef: 'lagco', DefaultDepartmentName: 'root', DefaultMachineGroupName: 'root' });
		const id = /"OrgId":(\d+)/.exec(created.text)![1];
		expect((await call(vsa, 'GET', `/system/orgs/${id}`, auth)).json.Error).toBe('Org does not exist');
		vsa.advanceClock(2001);
		expect((await call(vsa, 'GET', `/system/orgs/${id}`, auth)).json.ResponseCode).toBe(0);
	});
});

describe('remaining write endpoints', () => {
	it('rename/delete agent, custom field lifecycle, machine groups, audit/patch actions, ticket assignment', async () => {
		const vsa = await start({ agents: 40 });
		const auth = `Bearer ${await token(vsa)}`;
		const s = vsa.store;
		const [a0, a1] = s.agents;
		const put = (p: string, body?: unknown) => call(vsa, 'PUT', p, auth, body);

		expect((await put(`/assetmgmt/agents/${a0.AgentId}/rename/renamed-pc`)).json.Result).toBe(true);
		expect(s.agent(a0.AgentId)!.AgentName).toBe(`renamed-pc.${a0.MachineGroup}`);
		expect((await call(vsa, 'DELETE', `/assetmgmt/agents/${a1.AgentId}/uninstallfirst`, auth)).status).toBe(400);
		expect((await call(vsa, 'DELETE', `/assetmgmt/agents/${a1.AgentId}/True`, auth)).status).toBe(204);
		expect(s.agent(a1.AgentId)).toBeUndefined();
		expect((await call(vsa, 'GET', `/assetmgmt/agents/${a1.AgentId}`, auth)).status).toBe(404);

		expect((await call(vsa, 'POST', '/assetmgmt/assets/customfields', auth, [{ key: 'FieldName', value: 'Owner' }, { key: 'FieldType', value: 'string' }])).json.Result).toBe(true);
		expect((await put(`/assetmgmt/assets/${a0.AgentId}/customfields/Owner`, [{ key: 'FieldValue', value: 'Ops' }])).json.Result).toBe(true);
		expect((await put('/assetmgmt/assets/customfields/Owner', [{ key: 'NewFieldName', value: 'Team' }])).json.Result).toBe(true);
		const values = await call(vsa, 'GET', `/assetmgmt/assets/${a0.AgentId}/customfields?$filter=FieldName eq 'Team'`, auth);
		expect(values.json.Result[0].FieldValue).toBe('Ops');
		expect((await put(`/assetmgmt/assets/${a0.AgentId}/customfields/Rack Unit`, [{ key: 'FieldValue', value: 'twelve' }])).status).toBe(400);
		expect((await call(vsa, 'DELETE', '/assetmgmt/assets/customfields/Team', auth)).status).toBe(204);
		expect(s.customFieldDefs.some((f) => f.FieldName === 'Team')).toBe(false);

		const org = s.orgs[2];
		const mg = await call(vsa, 'POST', `/system/orgs/${org.OrgId}/machinegroups`, auth, { MachineGroupName: 'lab' });
		const mgId = /"MachineGroupId":(\d+)/.exec(mg.text)![1];
		expect((await put(`/system/machinegroups/${mgId}`, { MachineGroupName: 'lab2' })).json.Result).toBe(true);
		expect(s.machineGroup(mgId)!.MachineGroupName).toBe('lab2');
		expect((await call(vsa, 'DELETE', `/system/machinegroups/${mgId}`, auth)).status).toBe(204);
		expect((await put(`/system/orgs/${org.OrgId}`, { NoOfEmployees: 12, Website: 'https://x.example' })).json.Result).toBe(true);
		expect(s.org(org.OrgId)!.NoOfEmployees).toBe(12);

		for (const kind of ['baseline', 'latest', 'sysinfo']) expect((await put(`/assetmgmt/audit/${kind}/${a0.AgentId}/runnow`)).json.Result).toBe(true);
		expect(s.counter(`audit:latest:${a0.AgentId}`)).toBe(1);
		expect((await put(`/assetmgmt/patch/${a0.AgentId}/scannow`)).json.Result).toBe(true);
		expect(s.counter(`patch:scan:${a0.AgentId}`)).toBe(1);

		const t = s.tickets[0];
		const staff = s.staff[4];
		expect((await put(`/automation/servicedesks/assign/${t.ServiceDeskTicketId}/${staff.StaffId}`)).json.Result).toBe(true);
		expect(t.Assignee).toBe(staff.StaffName);
		const lk = s.deskLookups.get(t.ServiceDeskId.toString())!;
		const high = lk.priorities.find((p) => p.PriorityName === 'High')!;
		expect((await put(`/automation/servicedesktickets/${t.ServiceDeskTicketId}/priority/${high.PriorityId}`)).json.Result).toBe(true);
		expect(t.Priority).toBe('High');
		const billing = lk.customfields.find((c) => c.FieldName === 'BillingCode')!;
		expect((await put(`/automation/servicedesktickets/${t.ServiceDeskTicketId}/customfields/${billing.CustomFieldId}`, 'Warranty')).json.Result).toBe(true);
		expect(s.ticketExtras.get(t.ServiceDeskTicketId.toString())!.customFields.get(billing.CustomFieldId.toString())).toBe('Warranty');
		expect((await put(`/automation/servicedesktickets/${t.ServiceDeskTicketId}/customfields/${billing.CustomFieldId}`, 'Nope')).status).toBe(400);
	});
});

describe('record models of the non-ticket collections (test/emulators/vsa/models.ts)', () => {
	let vsa: VsaEmulator;
	let auth: string;
	beforeAll(async () => {
		vsa = await start({ agents: 30 });
		auth = `Bearer ${await token(vsa)}`;
	});

	it('answers 400 with the OData text to $filter/$orderby on a property the real model does not have', async () => {
		const assetType = await call(vsa, 'GET', "/assetmgmt/assets?$filter=AssetType eq 'Server'", auth);
		expect(assetType.status).toBe(400);
		expect(assetType.json.Error).toBe("Could not find a property named 'AssetType' on type 'Asset'.");
		expect((await call(vsa, 'GET', '/assetmgmt/assets?$filter=AssetTypeId eq 2M', auth)).json.TotalRecords).toBeGreaterThan(0);
		const agent = vsa.store.agents.find((a) => a.OperatingSystem === 'Windows')!;
		expect((await call(vsa, 'GET', `/assetmgmt/patch/${agent.AgentId}/machineupdate/False?$orderby=ReleaseDate desc`, auth)).status).toBe(400);
		expect((await call(vsa, 'GET', `/assetmgmt/patch/${agent.AgentId}/machineupdate/False?$orderby=LastPublishedDate desc`, auth)).json.ResponseCode).toBe(0);
		expect((await call(vsa, 'GET', `/assetmgmt/logs/${agent.AgentId}/agentprocedure?$orderby=Time desc`, auth)).status).toBe(400);
		expect((await call(vsa, 'GET', `/assetmgmt/logs/${agent.AgentId}/agentprocedure?$orderby=LastExecution desc`, auth)).json.ResponseCode).toBe(0);
		expect((await call(vsa, 'GET', `/assetmgmt/logs/${agent.AgentId}/remotecontrol?$orderby=StartTime desc`, auth)).json.ResponseCode).toBe(0);
		expect((await call(vsa, 'GET', "/system/staff?$orderby=StaffName", auth)).status).toBe(400);
		expect((await call(vsa, 'GET', "/system/staff?$filter=substringof('Admin', StaffFullName)", auth)).json.TotalRecords).toBeGreaterThan(0);
		expect((await call(vsa, 'GET', '/automation/agentprocs?$orderby=AgentProcedureName', auth)).json.ResponseCode).toBe(0);
		expect((await call(vsa, 'GET', '/assetmgmt/assettypes?$orderby=AssetTypeName', auth)).json.Result.length).toBeGreaterThan(0);
	});

	it('takes only the custom field types KAT validates, as a key/value array', async () => {
		const post = (body: unknown) => call(vsa, 'POST', '/assetmgmt/assets/customfields', auth, body);
		expect((await post([{ key: 'FieldName', value: 'Tier' }, { key: 'FieldType', value: 'String' }])).status).toBe(400);
		expect((await post({ FieldName: 'Tier', FieldType: 'string' })).status).toBe(400);
		expect((await post([{ key: 'FieldName', value: 'Tier' }])).json.Error).toBe('FieldType is required.');
		for (const type of ['string', 'number', 'datetime', 'date', 'time']) {
			expect((await post([{ key: 'FieldName', value: `Tier ${type}` }, { key: 'FieldType', value: type }])).json.Result).toBe(true);
		}
	});
});
