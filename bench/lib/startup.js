'use strict';
/**
 * Scenario 5 helpers: n8n's start-up time (spawn → /healthz/readiness answers 200, polled every
 * 25 ms) and resident memory once ready, in a user folder prepared by scripts/lib/n8n.js; and the
 * size of each node description as `n8n export:nodes` writes it.
 */
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const runtime = require('../../scripts/n8n-runtime');
const { N8nInstance, httpJson, sleep } = require('../../scripts/lib/n8n');

function rssOfTree(rootPid) {
	// n8n + its task runner(s): sum VmRSS of the process group's members we can see.
	let total = 0;
	for (const pid of [rootPid, ...childrenOf(rootPid)]) {
		try {
			const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
			if (m) total += Number(m[1]) * 1024;
		} catch { /* gone */ }
	}
	return total;
}

function childrenOf(pid) {
	try {
		const out = [];
		for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
			const kids = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
			for (const k of kids) out.push(k, ...childrenOf(k));
		}
		return out;
	} catch {
		return [];
	}
}

/**
 * Start n8n once and time it. Resolves {readyMs, rssBytes}; always stops the server.
 * @param {{userFolder: string, env?: Record<string,string>, timeoutMs?: number}} o
 */
async function timeStart({ userFolder, env: extra = {}, timeoutMs = 180000 }) {
	const rt = await runtime.ensureRuntime({ quiet: true });
	const port = await runtime.getFreePort();
	const inst = new N8nInstance({ userFolder, port, consoleLog: false });
	const env = inst.env(extra);
	const out = fs.openSync(path.join(userFolder, 'startup.out'), 'a');
	const t0 = Date.now();
	const child = spawn(rt.nodeBin, [rt.n8nBin, 'start'], { cwd: userFolder, env, detached: true, stdio: ['ignore', out, out] });
	let exited = null;
	const done = new Promise((resolve) => child.on('exit', (code, signal) => { exited = { code, signal }; resolve(); }));
	try {
		for (;;) {
			if (exited) throw new Error(`n8n start exited early (${JSON.stringify(exited)}); see ${path.join(userFolder, 'startup.out')}`);
			if (Date.now() - t0 > timeoutMs) throw new Error(`n8n did not become ready within ${timeoutMs / 1000}s`);
			try {
				const r = await httpJson('GET', `http://127.0.0.1:${port}/healthz/readiness`, { timeoutMs: 1000 });
				if (r.status === 200) break;
			} catch { /* not listening yet */ }
			await sleep(25);
		}
		const readyMs = Date.now() - t0;
		await sleep(500);
		const rssBytes = rssOfTree(child.pid);
		return { readyMs, rssBytes };
	} finally {
		const kill = (sig) => { try { process.kill(-child.pid, sig); } catch { /* gone */ } };
		if (!exited) {
			kill('SIGTERM');
			await Promise.race([done, sleep(5000)]);
			kill('SIGKILL');
			await Promise.race([done, sleep(2000)]);
		}
		fs.closeSync(out);
	}
}

/**
 * `n8n export:nodes --output=<file>` in `userFolder`; returns the sizes (bytes of JSON, as exported)
 * of the descriptions whose type starts with one of `prefixes`, plus any `extraTypes`.
 */
async function nodeDescriptionSizes(n8n, file, { prefixes, extraTypes = [] }) {
	await n8n.cli(['export:nodes', `--output=${file}`], { timeoutMs: 300000 });
	const list = JSON.parse(fs.readFileSync(file, 'utf8'));
	const all = Array.isArray(list) ? list : Object.values(list);
	const rows = [];
	for (const d of all) {
		const name = String(d.name || '');
		if (!prefixes.some((p) => name.startsWith(p)) && !extraTypes.includes(name)) continue;
		const versions = Array.isArray(d.version) ? d.version.join(',') : String(d.version);
		rows.push({ type: name, version: versions, displayName: d.displayName, bytes: Buffer.byteLength(JSON.stringify(d)), properties: (d.properties || []).length });
	}
	return { rows, total: all.length, fileBytes: fs.statSync(file).size };
}

module.exports = { timeStart, nodeDescriptionSizes, rssOfTree };
