/** VSPC's response envelope and error wording (nodes/VeeamServiceProviderConsole/transport.ts), pure. */
import { decodeVspcResponse, describeVspcError, VSPC_PROFILE } from '../../nodes/VeeamServiceProviderConsole/transport';
import { listQuery, requireUid, vspcOperations } from '../../nodes/VeeamServiceProviderConsole/operations';

const node = { id: '1', name: 'VSPC', type: 'veeamServiceProviderConsole', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
const check = { node, itemIndex: 0 };

describe('decodeVspcResponse', () => {
	it('reads data and meta.pagingInfo.total of a list, keeping long numbers exact', () => {
		const page = decodeVspcResponse(200, '{"meta":{"pagingInfo":{"total":812,"count":1,"offset":500}},"data":[{"instanceUid":"a","size":12345678901234567890}],"errors":null}');
		expect(page).toEqual({ ok: true, result: [{ instanceUid: 'a', size: '12345678901234567890' }], total: 812 });
	});

	it('an action answer (EmptyResponse, data null) and an empty body are a success', () => {
		expect(decodeVspcResponse(200, '{"errors":[],"data":null,"meta":null}')).toEqual({ ok: true, result: true, total: undefined });
		expect(decodeVspcResponse(204, '')).toEqual({ ok: true, result: true });
	});

	it('errors in the envelope fail the call, also with HTTP 200, quoting message, parameter and code', () => {
		expect(decodeVspcResponse(400, '{"errors":[{"message":"Property value must be larger or equal to 0.","type":"logical","code":400,"parameterName":"offset"}],"data":null}')).toEqual({
			ok: false,
			code: 400,
			errorText: 'Property value must be larger or equal to 0. (parameter offset) [code 400]',
		});
		expect(decodeVspcResponse(200, '{"data":[],"errors":[{"message":"Line one\\r\\nline two","code":1000}]}')).toEqual({ ok: false, code: 1000, errorText: 'Line one line two [code 1000]' });
	});

	it('202 (queued as an asynchronous action), HTML and redirects are failures, never data', () => {
		expect(decodeVspcResponse(202, '')).toEqual({ ok: false, code: 202 });
		expect(decodeVspcResponse(200, '<html><body>Login</body></html>', 'text/html')).toMatchObject({ ok: false, notJson: true });
		expect(decodeVspcResponse(302, '')).toMatchObject({ ok: false, code: 302 });
		expect(decodeVspcResponse(200, 'plain text', 'text/plain', true)).toEqual({ ok: true, result: 'plain text' });
	});
});

describe('describeVspcError', () => {
	const facts = (code: number, errorText?: string) => ({ code, errorText, method: 'POST', path: '/api/v3/infrastructure/backupServers/jobs/x/start', notJson: false });
	it('names what happened and what to do for each status VSPC documents', () => {
		expect(describeVspcError(facts(403, 'Access denied')).description).toMatch(/read-only/);
		expect(describeVspcError(facts(520, 'Unspecified error')).message).toBe('Veeam Service Provider Console had an internal error on POST /api/v3/infrastructure/backupServers/jobs/x/start (520): Unspecified error');
		expect(describeVspcError(facts(504)).message).toMatch(/could not reach its own server/);
		expect(describeVspcError(facts(202)).description).toMatch(/asynchronous actions/);
		expect(describeVspcError(facts(429)).description).toMatch(/Concurrency/);
	});
});

describe('the profile and the table', () => {
	it('sends X-Request-id on writes, pages with limit/offset, keeps its secrets out of messages', () => {
		expect(VSPC_PROFILE.idempotencyHeader).toBe('X-Request-id');
		expect(typeof VSPC_PROFILE.paging === 'object' && VSPC_PROFILE.paging.pageQuery?.(500, 300)).toEqual({ limit: 300, offset: 500 });
		expect(VSPC_PROFILE.secretFields).toEqual(expect.arrayContaining(['password', 'apiKey', 'accessToken', 'refreshToken']));
	});

	it('UIDs are checked before sending; a sort must be one of the row\'s fields', () => {
		expect(requireUid(check, 'Job UID', ' 3FA85F64-5717-4562-B3FC-2C963F66AFA6 ')).toBe('3FA85F64-5717-4562-B3FC-2C963F66AFA6');
		expect(() => requireUid(check, 'Job UID', '12')).toThrow(/not a valid VSPC UID/);
		const jobs = vspcOperations.find((o) => o.resource === 'backupJob' && o.operation === 'getAll')!;
		expect(listQuery(jobs, { status: ['Failed'], sort: { field: 'lastRun', direction: 'descending' } }, check)).toEqual({
			filter: '[{"property":"status","operation":"equals","value":"Failed"}]',
			sort: '[{"property":"lastRun","direction":"descending"}]',
		});
		expect(() => listQuery(jobs, { sort: { field: 'failureMessage' } }, check)).toThrow(/Sort By: "failureMessage" is not a valid choice/);
	});
});
