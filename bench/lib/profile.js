'use strict';
/**
 * Attributes the CPU samples of one execution's V8 profile (bench/lib/n8n-hook.js, `--profile`) to
 * the parts of a request: n8n reading the credential, the authentication hook, the HTTP client,
 * our buffer → text, the long-integer scan, JSON.parse, the envelope decode, the rest of our code,
 * n8n's engine, garbage collection.
 *
 * A sample belongs to the first frame, walking from the leaf towards the root, that a rule
 * recognises: the code that was running, or the nearest recognised caller of a builtin
 * (JSON.parse inside parseJsonLossless counts as JSON.parse); n8n code counts as "n8n engine" only
 * when no caller is recognised (n8n's credential-type lookup inside getDecrypted is credential
 * work). Continuations after an `await` have no
 * caller frames, so database and HTTP-stack code is recognised by its module. The profile covers
 * the main JavaScript thread only; n8n's CPU time (process.cpuUsage) also counts GC helper and
 * libuv threads, so the parts add up to less than the CPU time.
 */
const fs = require('fs');

const OURS = /n8n-nodes-kaseya-veeam\/dist\//;

/** Categories in report order, with a short description for the table. */
const CATEGORIES = [
	['credential', 'n8n reads the credential (database), decrypts it and resolves its fields'],
	['authHook', 'authentication hook (n8n preAuthentication check + the credential\'s authenticate)'],
	['httpClient', 'HTTP client: n8n OutboundHttp + axios (request build, response assembly)'],
	['nodeIo', 'Node.js http/net/stream (socket I/O, HTTP parsing)'],
	['bufferText', 'buffer → text (our responseText)'],
	['quoteScan', 'long-integer quoting scan (our quoteLongIntegers)'],
	['jsonParse', 'JSON.parse of the response'],
	['envelope', 'envelope decode + auth-rejection test (outside JSON.parse)'],
	['parameters', 'n8n reads node parameters (getNodeParameter: expressions in its sandbox, per item)'],
	['oursOther', 'our other code (transport, paging, items, per-request objects, n8n helpers it calls)'],
	['gc', 'garbage collection (main thread)'],
	['n8nEngine', 'n8n engine and other n8n code (node run, items, hooks)'],
	['program', 'native code V8 cannot attribute ("(program)")'],
	['benchHook', 'the benchmark\'s own sampler inside n8n (RSS and CPU time every 10 ms, bench/lib/n8n-hook.js)'],
	['other', 'other'],
];

function classify(frame) {
	const name = frame.functionName || '';
	const url = frame.url || '';
	if (name === '(garbage collector)') return 'gc';
	if (name === '(program)') return 'program';
	if (name === '(idle)') return null;
	if (name === '(root)') return undefined;
	if (/bench\/lib\/n8n-hook\.js$/.test(url)) return 'benchHook';
	if (OURS.test(url)) {
		if (name === 'quoteLongIntegers') return 'quoteScan';
		if (/^(parseJsonLossless|parseJsonNative|parseJsonScanned|losslessReviver|revive\w*)$/.test(name) || /shared\/json\.js$/.test(url)) return 'jsonParse';
		if (name === 'responseText') return 'bufferText';
		if (/^(decodeVsaResponse|isVsaAuthRejected|decode\w*Response|is\w*AuthRejected)$/.test(name) || /envelope\.js$/.test(url)) return 'envelope';
		if (/\.credentials\.js$/.test(url) && name === 'authenticate') return 'authHook';
		return 'oursOther';
	}
	if (/node-execution-context/.test(url) && /getNodeParameter$/.test(name)) return 'parameters';
	if (/credentials-helper\.js$/.test(url)) {
		if (/^(preAuthentication|authenticate|resolveValue)$/.test(name)) return 'authHook';
		return 'credential';
	}
	if (/\/(typeorm|sqlite3|@n8n\/db|pg|mysql2)\//.test(url) || /n8n-core\/dist\/(credentials|encryption)|\/cipher\.js$|credentials\/dynamic-credentials|policy-enforcement|credentials-overwrites/.test(url)) return 'credential';
	if (/_getCredentials|getCredentials$/.test(name) && /n8n-core/.test(url)) return 'credential';
	if (/@n8n\/backend-network|\/axios\/|follow-redirects|proxy-from-env|form-data|agent-base|https?-proxy-agent/.test(url)) return 'httpClient';
	if (/request-helpers\/(authentication|factory)\.js$|request-helper-functions\.js$/.test(url)) return 'httpClient';
	if (/^node:(_http|http|https|net|tls|stream|internal\/(streams|http|net|stream_base|js_stream|url|dns|timers|tls))/.test(url) || /^(parserOnHeadersComplete|parserOnBody|parserOnMessageComplete|onStreamRead|execute|writev|writeUtf8String|writeBuffer)$/.test(name) && url === '') return 'nodeIo';
	if (/\/(n8n|n8n-core|n8n-workflow|n8n-nodes-base|@n8n\/[^/]+)\//.test(url)) return WEAK_N8N;
	return undefined;
}

/** n8n code that a more specific caller (reading the credential, the HTTP client) may own. */
const WEAK_N8N = 'n8nEngine?';

/** { ms per category, sampledMs } of one .cpuprofile file. */
function analyze(file) {
	const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
	const byId = new Map();
	for (const n of profile.nodes) byId.set(n.id, n);
	const parent = new Map();
	for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
	const memo = new Map();
	const categoryOf = (id) => {
		if (memo.has(id)) return memo.get(id);
		let cur = id;
		let cat;
		let weak;
		while (cur !== undefined) {
			const c = classify(byId.get(cur).callFrame);
			if (c === null) {
				cat = null;
				break;
			}
			if (c === WEAK_N8N) weak = 'n8nEngine';
			else if (c) {
				cat = c;
				break;
			}
			cur = parent.get(cur);
		}
		const result = cat === undefined ? weak || 'other' : cat;
		memo.set(id, result);
		return result;
	};
	const ms = Object.fromEntries(CATEGORIES.map(([k]) => [k, 0]));
	const { samples, timeDeltas } = profile;
	let sampled = 0;
	for (let i = 0; i < samples.length; i++) {
		// A sample stands for the time until the next one.
		const us = i + 1 < timeDeltas.length ? timeDeltas[i + 1] : 0;
		const cat = categoryOf(samples[i]);
		if (cat === null) continue;
		ms[cat] += us / 1000;
		sampled += us / 1000;
	}
	return { ms, sampledMs: sampled, durationMs: (profile.endTime - profile.startTime) / 1000 };
}

/** Median of each category over several profiles of the same variant, per page. */
function breakdown(files, pages) {
	const runs = files.map(analyze);
	const med = (xs) => {
		const s = [...xs].sort((a, b) => a - b);
		return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
	};
	const perPage = {};
	for (const [k] of CATEGORIES) perPage[k] = med(runs.map((r) => r.ms[k])) / pages;
	return { runs: runs.length, pages, perPageMs: perPage, sampledPerPageMs: med(runs.map((r) => r.sampledMs)) / pages };
}

module.exports = { analyze, breakdown, classify, CATEGORIES };
