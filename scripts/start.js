#!/usr/bin/env node
'use strict';
/**
 * npm start       → n8n editor on http://localhost:5678 with this package, both emulators, demo
 *                   credentials and the example workflows; Ctrl-C stops everything.
 * npm run demo    → the same set-up without the editor: runs every example workflow with
 *                   `n8n execute` and prints a summary table; exit code 1 if any fails.
 *
 * Flags (after `npm start --`): see --help.
 */
const path = require('path');
const { parseArgs, helpText } = require('./lib/args');
const { REPO } = require('./lib/build');
const { DEFAULT_VSA_PORT, DEFAULT_VRO_PORT, DEMO_LOGINS } = require('./lib/emulators');
const { CRED } = require('./lib/fixtures');
const { createLogger, UserError, table, paint } = require('./lib/log');
const { DEMO_OWNER } = require('./lib/n8n');
const { setUpStack, stopOnSignals } = require('./lib/stack');
const { lastNode, keyFields } = require('./lib/runs');
const { checkExample, describeExample } = require('./lib/examples');

const SPEC = {
	demo: { type: 'boolean', help: 'headless: run every example workflow with n8n execute, print a summary, exit' },
	n8nPort: { type: 'port', env: 'N8N_PORT', default: 5678, help: 'n8n editor port' },
	vsaPort: { type: 'port', env: 'VSA_PORT', default: DEFAULT_VSA_PORT, help: 'Kaseya VSA emulator port' },
	vroPort: { type: 'port', env: 'VRO_PORT', default: DEFAULT_VRO_PORT, help: 'Veeam Orchestrator emulator port' },
	userFolder: { type: 'string', env: 'N8N_DEMO_USER_FOLDER', default: path.join(REPO, '.n8n-demo'), help: 'n8n user folder (wiped at start)' },
	skipBuild: { type: 'boolean', help: 'use the existing dist/ and build/' },
	verbose: { type: 'boolean', help: "also print n8n's own output" },
	help: { type: 'boolean', help: 'this text' },
};

const PORT_HELP = {
	n8n: 'npm start -- --n8n-port <port> (or N8N_PORT=<port> npm start)',
	vsa: 'npm start -- --vsa-port <port> (or VSA_PORT=<port>)',
	vro: 'npm start -- --vro-port <port> (or VRO_PORT=<port>)',
};

async function main() {
	const opts = parseArgs(process.argv.slice(2), SPEC);
	if (opts.help) {
		process.stdout.write(`${helpText('Usage: npm start [-- options]   |   npm run demo [-- options]', SPEC)}\n`);
		return 0;
	}
	const log = createLogger(opts.demo ? 'demo' : 'start');
	let stack = null;
	// Supervisors, IDEs and containers signal only the top process (npm): watch for it going away too.
	stopOnSignals(() => stack, log, { watchParent: true });

	stack = await setUpStack({
		log,
		userFolder: path.resolve(opts.userFolder),
		vsaPort: opts.vsaPort,
		vroPort: opts.vroPort,
		n8nPort: opts.n8nPort,
		needServerPort: !opts.demo,
		skipBuild: opts.skipBuild,
		consoleLog: true,
		portHelp: PORT_HELP,
	});
	if (opts.demo) return runDemo(stack, log);

	const { n8n } = stack;
	log.step(`starting n8n on ${n8n.url} (n8n start; output in ${path.relative(process.cwd(), n8n.serverOut)}) ...`);
	const s = Date.now();
	await n8n.start({
		timeoutMs: 180000,
		onOutput: opts.verbose ? (t) => process.stderr.write(t.replace(/^/gm, paint('2', '  [n8n] '))) : undefined,
	});
	log.info(`ready (${((Date.now() - s) / 1000).toFixed(1)}s)`);
	log.step('creating the owner account (POST /rest/owner/setup) ...');
	await n8n.setupOwner(DEMO_OWNER);

	const v = DEMO_LOGINS.vsa;
	const o = DEMO_LOGINS.vro;
	process.stdout.write([
		'',
		paint('1', `  n8n is running: open ${n8n.url}`),
		`  log in with      ${DEMO_OWNER.email} / ${DEMO_OWNER.password}`,
		'',
		`  Kaseya VSA emulator          ${stack.emu.vsa.url}   user ${v.patUser}, PAT ${v.pat} (or password ${v.password})`,
		`  Veeam Orchestrator emulator  ${stack.emu.vro.url}   user ${o.username} / ${o.password} (API v1 … v13.1)`,
		`  credentials (already set up): ${Object.values(CRED).map((c) => `"${c.name}"`).join(', ')}`,
		`  example workflows: ${stack.examples.map((e) => `"${e.workflow.name}"`).join(', ') || '(none in examples/)'}`,
		`  data: ${n8n.userFolder} (fresh on every start)`,
		'',
		'  Press Ctrl-C to stop n8n and the emulators.',
		'',
	].join('\n'));
	log.ok(`ready after ${log.elapsed().toFixed(1)}s`);

	// Stay up until a signal (handled by stopOnSignals) or until n8n stops on its own.
	const exit = await n8n.exited;
	if (n8n.stopRequested) return new Promise(() => {}); // the signal handler exits
	// n8n stopped by a signal sent to it directly (exit code 0 after its own graceful shutdown) is a
	// clean stop; anything else is a crash.
	const clean = exit.code === 0 || exit.signal === 'SIGTERM' || exit.signal === 'SIGINT';
	if (clean) log.step(`n8n stopped (${exit.signal || `exit code ${exit.code}`}): stopping the emulators ...`);
	else log.error(`n8n exited unexpectedly (code ${exit.code}, signal ${exit.signal}); see ${n8n.serverOut}`);
	await stack.close();
	if (clean) log.ok('stopped');
	return clean ? 0 : 1;
}

async function runDemo(stack, log) {
	const { n8n, examples } = stack;
	if (!examples.length) throw new UserError('examples/ has no workflow to run.');
	const rows = [['workflow', 'result', 'time', 'last node → items', 'summary']];
	let failed = 0;
	for (const ex of examples) {
		const wf = ex.workflow;
		log.step(`running "${wf.name}" (n8n execute --id=${wf.id}) ...`);
		const r = await n8n.execute(wf.id);
		const problems = r.ok ? checkExample(wf.id, r.run) : [r.error];
		const ok = problems.length === 0;
		if (!ok) failed++;
		log.info(`${ok ? 'ok' : 'FAILED'} in ${(r.durationMs / 1000).toFixed(1)}s${ok ? '' : `: ${problems.join('; ')}`}`);
		const last = r.run ? lastNode(r.run) : { name: '', items: [] };
		const d = r.run ? describeExample(wf.id, r.run) : { summary: '', details: [] };
		rows.push([wf.name, ok ? 'ok' : 'FAILED', `${(r.durationMs / 1000).toFixed(1)}s`, `${last.name} → ${last.items.length}`, ok ? (d.summary || keyFields(last.items[0])) : problems.join('; ')]);
		for (const line of d.details.slice(0, 6)) rows.push(['', '', '', '', `  ${line}`]);
	}
	process.stdout.write(`\n${table(rows, { maxWidth: 90 })}\n\n`);
	process.stdout.write(`${examples.length - failed} passed, ${failed} failed (${log.elapsed().toFixed(1)}s)\n`);
	await stack.close();
	return failed ? 1 : 0;
}

main().then(
	(code) => { process.exitCode = code; if (code !== undefined) setTimeout(() => process.exit(code), 200).unref(); },
	(err) => {
		process.stderr.write(`\n${err instanceof UserError ? err.message : (err && err.stack) || err}\n`);
		process.exit(1);
	},
);
