/**
 * Seeded generator of bad server responses: what a proxy, a login portal, a half-dead server or a
 * different product answers instead of the API. Each one says whether a client may treat it as a
 * success (`mustFail: false`: an odd but well-formed envelope) or must turn it into an error.
 */
import { seededRandom } from '../../emulators/common/server';

export interface BadResponse {
	name: string;
	status: number;
	contentType: string;
	body: string;
	headers?: Record<string, string>;
	/** True when no client should present this as a successful result. */
	mustFail: boolean;
	/** Multi-megabyte body (run against fewer targets). */
	huge?: boolean;
	/** A redirect: the client must not follow it (it would replay the Authorization header). */
	redirect?: boolean;
}

/** The products whose API shapes the generator knows. */
export type Product = 'vsa' | 'vro' | 'vspc';

/** VSA envelopes (`{TotalRecords, Result, ResponseCode}`) with missing or odd fields. */
const ODD_VSA = [
	'{}',
	'{"Result": null}',
	'{"Result": null, "ResponseCode": 0}',
	'{"ResponseCode": "abc"}',
	'{"ResponseCode": 0, "Result": "a string"}',
	'{"ResponseCode": 0, "Result": 42}',
	'{"TotalRecords": -5, "Result": [], "ResponseCode": 0}',
	'{"TotalRecords": "lots", "Result": [], "ResponseCode": 0}',
	'{"TotalRecords": 1e309, "Result": [], "ResponseCode": 0}',
	'{"TotalRecords": 999999999999999999999, "Result": [], "ResponseCode": 0}',
	'{"Result": [null, 1, "x", [], {}], "ResponseCode": 0}',
	'{"ResponseCode": 500, "Error": {"nested": "object"}}',
	'{"ResponseCode": 403, "Error": null}',
	'{"ResponseCode": 401.5}',
	'{"ResponseCode": -1, "Status": "Error", "Error": "Negative"}',
	'{"Result": {"Result": {"Result": []}}, "ResponseCode": 0}',
	'[]',
	'"just a string"',
	'42',
	'true',
	'null',
	'{"Result": [{"AgentId": null}, {"AgentId": {}}, {"AgentId": [1]}], "ResponseCode": 0, "TotalRecords": 3}',
	`{"Result": [${'{"AgentId": 1},'.repeat(3)}{"AgentId": 1}], "ResponseCode": 0, "TotalRecords": 4}`,
	`${'['.repeat(20000)}${']'.repeat(20000)}`,
	`{"a":${'{"a":'.repeat(20000)}1${'}'.repeat(20001)}`,
	'{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}, "Result": [], "ResponseCode": 0}',
];

/** Orchestrator pages (`{data, pagination | total}`) with missing or odd fields. */
const ODD_VRO = [
	'{}',
	'{"data": null}',
	'{"data": "a string"}',
	'{"data": [], "pagination": null}',
	'{"data": [], "pagination": {"total": -1}}',
	'{"data": [], "pagination": {"total": "lots"}}',
	'{"data": [], "total": 1e309}',
	'{"data": [null, 1, "x", []], "total": 4}',
	'{"success": false, "data": {"message": "nope"}}',
	'{"success": true}',
	'{"success": "yes", "data": []}',
	'{"error": {"nested": "object"}}',
	'[]',
	'"just a string"',
	'42',
	'true',
	'null',
	'{"data": [{"id": null}, {"id": {}}, {"id": [1]}], "total": 3}',
	`${'['.repeat(20000)}${']'.repeat(20000)}`,
	`{"a":${'{"a":'.repeat(20000)}1${'}'.repeat(20001)}`,
	'{"__proto__": {"polluted": true}, "data": [], "total": 0}',
];

/** VSPC envelopes (`{meta: {pagingInfo}, data, errors}`) with missing or odd fields. */
const ODD_VSPC = [
	'{}',
	'{"data": null}',
	'{"data": "a string"}',
	'{"data": [], "meta": null}',
	'{"data": [], "meta": {"pagingInfo": null}}',
	'{"data": [], "meta": {"pagingInfo": {"total": -1, "count": 0, "offset": 0}}}',
	'{"data": [], "meta": {"pagingInfo": {"total": "lots"}}}',
	'{"data": [], "meta": {"pagingInfo": {"total": 1e309}}}',
	'{"data": [null, 1, "x", []], "meta": {"pagingInfo": {"total": 4, "count": 4, "offset": 0}}}',
	'{"errors": [], "data": null, "meta": null}',
	'{"errors": "oops", "data": []}',
	'{"errors": [{"message": null, "code": null}], "data": null}',
	'{"errors": [{}], "data": null, "meta": null}',
	'{"errors": [{"message": {"nested": "object"}, "code": "x"}], "data": null}',
	'[]',
	'"just a string"',
	'42',
	'true',
	'null',
	'{"data": [{"instanceUid": null}, {"instanceUid": {}}, {"instanceUid": [1]}], "meta": {"pagingInfo": {"total": 3, "count": 3, "offset": 0}}}',
	`${'['.repeat(20000)}${']'.repeat(20000)}`,
	`{"a":${'{"a":'.repeat(20000)}1${'}'.repeat(20001)}`,
	'{"__proto__": {"polluted": true}, "data": [], "meta": null, "errors": null}',
];

const ODD_ENVELOPES: Record<Product, string[]> = { vsa: ODD_VSA, vro: ODD_VRO, vspc: ODD_VSPC };

const HTML_TITLES = ['Sign in to your account', 'Kaseya VSA - Login', 'Access Denied', 'Web Filter: Blocked', '502 Bad Gateway', 'IIS Windows Server', 'Maintenance in progress', 'Veeam Recovery Orchestrator'];

function htmlPage(title: string, rng: () => number): string {
	const form = rng() < 0.5 ? '<form method="post" action="/login"><input name="username"><input type="password" name="password"></form>' : '<p>Please try again later.</p>';
	return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${title}</title><script>var x = {"a": 1};</script></head><body><h1>${title}</h1>${form}</body></html>`;
}

/** A realistic API body (VSA envelope, Orchestrator page or VSPC envelope) to truncate or mislabel. */
function sampleJson(kind: Product): string {
	if (kind === 'vspc') {
		const rows = Array.from({ length: 5 }, (_, i) => ({ instanceUid: `3fa85f64-5717-4562-b3fc-2c963f66afa${i}`, name: `acme-vm-00${i}`, organizationUid: '6c3ba8c2-1f0e-4d7a-9b8e-5f4d3c2b1a09', restorePoints: 14 }));
		return JSON.stringify({ meta: { pagingInfo: { total: 5, count: 5, offset: 0 } }, data: rows, errors: null });
	}
	if (kind === 'vsa') {
		const rows = Array.from({ length: 5 }, (_, i) => ({ AgentId: 979868787875855 + i, AgentName: `pc-${i}.root.acme`, Online: 1, OrgId: 123456789012345 }));
		return JSON.stringify({ TotalRecords: 5, Result: rows, ResponseCode: 0, Status: 'OK', Error: 'None' });
	}
	const rows = Array.from({ length: 5 }, (_, i) => ({ id: `3fa85f64-5717-4562-b3fc-2c963f66afa${i}`, name: `Plan ${i}`, planType: 'Replica', state: 'Ready' }));
	return JSON.stringify({ data: rows, pagination: { total: 5, count: 5 } });
}

export interface GeneratorOptions {
	seed: number;
	/** Where redirects point (a server that records whatever reaches it). */
	redirectTo: string;
	/** Include the multi-megabyte bodies. */
	huge?: boolean;
}

export function generateBadResponses(kind: Product, o: GeneratorOptions): BadResponse[] {
	const rng = seededRandom(o.seed);
	const out: BadResponse[] = [];
	const add = (r: BadResponse) => out.push(r);

	// HTML login / proxy / maintenance pages, with honest and dishonest content types.
	for (const title of HTML_TITLES) {
		for (const status of [200, 401, 403, 500]) {
			add({ name: `html "${title}" ${status}`, status, contentType: 'text/html; charset=utf-8', body: htmlPage(title, rng), mustFail: true });
		}
		add({ name: `html "${title}" labelled JSON`, status: 200, contentType: 'application/json', body: htmlPage(title, rng), mustFail: true });
		add({ name: `html "${title}" no content type`, status: 200, contentType: '', body: htmlPage(title, rng), mustFail: true });
	}

	// Truncated JSON at seeded positions, labelled JSON or not.
	const sample = sampleJson(kind);
	for (let i = 0; i < 12; i++) {
		const cut = 1 + Math.floor(rng() * (sample.length - 2));
		add({ name: `truncated JSON at ${cut}/${sample.length}`, status: 200, contentType: i % 3 === 2 ? 'text/plain' : 'application/json; charset=utf-8', body: sample.slice(0, cut), mustFail: true });
	}

	// Not JSON at all.
	const texts = ['OK', 'Success', 'true false', 'Error: object reference not set to an instance of an object', '\u0000\u0001\u0002binary\u00ff', '{{{{', ']]', '{"unterminated": "string', 'NaN', 'undefined', '<', '{"a":1}{"b":2}', "{'single': 'quotes'}", '\ufeff{"bom": true', 'Infinity'];
	for (const t of texts) add({ name: `not JSON: ${JSON.stringify(t).slice(0, 30)}`, status: 200, contentType: 'application/json', body: t, mustFail: true });

	// XML where JSON was expected.
	const xmls = [
		'<?xml version="1.0" encoding="utf-8"?><Error><Code>500</Code><Message>Internal error</Message></Error>',
		'<?xml version="1.0"?><ArrayOfAgent xmlns="http://schemas.datacontract.org/2004/07/"><Agent><AgentId>1</AgentId></Agent></ArrayOfAgent>',
		'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultstring>Server was unable to process request.</faultstring></soap:Fault></soap:Body></soap:Envelope>',
		'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
	];
	for (const [i, xml] of xmls.entries()) {
		for (const ct of ['application/xml', 'application/json', 'text/xml']) add({ name: `XML #${i} as ${ct}`, status: i === 0 ? 500 : 200, contentType: ct, body: xml, mustFail: true });
	}

	// Redirects that would carry the Authorization header elsewhere.
	for (const status of [301, 302, 303, 307, 308]) {
		add({ name: `redirect ${status} to another host`, status, contentType: 'text/html', body: `<html><body>Object moved to <a href="${o.redirectTo}/steal">here</a></body></html>`, headers: { Location: `${o.redirectTo}/steal` }, mustFail: true, redirect: true });
		add({ name: `redirect ${status} empty body`, status, contentType: '', body: '', headers: { Location: `${o.redirectTo}/steal?again=1` }, mustFail: true, redirect: true });
		add({ name: `redirect ${status} to https`, status, contentType: 'text/plain', body: 'Moved', headers: { Location: 'https://127.0.0.1:9/api' }, mustFail: true, redirect: true });
	}

	// Odd status codes with odd bodies.
	for (const [status, body, ct] of [
		[418, "I'm a teapot", 'text/plain'],
		[207, sample, 'application/json'],
		[299, 'weird', 'text/plain'],
		[999, 'nonsense status', 'text/plain'],
		[400, '', ''],
		[500, '', ''],
		[404, '<html><title>404 - File or directory not found.</title></html>', 'text/html'],
		[405, '{"Message":"The requested resource does not support http method"}', 'application/json'],
		[500, '{"Message":"An error has occurred.","ExceptionMessage":"Object reference not set","StackTrace":"   at Kaseya.Api.Foo()"}', 'application/json'],
		[409, '{"error": {"nested": {"deep": [1, 2, {"x": null}]}}}', 'application/json'],
	] as Array<[number, string, string]>) {
		// 207 carries a good body (a 2xx may be read as success); 299 carries text, which is not API data.
		add({ name: `status ${status} ${JSON.stringify(body).slice(0, 20)}`, status, contentType: ct, body, mustFail: status !== 207 });
	}

	// Envelopes with missing or odd fields: a client may fail clearly, or succeed without inventing data.
	const odd = ODD_ENVELOPES[kind];
	for (const body of odd) {
		for (const ct of ['application/json; charset=utf-8', 'text/plain']) add({ name: `odd envelope ${body.slice(0, 40)} (${ct})`, status: 200, contentType: ct, body, mustFail: false });
	}

	// Huge bodies.
	if (o.huge) {
		const mb = (n: number) => n * 1024 * 1024;
		add({ name: 'huge HTML page (24 MB)', status: 200, contentType: 'text/html', body: `<html><title>Huge</title><body>${'x'.repeat(mb(24))}</body></html>`, mustFail: true, huge: true });
		add({ name: 'huge unterminated JSON string (24 MB)', status: 200, contentType: 'application/json', body: `{"Result": "${'y'.repeat(mb(24))}`, mustFail: true, huge: true });
		add({ name: 'huge text error page (16 MB) with 500', status: 500, contentType: 'text/plain', body: 'E'.repeat(mb(16)), mustFail: true, huge: true });
		add({ name: 'huge valid JSON array of junk (12 MB)', status: 200, contentType: 'application/json', body: `[${Array.from({ length: 400_000 }, (_, i) => `{"junk":${i}}`).join(',')}]`, mustFail: false, huge: true });
	}
	return out;
}
