'use strict';
/**
 * Start the product emulators in this process (from build/test/emulators, see build.js), on fixed or
 * random loopback ports, and give scripts one object to drive and stop them.
 *
 *   const emu = await startEmulators({ vsaPort: 8401, vroPort: 8402, vspcPort: 8403, log });
 *   emu.vsa.url, emu.vro.url, emu.vspc.url, emu.vsa.logins(), emu.vro.counters, emu.secrets(), await emu.close();
 *
 * Each product describes itself in test/emulators/<key>/: launch.json (title, default port, port help,
 * demo options, seeded logins; read from the sources, as scripts need it before the build) and
 * launch.ts (start, log summary, secrets; loaded from the build when starting).
 */
const path = require('path');
const { REPO } = require('./build');
const { busyError } = require('./ports');

/** The products, in start-up order. */
const PRODUCTS = ['vsa', 'vro', 'vspc'];

const DATA = PRODUCTS.map((key) => ({ key, ...require(path.join(REPO, 'test', 'emulators', key, 'launch.json')) }));

/** Seeded logins of the emulators (test secrets: the e2e suite greps every output for them). */
const DEMO_LOGINS = Object.fromEntries(DATA.map((d) => [d.key, d.logins]));

function loadLaunchers() {
	return PRODUCTS.map((key) => require(path.join(REPO, 'build', 'test', 'emulators', key, 'launch.js')).launcher);
}

async function listenOrExplain(start, port, what, change) {
	try {
		return await start();
	} catch (e) {
		if (e && e.code === 'EADDRINUSE') throw busyError(port, what, change);
		throw e;
	}
}

/**
 * @param {{vsaPort?: number, vroPort?: number, vspcPort?: number, vsaOptions?: object, vroOptions?: object, vspcOptions?: object,
 *          log?: ReturnType<import('./log').createLogger>, portHelp?: {vsa?: string, vro?: string, vspc?: string}}} [opts]
 *   <key>Port / <key>Options per product; port 0 = a random free port (tests). portHelp: how the user
 *   changes each port (for busy-port messages).
 */
async function startEmulators(opts = {}) {
	const launchers = loadLaunchers();
	const help = opts.portHelp || {};
	const ports = launchers.map((d) => (d.port ? d.port(opts) : opts[`${d.key}Port`] ?? d.defaultPort));
	const started = [];
	try {
		for (const [i, d] of launchers.entries()) {
			started.push(await listenOrExplain(
				() => d.start(ports[i], opts[`${d.key}Options`] || d.demoOptions),
				ports[i], d.title, help[d.key] || d.portHelp,
			));
		}
	} catch (e) {
		await Promise.allSettled(started.map((emu) => emu.close()));
		throw e;
	}
	if (opts.log) {
		const width = Math.max(...launchers.map((d) => (d.logTitle || d.title).length)) + 2;
		launchers.forEach((d, i) => opts.log.info(`${`${d.logTitle || d.title}:`.padEnd(width)}${started[i].url}  (${d.summary(started[i])})`));
	}
	let closed = false;
	return {
		...Object.fromEntries(launchers.map((d, i) => [d.key, started[i]])),
		/**
		 * Every secret the emulators know or issued so far (seeded logins, tokens, credentials seen in
		 * the request logs; see each launch.ts). Revoked/used tokens leave the token maps, so call this
		 * after each step and accumulate. For leak checks.
		 */
		secrets() {
			const out = new Set();
			launchers.forEach((d, i) => { for (const s of d.secrets(started[i])) out.add(s); });
			return [...out].filter((s) => typeof s === 'string' && s.length >= 6);
		},
		async close() {
			if (closed) return;
			closed = true;
			await Promise.allSettled(started.map((emu) => emu.close()));
		},
	};
}

// Per product also DEFAULT_<KEY>_PORT and DEMO_<KEY>_OPTIONS (DEFAULT_VSA_PORT, DEMO_VRO_OPTIONS, DEFAULT_VSPC_PORT, ...).
module.exports = {
	startEmulators,
	DEMO_LOGINS,
	...Object.fromEntries(DATA.flatMap((d) => [
		[`DEFAULT_${d.key.toUpperCase()}_PORT`, d.defaultPort],
		[`DEMO_${d.key.toUpperCase()}_OPTIONS`, d.demoOptions],
	])),
};
