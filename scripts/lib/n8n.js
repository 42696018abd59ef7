'use strict';
/**
 * One n8n instance in a user folder: the community-package install, CLI commands (import, publish,
 * execute, export), the server (`n8n start`) with a readiness wait and a clean process-group stop,
 * owner set-up and REST/webhook calls. Built on scripts/n8n-runtime.js (the pinned n8n 2.x or 1.x
 * runtime; the few CLI/REST differences between them are handled here).
 *
 *   const n8n = new N8nInstance({ userFolder, port: 5678, log });
 *   installPackage(userFolder);
 *   await n8n.importCredentials([...]); await n8n.importWorkflows([...]);
 *   const r = await n8n.execute('wfId');            // n8n execute --id (no server needed)
 *   await n8n.start(); await n8n.setupOwner(OWNER); await n8n.rest('GET', '/rest/credentials');
 *   await n8n.stop();
 */
const { spawn } = require('child_process');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const runtime = require('../n8n-runtime');
const { REPO, manifest } = require('./build');
const { UserError } = require('./log');

const PACKAGE_NAME = 'n8n-nodes-kaseya-veeam';
const MARKER = '.n8n-nodes-kaseya-veeam-user-folder';

/** Owner account created through n8n's REST API so the user can log in (local demo only). */
const DEMO_OWNER = {
	email: 'demo@example.com',
	firstName: 'Demo',
	lastName: 'Technician',
	password: 'Demo-Passw0rd',
};

/**
 * Empty (or create) an n8n user folder. Refuses to delete a non-empty folder that this tooling did
 * not create (no marker file and no .n8n inside), so a typo in --user-folder cannot wipe a home dir.
 */
function prepareUserFolder(dir, { fresh = true } = {}) {
	const abs = path.resolve(dir);
	if (fs.existsSync(abs) && fresh) {
		const entries = fs.readdirSync(abs);
		const ours = entries.includes(MARKER) || entries.includes('.n8n') || entries.length === 0;
		if (!ours) throw new UserError(`${abs} is not empty and was not created by this script; refusing to wipe it.`, 'Pick another --user-folder.');
		if (abs === os.homedir() || abs === path.parse(abs).root) throw new UserError(`refusing to use ${abs} as a throwaway n8n user folder.`);
		fs.rmSync(abs, { recursive: true, force: true });
	}
	fs.mkdirSync(path.join(abs, '.n8n'), { recursive: true });
	fs.writeFileSync(path.join(abs, MARKER), 'n8n user folder made by scripts/lib/n8n.js; safe to delete\n');
	return abs;
}

/**
 * Install the built package the way n8n installs a community package: only package.json (without
 * dev/peer/optional dependencies, as n8n strips them) and dist/, under
 * <userFolder>/.n8n/nodes/node_modules/n8n-nodes-kaseya-veeam. No node_modules: n8n-workflow
 * resolves to n8n's own copy.
 * @param {string} userFolder
 * @param {{dropMissing?: boolean}} [opts]  dropMissing: leave out n8n.nodes/credentials entries whose
 *   file the build did not produce (lets `npm start` run while a node is still being written)
 * @returns {{dir: string, version: string, dropped: string[]}}
 */
function installPackage(userFolder, { dropMissing = false } = {}) {
	const pkg = manifest();
	if (!fs.existsSync(path.join(REPO, 'dist'))) throw new UserError('dist/ is missing.', 'Run "npm run build".');
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const dest = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	fs.rmSync(dest, { recursive: true, force: true });
	fs.mkdirSync(dest, { recursive: true });
	fs.cpSync(path.join(REPO, 'dist'), path.join(dest, 'dist'), { recursive: true });
	const installed = { ...pkg };
	for (const k of ['devDependencies', 'peerDependencies', 'optionalDependencies', 'scripts']) delete installed[k];
	const dropped = [];
	if (dropMissing && installed.n8n) {
		installed.n8n = { ...installed.n8n };
		for (const key of ['nodes', 'credentials']) {
			installed.n8n[key] = (installed.n8n[key] || []).filter((f) => {
				const ok = fs.existsSync(path.join(dest, f));
				if (!ok) dropped.push(f);
				return ok;
			});
		}
	}
	fs.writeFileSync(path.join(dest, 'package.json'), `${JSON.stringify(installed, null, 2)}\n`);
	// n8n keeps a package.json in the nodes folder listing the installed community packages.
	fs.writeFileSync(path.join(nodesDir, 'package.json'), `${JSON.stringify({
		name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: pkg.version },
	}, null, 2)}\n`);
	return { dir: dest, version: pkg.version, dropped };
}

function httpJson(method, url, { body, headers = {}, timeoutMs = 30000 } = {}) {
	return new Promise((resolve, reject) => {
		const u = new URL(url);
		const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
		const req = http.request({
			method, hostname: u.hostname, port: u.port, path: u.pathname + u.search,
			headers: { accept: 'application/json', ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}), ...headers },
			timeout: timeoutMs,
		}, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let json;
				try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
				resolve({ status: res.statusCode, headers: res.headers, text, json });
			});
		});
		req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms: ${method} ${url}`)));
		req.on('error', reject);
		if (payload) req.write(payload);
		req.end();
	});
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class N8nInstance {
	/**
	 * @param {{userFolder: string, port?: number, log?: any, logFile?: string, consoleLog?: boolean,
	 *          env?: Record<string,string>, quiet?: boolean}} opts
	 *   logFile: n8n's own log file (N8N_LOG_OUTPUT=file[,console]); default <userFolder>/n8n.log
	 *   consoleLog: also keep n8n's console output (server output is captured to <userFolder>/n8n-server.out)
	 */
	constructor({ userFolder, port = 5678, log, logFile, consoleLog = true, env = {} }) {
		this.userFolder = path.resolve(userFolder);
		this.port = port;
		this.log = log;
		this.logFile = logFile || path.join(this.userFolder, 'n8n.log');
		this.serverOut = path.join(this.userFolder, 'n8n-server.out');
		this.consoleLog = consoleLog;
		this.extraEnv = env;
		this.child = null;
		this.cookie = null;
		this.cliOutputs = [];
	}

	get url() {
		return `http://localhost:${this.port}`;
	}

	get baseUrl() {
		return `http://127.0.0.1:${this.port}`;
	}

	env(extra = {}) {
		return runtime.n8nEnv(this.userFolder, {
			N8N_PORT: this.port,
			N8N_HOST: 'localhost',
			N8N_EDITOR_BASE_URL: `http://localhost:${this.port}`,
			WEBHOOK_URL: `http://127.0.0.1:${this.port}/`,
			N8N_LOG_OUTPUT: this.consoleLog ? 'console,file' : 'file',
			N8N_LOG_FILE_LOCATION: this.logFile,
			N8N_LOG_FORMAT: 'text',
			N8N_RUNNERS_ENABLED: 'true',
			N8N_PUBLIC_API_DISABLED: 'true',
			// The demo and tests run against local emulators only.
			N8N_SSRF_PROTECTION_ENABLED: 'false',
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			...this.extraEnv,
			...extra,
		});
	}

	/** Run an n8n CLI command; throws with the tail of the output unless allowFail. */
	async cli(args, { timeoutMs = 180000, allowFail = false, env } = {}) {
		const r = await runtime.runN8n(args, { env: this.env(env), timeoutMs });
		this.cliOutputs.push({ args, stdout: r.stdout, stderr: r.stderr });
		if ((r.code !== 0 || r.timedOut) && !allowFail) {
			const tail = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-20).join('\n');
			throw new Error(`n8n ${args.join(' ')} failed (${r.timedOut ? 'timed out' : `exit ${r.code}`}):\n${tail}`);
		}
		return r;
	}

	writeTemp(name, data) {
		const dir = path.join(this.userFolder, 'import');
		fs.mkdirSync(dir, { recursive: true });
		const file = path.join(dir, name);
		fs.writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data, null, 2));
		return file;
	}

	/** `n8n import:credentials` of plaintext credentials [{id, name, type, data}] (encrypted by n8n). */
	async importCredentials(creds) {
		const file = this.writeTemp('credentials.json', creds);
		try {
			return await this.cli(['import:credentials', `--input=${file}`]);
		} finally {
			fs.rmSync(file, { force: true }); // plaintext secrets: don't leave them lying around
		}
	}

	/** `n8n import:workflow --separate` of workflow objects (each with a fixed id). */
	async importWorkflows(workflows) {
		const dir = path.join(this.userFolder, 'import', 'workflows');
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		for (const wf of workflows) fs.writeFileSync(path.join(dir, `${wf.id}.json`), JSON.stringify(wf, null, 2));
		return this.cli(['import:workflow', '--separate', `--input=${dir}`]);
	}

	/** Publish (activate) an imported workflow from the CLI: n8n 1.x has no publish:workflow yet. */
	publish(id) {
		if (runtime.N8N_MAJOR < 2) return this.cli(['update:workflow', `--id=${id}`, '--active=true']);
		return this.cli(['publish:workflow', `--id=${id}`]);
	}

	/**
	 * `n8n execute --id` (works without a server). Returns {ok, status, run, error, durationMs, code}.
	 * The run result is read from n8n's log file (N8N_LOG_OUTPUT=file), which keeps stdout clean.
	 */
	async execute(id, { timeoutMs = 180000 } = {}) {
		const logFile = path.join(this.userFolder, 'execute-logs', `${id}.log`);
		fs.mkdirSync(path.dirname(logFile), { recursive: true });
		fs.rmSync(logFile, { force: true });
		const r = await this.cli(['execute', `--id=${id}`, '--rawOutput'], {
			allowFail: true, timeoutMs,
			env: { N8N_LOG_OUTPUT: 'file', N8N_LOG_FILE_LOCATION: logFile, N8N_LOG_FORMAT: 'json' },
		});
		let fileText = '';
		try { fileText = fs.readFileSync(logFile, 'utf8'); } catch { /* none */ }
		// Keep everything n8n wrote in the instance log too (for the secret scan).
		fs.appendFileSync(this.logFile, fileText);
		let run = null;
		let parseError = null;
		try { run = runtime.parseExecuteOutput(fileText || r.stdout); } catch (e) { parseError = e; }
		const status = run ? (run.status || (run.finished ? 'success' : 'unknown')) : 'no result';
		const runError = run && run.data && run.data.resultData && run.data.resultData.error;
		const ok = r.code === 0 && !r.timedOut && !!run && !runError && status !== 'error' && status !== 'crashed';
		let error = null;
		if (!ok) {
			error = runError ? `${runError.message || runError.name}${runError.description ? ` — ${runError.description}` : ''}${runError.node ? ` (node "${runError.node.name || runError.node}")` : ''}`
				: r.timedOut ? `timed out after ${timeoutMs} ms`
					: parseError ? `exit ${r.code}; ${lastLines(`${r.stdout}\n${r.stderr}\n${fileText}`, 6)}`
						: `exit ${r.code}`;
		}
		return { ok, status, run, error, durationMs: r.durationMs, code: r.code, stdout: r.stdout, stderr: r.stderr, logText: fileText };
	}

	/** Decrypted stored credential data (`n8n export:credentials --decrypted`). */
	async exportCredential(id) {
		const file = path.join(this.userFolder, 'import', `export-${id}.json`);
		fs.mkdirSync(path.dirname(file), { recursive: true });
		try {
			await this.cli(['export:credentials', `--id=${id}`, '--decrypted', `--output=${file}`]);
			const list = JSON.parse(fs.readFileSync(file, 'utf8'));
			const c = Array.isArray(list) ? list[0] : list;
			return c ? c.data : undefined;
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	/** Decrypted data of every stored credential by id (one `export:credentials --all --decrypted`). */
	async exportAllCredentials() {
		const file = path.join(this.userFolder, 'import', 'export-all.json');
		fs.mkdirSync(path.dirname(file), { recursive: true });
		try {
			await this.cli(['export:credentials', '--all', '--decrypted', `--output=${file}`]);
			const list = JSON.parse(fs.readFileSync(file, 'utf8'));
			return Object.fromEntries((Array.isArray(list) ? list : [list]).map((c) => [c.id, c.data]));
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	/**
	 * `n8n start` in its own process group; resolves when /healthz/readiness answers 200.
	 * Server output goes to <userFolder>/n8n-server.out (and to `onOutput` if given).
	 */
	async start({ timeoutMs = 120000, onOutput } = {}) {
		const rt = await runtime.ensureRuntime({ quiet: true });
		const out = fs.openSync(this.serverOut, 'a');
		const env = this.env();
		this.child = runtime.trackChild(spawn(rt.nodeBin, [rt.n8nBin, 'start'], {
			cwd: this.userFolder, env, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'],
		}), { group: process.platform !== 'win32' });
		const child = this.child;
		this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
		let exitInfo = null;
		this.exited.then((x) => { exitInfo = x; });
		const onData = (d) => {
			fs.writeSync(out, d);
			if (onOutput) onOutput(d.toString('utf8'));
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.on('close', () => { try { fs.closeSync(out); } catch { /* closed */ } });
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (exitInfo) {
				throw new Error(`n8n start exited early (code ${exitInfo.code}, signal ${exitInfo.signal}):\n${lastLines(readText(this.serverOut), 25)}`);
			}
			try {
				const r = await httpJson('GET', `${this.baseUrl}/healthz/readiness`, { timeoutMs: 2000 });
				// n8n 1.x answers readiness before it has registered its REST controllers (they come after
				// loading nodes, slow on a busy machine): also wait for the editor's first call to answer.
				if (r.status === 200) {
					const settings = await httpJson('GET', `${this.baseUrl}/rest/settings`, { timeoutMs: 5000 });
					if (settings.status === 200) return;
				}
			} catch { /* not yet listening */ }
			await sleep(300);
		}
		await this.stop();
		throw new Error(`n8n did not become ready within ${timeoutMs / 1000}s; see ${this.serverOut}:\n${lastLines(readText(this.serverOut), 20)}`);
	}

	/** Stop the server and its task runners (the whole process group): SIGTERM, then SIGKILL after graceMs. */
	async stop({ graceMs = 15000 } = {}) {
		const child = this.child;
		if (!child) return;
		this.child = null;
		this.stopRequested = true;
		const group = (sig) => {
			try { process.kill(process.platform === 'win32' ? child.pid : -child.pid, sig); } catch { /* gone */ }
		};
		if (child.exitCode === null && child.signalCode === null) {
			group('SIGTERM');
			const done = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
			if (!done) group('SIGKILL');
			await Promise.race([this.exited, sleep(3000)]);
		}
		group('SIGKILL'); // stray task runners
	}

	get running() {
		return !!this.child;
	}

	/** POST /rest/owner/setup (first start only); keeps the auth cookie for rest(). */
	async setupOwner(owner = DEMO_OWNER) {
		// n8n 1.x answers /healthz/readiness before it has registered its REST controllers: a 404 or a
		// 503 "Database is not ready!" then means "not yet".
		// Under load its SQLite health check can also time out for a moment ("Database connection timed out").
		const deadline = Date.now() + 60000;
		const post = () => httpJson('POST', `${this.baseUrl}/rest/owner/setup`, { body: owner })
			.catch((e) => ({ status: 0, text: e.message, headers: {}, json: undefined }));
		let r = await post();
		while ((r.status === 404 || r.status === 503 || r.status === 0) && Date.now() < deadline) {
			await sleep(500);
			r = await post();
		}
		if (r.status !== 200) throw new Error(`owner set-up failed: HTTP ${r.status} ${r.text.slice(0, 300)}`);
		this.cookie = cookieFrom(r.headers);
		return r.json && r.json.data;
	}

	async login(owner = DEMO_OWNER) {
		const r = await httpJson('POST', `${this.baseUrl}/rest/login`, { body: { emailOrLdapLoginId: owner.email, password: owner.password } });
		if (r.status !== 200) throw new Error(`login failed: HTTP ${r.status} ${r.text.slice(0, 300)}`);
		this.cookie = cookieFrom(r.headers);
		return r.json && r.json.data;
	}

	/** REST call with the owner's session cookie. */
	rest(method, p, body) {
		return httpJson(method, `${this.baseUrl}${p}`, { body, headers: this.cookie ? { cookie: this.cookie } : {} });
	}

	/**
	 * Create a workflow through the REST API as the logged-in owner (POST /rest/workflows), then, if
	 * `publish`, publish it (POST /rest/workflows/:id/activate with the new version): what the editor's
	 * Save and Publish buttons do, on a running server. Resolves with {id, versionId, status, error};
	 * error is set (and nothing thrown) when either call is refused, e.g. a poll interval n8n rejects.
	 */
	async createWorkflow(wf, { publish = false } = {}) {
		const { id, name, nodes, connections, settings } = wf;
		const created = await this.rest('POST', '/rest/workflows', { id, name, nodes, connections, settings: settings || {}, active: false });
		const data = created.json && created.json.data;
		if (created.status !== 200 || !data) {
			return { id, versionId: null, status: created.status, error: `create: HTTP ${created.status} ${String(created.text).slice(0, 300)}` };
		}
		if (!publish) return { id: data.id, versionId: data.versionId, status: created.status, error: null };
		const act = await this.rest('POST', `/rest/workflows/${data.id}/activate`, { versionId: data.versionId });
		const ok = act.status === 200 && act.json && act.json.data && act.json.data.active !== false;
		const message = act.json && (act.json.message || (act.json.data && act.json.data.message));
		return { id: data.id, versionId: data.versionId, status: act.status, error: ok ? null : `publish: HTTP ${act.status} ${message || String(act.text).slice(0, 300)}` };
	}

	/**
	 * n8n 2.x publishes asynchronously (publication outbox): the activate call returns before the
	 * triggers are activated. Polls GET /rest/workflows/:id/publication-status until it leaves
	 * "in_progress" (or timeoutMs); resolves with its data {status: published|failed|…, triggers:
	 * [{nodeId, status, errorMessage}]} (status "timeout" if it never settled).
	 */
	async waitForPublication(id, { timeoutMs = 30000, intervalMs = 250 } = {}) {
		// n8n 1.x activates inside the activate call (a refusal is its HTTP error): nothing to wait for.
		if (runtime.N8N_MAJOR < 2) return { status: 'published', triggers: [] };
		const deadline = Date.now() + timeoutMs;
		let data = null;
		while (Date.now() < deadline) {
			const r = await this.rest('GET', `/rest/workflows/${id}/publication-status`);
			data = r.json && r.json.data;
			if (data && data.status && data.status !== 'in_progress') return data;
			await sleep(intervalMs);
		}
		return { ...(data || {}), status: 'timeout', lastStatus: data && data.status };
	}

	/** Call a production webhook of a published workflow. */
	webhook(p, { method = 'GET', body, timeoutMs = 120000 } = {}) {
		return httpJson(method, `${this.baseUrl}/webhook/${p.replace(/^\//, '')}`, { body, timeoutMs });
	}

	/** Wait until GET /webhook/<path> stops answering 404 (published workflows are activated after readiness). */
	async waitForWebhook(p, { timeoutMs = 60000 } = {}) {
		const deadline = Date.now() + timeoutMs;
		let last;
		while (Date.now() < deadline) {
			last = await this.webhook(p, { timeoutMs: 5000 }).catch((e) => ({ status: 0, text: e.message }));
			if (last.status && last.status !== 404) return last;
			await sleep(250);
		}
		throw new Error(`webhook ${p} not registered after ${timeoutMs / 1000}s (last: HTTP ${last && last.status} ${last && String(last.text).slice(0, 200)}); see ${this.serverOut}`);
	}

	/** Text of n8n's log file (all rotated parts). */
	logText() {
		const dir = path.dirname(this.logFile);
		const base = path.basename(this.logFile);
		let text = '';
		try {
			for (const f of fs.readdirSync(dir)) if (f.startsWith(base.replace(/\.log$/, ''))) text += readText(path.join(dir, f));
		} catch { /* none */ }
		return text;
	}
}

function cookieFrom(headers) {
	const set = headers['set-cookie'] || [];
	return set.map((c) => c.split(';')[0]).join('; ');
}

function readText(file) {
	try { return fs.readFileSync(file, 'utf8'); } catch { return ''; }
}

function lastLines(text, n) {
	return String(text).trim().split('\n').filter((l) => l.trim()).slice(-n).join('\n');
}

module.exports = { N8nInstance, installPackage, prepareUserFolder, httpJson, DEMO_OWNER, PACKAGE_NAME, sleep, lastLines };
