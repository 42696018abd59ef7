'use strict';
/**
 * A tiny loopback HTTP sink for workflows under test: an HTTP Request node POSTs to
 * <url>/hit/<name> and the body is recorded (one hit per request, in arrival order).
 *
 *   const sink = await startCollector();
 *   // workflow: POST {{sink.url}}/hit/vsaAlarm  body = JSON
 *   sink.of('vsaAlarm') → [{ name, at, body, text }];  sink.texts() → raw bodies (for secret scans)
 *   await sink.close();
 */
const http = require('http');

/** @param {{host?: string}} [opts] */
function startCollector({ host = '127.0.0.1' } = {}) {
	const hits = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const m = /^\/hit\/([\w.-]+)/.exec(req.url || '');
			if (req.method !== 'POST' || !m) {
				res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"POST /hit/<name>"}');
				return;
			}
			const text = Buffer.concat(chunks).toString('utf8');
			let body = null;
			try { body = text ? JSON.parse(text) : null; } catch { body = text; }
			hits.push({ name: m[1], at: Date.now(), body, text });
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
		});
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, host, () => {
			const { port } = server.address();
			resolve({
				url: `http://${host}:${port}`,
				hits,
				of: (name) => hits.filter((h) => h.name === name),
				count: (name) => hits.filter((h) => h.name === name).length,
				texts: () => hits.map((h) => h.text),
				close: () => new Promise((r) => {
					if (server.closeAllConnections) server.closeAllConnections();
					server.close(() => r());
				}),
			});
		});
	});
}

module.exports = { startCollector };
