#!/usr/bin/env node
'use strict';
/**
 * Provision a pinned, headless n8n runtime (Node + n8n) WITHOUT root, cached
 * outside the checkout, plus helpers to run it from tests/scripts.
 *
 * Runs with Node >= 20 and only Node built-ins. Needs `npm` (the one that ships
 * with the Node running this script), a C/C++ toolchain (gcc, g++, make,
 * python3) for sqlite3, and access to the npm registry.
 *
 *   node scripts/n8n-runtime.js           # ensure runtime, print paths/versions
 *   node scripts/n8n-runtime.js --json    # same, machine readable
 *   node scripts/n8n-runtime.js --force   # reinstall from scratch
 *   N8N_TEST_RUNTIME=1.x node scripts/n8n-runtime.js   # the n8n 1.x runtime (default 2.x)
 *
 * Cache: $N8N_RUNTIME_CACHE, or
 *   ~/.cache/n8n-nodes-kaseya-veeam/runtime-node<NODE_VERSION>-n8n<N8N_VERSION>/
 *     node/    npm prefix holding node-<platform>-<arch>@NODE_VERSION (bin/node + include/node headers)
 *     n8n/     npm prefix holding n8n@N8N_VERSION (installed --ignore-scripts, native modules rebuilt)
 *     logs/    full output of every npm step
 *     .complete.json  written last; without it the next run redoes the install
 *
 * Exports: ensureRuntime, n8nEnv, runN8n, parseExecuteOutput, getFreePort,
 *          freePortSync, trackChild, killChildren, cacheDir, RUNTIMES, RUNTIME_LINE, NODE_VERSION, N8N_VERSION, N8N_MAJOR,
 *          ENCRYPTION_KEY.
 */

const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');

// ---------------------------------------------------------------------------
// Pinned runtimes. N8N_TEST_RUNTIME picks one (default "2.x"); CI runs the e2e core on both.
//   2.x: n8n 2.x requires Node >= 24.
//   1.x: n8n 1.123.x, the last 1.x line (self-hosted MSPs still run it). Node 22: n8n 1.123's
//        expression sandbox (isolated-vm) needs Node >= 22, and 1.x was released and tested on 22.
//        n8n-nodes-base 1.x depends on xlsx as a tarball URL on cdn.sheetjs.com, which a
//        registry-only network cannot fetch: an npm override points it at the registry's 0.18.5.
// n8n 2.41.3 (the newest 2.x) cannot be installed from the npm registry: it depends on
// @n8n/agents@0.26.2, which was never published ("npm error code ETARGET / notarget No matching
// version found for @n8n/agents@0.26.2"; the newest is 0.26.1). 2.41.1 stays pinned until a fixed
// release is out.
// ---------------------------------------------------------------------------
const RUNTIMES = {
	'2.x': { nodeVersion: '24.21.0', n8nVersion: '2.41.1' },
	'1.x': { nodeVersion: '22.23.5', n8nVersion: '1.123.81', overrides: { xlsx: '0.18.5' } },
};
const RUNTIME_LINE = process.env.N8N_TEST_RUNTIME || '2.x';
if (!RUNTIMES[RUNTIME_LINE]) {
	throw new Error(`N8N_TEST_RUNTIME="${RUNTIME_LINE}" is not a pinned runtime; use one of: ${Object.keys(RUNTIMES).join(', ')}`);
}
const { nodeVersion: NODE_VERSION, n8nVersion: N8N_VERSION, overrides: NPM_OVERRIDES } = RUNTIMES[RUNTIME_LINE];
const N8N_MAJOR = Number(N8N_VERSION.split('.')[0]);
/**
 * Native modules rebuilt after `npm install --ignore-scripts` (and load-tested).
 * sqlite3 compiles from its bundled source; isolated-vm's rebuild is a no-op when
 * its bundled prebuild matches (linux-x64 glibc/musl ABI 137), else it compiles.
 * Everything else native in n8n's tree is optional or ships prebuilds.
 */
const NATIVE_MODULES = ['sqlite3', 'isolated-vm'];
/** Fixed key so fixtures/user folders are reproducible (must match .n8n/config). */
const ENCRYPTION_KEY = 'n8n-nodes-kaseya-veeam-e2e-fixed-encryption-key';
const MARKER = '.complete.json';
const MARKER_FORMAT = 1;

function cacheDir() {
	if (process.env.N8N_RUNTIME_CACHE) return path.resolve(process.env.N8N_RUNTIME_CACHE);
	const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(base, 'n8n-nodes-kaseya-veeam', `runtime-node${NODE_VERSION}-n8n${N8N_VERSION}`);
}

function nodePackageName() {
	const plat = process.platform === 'win32' ? 'win' : process.platform;
	return `node-${plat}-${process.arch}`;
}

function layout(dir = cacheDir()) {
	const nodePrefix = path.join(dir, 'node');
	const nodePkgDir = path.join(nodePrefix, 'node_modules', nodePackageName());
	const nodeBinDir = path.join(nodePkgDir, 'bin');
	const n8nPrefix = path.join(dir, 'n8n');
	const n8nPkgDir = path.join(n8nPrefix, 'node_modules', 'n8n');
	return {
		dir,
		nodePrefix,
		nodePkgDir,
		nodeBinDir,
		nodeBin: path.join(nodeBinDir, process.platform === 'win32' ? 'node.exe' : 'node'),
		n8nPrefix,
		n8nPkgDir,
		n8nBin: path.join(n8nPkgDir, 'bin', 'n8n'),
		logDir: path.join(dir, 'logs'),
		marker: path.join(dir, MARKER),
		lockDir: path.join(dir, '.install.lock'),
	};
}

// ---------------------------------------------------------------------------
// Child processes: every process this one starts (npm steps, n8n CLI commands, n8n servers with
// their task runners) is killed when this process exits, whatever the reason (a signal handler's
// process.exit, an uncaught error), so nothing outlives `npm start` or a test.
// ---------------------------------------------------------------------------
/** pid → true when the child leads its own process group (detached), whose members die with it. */
const liveChildren = new Map();

/** Remember a spawned child until it exits (group: it was spawned detached, kill its whole group). */
function trackChild(child, { group = false } = {}) {
	if (!child || !child.pid) return child;
	liveChildren.set(child.pid, group);
	child.once('exit', () => {
		// A detached group may still hold task runners after its leader exited: the caller kills the
		// group on close; keep non-group children only until they exit.
		if (!group) liveChildren.delete(child.pid);
	});
	child.once('close', () => liveChildren.delete(child.pid));
	return child;
}

/** Send `signal` to every tracked child (the whole group where it has one). */
function killChildren(signal = 'SIGKILL') {
	for (const [pid, group] of liveChildren) {
		try { process.kill(group && process.platform !== 'win32' ? -pid : pid, signal); } catch { /* gone */ }
	}
}

process.on('exit', () => killChildren('SIGKILL'));

// ---------------------------------------------------------------------------
// Logging / progress
// ---------------------------------------------------------------------------
function makeLogger(quiet) {
	const t0 = Date.now();
	const el = () => `${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s`;
	return {
		t0,
		elapsed: () => (Date.now() - t0) / 1000,
		step: (msg) => { if (!quiet) process.stderr.write(`[n8n-runtime ${el()}] ${msg}\n`); },
		info: (msg) => { if (!quiet) process.stderr.write(`[n8n-runtime ${el()}]   ${msg}\n`); },
		always: (msg) => process.stderr.write(`[n8n-runtime ${el()}] ${msg}\n`),
	};
}

class RuntimeError extends Error {
	constructor(step, detail, logFile, hint) {
		const lines = [`n8n runtime setup failed during: ${step}`, `  ${detail}`];
		if (logFile) lines.push(`  full log: ${logFile}`);
		if (hint) lines.push(`  try: ${hint}`);
		super(lines.join('\n'));
		this.name = 'RuntimeError';
		this.step = step;
		this.logFile = logFile;
	}
}

// ---------------------------------------------------------------------------
// npm helpers
// ---------------------------------------------------------------------------
/** Locate npm-cli.js of the npm that ships with the Node running this script. */
function findNpmCli() {
	const candidates = [];
	if (process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath)) {
		candidates.push(process.env.npm_execpath);
	}
	candidates.push(path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'));
	candidates.push(path.join(path.dirname(process.execPath), 'node_modules', 'npm', 'bin', 'npm-cli.js'));
	for (const dir of (process.env.PATH || '').split(path.delimiter)) {
		if (!dir) continue;
		const p = path.join(dir, 'npm');
		try {
			const real = fs.realpathSync(p);
			if (/npm-cli\.js$/.test(real)) candidates.push(real);
		} catch { /* not there */ }
	}
	return candidates.find((c) => fs.existsSync(c)) || null;
}

/**
 * Environment for npm child processes: Node 24 first on PATH, headers from the
 * node package (overrides a `nodedir` in ~/.npmrc), no inherited npm_config_*
 * from an outer `npm run`, no prebuilt downloads (no internet besides registry).
 */
function npmEnv(L) {
	const env = {};
	// Keep user npm settings (registry, proxy, cache...), but drop what an outer `npm run`
	// exports that would redirect or alter this install.
	const drop = /^npm_(package_|lifecycle_|config_(prefix|local_prefix|global_prefix|global|location|workspaces?|include_workspace_root|ignore_scripts|dry_run|save.*|omit|include|production|only|target.*|runtime|arch|platform|dist_?url|build_from_source|node_gyp)$)/i;
	for (const [k, v] of Object.entries(process.env)) {
		if (drop.test(k)) continue;
		env[k] = v;
	}
	env.PATH = [L.nodeBinDir, process.env.PATH || ''].join(path.delimiter);
	env.npm_config_nodedir = L.nodePkgDir;
	// sqlite3 (prebuild-install) would try to download a prebuilt binary from GitHub: build it
	// from source instead. Only for sqlite3: 'true' would also make isolated-vm (node-gyp-build)
	// compile from source instead of using its bundled linux-x64 ABI 137 prebuild.
	env.npm_config_build_from_source = 'sqlite3';
	env.npm_config_update_notifier = 'false';
	env.npm_config_fund = 'false';
	env.npm_config_audit = 'false';
	env.npm_config_jobs = String(Math.max(1, os.cpus().length)); // node-gyp make -j
	env.JOBS = env.npm_config_jobs;
	delete env.NODE_OPTIONS;
	return env;
}

/**
 * Run a command, tee all output to logFile, and show liveness: a heartbeat with
 * the last output line every `heartbeatMs` (unless quiet). Rejects with a
 * RuntimeError on non-zero exit.
 */
function runLogged(cmd, args, { cwd, env, logFile, stepName, hint, log, heartbeatMs = 10000 }) {
	return new Promise((resolve, reject) => {
		fs.mkdirSync(path.dirname(logFile), { recursive: true });
		const out = fs.createWriteStream(logFile, { flags: 'w' });
		out.write(`$ ${cmd} ${args.join(' ')}\n# cwd: ${cwd}\n# started: ${new Date().toISOString()}\n\n`);
		const started = Date.now();
		let lastLine = '';
		let buf = '';
		let nLines = 0;
		const child = trackChild(spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] }));
		const onData = (chunk) => {
			out.write(chunk);
			buf += chunk.toString('utf8');
			const parts = buf.split(/\r?\n/);
			buf = parts.pop();
			for (const p of parts) {
				const s = p.trim();
				if (!s || /Unknown (user|project|global|env) config "nodedir"/.test(s)) continue;
				nLines++;
				lastLine = s;
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		const timer = setInterval(() => {
			const secs = Math.round((Date.now() - started) / 1000);
			const tail = lastLine.length > 110 ? `${lastLine.slice(0, 107)}...` : lastLine;
			log.info(`... still running (${secs}s, ${nLines} output lines)${tail ? ` last: ${tail}` : ''}`);
		}, heartbeatMs);
		timer.unref();
		child.on('error', (err) => {
			clearInterval(timer);
			out.end(`\n# spawn error: ${err.message}\n`);
			reject(new RuntimeError(stepName, `could not start ${cmd}: ${err.message}`, logFile, hint));
		});
		child.on('close', (code, signal) => {
			clearInterval(timer);
			if (buf.trim()) lastLine = buf.trim();
			out.end(`\n# exit: code=${code} signal=${signal} after ${((Date.now() - started) / 1000).toFixed(1)}s\n`, () => {
				if (code === 0) return resolve({ lastLine });
				let tail = '';
				try {
					tail = fs.readFileSync(logFile, 'utf8').split('\n').filter((l) => l.trim() && !/nodedir/.test(l)).slice(-15).join('\n    ');
				} catch { /* ignore */ }
				reject(new RuntimeError(stepName, `exit code ${code}${signal ? ` (signal ${signal})` : ''}; last output:\n    ${tail}`, logFile, hint));
			});
		});
	});
}

function writeJson(file, obj) {
	fs.writeFileSync(file, `${JSON.stringify(obj, null, 2)}\n`);
}

function capture(cmd, args, opts = {}) {
	const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120000, ...opts });
	return { code: r.status, stdout: (r.stdout || '').trim(), stderr: (r.stderr || '').trim(), error: r.error };
}

// ---------------------------------------------------------------------------
// Install lock (several test processes may call ensureRuntime at once)
// ---------------------------------------------------------------------------
function pidAlive(pid) {
	try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
}

async function acquireLock(L, log) {
	fs.mkdirSync(L.dir, { recursive: true });
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(L.lockDir);
			fs.writeFileSync(path.join(L.lockDir, 'pid'), String(process.pid));
			return () => fs.rmSync(L.lockDir, { recursive: true, force: true });
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
			let pid = NaN;
			try { pid = Number(fs.readFileSync(path.join(L.lockDir, 'pid'), 'utf8')); } catch { /* being written */ }
			let age = 0;
			try { age = Date.now() - fs.statSync(L.lockDir).mtimeMs; } catch { /* gone */ }
			if ((pid && !pidAlive(pid)) || (!pid && age > 30000)) {
				fs.rmSync(L.lockDir, { recursive: true, force: true });
				continue;
			}
			if (!announced) {
				log.always(`another process (pid ${pid || '?'}) is installing the n8n runtime in ${L.dir}; waiting...`);
				announced = true;
			}
			await new Promise((r) => setTimeout(r, 1000));
		}
	}
}

// ---------------------------------------------------------------------------
// Install steps
// ---------------------------------------------------------------------------
function readMarker(L) {
	try {
		const m = JSON.parse(fs.readFileSync(L.marker, 'utf8'));
		if (m.format !== MARKER_FORMAT || m.nodeVersion !== NODE_VERSION || m.n8nVersion !== N8N_VERSION
			|| JSON.stringify(m.overrides || null) !== JSON.stringify(NPM_OVERRIDES || null)) return null;
		if (!fs.existsSync(L.nodeBin) || !fs.existsSync(L.n8nBin)) return null;
		return m;
	} catch {
		return null;
	}
}

function result(L) {
	return { nodeBin: L.nodeBin, n8nBin: L.n8nBin, cacheDir: L.dir, nodeVersion: NODE_VERSION, n8nVersion: N8N_VERSION, line: RUNTIME_LINE };
}

function nodeVersionOk(L) {
	if (!fs.existsSync(L.nodeBin)) return false;
	const r = capture(L.nodeBin, ['--version']);
	return r.code === 0 && r.stdout === `v${NODE_VERSION}`;
}

async function installNode(L, npmCli, log) {
	const step = `install Node ${NODE_VERSION} (npm package ${nodePackageName()})`;
	if (nodeVersionOk(L) && fs.existsSync(path.join(L.nodePkgDir, 'include', 'node', 'node_version.h'))) {
		log.step(`${step}: already present`);
		return;
	}
	log.step(`${step} -> ${L.nodePrefix}`);
	fs.rmSync(L.nodePrefix, { recursive: true, force: true });
	fs.mkdirSync(L.nodePrefix, { recursive: true });
	writeJson(path.join(L.nodePrefix, 'package.json'), { name: 'n8n-runtime-node', private: true, description: 'generated by scripts/n8n-runtime.js' });
	const logFile = path.join(L.logDir, '1-install-node.log');
	// The package has no install script, but --ignore-scripts keeps it from ever fetching anything.
	await runLogged(process.execPath, [npmCli, 'install', `${nodePackageName()}@${NODE_VERSION}`,
		'--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=http'], {
		cwd: L.nodePrefix, env: npmEnv(L), logFile, stepName: step, log,
		hint: `check registry access: npm view ${nodePackageName()}@${NODE_VERSION} version`,
	});
	const r = capture(L.nodeBin, ['--version']);
	if (r.code !== 0 || r.stdout !== `v${NODE_VERSION}`) {
		throw new RuntimeError(step, `${L.nodeBin} --version gave "${r.stdout || r.stderr || r.error}" (expected v${NODE_VERSION})`, logFile,
			'make sure the cache directory is on a filesystem that allows executing binaries (not noexec)');
	}
	if (!fs.existsSync(path.join(L.nodePkgDir, 'include', 'node', 'node_version.h'))) {
		throw new RuntimeError(step, `no headers in ${L.nodePkgDir}/include/node (needed to rebuild native modules)`, logFile);
	}
	log.info(`node ${r.stdout} OK`);
}

async function installN8n(L, npmCli, log) {
	const step = `npm install n8n@${N8N_VERSION} --ignore-scripts`;
	log.step(`${step} -> ${L.n8nPrefix} (several minutes on first run)`);
	fs.rmSync(L.n8nPrefix, { recursive: true, force: true });
	fs.mkdirSync(L.n8nPrefix, { recursive: true });
	writeJson(path.join(L.n8nPrefix, 'package.json'), {
		name: 'n8n-runtime', private: true, description: 'generated by scripts/n8n-runtime.js',
		...(NPM_OVERRIDES ? { overrides: NPM_OVERRIDES } : {}),
	});
	const logFile = path.join(L.logDir, '2-install-n8n.log');
	// Run npm under the target Node so engine checks / lifecycle see the target runtime.
	await runLogged(L.nodeBin, [npmCli, 'install', `n8n@${N8N_VERSION}`,
		'--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=http'], {
		cwd: L.n8nPrefix, env: npmEnv(L), logFile, stepName: step, log,
		hint: `"npm view n8n@${N8N_VERSION} version"; if sub-packages fail to resolve (ETARGET/E404), pin an earlier patch release in RUNTIMES (scripts/n8n-runtime.js)`,
	});
	if (!fs.existsSync(L.n8nBin)) throw new RuntimeError(step, `npm finished but ${L.n8nBin} is missing`, logFile);
}

/** Find the directory of an installed package as n8n would resolve it. */
function resolvePkgDir(L, name) {
	try {
		return path.dirname(require.resolve(`${name}/package.json`, { paths: [L.n8nPkgDir] }));
	} catch {
		return null;
	}
}

async function rebuildNative(L, npmCli, log) {
	const present = NATIVE_MODULES.filter((m) => resolvePkgDir(L, m));
	const missing = NATIVE_MODULES.filter((m) => !present.includes(m));
	if (missing.length) log.info(`not installed (skipped): ${missing.join(', ')}`);
	if (!present.length) return;
	const step = `npm rebuild ${present.join(' ')} (Node ${NODE_VERSION} headers; sqlite3 compiles from source, ~1.5-3 min)`;
	log.step(step);
	const logFile = path.join(L.logDir, '3-rebuild-native.log');
	await runLogged(L.nodeBin, [npmCli, 'rebuild', ...present, '--foreground-scripts', '--loglevel=info'], {
		cwd: L.n8nPrefix, env: npmEnv(L), logFile, stepName: step, log,
		hint: 'needs gcc, g++, make and python3 (apt-get install build-essential python3); then rerun with --force',
	});
}

function verifyRuntime(L, log) {
	const step = 'verify runtime';
	log.step(`${step}: load native modules and run n8n --version`);
	const logFile = path.join(L.logDir, '4-verify.log');
	const lines = [];
	for (const m of NATIVE_MODULES) {
		const dir = resolvePkgDir(L, m);
		if (!dir) continue;
		// isolated-vm needs --no-node-snapshot on Node >= 20 (n8n sets it when it spawns runners).
		const code = m === 'sqlite3'
			? `const s=require(${JSON.stringify(dir)});const db=new s.Database(':memory:');db.get('select sqlite_version() v',(e,r)=>{if(e)throw e;console.log('sqlite',r.v);db.close();})`
			: `const m=require(${JSON.stringify(dir)});console.log(Object.keys(m).slice(0,3).join(','))`;
		const args = m === 'isolated-vm' ? ['--no-node-snapshot', '-e', code] : ['-e', code];
		const r = capture(L.nodeBin, args, { cwd: L.n8nPrefix });
		lines.push(`## ${m} (${dir})`, r.stdout, r.stderr, `code=${r.code}`);
		if (r.code !== 0) {
			fs.mkdirSync(L.logDir, { recursive: true });
			fs.writeFileSync(logFile, lines.join('\n'));
			throw new RuntimeError(step, `native module ${m} does not load under Node ${NODE_VERSION}: ${(r.stderr || '').split('\n').slice(0, 6).join(' | ')}`,
				logFile, 'rerun with --force; see logs/3-rebuild-native.log');
		}
		log.info(`${m}: ${r.stdout || 'loaded'}`);
	}
	const r = capture(L.nodeBin, [L.n8nBin, '--version'], { cwd: os.tmpdir(), env: { ...process.env, PATH: `${L.nodeBinDir}${path.delimiter}${process.env.PATH}`, N8N_DIAGNOSTICS_ENABLED: 'false' } });
	lines.push('## n8n --version', r.stdout, r.stderr, `code=${r.code}`);
	fs.mkdirSync(L.logDir, { recursive: true });
	fs.writeFileSync(logFile, lines.join('\n'));
	const ver = r.stdout.split('\n').map((s) => s.trim()).find((s) => /^\d+\.\d+\.\d+/.test(s));
	if (r.code !== 0 || ver !== N8N_VERSION) {
		throw new RuntimeError(step, `"n8n --version" gave code ${r.code}, output "${r.stdout}" ${r.stderr.slice(0, 400)}`, logFile, 'rerun with --force');
	}
	log.info(`n8n --version -> ${ver}`);
}

/**
 * Make sure the pinned runtime exists (installing it on first use).
 * @param {{quiet?: boolean, force?: boolean}} [opts]
 * @returns {Promise<{nodeBin: string, n8nBin: string, cacheDir: string, nodeVersion: string, n8nVersion: string}>}
 */
async function ensureRuntime({ quiet = false, force = false } = {}) {
	const L = layout();
	if (!force && readMarker(L)) return result(L);

	const log = makeLogger(quiet);
	const release = await acquireLock(L, log);
	try {
		if (!force && readMarker(L)) return result(L); // someone else finished while we waited
		log.always(`provisioning n8n ${N8N_VERSION} on Node ${NODE_VERSION} in ${L.dir} (first run only; logs in ${L.logDir})`);
		fs.rmSync(L.marker, { force: true });
		if (force) fs.rmSync(L.nodePrefix, { recursive: true, force: true });
		const npmCli = findNpmCli();
		if (!npmCli) {
			throw new RuntimeError('locate npm', `npm-cli.js not found next to ${process.execPath} or on PATH`, null,
				'install npm for the Node running this script');
		}
		log.info(`using npm ${npmCli}`);
		const timings = {};
		let t = log.elapsed();
		await installNode(L, npmCli, log);
		timings.node = +(log.elapsed() - t).toFixed(1); t = log.elapsed();
		await installN8n(L, npmCli, log);
		timings.n8n = +(log.elapsed() - t).toFixed(1); t = log.elapsed();
		await rebuildNative(L, npmCli, log);
		timings.rebuild = +(log.elapsed() - t).toFixed(1); t = log.elapsed();
		verifyRuntime(L, log);
		timings.verify = +(log.elapsed() - t).toFixed(1);
		writeJson(L.marker, {
			format: MARKER_FORMAT,
			nodeVersion: NODE_VERSION,
			n8nVersion: N8N_VERSION,
			nodePackage: nodePackageName(),
			overrides: NPM_OVERRIDES || null,
			nativeModulesRebuilt: NATIVE_MODULES.filter((m) => resolvePkgDir(L, m)),
			nodeBin: L.nodeBin,
			n8nBin: L.n8nBin,
			completedAt: new Date().toISOString(),
			timingsSeconds: timings,
		});
		log.always(`runtime ready after ${log.elapsed().toFixed(1)}s`);
		return result(L);
	} finally {
		release();
	}
}

// ---------------------------------------------------------------------------
// Running n8n
// ---------------------------------------------------------------------------
/** Free TCP port on 127.0.0.1 (async). */
function getFreePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

/** Free TCP port on 127.0.0.1, synchronously (probes in a short-lived child). */
function freePortSync() {
	const r = spawnSync(process.execPath, ['-e',
		"const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close();})"],
	{ encoding: 'utf8', timeout: 10000 });
	const port = Number(r.stdout);
	if (r.status === 0 && port > 0) return port;
	return 20000 + Math.floor(Math.random() * 30000);
}

/**
 * Environment for running n8n headless. Inherited N8N_*, DB_*, QUEUE_* and
 * NODE_OPTIONS variables are dropped so runs are reproducible; pass overrides
 * in `extra` (e.g. N8N_CUSTOM_EXTENSIONS, N8N_LOG_OUTPUT, N8N_RUNNERS_BROKER_PORT).
 * N8N_RUNNERS_BROKER_PORT defaults to a free port, so parallel processes don't
 * collide on 5679.
 * @param {string} userFolder  n8n data lives in <userFolder>/.n8n
 * @param {Record<string,string|number|boolean|undefined>} [extra]  undefined values delete a key
 * @returns {Record<string,string>}
 */
function n8nEnv(userFolder, extra = {}) {
	if (!userFolder) throw new Error('n8nEnv(userFolder): userFolder is required');
	const L = layout();
	const env = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (/^(N8N_|DB_|QUEUE_|EXECUTIONS_|GENERIC_TIMEZONE$|NODE_OPTIONS$|NODE_PATH$|npm_)/i.test(k)) continue;
		env[k] = v;
	}
	Object.assign(env, {
		PATH: [L.nodeBinDir, process.env.PATH || ''].join(path.delimiter),
		N8N_USER_FOLDER: path.resolve(userFolder),
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_LOG_LEVEL: 'info', // the execute result is printed via logger.info; 'error'/'warn' hides it
		N8N_SECURE_COOKIE: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		DB_TYPE: 'sqlite',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		NO_COLOR: '1',
	});
	for (const [k, v] of Object.entries(extra || {})) {
		if (v === undefined || v === null) delete env[k];
		else env[k] = String(v);
	}
	if (!env.N8N_RUNNERS_BROKER_PORT) env.N8N_RUNNERS_BROKER_PORT = String(freePortSync());
	return env;
}

/**
 * Spawn `nodeBin n8nBin ...args` and collect output. Never rejects for a
 * non-zero exit; check `code`. On timeout the whole process group (n8n + its
 * task runners) is killed and `timedOut` is true.
 * @param {string[]} args  e.g. ['execute', '--id=wf1', '--rawOutput']
 * @param {{env?: Record<string,string>, timeoutMs?: number, cwd?: string, userFolder?: string}} [opts]
 *   env defaults to n8nEnv(userFolder) when userFolder is given; one of them is required.
 * @returns {Promise<{code: number|null, signal: string|null, stdout: string, stderr: string, timedOut: boolean, durationMs: number}>}
 */
async function runN8n(args, { env, timeoutMs = 120000, cwd, userFolder } = {}) {
	const rt = await ensureRuntime({ quiet: true });
	if (!env) {
		if (!userFolder) throw new Error('runN8n: pass opts.env (from n8nEnv) or opts.userFolder');
		env = n8nEnv(userFolder);
	}
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const detached = process.platform !== 'win32';
		const child = trackChild(spawn(rt.nodeBin, [rt.n8nBin, ...args], {
			cwd: cwd || env.N8N_USER_FOLDER || os.tmpdir(), env, stdio: ['ignore', 'pipe', 'pipe'], detached,
		}), { group: detached });
		const out = [];
		const err = [];
		let timedOut = false;
		child.stdout.on('data', (d) => out.push(d));
		child.stderr.on('data', (d) => err.push(d));
		const kill = (sig) => {
			try { if (detached) process.kill(-child.pid, sig); else child.kill(sig); } catch { /* already gone */ }
		};
		let hardKill;
		const timer = timeoutMs > 0 ? setTimeout(() => {
			timedOut = true;
			kill('SIGTERM');
			hardKill = setTimeout(() => kill('SIGKILL'), 5000);
		}, timeoutMs) : null;
		child.on('error', (e) => { if (timer) clearTimeout(timer); reject(e); });
		child.on('close', (code, signal) => {
			if (timer) clearTimeout(timer);
			if (hardKill) clearTimeout(hardKill);
			// Task runners are children of n8n; make sure none outlive it.
			kill('SIGKILL');
			resolve({
				code, signal, timedOut, durationMs: Date.now() - started,
				stdout: Buffer.concat(out).toString('utf8'),
				stderr: Buffer.concat(err).toString('utf8'),
			});
		});
	});
}

/**
 * Extract the run result of `n8n execute --id=... --rawOutput` from its output.
 * Handles (a) console logging: log lines, then pretty JSON starting at a line
 * that is exactly `{` (possibly followed by more log lines), (b) single-line
 * JSON, and (c) N8N_LOG_OUTPUT=file content (one JSON log object per line whose
 * `message` is the JSON-encoded result). Returns the parsed object
 * ({data: {resultData: {runData, ...}}, status, ...}); throws if none found.
 * @param {string} stdout
 * @returns {any}
 */
function parseExecuteOutput(stdout) {
	const text = String(stdout || '').replace(/\x1b\[[0-9;]*m/g, '');
	const lines = text.split(/\r?\n/);
	const looksLikeRun = (o) => o && typeof o === 'object' && !Array.isArray(o) && ('data' in o || 'status' in o || 'finished' in o);
	const tryParse = (s) => { try { return JSON.parse(s); } catch { return undefined; } };

	// (a) pretty-printed JSON starting at a line that is exactly "{"
	for (let i = 0; i < lines.length; i++) {
		if (lines[i].trim() !== '{' || lines[i] !== lines[i].trimStart()) continue;
		const rest = lines.slice(i);
		const whole = tryParse(rest.join('\n'));
		if (looksLikeRun(whole)) return whole;
		// trailing log lines: try every top-level closing "}" from the end
		for (let j = rest.length - 1; j > 0; j--) {
			if (rest[j].trimEnd() !== '}') continue;
			const o = tryParse(rest.slice(0, j + 1).join('\n'));
			if (looksLikeRun(o)) return o;
		}
	}
	// (b)/(c) single-line JSON, either the result itself or a JSON log record
	for (const line of lines) {
		const s = line.trim();
		if (!s.startsWith('{')) continue;
		const o = tryParse(s);
		if (looksLikeRun(o)) return o;
		if (o && typeof o.message === 'string' && o.message.trim().startsWith('{')) {
			const inner = tryParse(o.message);
			if (looksLikeRun(inner)) return inner;
		}
	}
	const snippet = text.length > 600 ? `...${text.slice(-600)}` : text;
	throw new Error(`parseExecuteOutput: no execution result JSON found (is N8N_LOG_LEVEL at least "info"?). Output:\n${snippet}`);
}

module.exports = {
	RUNTIMES,
	RUNTIME_LINE,
	NODE_VERSION,
	N8N_VERSION,
	N8N_MAJOR,
	ENCRYPTION_KEY,
	cacheDir,
	ensureRuntime,
	n8nEnv,
	runN8n,
	parseExecuteOutput,
	getFreePort,
	freePortSync,
	trackChild,
	killChildren,
};

if (require.main === module) {
	const argv = process.argv.slice(2);
	const t0 = Date.now();
	ensureRuntime({ quiet: argv.includes('--quiet'), force: argv.includes('--force') })
		.then((rt) => {
			const secs = ((Date.now() - t0) / 1000).toFixed(1);
			if (argv.includes('--json')) {
				process.stdout.write(`${JSON.stringify(rt, null, 2)}\n`);
			} else {
				process.stdout.write([
					`n8n runtime ready (${secs}s)`,
					`  node ${rt.nodeVersion}: ${rt.nodeBin}`,
					`  n8n  ${rt.n8nVersion}: ${rt.n8nBin}`,
					`  cache:       ${rt.cacheDir}`,
					`  run:         "${rt.nodeBin}" "${rt.n8nBin}" --version`,
					'',
				].join('\n'));
			}
		})
		.catch((err) => {
			process.stderr.write(`\n${err.message}\n`);
			process.exitCode = 1;
		});
}
