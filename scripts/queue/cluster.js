'use strict';
/**
 * n8n in queue mode: one main process (`n8n start`: editor, webhooks, pollers, enqueues every
 * production execution) and N workers (`n8n worker`: take executions from Redis and run them), each
 * with its own user folder holding the package as a community package, all sharing PostgreSQL,
 * Redis and the encryption key. Built on scripts/lib/n8n.js (N8nInstance) and scripts/n8n-runtime.js.
 */

const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const runtime = require('../n8n-runtime');
const { N8nInstance, installPackage, prepareUserFolder, httpJson, sleep, lastLines } = require('../lib/n8n');

/**
 * The variables that put an n8n process into queue mode against our PostgreSQL and Redis. The same
 * set goes to the main process and every worker (plus the shared N8N_ENCRYPTION_KEY that
 * scripts/n8n-runtime.js n8nEnv() always sets).
 */
function queueEnv({ pg, redis }) {
	return {
		EXECUTIONS_MODE: 'queue',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: pg.host,
		DB_POSTGRESDB_PORT: String(pg.port),
		DB_POSTGRESDB_DATABASE: pg.database,
		DB_POSTGRESDB_USER: pg.user,
		DB_POSTGRESDB_PASSWORD: '',
		DB_POSTGRESDB_POOL_SIZE: '4',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		// Manual (editor) runs go to the workers too, so nothing of ours runs only in the main process.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		N8N_LOG_LEVEL: 'info',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		EXECUTIONS_DATA_PRUNE: 'false',
	};
}

/** Start `n8n <args>` for an N8nInstance the way N8nInstance.start() does, with another readiness URL. */
async function startProcess(inst, args, readyUrl, { timeoutMs = 120000 } = {}) {
	const rt = await runtime.ensureRuntime({ quiet: true });
	const out = fs.openSync(inst.serverOut, 'a');
	const env = inst.env();
	const child = spawn(rt.nodeBin, [rt.n8nBin, ...args], {
		cwd: inst.userFolder, env, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'],
	});
	inst.child = child;
	inst.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
	let exitInfo = null;
	inst.exited.then((x) => { exitInfo = x; });
	const onData = (d) => { try { fs.writeSync(out, d); } catch { /* closed */ } };
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	child.on('close', () => { try { fs.closeSync(out); } catch { /* closed */ } });
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (exitInfo) throw new Error(`n8n ${args.join(' ')} exited early (code ${exitInfo.code}, signal ${exitInfo.signal}):\n${lastLines(readText(inst.serverOut) + readText(inst.logFile), 25)}`);
		try {
			const r = await httpJson('GET', readyUrl, { timeoutMs: 2000 });
			if (r.status === 200) return;
		} catch { /* not yet listening */ }
		await sleep(300);
	}
	throw new Error(`n8n ${args.join(' ')} did not become ready within ${timeoutMs / 1000}s:\n${lastLines(readText(inst.serverOut) + readText(inst.logFile), 20)}`);
}

function readText(file) {
	try { return fs.readFileSync(file, 'utf8'); } catch { return ''; }
}

/**
 * @param {{dir: string, pg: object, redis: object, workers: number, concurrency: number,
 *          ports: {main: number, workers: number[]}, extraEnv?: object}} opts
 */
function createCluster({ dir, pg, redis, workers, concurrency, ports, extraEnv = {}, dropMissing = false }) {
	const env = { ...queueEnv({ pg, redis }), ...extraEnv };
	const mkFolder = (name) => {
		const folder = prepareUserFolder(path.join(dir, name));
		installPackage(folder, { dropMissing });
		return folder;
	};
	const main = new N8nInstance({
		userFolder: mkFolder('main'), port: ports.main, consoleLog: false,
		env: { ...env, N8N_PUBLIC_API_DISABLED: 'true' },
	});
	main.label = 'main';
	const workerList = [];
	for (let i = 0; i < workers; i++) {
		const w = new N8nInstance({
			userFolder: mkFolder(`worker${i + 1}`), port: ports.workers[i], consoleLog: false,
			env: { ...env, QUEUE_HEALTH_CHECK_PORT: String(ports.workers[i]) },
		});
		w.label = `worker${i + 1}`;
		w.concurrency = concurrency;
		workerList.push(w);
	}
	const all = [main, ...workerList];
	return {
		env,
		main,
		workers: workerList,
		all,
		async startWorkers() {
			await Promise.all(workerList.map((w) => startProcess(w, ['worker', `--concurrency=${w.concurrency}`], `http://127.0.0.1:${w.port}/healthz/readiness`)));
		},
		async startMain() {
			await startProcess(main, ['start'], `${main.baseUrl}/healthz/readiness`);
		},
		/** [{label, pid}] of running processes (process-group leaders). */
		processes() {
			return all.filter((p) => p.child && p.child.pid).map((p) => ({ label: p.label, pid: p.child.pid }));
		},
		/** Which process died, if any. */
		dead() {
			return all.filter((p) => p.child && (p.child.exitCode !== null || p.child.signalCode !== null)).map((p) => p.label);
		},
		async stop() {
			await Promise.allSettled(all.map((p) => p.stop({ graceMs: 8000 })));
		},
		/** Synchronous last resort (process 'exit'): SIGKILL every process group. */
		killSync() {
			for (const p of all) {
				if (!p.child || !p.child.pid) continue;
				try { process.kill(-p.child.pid, 'SIGKILL'); } catch { /* gone */ }
			}
		},
	};
}

module.exports = { createCluster, queueEnv, startProcess };
