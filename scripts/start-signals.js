#!/usr/bin/env node
'use strict';
/**
 * `npm start` stops cleanly on SIGTERM/SIGINT sent to any one of its processes, and leaves nothing
 * behind. Supervisors, IDEs and containers signal only the top process (npm), so that case is the
 * default; --all also signals scripts/start.js and n8n itself.
 *
 *   node scripts/start-signals.js                # SIGTERM to npm
 *   node scripts/start-signals.js --all          # SIGTERM and SIGINT to npm, scripts/start.js, n8n
 *   node scripts/start-signals.js --case npm:SIGINT --case n8n:SIGTERM
 *
 * Each case runs `npm start -- --skip-build` (dist/ must be built) on free ports with a temporary user
 * folder, waits until the editor is ready, records npm's process tree (npm, sh, start.js, n8n and its
 * task runner), sends the one signal to the one process, then checks that within STOP_TIMEOUT_MS every
 * recorded process is gone, that no process's environment still names the temporary user folder, and
 * that start.js said it stopped n8n and the emulators. Exit code 1 if any case fails. Linux only (/proc).
 */
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const runtime = require('./n8n-runtime');
const { REPO } = require('./lib/build');

const STOP_TIMEOUT_MS = 60000;
const READY_TIMEOUT_MS = 300000;
const TARGETS = ['npm', 'start.js', 'n8n'];
const SIGNALS = ['SIGTERM', 'SIGINT'];

function parseCases(argv) {
	if (argv.includes('--help')) {
		process.stdout.write('Usage: node scripts/start-signals.js [--all] [--case <npm|start.js|n8n>:<SIGTERM|SIGINT>]...\n');
		process.exit(0);
	}
	if (argv.includes('--all')) return TARGETS.flatMap((target) => SIGNALS.map((signal) => ({ target, signal })));
	const cases = [];
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] !== '--case') throw new Error(`unknown argument ${argv[i]} (see --help)`);
		const [target, signal] = String(argv[++i]).split(':');
		if (!TARGETS.includes(target) || !SIGNALS.includes(signal)) throw new Error(`--case ${argv[i]}: use <${TARGETS.join('|')}>:<${SIGNALS.join('|')}>`);
		cases.push({ target, signal });
	}
	return cases.length ? cases : [{ target: 'npm', signal: 'SIGTERM' }];
}

/** Every live process: pid → {ppid, state, cmd}. Zombies count as gone (their parent died or has yet to reap them). */
function processTable() {
	const table = new Map();
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			// pid (comm) state ppid ...: comm may contain spaces and parentheses
			const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
			table.set(Number(entry), { ppid: Number(rest[1]), state: rest[0], cmd });
		} catch { /* exited while reading */ }
	}
	return table;
}

function descendants(rootPid, table) {
	const out = [];
	const queue = [rootPid];
	while (queue.length) {
		const pid = queue.shift();
		for (const [child, p] of table) {
			if (p.ppid === pid && !out.some((d) => d.pid === child)) {
				out.push({ pid: child, ...p });
				queue.push(child);
			}
		}
	}
	return out;
}

const alive = (pid, table) => table.has(pid) && table.get(pid).state !== 'Z';

/** Processes (other than this one) whose environment contains `needle` (the temp user folder). */
function processesWithEnv(needle, table) {
	const found = [];
	for (const [pid, p] of table) {
		if (pid === process.pid || p.state === 'Z') continue;
		try {
			if (fs.readFileSync(`/proc/${pid}/environ`, 'utf8').includes(needle)) found.push({ pid, ...p });
		} catch { /* gone or not ours */ }
	}
	return found;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function runCase({ target, signal }) {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-kaseya-veeam-signals-'));
	const userFolder = path.join(tmp, 'user');
	const ports = [await runtime.getFreePort(), await runtime.getFreePort(), await runtime.getFreePort(), await runtime.getFreePort()];
	const label = `${signal} to ${target}`;
	const started = Date.now();
	// Detached: npm leads its own process group, so this script is never hit by what the case sends,
	// and a failed case can be cleaned up completely.
	const npm = spawn('npm', ['start', '--', '--skip-build', '--n8n-port', String(ports[0]), '--vsa-port', String(ports[1]),
		'--vro-port', String(ports[2]), '--user-folder', userFolder], {
		cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, VSPC_PORT: String(ports[3]) },
	});
	let output = '';
	npm.stdout.on('data', (d) => { output += d; });
	npm.stderr.on('data', (d) => { output += d; });
	let npmExit = null;
	npm.on('exit', (code, sig) => { npmExit = { code, signal: sig }; });

	const result = { label, ok: false, detail: '' };
	let tree = [];
	try {
		while (!/n8n is running/.test(output)) {
			if (npmExit) throw new Error(`npm start exited before n8n was ready (code ${npmExit.code}):\n${output.slice(-1500)}`);
			if (Date.now() - started > READY_TIMEOUT_MS) throw new Error(`n8n not ready after ${READY_TIMEOUT_MS / 1000}s:\n${output.slice(-1500)}`);
			await sleep(250);
		}
		const readyS = ((Date.now() - started) / 1000).toFixed(1);
		const table = processTable();
		tree = [{ pid: npm.pid, ...table.get(npm.pid) }, ...descendants(npm.pid, table)];
		const find = (re) => tree.find((p) => re.test(p.cmd));
		// start.js is the node process, not the `sh -c node scripts/start.js` npm runs it in.
		const pids = { npm: npm.pid, 'start.js': find(/^\S*node\S* scripts\/start\.js/)?.pid, n8n: find(/bin\/n8n start/)?.pid };
		if (!pids[target]) throw new Error(`no ${target} process under npm: ${tree.map((p) => `${p.pid} ${p.cmd.slice(0, 80)}`).join(' | ')}`);
		const sentAt = Date.now();
		process.kill(pids[target], signal);

		let left = tree;
		let strays = [];
		while (Date.now() - sentAt < STOP_TIMEOUT_MS) {
			const now = processTable();
			left = tree.filter((p) => alive(p.pid, now));
			strays = processesWithEnv(userFolder, now).filter((p) => !left.some((l) => l.pid === p.pid));
			if (!left.length && !strays.length) break;
			await sleep(250);
		}
		const stopS = ((Date.now() - sentAt) / 1000).toFixed(1);
		const said = /stopping n8n and the emulators|n8n stopped .*stopping the emulators/.test(output) && /stopped\b/.test(output);
		result.ok = !left.length && !strays.length && said;
		result.detail = result.ok
			? `ready in ${readyS}s; all ${tree.length} processes (${tree.map((p) => path.basename(p.cmd.split(' ')[0])).join(', ')}) gone ${stopS}s after the signal; npm exit ${npmExit ? (npmExit.signal || npmExit.code) : 'pending'}`
			: `${left.length} of ${tree.length} processes still running after ${stopS}s: ${left.map((p) => `${p.pid} ${p.cmd.slice(0, 70)}`).join(' | ')}` +
				`${strays.length ? `; strays: ${strays.map((p) => `${p.pid} ${p.cmd.slice(0, 70)}`).join(' | ')}` : ''}${said ? '' : '; start.js never said it stopped'}`;
	} catch (e) {
		result.detail = e.message;
	} finally {
		// Clean up whatever a failed case left: the recorded tree, npm's group and any stray.
		const now = processTable();
		for (const p of [...tree, ...processesWithEnv(userFolder, now)]) {
			try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ }
		}
		try { process.kill(-npm.pid, 'SIGKILL'); } catch { /* gone */ }
		fs.rmSync(tmp, { recursive: true, force: true });
	}
	if (!result.ok) result.detail += `\n--- npm start output (tail) ---\n${output.slice(-1200)}`;
	return result;
}

async function main() {
	if (process.platform !== 'linux') throw new Error('start-signals.js reads /proc: Linux only');
	if (!fs.existsSync(path.join(REPO, 'dist'))) throw new Error('dist/ is missing: run "npm run build" first');
	const cases = parseCases(process.argv.slice(2));
	await runtime.ensureRuntime({ quiet: false });
	const t0 = Date.now();
	let failed = 0;
	for (const c of cases) {
		process.stdout.write(`[start-signals] npm start, then ${c.signal} to ${c.target} ...\n`);
		const r = await runCase(c);
		if (!r.ok) failed++;
		process.stdout.write(`[start-signals] ${r.ok ? 'PASS' : 'FAIL'} ${r.label}: ${r.detail}\n`);
	}
	process.stdout.write(`[start-signals] ${cases.length - failed} passed, ${failed} failed (${((Date.now() - t0) / 1000).toFixed(1)}s)\n`);
	return failed ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (err) => {
	process.stderr.write(`${err.message}\n`);
	process.exitCode = 1;
});
