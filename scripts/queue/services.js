'use strict';
/**
 * Throwaway PostgreSQL and Redis servers for the queue-mode test, owned by this script:
 * installed from Debian's packages when missing, started on 127.0.0.1 with free ports and data
 * in a temp folder, stopped (and the folder removed) by the caller's cleanup.
 *
 *   const pkgs = ensurePackages(log);              // apt-get install -y postgresql redis-server
 *   const pg = await startPostgres(dir, log);      // {host, port, user, database, stop()}
 *   const redis = await startRedis(dir, log);      // {host, port, stop()}
 */

const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');

/** Exit code when the prerequisites cannot be installed, so .ci/run can tell "skipped" from "failed". */
const EXIT_PREREQ_MISSING = 3;

class PrereqError extends Error {
	constructor(message) {
		super(message);
		this.name = 'PrereqError';
		this.exitCode = EXIT_PREREQ_MISSING;
	}
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function which(cmd) {
	const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
	return r.status === 0 ? r.stdout.trim() : null;
}

/** The newest /usr/lib/postgresql/<ver>/bin that has initdb, pg_ctl and postgres (Debian layout). */
function findPgBin() {
	const root = '/usr/lib/postgresql';
	let versions = [];
	try {
		versions = fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
	} catch { /* not installed */ }
	for (const v of versions) {
		const bin = path.join(root, v, 'bin');
		if (['initdb', 'pg_ctl', 'postgres'].every((b) => fs.existsSync(path.join(bin, b)))) return bin;
	}
	// Non-Debian layouts: initdb on PATH
	const initdb = which('initdb');
	if (initdb) {
		const bin = path.dirname(fs.realpathSync(initdb));
		if (fs.existsSync(path.join(bin, 'pg_ctl'))) return bin;
	}
	return null;
}

function findRedis() {
	return which('redis-server') || (fs.existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : null);
}

function runApt(args, log, sudo) {
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_MODE: 'a' };
	const r = spawnSync(sudo ? sudo : 'apt-get', sudo ? ['-n', '-E', 'apt-get', ...args] : args, { encoding: 'utf8', env, timeout: 15 * 60 * 1000, maxBuffer: 64 * 1024 * 1024 });
	if (r.status !== 0) {
		const tail = `${r.stdout || ''}\n${r.stderr || ''}`.trim().split('\n').slice(-12).join('\n    ');
		log.info(`apt-get ${args.join(' ')} failed (code ${r.status}${r.error ? `, ${r.error.message}` : ''}):\n    ${tail}`);
		return false;
	}
	return true;
}

/**
 * Make sure PostgreSQL and Redis server binaries exist; installs them with apt-get when missing.
 * Throws PrereqError (exit code 3) when that is impossible.
 */
function ensurePackages(log) {
	let pgBin = findPgBin();
	let redis = findRedis();
	const missing = [];
	if (!pgBin) missing.push('postgresql');
	if (!redis) missing.push('redis-server');
	if (!missing.length) {
		log.info(`PostgreSQL binaries: ${pgBin}; Redis: ${redis} (already installed)`);
		return { pgBin, redis, installed: [] };
	}
	if (!which('apt-get')) {
		throw new PrereqError(`queue test needs ${missing.join(' and ')}, and this machine has no apt-get to install them. Install PostgreSQL (initdb, pg_ctl) and redis-server, then rerun.`);
	}
	const sudo = isRoot() ? null : which('sudo');
	if (!isRoot() && !sudo) {
		throw new PrereqError(`queue test needs ${missing.join(' and ')}; installing them needs root (apt-get install -y ${missing.join(' ')}).`);
	}
	log.step(`installing ${missing.join(' ')} from Debian's packages (apt-get, non-interactive)`);
	const apt = (args) => runApt(args, log, sudo);
	// Try without refreshing the lists first (fast when they are current), then update and retry.
	let ok = apt(['install', '-y', '--no-install-recommends', ...missing]);
	if (!ok) {
		log.info('apt-get update ...');
		apt(['update']);
		ok = apt(['install', '-y', '--no-install-recommends', ...missing]);
	}
	pgBin = findPgBin();
	redis = findRedis();
	if (!ok || !pgBin || !redis) {
		throw new PrereqError(`could not install ${missing.join(' and ')} with apt-get (see the output above). The queue-mode test needs a local PostgreSQL and Redis.`);
	}
	log.info(`installed: PostgreSQL binaries ${pgBin}; Redis ${redis}`);
	return { pgBin, redis, installed: missing };
}

function freePort() {
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

function waitForTcp(port, timeoutMs, isDead) {
	const until = Date.now() + timeoutMs;
	return new Promise((resolve, reject) => {
		const attempt = () => {
			const dead = isDead && isDead();
			if (dead) return reject(new Error(dead));
			const sock = net.connect({ host: '127.0.0.1', port });
			sock.once('connect', () => { sock.destroy(); resolve(); });
			sock.once('error', () => {
				sock.destroy();
				if (Date.now() > until) reject(new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`));
				else setTimeout(attempt, 200);
			});
		};
		attempt();
	});
}

/** Run a PostgreSQL tool, as the `postgres` system user when we are root (initdb refuses root). */
function pgTool(pgBin, tool, args, { asUser } = {}) {
	const cmd = path.join(pgBin, tool);
	const r = asUser
		? spawnSync('runuser', ['-u', asUser, '--', cmd, ...args], { encoding: 'utf8', timeout: 120000 })
		: spawnSync(cmd, args, { encoding: 'utf8', timeout: 120000 });
	if (r.status !== 0) {
		throw new Error(`${tool} ${args.join(' ')} failed (code ${r.status}): ${(r.stderr || r.stdout || String(r.error || '')).trim().slice(-800)}`);
	}
	return r.stdout;
}

/**
 * initdb a fresh cluster in <dir>/pg (trust auth, superuser `n8n`), start it on 127.0.0.1:<free port>
 * with its socket in the same folder, and create the database `n8n`.
 */
async function startPostgres(dir, pgBin, log) {
	const dataDir = path.join(dir, 'pg', 'data');
	const sockDir = path.join(dir, 'pg', 'sock');
	fs.mkdirSync(dataDir, { recursive: true });
	fs.mkdirSync(sockDir, { recursive: true });
	let asUser = null;
	if (isRoot()) {
		asUser = 'postgres';
		const id = spawnSync('id', ['-u', asUser], { encoding: 'utf8' });
		if (id.status !== 0) throw new PrereqError('running as root but there is no "postgres" system user to run the database server as');
		const uid = Number(id.stdout.trim());
		const gid = Number(spawnSync('id', ['-g', asUser], { encoding: 'utf8' }).stdout.trim());
		for (const d of [path.join(dir, 'pg'), dataDir, sockDir]) fs.chownSync(d, uid, gid);
		fs.chmodSync(dataDir, 0o700);
		// The postgres user must be able to traverse to the temp folder.
		fs.chmodSync(dir, 0o755);
	}
	const port = await freePort();
	pgTool(pgBin, 'initdb', ['-D', dataDir, '-U', 'n8n', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], { asUser });
	const logFile = path.join(dir, 'pg', 'postgres.log');
	const args = [
		'-D', dataDir,
		'-h', '127.0.0.1',
		'-p', String(port),
		'-k', sockDir,
		'-c', 'fsync=off',
		'-c', 'synchronous_commit=off',
		'-c', 'full_page_writes=off',
		'-c', 'max_connections=100',
	];
	const cmd = path.join(pgBin, 'postgres');
	const out = fs.openSync(logFile, 'a');
	const child = asUser
		? spawn('runuser', ['-u', asUser, '--', cmd, ...args], { stdio: ['ignore', out, out], detached: true })
		: spawn(cmd, args, { stdio: ['ignore', out, out], detached: true });
	fs.closeSync(out);
	let exited = null;
	child.on('exit', (code, signal) => { exited = `postgres exited (code ${code}, signal ${signal}); see ${logFile}`; });
	await waitForTcp(port, 30000, () => exited);
	// Accepting TCP is not the same as accepting queries: retry createdb briefly.
	let lastErr;
	for (let i = 0; i < 50; i++) {
		try {
			pgTool(pgBin, 'createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', 'n8n']);
			lastErr = null;
			break;
		} catch (e) {
			lastErr = e;
			await new Promise((r) => setTimeout(r, 200));
		}
	}
	if (lastErr) throw lastErr;
	log.info(`PostgreSQL on 127.0.0.1:${port} (pid ${child.pid}, data ${dataDir}, log ${logFile})`);
	return {
		host: '127.0.0.1', port, user: 'n8n', database: 'n8n', pid: child.pid, logFile,
		/** Run SQL through psql when available; returns rows as arrays of strings. */
		query(sql) {
			const psql = fs.existsSync(path.join(pgBin, 'psql')) ? path.join(pgBin, 'psql') : which('psql');
			if (!psql) throw new Error('psql not found');
			const r = spawnSync(psql, ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', '-d', 'n8n', '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql],
				{ encoding: 'utf8', timeout: 60000, maxBuffer: 64 * 1024 * 1024 });
			if (r.status !== 0) throw new Error(`psql failed: ${(r.stderr || '').trim()}`);
			return r.stdout.split('\n').filter((l) => l.length).map((l) => l.split('\t'));
		},
		stop: () => stopChild(child, 'SIGINT', 10000), // SIGINT = "fast shutdown"
	};
}

/** redis-server on 127.0.0.1:<free port>, no persistence, working dir in <dir>/redis. */
async function startRedis(dir, redisBin, log) {
	const rdir = path.join(dir, 'redis');
	fs.mkdirSync(rdir, { recursive: true });
	const port = await freePort();
	const logFile = path.join(rdir, 'redis.log');
	const out = fs.openSync(logFile, 'a');
	const child = spawn(redisBin, [
		'--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
		'--dir', rdir, '--daemonize', 'no', '--protected-mode', 'yes',
	], { stdio: ['ignore', out, out], detached: true, cwd: rdir });
	fs.closeSync(out);
	let exited = null;
	child.on('exit', (code, signal) => { exited = `redis-server exited (code ${code}, signal ${signal}); see ${logFile}`; });
	await waitForTcp(port, 15000, () => exited);
	log.info(`Redis on 127.0.0.1:${port} (pid ${child.pid}, log ${logFile})`);
	return { host: '127.0.0.1', port, pid: child.pid, logFile, stop: () => stopChild(child, 'SIGTERM', 5000) };
}

/** Signal a detached child's process group, escalate to SIGKILL after graceMs. */
function stopChild(child, signal, graceMs) {
	return new Promise((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) return resolve();
		const kill = (sig) => {
			try { process.kill(-child.pid, sig); } catch { try { child.kill(sig); } catch { /* gone */ } }
		};
		const t = setTimeout(() => kill('SIGKILL'), graceMs);
		child.once('exit', () => { clearTimeout(t); resolve(); });
		kill(signal);
	});
}

module.exports = { ensurePackages, startPostgres, startRedis, stopChild, waitForTcp, freePort, PrereqError, EXIT_PREREQ_MISSING };
