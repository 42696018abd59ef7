import { challengeHashFields, challengeHashPayload, vsaAuthHeader } from '../../credentials/shared/vsaChallengeHash';

// Vector A is Kaseya's example on https://help.kaseya.com/webhelp/EN/RESTAPI/9050000/37320.htm; the others are
// computed locally with the algorithm of that page.
describe('VSA challenge hash', () => {
	it('reproduces the hashes of Kaseya published example (vector A: kadmin/kadmin, rand2 994656)', () => {
		const f = challengeHashFields('kadmin', 'kadmin', '994656');
		expect(f.pass2).toBe('f19eafc67ef932c20d19fdd5fb2e6560dce9a95aaab10673249a57a93866e41d');
		expect(f.pass1).toBe('0dc0ff9c0d4ed04e82bc6fa94e6754321a082375');
		expect(f.rpass2).toBe('5ec805c704e52c4809c96d7a862c0e531b6df3692e7ff6f22b2b940adbf63098');
		expect(f.rpass1).toBe('9aa2c841f30f87df8432fecddb1780b073ff4799');
	});

	it('reproduces Kaseya published Base64 byte for byte (doc-literal rpass = covered values, twofapass)', () => {
		const f = challengeHashFields('kadmin', 'kadmin', '994656');
		const docLiteral = challengeHashPayload({ ...f, rpass2: f.pass2, rpass1: f.pass1, twofapass: ':undefined' });
		expect(docLiteral).toBe(
			'dXNlcj1rYWRtaW4scGFzczI9ZjE5ZWFmYzY3ZWY5MzJjMjBkMTlmZGQ1ZmIyZTY1NjBkY2U5YTk1YWFhYjEwNjczMjQ5YTU3YTkzODY2ZTQxZCxwYXNzMT0wZGMwZmY5YzBkNGVkMDRlODJiYzZmYTk0ZTY3NTQzMjFhMDgyMzc1LHJhbmQyPTk5NDY1NixycGFzczI9ZjE5ZWFmYzY3ZWY5MzJjMjBkMTlmZGQ1ZmIyZTY1NjBkY2U5YTk1YWFhYjEwNjczMjQ5YTU3YTkzODY2ZTQxZCxycGFzczE9MGRjMGZmOWMwZDRlZDA0ZTgyYmM2ZmE5NGU2NzU0MzIxYTA4MjM3NSx0d29mYXBhc3M9OnVuZGVmaW5lZA==',
		);
	});

	it('builds the algorithm-faithful variant of vector A (raw hashes in rpass)', () => {
		const f = challengeHashFields('kadmin', 'kadmin', '994656');
		expect(challengeHashPayload({ ...f, twofapass: ':undefined' })).toBe(
			'dXNlcj1rYWRtaW4scGFzczI9ZjE5ZWFmYzY3ZWY5MzJjMjBkMTlmZGQ1ZmIyZTY1NjBkY2U5YTk1YWFhYjEwNjczMjQ5YTU3YTkzODY2ZTQxZCxwYXNzMT0wZGMwZmY5YzBkNGVkMDRlODJiYzZmYTk0ZTY3NTQzMjFhMDgyMzc1LHJhbmQyPTk5NDY1NixycGFzczI9NWVjODA1YzcwNGU1MmM0ODA5Yzk2ZDdhODYyYzBlNTMxYjZkZjM2OTJlN2ZmNmYyMmIyYjk0MGFkYmY2MzA5OCxycGFzczE9OWFhMmM4NDFmMzBmODdkZjg0MzJmZWNkZGIxNzgwYjA3M2ZmNDc5OSx0d29mYXBhc3M9OnVuZGVmaW5lZA==',
		);
	});

	it('matches the fresh vector B (apiuser / S3cret!, rand2 12345678)', () => {
		expect(vsaAuthHeader('password', 'apiuser', 'S3cret!', '12345678')).toBe(
			'Basic dXNlcj1hcGl1c2VyLHBhc3MyPTZjY2I2MTY0MjRkNDE3Y2FiN2ZhNzg4ZmYyZDJmYmRkYjc3OTgwMTQ1YTA4MTQ2Y2NiMWEwZjQ4NDA2ZDhlNjQscGFzczE9MzU0ODViMDgzNTY3NmY3YTNkNjMwZTA0ZjVkMTIzZTdiOGYwN2VkYSxyYW5kMj0xMjM0NTY3OCxycGFzczI9ODhkM2ZmMDk5OTFiYWUzOWNiODQ0NzQ2Yzc4YWIwOWQ0YzYyMDUwODU3ZDMzNjc1MWUzN2M0YjFkODRhMWQ0NCxycGFzczE9OWZjMmFjZDQ2YjMwNDY5NzMwYzAzOTFhOGUxNGMxMDlkMzQyNjYzOA==',
		);
	});

	it('encodes a PAT as ordinary Basic username:token (vector C)', () => {
		expect(vsaAuthHeader('personalAccessToken', 'apiuser', '00000000-0000-0000-0000-000000000000')).toBe(
			'Basic YXBpdXNlcjowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA=',
		);
	});

	it('uses a fresh rand2 for every login and hashes UTF-8 input', () => {
		const a = vsaAuthHeader('password', 'tëch', 'pässwörd');
		const b = vsaAuthHeader('password', 'tëch', 'pässwörd');
		expect(a).not.toBe(b);
		const decoded = Buffer.from(a.slice('Basic '.length), 'base64').toString('utf8');
		const rand2 = /rand2=(\d+)/.exec(decoded)![1];
		expect(decoded).toContain(`pass2=${challengeHashFields('tëch', 'pässwörd', rand2).pass2}`);
	});
});
