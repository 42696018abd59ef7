'use strict';
/** Port checks with messages that name the port, what wanted it and how to change it. */
const net = require('net');
const { UserError } = require('./log');

/** Resolves true if `port` can be bound on `host` right now. */
function isPortFree(port, host = '127.0.0.1') {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.unref();
		srv.once('error', () => resolve(false));
		srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
	});
}

function busyError(port, what, change) {
	return new UserError(
		`Port ${port} (${what}) is already in use on 127.0.0.1.`,
		`Stop whatever listens there (e.g. an earlier "npm start": see "ss -ltnp | grep :${port}"), or choose another port${change ? `: ${change}` : ''}.`,
	);
}

/**
 * Throw a UserError when the port is taken.
 * @param {number} port
 * @param {{what: string, change?: string, host?: string}} opts  change: e.g. '--n8n-port <port> (or N8N_PORT=<port>)'
 */
async function assertPortFree(port, { what, change, host = '127.0.0.1' }) {
	if (!(await isPortFree(port, host))) throw busyError(port, what, change);
	// n8n listens on 127.0.0.1 here, but something on 0.0.0.0/:: also blocks the port for users.
	if (host === '127.0.0.1' && !(await isPortFree(port, '0.0.0.0'))) throw busyError(port, what, change);
}

function parsePort(value, name) {
	const n = Number(value);
	if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UserError(`${name}: "${value}" is not a port number (0-65535).`);
	return n;
}

module.exports = { isPortFree, assertPortFree, busyError, parsePort };
