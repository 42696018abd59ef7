'use strict';
/**
 * What the queue test watches from the outside:
 *  - a loopback collector that the trigger workflows POST their items to (one hit per item);
 *  - which n8n process sent each login to an emulator (the client socket's owner, from /proc), so
 *    login counts can be shown per main/worker process;
 *  - which worker ran which execution (from the workers' own log files).
 */

const fs = require('fs');
const http = require('http');

// ------------------------------------------------------------------ collector

/** HTTP server on 127.0.0.1: POST /hit/<name> with a JSON body is recorded. */
function startCollector() {
	const hits = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const m = /^\/hit\/([\w-]+)/.exec(req.url || '');
			if (!m) {
				res.writeHead(404).end();
				return;
			}
			let body = null;
			const text = Buffer.concat(chunks).toString('utf8');
			try { body = text ? JSON.parse(text) : null; } catch { body = text; }
			hits.push({ name: m[1], at: Date.now(), body });
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
		});
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			resolve({
				url: `http://127.0.0.1:${port}`,
				hits,
				count: (name) => hits.filter((h) => h.name === name).length,
				of: (name) => hits.filter((h) => h.name === name),
				close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
			});
		});
	});
}

// ------------------------------------------------------------------ socket → process

function readProcNetTcp() {
	const byLocalPort = new Map();
	for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
		let text = '';
		try { text = fs.readFileSync(f, 'utf8'); } catch { continue; }
		for (const line of text.split('\n').slice(1)) {
			const cols = line.trim().split(/\s+/);
			if (cols.length < 10) continue;
			const local = cols[1];
			const port = parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
			const inode = cols[9];
			if (inode && inode !== '0') {
				if (!byLocalPort.has(port)) byLocalPort.set(port, []);
				byLocalPort.get(port).push(inode);
			}
		}
	}
	return byLocalPort;
}

function childrenOf(pid) {
	try {
		const out = [];
		for (const t of fs.readdirSync(`/proc/${pid}/task`)) {
			const c = fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim();
			if (c) out.push(...c.split(/\s+/).map(Number));
		}
		return out;
	} catch {
		return [];
	}
}

function socketInodes(pid) {
	const out = new Set();
	let fds = [];
	try { fds = fs.readdirSync(`/proc/${pid}/fd`); } catch { return out; }
	for (const fd of fds) {
		try {
			const l = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
			const m = /^socket:\[(\d+)\]$/.exec(l);
			if (m) out.add(m[1]);
		} catch { /* closed meanwhile */ }
	}
	return out;
}

/**
 * Attributes requests that reach an emulator to the n8n process that sent them.
 * `processes()` returns [{label, pid}] (pid of a process group leader; its descendants count too).
 */
class RequestAttribution {
	constructor(processes) {
		this.processes = processes;
		this.byHeaders = new WeakMap();
	}

	/** Which label owns the client socket whose local port is `port` (the server sees it as remotePort). */
	ownerOfClientPort(port) {
		if (process.platform !== 'linux' || !port) return '?';
		const inodes = readProcNetTcp().get(port) || [];
		if (!inodes.length) return '?';
		for (const { label, pid } of this.processes()) {
			if (!pid) continue;
			const stack = [pid];
			const seen = new Set();
			while (stack.length) {
				const p = stack.pop();
				if (seen.has(p)) continue;
				seen.add(p);
				const mine = socketInodes(p);
				if (inodes.some((i) => mine.has(i))) return label;
				stack.push(...childrenOf(p));
			}
		}
		return '?';
	}

	/**
	 * Watch an emulator's http.Server: for requests whose path matches `pathRe`, remember the owner
	 * under the request's headers object (the emulators log that same object, see LogEntry.headers).
	 */
	watch(httpServer, pathRe) {
		httpServer.prependListener('request', (req) => {
			const p = (req.url || '').split('?')[0];
			if (!pathRe.test(p)) return;
			this.byHeaders.set(req.headers, this.ownerOfClientPort(req.socket.remotePort));
		});
	}

	/** Owner label recorded for an emulator log entry (or '?'). */
	ownerOf(entry) {
		return (entry && this.byHeaders.get(entry.headers)) || '?';
	}
}

/** The private http.Server inside a shared test/emulators Emulator instance. */
function httpServerOf(emulator) {
	const s = emulator && emulator.server;
	if (!s || typeof s.prependListener !== 'function') throw new Error('cannot reach the emulator\'s http.Server (test/emulators/common/server.ts changed?)');
	return s;
}

// ------------------------------------------------------------------ worker logs

/** Execution ids a worker reports as started in its log ("Worker started execution 12 (job 3)"). */
function executionsInWorkerLog(text) {
	const ids = new Set();
	const re = /Worker started execution (\d+)/g;
	let m;
	while ((m = re.exec(text))) ids.add(m[1]);
	return ids;
}

module.exports = { startCollector, RequestAttribution, httpServerOf, executionsInWorkerLog };
