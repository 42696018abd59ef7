#!/usr/bin/env node
'use strict';
/**
 * npm run test:e2e — the package in a real n8n (pinned 2.x runtime, see scripts/n8n-runtime.js),
 * installed as a community package in a temp user folder, against the real emulators on loopback.
 *
 *   1. examples/*.json and an HTTP Request node workflow run with `n8n execute --id`;
 *   2. one `n8n start` with a published webhook workflow drives the many-executions checks
 *      (token reuse, revocation, refresh, fallback, logout, concurrency) and the REST credential test;
 *      and, in the same `n8n start`, published polling-trigger workflows (Kaseya VSA: alarmCreated,
 *      agentWentOffline, ticketCreated, ticketUpdated; Orchestrator: planStateChanged, planRunFinished,
 *      readinessCheckFailed; VSPC: alarmTriggered, jobFinished) fire exactly once on one emulator change
 *      each, with a silent baseline poll and a silent poll after;
 *   3. stored credentials are read back with `n8n export:credentials --decrypted`;
 *   4. n8n's log file, every CLI/server output, the trigger collector's payloads and this suite's own
 *      output are scanned for secrets.
 *
 * Prints progress and a final table; exit code 1 if any check fails.
 * Options: --keep (keep the temp user folder), --skip-build, --allow-missing (install even if
 * package.json lists files the build did not produce), --verbose, and for the version matrix:
 *   --n8n 1.x|2.x  the pinned runtime to run in (scripts/n8n-runtime.js RUNTIMES; default 2.x)
 *   --core         only the core every supported n8n line must pass: install as a community package,
 *                  every example, the wrong-password login error, token reuse (VSA, Orchestrator),
 *                  the credential tests and one polling trigger (Kaseya VSA alarmCreated).
 */
// n8n-runtime.js picks its runtime when first loaded: apply --n8n before the requires below.
{
	const i = process.argv.findIndex((a) => a === '--n8n' || a.startsWith('--n8n='));
	const value = i < 0 ? undefined : process.argv[i].includes('=') ? process.argv[i].split('=')[1] : process.argv[i + 1];
	if (value) process.env.N8N_TEST_RUNTIME = value;
}
const fs = require('fs');
const os = require('os');
const path = require('path');
const runtime = require('./n8n-runtime');
const { parseArgs, helpText } = require('./lib/args');
const { checkExample, describeExample } = require('./lib/examples');
const { createLogger, table, UserError } = require('./lib/log');
const { startCollector } = require('./lib/collector');
const { DEMO_OWNER, httpJson, sleep } = require('./lib/n8n');
const { nodeItems } = require('./lib/runs');
const { scanForSecrets } = require('./lib/secrets');
const { setUpStack, stopOnSignals } = require('./lib/stack');
const {
	E2E_CRED, TRIGGER_CASES: ALL_TRIGGER_CASES, e2eCredentials, webhookWorkflow, httpRequestWorkflow, triggerWorkflow, subMinuteTriggerWorkflow,
	wrongPasswordWorkflow,
} = require('../test/e2e/workflows');

/** The trigger cases this run publishes (--core: only the Kaseya VSA alarm). */
let TRIGGER_CASES = ALL_TRIGGER_CASES;

const SPEC = {
	keep: { type: 'boolean', help: 'keep the temp n8n user folder (path printed at the end)' },
	skipBuild: { type: 'boolean', help: 'use the existing dist/ and build/' },
	allowMissing: { type: 'boolean', help: 'install the package even if package.json lists files that were not built' },
	verbose: { type: 'boolean', help: "print n8n's server output" },
	n8n: { type: 'string', env: 'N8N_TEST_RUNTIME', default: '2.x', help: `pinned n8n runtime: ${Object.keys(runtime.RUNTIMES).map((k) => `${k} (n8n ${runtime.RUNTIMES[k].n8nVersion})`).join(', ')}` },
	core: { type: 'boolean', help: 'only the version-matrix core: install, examples, login error, token reuse, credential tests, one trigger' },
	help: { type: 'boolean', help: 'this text' },
};

// ------------------------------------------------------------------------------------------------
// Output capture: everything this suite prints is kept for the secret scan.
const ownOutput = [];
for (const stream of [process.stdout, process.stderr]) {
	const write = stream.write.bind(stream);
	stream.write = (chunk, ...rest) => {
		ownOutput.push(String(chunk));
		return write(chunk, ...rest);
	};
}

const results = [];
/** Record a check; `detail` is shown in the final table. */
function check(area, name, ok, detail = '') {
	results.push({ area, name, ok: !!ok, detail: String(detail) });
	log[ok ? 'ok' : 'error'](`${ok ? 'PASS' : 'FAIL'} ${area}: ${name}${detail ? ` — ${detail}` : ''}`);
	return !!ok;
}
const measured = {};
let log;

async function main() {
	const opts = parseArgs(process.argv.slice(2), SPEC);
	if (opts.help) {
		process.stdout.write(`${helpText('Usage: npm run test:e2e [-- options]', SPEC)}\n`);
		return 0;
	}
	log = createLogger('e2e');
	const core = !!opts.core;
	if (core) TRIGGER_CASES = ALL_TRIGGER_CASES.filter((c) => c.key === 'vsaAlarm');
	log.info(`n8n ${runtime.N8N_VERSION} on Node ${runtime.NODE_VERSION} (runtime ${runtime.RUNTIME_LINE})${core ? '; core checks only' : ''}`);
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-kaseya-veeam-e2e-'));
	const n8nPort = await runtime.getFreePort();
	let stack = null;
	let collector = null;
	stopOnSignals(() => stack, log);
	const secrets = new Set();
	const collect = () => { if (stack && stack.emu) for (const s of stack.emu.secrets()) secrets.add(s); };

	try {
		stack = await setUpStack({
			log,
			userFolder: path.join(tmp, 'user'),
			logFile: path.join(tmp, 'user', 'logs', 'n8n.log'),
			vsaPort: 0,
			vroPort: 0,
			n8nPort,
			needServerPort: true,
			skipBuild: opts.skipBuild,
			strictPackage: !opts.allowMissing,
			consoleLog: true,
			extraCredentials: (ctx) => e2eCredentials(ctx),
			extraWorkflows: (ctx) => {
				const http = httpRequestWorkflow(ctx);
				delete http.calls;
				return [webhookWorkflow(), http, wrongPasswordWorkflow()];
			},
		});
		const { emu, n8n } = stack;

		// ---------------------------------------------------------------- 1. n8n execute
		await runExamples(stack);
		await runWrongPassword(stack);
		collect();

		// ---------------------------------------------------------------- 2. n8n start
		await log.time('publishing the webhook workflow (n8n publish:workflow)', () => n8n.publish('e2eWebhooks00001'));
		await log.time(`starting n8n on port ${n8nPort} (n8n start)`, () => n8n.start({
			timeoutMs: 180000,
			onOutput: opts.verbose ? (t) => process.stderr.write(t.replace(/^/gm, '  [n8n] ')) : undefined,
		}));
		await n8n.setupOwner(DEMO_OWNER);
		await checkNodeTypes(n8n);
		const ping = await n8n.waitForWebhook('e2e-ping');
		check('install', 'the published webhook workflow is active (its webhooks are registered)', ping.status === 200, `GET /webhook/e2e-ping → HTTP ${ping.status}`);

		await vsaScenarios(stack);
		collect();
		await vroScenarios(stack, 'v7.21', 'e2e-vro-v721', E2E_CRED.vro721, 'apiToken');
		collect();
		if (!core) {
			await vroScenarios(stack, 'v1', 'e2e-vro-v1', E2E_CRED.vroV1, 'v1');
			collect();
			await vroClientScenario(stack);
			collect();
			await concurrencyScenarios(stack);
			collect();
		}
		// Last in this n8n start: the trigger polls then never log in inside the counted windows above.
		// The credential tests run while the triggers wait for their quiet poll.
		collector = await startCollector();
		await triggerScenarios(stack, collector, { duringQuietWait: () => credentialTests(stack), subMinute: !core });
		collect();

		await log.time('stopping n8n', () => n8n.stop());

		// ---------------------------------------------------------------- 3. after stop
		if (!core) {
			await finalPersistence(stack);
			collect();
			// After the scenarios, so their login counts start from empty tokens.
			await runHttpRequestWorkflow(stack);
			collect();
		}

		// ---------------------------------------------------------------- 4. secret scan
		const sources = [
			{ label: "n8n's log file", text: n8n.logText() },
			{ label: 'n8n server output', text: safeRead(n8n.serverOut) },
			...n8n.cliOutputs.map((o) => ({ label: `n8n ${o.args[0]} output`, text: `${o.stdout}\n${o.stderr}` })),
			...webhookBodies.map((t, i) => ({ label: `webhook response #${i + 1}`, text: t })),
			...(collector ? collector.hits.map((h, i) => ({ label: `trigger collector payload #${i + 1} (${h.name})`, text: h.text })) : []),
			{ label: 'this suite\'s output', text: ownOutput.join('') },
		];
		const findings = scanForSecrets(sources, secrets);
		const scanned = sources.reduce((n, s) => n + (s.text ? s.text.length : 0), 0);
		check('secrets', `no password, PAT, token or hash value in n8n's log, outputs or this suite's output (${secrets.size} secrets, ${(scanned / 1024).toFixed(0)} KiB scanned)`,
			findings.length === 0 && secrets.size > 10 && n8n.logText().length > 0,
			findings.length ? findings.slice(0, 5).map((f) => `${f.label}: ${f.secret} after "${f.context}"`).join(' | ') : `log file ${(n8n.logText().length / 1024).toFixed(0)} KiB`);
	} catch (e) {
		check('suite', 'ran to the end', false, e instanceof UserError ? e.message : (e && e.stack) || e);
	} finally {
		if (collector) await collector.close();
		if (stack) await stack.close();
	}

	// ---------------------------------------------------------------- report
	const failed = results.filter((r) => !r.ok);
	process.stdout.write(`\n${table([['', 'area', 'check', 'measured / detail'], ...results.map((r) => [r.ok ? 'PASS' : 'FAIL', r.area, r.name, r.detail])], { maxWidth: 110 })}\n\n`);
	if (Object.keys(measured).length) process.stdout.write(`measured: ${JSON.stringify(measured)}\n`);
	process.stdout.write(`n8n ${runtime.N8N_VERSION} on Node ${runtime.NODE_VERSION}${core ? ' (core)' : ''}; ${opts.keep ? `user folder kept: ${tmp}` : 'temp user folder removed'}\n`);
	process.stdout.write(`${results.length - failed.length} passed, ${failed.length} failed\n`);
	process.stdout.write(`e2e finished in ${log.elapsed().toFixed(1)}s\n`);
	if (!opts.keep) fs.rmSync(tmp, { recursive: true, force: true });
	return failed.length ? 1 : 0;
}

function safeRead(f) {
	try { return fs.readFileSync(f, 'utf8'); } catch { return ''; }
}

// ==================================================================================================
// 1. examples and HTTP Request node, with n8n execute
// ==================================================================================================
async function runExamples(stack) {
	if (!stack.examples.length) {
		check('examples', 'examples/ holds example workflows', false, 'none found');
		return;
	}
	for (const ex of stack.examples) {
		const wf = ex.workflow;
		log.step(`example "${wf.name}": n8n execute --id=${wf.id} ...`);
		const r = await stack.n8n.execute(wf.id);
		const problems = r.ok ? checkExample(wf.id, r.run) : [r.error];
		const d = r.run ? describeExample(wf.id, r.run) : { summary: '' };
		check('examples', `${ex.file} runs green and its output matches`, problems.length === 0,
			problems.length ? problems.join('; ') : `${(r.durationMs / 1000).toFixed(1)}s; ${d.summary}`);
	}
}

/** A wrong password fails the run with the credential's own login error (n8n 1.x used to replace it with its generic 401 text). */
async function runWrongPassword(stack) {
	const wf = wrongPasswordWorkflow();
	log.step(`wrong VSA password: n8n execute --id=${wf.id} ...`);
	const r = await stack.n8n.execute(wf.id);
	const error = r.run && r.run.data && r.run.data.resultData && r.run.data.resultData.error;
	const want = 'Kaseya VSA login failed: wrong username or password';
	check('login error', 'a wrong VSA password fails the run with the login error\'s own message and advice', !r.ok && !!error && error.message === want && /password/i.test(String(error.description)),
		error ? `"${error.message}"; ${String(error.description || '').slice(0, 90)}` : `no error reported (${r.status}) ${r.error || ''}`);
}

async function runHttpRequestWorkflow(stack) {
	const wf = httpRequestWorkflow(stack.urls);
	log.step(`HTTP Request node with each credential as predefined credential type (n8n execute --id=${wf.id}) ...`);
	const r = await stack.n8n.execute(wf.id);
	for (const [name, cred] of wf.calls) {
		const items = r.run ? nodeItems(r.run, name) : null;
		const ok = r.ok && items && items.length > 0 && !items.some((i) => i && i.error);
		const first = items && items[0];
		const what = first ? (first.Result && typeof first.Result === 'object' ? `Result with ${Object.keys(first.Result).length} fields` : Object.keys(first).slice(0, 4).join(',')) : '';
		check('http request node', `${cred.type} "${cred.name}" via n8n-nodes-base.httpRequest (predefinedCredentialType)`, ok,
			ok ? `${items.length} item(s): ${what}` : (r.error || `no output from node "${name}"`));
	}
}

// ==================================================================================================
// 2. webhook scenarios in one n8n start
// ==================================================================================================
const webhookBodies = [];

async function hook(n8n, p) {
	const r = await n8n.webhook(p);
	webhookBodies.push(r.text);
	const items = Array.isArray(r.json) ? r.json : r.json ? [r.json] : [];
	return { ok: r.status === 200 && items.length > 0 && !items.some((i) => i && i.error), status: r.status, items, text: r.text };
}

async function hooks(n8n, p, n) {
	const out = [];
	for (let i = 0; i < n; i++) out.push(await hook(n8n, p));
	return out;
}

const vsaAuthCount = (emu, method) => emu.vsa.requests({ method: 'GET', path: /\/api\/v1\.0\/auth$/i })
	.filter((e) => e.status === 200 && (!method || authMethodOf(e) === method)).length;

function authMethodOf(entry) {
	const b64 = String(entry.headers.authorization || '').replace(/^Basic\s+/i, '');
	const decoded = Buffer.from(b64, 'base64').toString('utf8');
	return /(^|,)pass2=/.test(decoded) ? 'hash' : 'pat';
}

/** Newest live VSA session of a login method (the token the emulator would accept now). */
function newestVsaSession(emu, method) {
	const list = [...emu.vsa.auth.sessions.values()].filter((s) => s.method === method && !s.revoked);
	list.sort((a, b) => a.createdAt - b.createdAt);
	return list[list.length - 1];
}

async function checkNodeTypes(n8n) {
	const r = await n8n.rest('GET', '/types/nodes.json');
	const types = Array.isArray(r.json) ? r.json.map((t) => t.name) : [];
	const ours = types.filter((t) => t.startsWith('n8n-nodes-kaseya-veeam.'));
	const want = ['kaseyaVsa', 'kaseyaVsaTrigger', 'veeamOrchestrator', 'veeamOrchestratorTrigger', 'veeamServiceProviderConsole', 'veeamServiceProviderConsoleTrigger'].map((t) => `n8n-nodes-kaseya-veeam.${t}`);
	check('install', 'n8n loads the community package from .n8n/nodes/node_modules (6 node types)', want.every((t) => ours.includes(t)),
		`loaded: ${[...new Set(ours)].filter((t) => !/Tool$/.test(t)).map((t) => t.split('.')[1]).join(', ') || 'none'}`);
	// usableAsTool: n8n offers each action node as an AI Agent tool too (no N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE set).
	const tools = ['kaseyaVsaTool', 'veeamOrchestratorTool', 'veeamServiceProviderConsoleTool'].map((t) => `n8n-nodes-kaseya-veeam.${t}`);
	check('install', 'n8n offers the action nodes as AI Agent tools (Kaseya VSA Tool, Veeam Orchestrator Tool, Veeam Service Provider Console Tool)', tools.every((t) => ours.includes(t)),
		`tool types: ${ours.filter((t) => /Tool$/.test(t)).map((t) => t.split('.')[1]).join(', ') || 'none'}`);
	const c = await n8n.rest('GET', '/types/credentials.json');
	const creds = Array.isArray(c.json) ? c.json.map((t) => t.name) : [];
	check('install', 'n8n knows the three credential types', ['kaseyaVsaApi', 'veeamOrchestratorApi', 'veeamServiceProviderConsoleApi'].every((t) => creds.includes(t)),
		['kaseyaVsaApi', 'veeamOrchestratorApi', 'veeamServiceProviderConsoleApi'].filter((t) => creds.includes(t)).join(', ') || 'none');
}

async function vsaScenarios(stack) {
	const { emu, n8n } = stack;
	// (i) 20 executions, one credential → one /auth
	const before = vsaAuthCount(emu);
	log.step('VSA: 20 executions of one workflow on one PAT credential ...');
	const runs = await hooks(n8n, 'e2e-vsa-pat', 20);
	const logins20 = vsaAuthCount(emu) - before;
	measured.vsaLoginsPer20Executions = logins20;
	check('vsa', '20 executions on one credential → exactly one /auth', runs.every((r) => r.ok) && logins20 === 1,
		`${runs.filter((r) => r.ok).length}/20 ok, ${logins20} /auth${runs.find((r) => !r.ok) ? `; first failure: HTTP ${runs.find((r) => !r.ok).status} ${runs.find((r) => !r.ok).text.slice(0, 200)}` : ''}`);

	const first = newestVsaSession(emu, 'pat');
	// Export while n8n runs (SQLite in WAL mode allows a second reader).
	let exportedWhileRunning;
	try {
		exportedWhileRunning = await n8n.exportCredential(E2E_CRED.vsaPat.id);
		check('vsa', 'session token persisted (export:credentials --decrypted while n8n runs)', first && exportedWhileRunning && exportedWhileRunning.sessionToken === first.token,
			exportedWhileRunning ? (exportedWhileRunning.sessionToken === (first && first.token) ? 'stored token = emulator\'s live session' : 'stored token differs from the live session') : 'no data');
	} catch (e) {
		check('vsa', 'session token persisted (export:credentials --decrypted while n8n runs)', false, e.message.split('\n')[0]);
	}

	// revocation → exactly one new login, then reuse
	log.step('VSA: emulator revokes every token; next executions ...');
	emu.vsa.revokeTokens();
	const b2 = vsaAuthCount(emu);
	const after = await hook(n8n, 'e2e-vsa-pat');
	const loginsAfterRevoke = vsaAuthCount(emu) - b2;
	const b3 = vsaAuthCount(emu);
	const more = await hooks(n8n, 'e2e-vsa-pat', 5);
	const reuse = vsaAuthCount(emu) - b3;
	measured.vsaLoginsAfterRevocation = loginsAfterRevoke;
	measured.vsaLoginsNext5AfterRevocation = reuse;
	check('vsa', 'after revocation the next execution logs in once, the 5 after it reuse the new token', after.ok && more.every((r) => r.ok) && loginsAfterRevoke === 1 && reuse === 0,
		`${loginsAfterRevoke} login on the next execution, ${reuse} on the 5 after (${[after, ...more].filter((r) => r.ok).length}/6 ok)`);
	const renewed = newestVsaSession(emu, 'pat');
	try {
		const stored = await n8n.exportCredential(E2E_CRED.vsaPat.id);
		check('vsa', 'the new session token is persisted (export:credentials --decrypted shows it)',
			stored && renewed && first && stored.sessionToken === renewed.token && renewed.token !== first.token,
			stored && renewed ? `stored = newest emulator session: ${stored.sessionToken === renewed.token}; differs from the revoked one: ${first && renewed.token !== first.token}` : 'missing');
	} catch (e) {
		check('vsa', 'the new session token is persisted (export:credentials --decrypted shows it)', false, e.message.split('\n')[0]);
	}

	// password (challenge hash) credential
	log.step('VSA: password (challenge-hash) credential, 3 executions ...');
	const h0 = vsaAuthCount(emu, 'hash');
	const pw = await hooks(n8n, 'e2e-vsa-password', 3);
	const hashLogins = vsaAuthCount(emu, 'hash') - h0;
	measured.vsaHashLoginsPer3Executions = hashLogins;
	check('vsa', 'password credential (challenge hash) works and logs in once for 3 executions', pw.every((r) => r.ok) && hashLogins === 1,
		`${pw.filter((r) => r.ok).length}/3 ok, ${hashLogins} challenge-hash login; ${pw[0] && pw[0].items.length} agents per run`);
	check('vsa', 'PAT credential works (Basic username:PAT login)', runs.some((r) => r.ok) && vsaAuthCount(emu, 'pat') >= 1, `${vsaAuthCount(emu, 'pat')} PAT logins in total`);
}

function vroCounters(emu) {
	return { ...emu.vro.counters };
}
function delta(a, b) {
	const out = {};
	for (const k of Object.keys(b)) if (b[k] - (a[k] || 0)) out[k] = b[k] - (a[k] || 0);
	return out;
}
const fmtDelta = (d) => Object.entries(d).map(([k, v]) => `${k} +${v}`).join(', ') || 'no token calls';

async function vroScenarios(stack, version, pathName, cred) {
	const { emu, n8n } = stack;
	const area = `vro ${version}`;
	log.step(`Orchestrator ${version}: login, reuse, refresh, fallback, logout ...`);
	let c0 = vroCounters(emu);
	const first = await hooks(n8n, pathName, 3);
	let d = delta(c0, vroCounters(emu));
	check(area, '3 executions → one password login', first.every((r) => r.ok) && d.passwordLogins === 1 && !d.refreshGrants,
		`${first.filter((r) => r.ok).length}/3 ok; ${fmtDelta(d)}${first.find((r) => !r.ok) ? `; HTTP ${first.find((r) => !r.ok).status} ${first.find((r) => !r.ok).text.slice(0, 200)}` : ''}`);

	// expired access token → refresh grant; twice in a row proves the rotated refresh token was stored
	const refreshOk = [];
	for (let i = 0; i < 2; i++) {
		emu.vro.expireAccessTokens();
		c0 = vroCounters(emu);
		const r = await hook(n8n, pathName);
		d = delta(c0, vroCounters(emu));
		refreshOk.push({ ok: r.ok && d.refreshGrants === 1 && !d.passwordLogins, d });
	}
	check(area, 'expired access token → refresh grant (twice: the rotated, single-use refresh token was persisted)', refreshOk.every((x) => x.ok),
		refreshOk.map((x, i) => `#${i + 1}: ${fmtDelta(x.d)}`).join('; '));
	measured[`vro_${version}_refreshRenewals`] = refreshOk.map((x) => x.d);

	// dead refresh token → password grant
	emu.vro.expireAccessTokens();
	emu.vro.expireRefreshTokens();
	c0 = vroCounters(emu);
	const fb = await hook(n8n, pathName);
	d = delta(c0, vroCounters(emu));
	check(area, 'expired refresh token → falls back to the password grant', fb.ok && d.passwordLogins === 1,
		`${fmtDelta(d)}${fb.ok ? '' : `; HTTP ${fb.status} ${fb.text.slice(0, 200)}`}`);

	// logout
	c0 = vroCounters(emu);
	const lo = await hook(n8n, `${pathName}-logout`);
	d = delta(c0, vroCounters(emu));
	const after = await hook(n8n, pathName);
	const d2 = delta(c0, vroCounters(emu));
	check(area, 'session logout works, and the next execution signs in again', lo.status === 200 && (d.logouts === 1 || (version !== 'v1' && lo.ok)) && after.ok,
		`logout: HTTP ${lo.status} ${fmtDelta(d)} ${lo.text.slice(0, 120)}; next execution: ${after.ok ? 'ok' : `HTTP ${after.status}`} (${fmtDelta(delta(d, d2))})`);
}

async function vroClientScenario(stack) {
	const { emu, n8n } = stack;
	const c0 = vroCounters(emu);
	const r = await hooks(n8n, 'e2e-vro-client', 3);
	const d = delta(c0, vroCounters(emu));
	check('vro v7.21', 'client-credentials credential: 3 executions → one client_credentials grant', r.every((x) => x.ok) && d.clientCredentialGrants === 1,
		`${r.filter((x) => x.ok).length}/3 ok; ${fmtDelta(d)}`);
}

async function concurrencyScenarios(stack) {
	const { emu, n8n } = stack;
	log.step('concurrency: 5 executions started at once on one credential ...');
	// warm token: no login expected
	let b = vsaAuthCount(emu);
	let rs = await Promise.all(Array.from({ length: 5 }, () => hook(n8n, 'e2e-vsa-pat')));
	const warm = vsaAuthCount(emu) - b;
	check('concurrency', 'VSA: 5 at once with a valid stored token → all ok, no login', rs.every((r) => r.ok) && warm === 0, `${rs.filter((r) => r.ok).length}/5 ok, ${warm} logins`);

	// after revocation: every execution read the dead token before any re-login was stored
	emu.vsa.revokeTokens();
	b = vsaAuthCount(emu);
	rs = await Promise.all(Array.from({ length: 5 }, () => hook(n8n, 'e2e-vsa-pat')));
	const cold = vsaAuthCount(emu) - b;
	measured.vsaLoginsFor5ConcurrentAfterRevocation = cold;
	check('concurrency', 'VSA: 5 at once after revocation → all ok, logins bounded by 5 (one per execution at most)', rs.every((r) => r.ok) && cold >= 1 && cold <= 5,
		`${rs.filter((r) => r.ok).length}/5 ok, ${cold} logins (n8n has no lock across executions; each execution that read the revoked token re-logs in once)`);
	b = vsaAuthCount(emu);
	rs = await hooks(n8n, 'e2e-vsa-pat', 3);
	const settled = vsaAuthCount(emu) - b;
	check('concurrency', 'VSA: afterwards the last stored token is reused (no further login)', rs.every((r) => r.ok) && settled === 0, `${settled} logins in 3 more executions`);

	// Orchestrator: expired access tokens, 5 at once → refresh races on a single-use refresh token.
	// First one sequential call, so the stored pair is fresh (the v1 scenario expired every refresh token).
	await hook(n8n, 'e2e-vro-v721');
	emu.vro.expireAccessTokens();
	const c0 = vroCounters(emu);
	rs = await Promise.all(Array.from({ length: 5 }, () => hook(n8n, 'e2e-vro-v721')));
	const d = delta(c0, vroCounters(emu));
	measured.vroTokenCallsFor5ConcurrentAfterExpiry = d;
	const tokenCalls = (d.refreshGrants || 0) + (d.passwordLogins || 0);
	check('concurrency', 'VRO v7.21: 5 at once after access-token expiry → all ok, ≤ 5 successful token grants', rs.every((r) => r.ok) && tokenCalls >= 1 && tokenCalls <= 5,
		`${rs.filter((r) => r.ok).length}/5 ok; ${fmtDelta(d)}`);
	const c1 = vroCounters(emu);
	rs = await hooks(n8n, 'e2e-vro-v721', 2);
	check('concurrency', 'VRO v7.21: afterwards the stored token is reused', rs.every((r) => r.ok) && !Object.keys(delta(c1, vroCounters(emu))).length, fmtDelta(delta(c1, vroCounters(emu))));
}

async function credentialTests(stack) {
	const { n8n } = stack;
	log.step('credential test button: POST /rest/credentials/test for every credential ...');
	const list = await n8n.rest('GET', '/rest/credentials');
	const creds = (list.json && list.json.data) || [];
	for (const c of creds) {
		const one = await n8n.rest('GET', `/rest/credentials/${c.id}?includeData=true`);
		const cd = one.json && one.json.data;
		const r = await n8n.rest('POST', '/rest/credentials/test', { credentials: { id: cd.id, name: cd.name, type: cd.type, data: cd.data } });
		webhookBodies.push(r.text);
		const res = r.json && r.json.data;
		if (c.id === E2E_CRED.vsaWrongPassword.id) {
			check('credential test', `"${c.name}" (${c.type}) reports the login error`, r.status === 200 && res && res.status === 'Error' && /wrong username or password/.test(String(res.message)),
				res ? `${res.status}: ${res.message}` : `HTTP ${r.status} ${r.text.slice(0, 200)}`);
			continue;
		}
		check('credential test', `"${c.name}" (${c.type})`, r.status === 200 && res && res.status === 'OK', res ? `${res.status}: ${res.message}` : `HTTP ${r.status} ${r.text.slice(0, 200)}`);
	}
	if (!creds.length) check('credential test', 'owner sees the imported credentials', false, `HTTP ${list.status}`);
}

// ==================================================================================================
// 2b. polling triggers in the same n8n start
// ==================================================================================================
/** Time from creating the trigger workflows to their first scheduled poll (publish, baseline, changes). */
const TRIGGER_LEAD_MS = 15000;
/** The emulators are "quiet" (a poll has finished) when no request arrived for this long. */
const QUIET_MS = 1500;
/** After a poll, how long an emitted execution has to post its items to the collector. */
const POST_GRACE_MS = 2500;

const ONLINE_CODES = new Set([1, 2, 11, 12]);
const FAILOVER_TYPES = new Set(['Replica', 'CdpReplica', 'Storage']);

/** The next time after `t` (ms) at which a `<second> * * * * *` cron fires. */
function nextTick(t, second) {
	let x = Math.floor(t / 1000) * 1000 + 1000;
	while (new Date(x).getSeconds() !== second) x += 1000;
	return x;
}

const sleepUntil = (t) => sleep(Math.max(0, t - Date.now()));
const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;

/**
 * Published polling-trigger workflows fire on emulator changes:
 *   publish (REST, every minute at a chosen second) → baseline poll at activation (seen in the
 *   emulators' request logs, emits nothing) → one change per trigger (control API /__emulator/mutate)
 *   → first scheduled poll: each trigger emits exactly one item with the right event and object id
 *   → one more poll a minute later: nothing more.
 * Every trigger polls at the same second, so all waits overlap.
 */
async function triggerScenarios(stack, collector, { duringQuietWait, subMinute = true } = {}) {
	const { emu, n8n } = stack;
	const area = 'triggers';
	const t0 = Date.now();
	const timing = {};
	let quietWorkDone = false;
	const quietWork = async () => {
		if (quietWorkDone || !duringQuietWait) return 0;
		quietWorkDone = true;
		const s = Date.now();
		await duringQuietWait();
		return Date.now() - s;
	};
	let quietWorkMs = 0;
	try {
		// n8n refuses a sub-minute poll when it activates the trigger (asynchronously: checked later).
		const subPublished = subMinute ? n8n.createWorkflow(subMinuteTriggerWorkflow(), { publish: true }).catch((e) => ({ error: `create/publish: ${e.message}` })) : null;

		const wanted = new Set(TRIGGER_CASES.map((c) => c.key));
		// What the changes will touch: picked from the emulators' data (read only).
		const online = emu.vsa.store.agents.filter((a) => ONLINE_CODES.has(Number(a.Online)));
		const alarmAgent = online[0];
		const offlineAgent = online[online.length - 1];
		const idle = emu.vro.store.plans.filter((p) => p.state === 'Ready' && p.enabled && !p.failure);
		const runPlan = idle.find((p) => FAILOVER_TYPES.has(p.planType));
		const others = idle.filter((p) => p !== runPlan);
		const statePlan = others[others.length - 1];
		const checkPlan = others[others.length - 2];
		// Cases with their own setup (test/e2e/vspc.js) pick what they will change.
		const ownTargets = new Map(TRIGGER_CASES.filter((c) => c.pick && wanted.has(c.key)).map((c) => [c.key, c.pick(emu)]));
		const lacking = TRIGGER_CASES.filter((c) => ownTargets.has(c.key) && !ownTargets.get(c.key));
		if (!alarmAgent || !offlineAgent || alarmAgent === offlineAgent || !runPlan || !statePlan || !checkPlan || lacking.length > 0) {
			check(area, 'the emulators have an online agent, three idle plans and what every other trigger case changes', false,
				`${online.length} online agents, ${idle.length} idle plans${lacking.map((c) => `; ${c.key} lacks ${c.needs}`).join('')}`);
			return;
		}
		const planOf = { vroState: statePlan, vroRun: runPlan, vroCheck: checkPlan };

		// Poll every minute at a second ~TRIGGER_LEAD_MS from now: publish, baseline and changes fit before it.
		const plannedTick = Math.ceil((Date.now() + TRIGGER_LEAD_MS) / 1000) * 1000;
		const second = new Date(plannedTick).getSeconds();
		const cron = `${second} * * * * *`;
		log.step(`polling triggers: publishing ${TRIGGER_CASES.length} trigger workflows (Poll Times: custom cron "${cron}" = every minute at :${String(second).padStart(2, '0')}) ...`);
		const publishFrom = Date.now();
		// All at once: each create + publish is a few REST calls, and n8n activates up to 5 workflows
		// in parallel. n8n 2.x activates published workflows in the background (publication outbox);
		// activation includes the trigger's first poll, so "published" also means the baseline poll is done.
		const published = await Promise.all(TRIGGER_CASES.map(async (c) => {
			const wf = triggerWorkflow(c, { collectorUrl: collector.url, cron, planId: planOf[c.key] && planOf[c.key].id });
			const r = await n8n.createWorkflow(wf, { publish: true });
			// n8n activates 5 workflows at a time and each activation includes the trigger's first poll
			// (the agent triggers read every agent): with 7 triggers on a busy machine 30 s was seen to run out.
			const status = r.error ? null : await n8n.waitForPublication(r.id, { timeoutMs: 90000 });
			return { c, r, status };
		}));
		timing.publishS = (Date.now() - publishFrom) / 1000;
		const failedPublish = published.filter((p) => p.r.error || !p.status || p.status.status !== 'published');
		const why = (p) => p.r.error || `${p.status.status}${(p.status.triggers || []).map((t) => ` ${t.status}${t.errorMessage ? `: ${t.errorMessage}` : ''}`).join('')}`;
		check(area, `${TRIGGER_CASES.length} trigger workflows created and published over REST while n8n runs (publication status "published")`, failedPublish.length === 0,
			failedPublish.length ? failedPublish.map((p) => `${p.c.event}: ${why(p)}`).join(' | ').slice(0, 300)
				: `${TRIGGER_CASES.map((c) => c.event).join(', ')}; ${secs(Date.now() - publishFrom)}`);
		if (failedPublish.length) return;

		// Baseline: the activation poll of every trigger, seen in the emulators' request logs.
		const base = await waitForPolls(emu, publishFrom, Date.now() + 30000);
		timing.baselineDoneS = (Date.now() - t0) / 1000;
		await sleep(300);
		const baselineHits = collector.hits.length;
		check(area, 'baseline: every trigger polled at activation (emulator request logs) and emitted nothing', base.ok && baselineHits === 0,
			`${describePolls(base)}; ${baselineHits} item(s) posted`);

		// One change per trigger, through the emulators' control API.
		log.step('polling triggers: one emulator change per trigger (POST /__emulator/mutate, VSPC /__emulator/raiseAlarm and /__emulator/runJob) ...');
		const control = async (product, op, body) => {
			const r = await httpJson('POST', `${emu[product].url}/__emulator/${op}`, { body });
			if (r.status !== 200) throw new Error(`${product} /__emulator/${op} ${JSON.stringify(body)} → HTTP ${r.status} ${r.text.slice(0, 200)}`);
			return r.json;
		};
		const mutate = (product, body) => control(product, 'mutate', body);
		const expected = {};
		if (wanted.has('vsaAlarm')) {
			const alarm = await mutate('vsa', { op: 'addAlarm', agentId: String(alarmAgent.AgentId), subject: 'e2e trigger test alarm' });
			expected.vsaAlarm = { id: String(alarm.AlarmId), what: `new alarm ${alarm.AlarmId} on ${alarmAgent.ComputerName}` };
		}
		if (wanted.has('vsaOffline')) {
			const wasOnline = offlineAgent.Online;
			const agent = await mutate('vsa', { op: 'setOnline', agentId: String(offlineAgent.AgentId), online: 0 });
			expected.vsaOffline = { id: String(agent.AgentId), what: `agent ${agent.ComputerName} Online ${wasOnline} → ${agent.Online}` };
		}
		if (wanted.has('vsaTicketNew')) {
			const ticket = await mutate('vsa', { op: 'addTicket', Summary: 'e2e trigger test ticket' });
			expected.vsaTicketNew = { id: String(ticket.ServiceDeskTicketId), what: `new ticket ${ticket.TicketRef}`, extra: (i) => i.ticket && i.ticket.Summary === 'e2e trigger test ticket' };
		}
		if (wanted.has('vsaTicketUpd')) {
			const seeded = emu.vsa.store.tickets[0];
			const to = seeded.TicketStatus === 'Resolved' ? 'Closed' : 'Resolved';
			await mutate('vsa', { op: 'updateTicket', ticketId: String(seeded.ServiceDeskTicketId), fields: { TicketStatus: to } });
			expected.vsaTicketUpd = { id: String(seeded.ServiceDeskTicketId), what: `ticket ${seeded.TicketRef} TicketStatus → ${to}`, extra: (i) => i.ticket && i.ticket.TicketStatus === to };
		}
		if (wanted.has('vroState')) {
			const disabled = await mutate('vro', { planId: statePlan.id, enabled: false });
			expected.vroState = { id: String(statePlan.id), what: `plan "${statePlan.name}" Ready → ${disabled.state}`, extra: (i) => i.previousState === 'Ready' && i.state === disabled.state };
		}
		if (wanted.has('vroRun')) {
			const failedOver = await mutate('vro', { planId: runPlan.id, action: 'Failover', complete: true });
			expected.vroRun = { id: String(runPlan.id), what: `failover of "${runPlan.name}" run to ${failedOver.state}`, extra: (i) => i.run && i.run.kind === 'run' && i.run.result === 'Success' };
		}
		if (wanted.has('vroCheck')) {
			await mutate('vro', {
				planId: checkPlan.id, action: 'ReadinessCheck', complete: true,
				failure: { unit: 0, mode: 'continue', times: 1, message: 'e2e: recovery location has no free capacity', actions: ['ReadinessCheck'] },
			});
		}
		if (wanted.has('vroCheck')) expected.vroCheck = { id: String(checkPlan.id), what: `readiness check of "${checkPlan.name}" ended with an error`, extra: (i) => i.run && i.run.kind === 'readinessCheck' && /error/i.test(String(i.run.result)) };
		for (const [key, target] of ownTargets) expected[key] = await TRIGGER_CASES.find((c) => c.key === key).change(emu, control, target);
		const changedAt = Date.now();
		timing.changesDoneS = (changedAt - t0) / 1000;

		// The first scheduled poll after the changes (normally the planned one).
		const tick1 = nextTick(changedAt, second);
		if (tick1 !== plannedTick) log.warn(`the changes were made ${secs(changedAt - plannedTick)} after the planned first poll; checking the poll after it (+60 s)`);
		log.step(`polling triggers: waiting for the poll at :${String(second).padStart(2, '0')} (${secs(tick1 - Date.now())}) ...`);
		await sleepUntil(tick1);
		const polls1 = await waitForPolls(emu, tick1, tick1 + 45000, () => TRIGGER_CASES.every((c) => collector.hits.some((h) => h.name === c.key && h.at >= tick1)));
		await settleHits(collector, POST_GRACE_MS);
		timing.firstPollCheckedS = (Date.now() - t0) / 1000;
		const tick2 = nextTick(tick1, second);
		for (const c of TRIGGER_CASES) {
			const hits = collector.of(c.key);
			const early = hits.filter((h) => h.at < tick1);
			const fired = hits.filter((h) => h.at >= tick1);
			const item = fired[0] && fired[0].body && fired[0].body.item;
			const exp = expected[c.key];
			const idOk = item && String(c.itemId(item)) === exp.id;
			const eventOk = item && item.event === c.event;
			const extraOk = !exp.extra || (item && exp.extra(item));
			const ok = early.length === 0 && fired.length === 1 && eventOk && idOk && extraOk;
			check(area, `${c.event}: ${exp.what} → exactly one item at the next poll`, ok,
				`${fired.length} item(s) at the poll ${secs(tick1 - changedAt)} after the change, ${early.length} before it` +
				(item ? `; event ${item.event}, ${c.object} id ${c.itemId(item)}${exp.id === String(c.itemId(item)) ? '' : ` (expected ${exp.id})`}` +
					`${item.run ? `, run ${item.run.kind}/${item.run.result}` : ''}${item.previousState ? `, ${item.previousState} → ${item.state}` : ''}${exp.detail ? exp.detail(item) : ''}; execution ${fired[0].body.execution}` : '') +
				(ok ? '' : `; ${describePolls(polls1)}${triggerErrors(n8n)}`));
		}

		// The sub-minute workflow: its publication fails once n8n has tried to activate it.
		if (subPublished) {
			const sub = await subPublished;
			const subStatus = sub.error ? null : await n8n.waitForPublication(sub.id, { timeoutMs: 30000 });
			const subMessage = subStatus ? (subStatus.triggers || []).map((t) => t.errorMessage).filter(Boolean).join('; ') : '';
			const tooShort = /too short|at least a minute/i;
			const subRefused = sub.error ? tooShort.test(sub.error) : !!subStatus && subStatus.status === 'failed' && tooShort.test(subMessage);
			check(area, 'n8n refuses to publish a trigger polling every 15 s (custom cron "*/15 * * * * *"): a minute is the shortest poll interval', subRefused,
				sub.error ? sub.error.slice(0, 200) : `publication ${subStatus.status}: ${subMessage.slice(0, 160)}`);
			if (subStatus && subStatus.status === 'published') await n8n.rest('POST', `/rest/workflows/${sub.id}/deactivate`, {});
		}

		// A quiet poll a minute later: nothing more (the credential tests run meanwhile).
		log.step(`polling triggers: credential tests while waiting for the quiet poll (${secs(tick2 - Date.now())}) ...`);
		quietWorkMs = await quietWork();
		await sleepUntil(tick2);
		const polls2 = await waitForPolls(emu, tick2, tick2 + 30000);
		await settleHits(collector, POST_GRACE_MS);
		const after = TRIGGER_CASES.map((c) => ({ c, n: collector.of(c.key).filter((h) => h.at >= tick2).length, total: collector.count(c.key) }));
		check(area, 'quiet poll a minute later: every trigger polled again and emitted nothing (each still exactly one item)', polls2.ok && after.every((a) => a.n === 0 && a.total === 1),
			`${describePolls(polls2)}; items: ${after.map((a) => `${a.c.event} ${a.total}`).join(', ')}${polls2.ok ? '' : triggerErrors(n8n)}`);
	} catch (e) {
		check(area, 'polling-trigger scenario ran to the end', false, (e && e.message) || e);
	} finally {
		if (!quietWorkDone) quietWorkMs = await quietWork().catch(() => 0);
		timing.totalS = (Date.now() - t0) / 1000;
		timing.overlappedCredentialTestsS = quietWorkMs / 1000;
		timing.extraS = Math.round((timing.totalS - timing.overlappedCredentialTestsS) * 10) / 10;
		measured.triggerPhase = timing;
		log.info(`polling triggers: ${timing.totalS.toFixed(1)}s in all, ${timing.extraS}s of it added to the suite (credential tests overlapped: ${timing.overlappedCredentialTestsS.toFixed(1)}s)`);
	}
}

/**
 * Wait until every trigger case's poll requests since `since` answered (per product and path, at
 * least one per case sharing it) and the emulators have been quiet for QUIET_MS, or until `deadline`.
 * `done` (optional) ends the wait early once it returns true and the emulators are quiet.
 */
async function waitForPolls(emu, since, deadline, done) {
	const groups = new Map();
	for (const c of TRIGGER_CASES) {
		const k = `${c.product} ${c.pollPath.source}`;
		if (!groups.has(k)) groups.set(k, { product: c.product, path: c.pollPath, cases: 0, label: c.pollPath.source.replace(/\\/g, '').replace(/\$$/, '') });
		groups.get(k).cases++;
	}
	const count = () => [...groups.values()].map((g) => ({
		...g, seen: emu[g.product].requests({ method: 'GET', path: g.path }).filter((e) => e.at >= since && e.status === 200).length,
	}));
	const quiet = () => {
		const logs = [emu.vsa.requests(), emu.vro.requests(), emu.vspc.requests()];
		const last = Math.max(...logs.map((l) => (l.length ? l[l.length - 1].at : 0)));
		const pending = logs.some((l) => l.slice(-50).some((e) => e.status === 0));
		return !pending && Date.now() - last >= QUIET_MS;
	};
	let seen = count();
	while (Date.now() < deadline) {
		seen = count();
		const allPolled = seen.every((g) => g.seen >= g.cases);
		if (allPolled && quiet() && (!done || done())) break;
		await sleep(200);
	}
	seen = count();
	return { ok: seen.every((g) => g.seen >= g.cases), groups: seen };
}

function describePolls(p) {
	return `poll requests: ${p.groups.map((g) => `${g.product} GET ${g.label} ×${g.seen}`).join(', ')}`;
}

/** Wait until no item was posted to the collector for `graceMs` (at least `graceMs`). */
async function settleHits(collector, graceMs) {
	let n = -1;
	while (n !== collector.hits.length) {
		n = collector.hits.length;
		await sleep(graceMs);
	}
}

/** Trigger errors n8n reported (server output), for a failing check's detail. */
function triggerErrors(n8n) {
	const lines = safeRead(n8n.serverOut).split('\n').filter((l) => /e2e trigger/i.test(l) && /error|fail/i.test(l));
	return lines.length ? `; n8n: ${lines.slice(-2).join(' | ').slice(0, 300)}` : '';
}

// ==================================================================================================
// 3. after stop
// ==================================================================================================
async function finalPersistence(stack) {
	const { emu, n8n } = stack;
	log.step('reading stored credentials back (n8n export:credentials --decrypted) ...');
	const all = await n8n.exportAllCredentials();
	const vsa = all[E2E_CRED.vsaPat.id];
	const session = vsa && emu.vsa.auth.sessions.get(vsa.sessionToken);
	check('persistence', 'VSA: after all scenarios the stored sessionToken is a live session on the emulator', session && !session.revoked,
		session ? `session of ${session.username} (${session.method}), ${session.requests} requests` : 'stored token unknown to the emulator');
	for (const [cred, version] of [[E2E_CRED.vro721, 'v7.21'], [E2E_CRED.vroV1, 'v1']]) {
		const d = all[cred.id];
		const refreshLive = d && emu.vro.auth.refresh instanceof Map && emu.vro.auth.refresh.has(d.refreshToken);
		const accessLive = d && emu.vro.auth.access instanceof Map && emu.vro.auth.access.has(d.accessToken);
		check('persistence', `VRO ${version}: stored accessToken and rotated refreshToken are the live pair on the emulator`, d && accessLive && refreshLive,
			d ? `access ${accessLive ? 'live' : 'not live'}, refresh ${refreshLive ? 'live' : 'not live'}` : 'missing');
	}
}

main().then(
	(code) => { process.exitCode = code; setTimeout(() => process.exit(code), 300).unref(); },
	(err) => {
		process.stderr.write(`\n${(err && err.stack) || err}\n`);
		process.exit(1);
	},
);
