'use strict';
/**
 * Start the VSA, Orchestrator and VSPC emulators in this process (from build/test/emulators, see build.js),
 * on fixed or random loopback ports, and give scripts one object to drive and stop them.
 *
 *   const emu = await startEmulators({ vsaPort: 8401, vroPort: 8402, vspcPort: 8403, log });
 *   emu.vsa.url, emu.vro.url, emu.vspc.url, emu.vsa.logins(), emu.vro.counters, emu.secrets(), await emu.close();
 */
const path = require('path');
const { REPO } = require('./build');
const { busyError } = require('./ports');

const DEFAULT_VSA_PORT = 8401;
/**
 * Demo data of the Orchestrator emulator: 40 plans (a mid-size MSP; the seeded-to-fail plans #14 and
 * #28 are among them) and runs that move 10 steps per observation, so a readiness check or a failover
 * with Wait for Completion finishes in a few polls. The VSA emulator keeps its default seed
 * (2,500 agents, 600 alarms, 2 service desks with 150 tickets each).
 */
const DEMO_VRO_OPTIONS = { plans: 40, progress: { stepsPerPoll: 10 } };
const DEMO_VSA_OPTIONS = {};
const DEFAULT_VRO_PORT = 8402;
/** VSPC emulator defaults: 4 companies with failed/warning jobs and alarms (see test/emulators/vspc/index.ts). */
const DEMO_VSPC_OPTIONS = {};
const DEFAULT_VSPC_PORT = 8403;

/** Seeded logins of the emulators (test secrets: the e2e suite greps every output for them). */
const DEMO_LOGINS = {
	vsa: {
		patUser: 'apiuser',
		pat: '00000000-0000-0000-0000-000000000000',
		passwordUser: 'apiuser',
		password: 'S3cret!',
	},
	vro: {
		username: 'VRO\\admin',
		password: 'Orchestrator!2024',
		clientId: '5a3c1f0e-7d2b-4c3a-9e1f-0b6d2c4e8a01',
		clientSecret: 'vro-seeded-client-secret-9f2d7c',
	},
	vspc: {
		username: 'vspc\\administrator',
		password: 'Provider!2026',
		apiKey: 'vspc-seeded-api-key-4baccb809a3578f4xZGp74ik1k54wD03Y25fJ7',
	},
};

function loadModule(name) {
	const file = path.join(REPO, 'build', 'test', 'emulators', name, 'index.js');
	// eslint-disable-next-line global-require, import/no-dynamic-require
	return require(file);
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
 *   port 0 = a random free port (tests). portHelp: how the user changes each port (for busy-port messages).
 */
async function startEmulators(opts = {}) {
	const { startVsaEmulator } = loadModule('vsa');
	const { startVroEmulator } = loadModule('vro');
	const { startVspcEmulator } = loadModule('vspc');
	// Until the launchers grow a --vspc-port option: VSPC_PORT, else random when the caller asked for random ports (tests).
	const vspcPort = opts.vspcPort ?? (process.env.VSPC_PORT ? Number(process.env.VSPC_PORT) : opts.vroPort === 0 ? 0 : DEFAULT_VSPC_PORT);
	const vsaPort = opts.vsaPort ?? DEFAULT_VSA_PORT;
	const vroPort = opts.vroPort ?? DEFAULT_VRO_PORT;
	const help = opts.portHelp || {};
	const vsa = await listenOrExplain(
		() => startVsaEmulator({ port: vsaPort, ...(opts.vsaOptions || DEMO_VSA_OPTIONS) }),
		vsaPort, 'Kaseya VSA emulator', help.vsa || '--vsa-port <port> (or VSA_PORT=<port>)',
	);
	let vro;
	try {
		vro = await listenOrExplain(
			() => startVroEmulator({ port: vroPort, ...(opts.vroOptions || DEMO_VRO_OPTIONS) }),
			vroPort, 'Veeam Orchestrator emulator', help.vro || '--vro-port <port> (or VRO_PORT=<port>)',
		);
	} catch (e) {
		await vsa.close();
		throw e;
	}
	let vspc;
	try {
		vspc = await listenOrExplain(
			() => startVspcEmulator({ port: vspcPort, ...(opts.vspcOptions || DEMO_VSPC_OPTIONS) }),
			vspcPort, 'Veeam Service Provider Console emulator', help.vspc || 'VSPC_PORT=<port>',
		);
	} catch (e) {
		await Promise.allSettled([vsa.close(), vro.close()]);
		throw e;
	}
	if (opts.log) {
		opts.log.info(`Kaseya VSA emulator:         ${vsa.url}  (${vsa.store.agents.length} agents, ${vsa.store.alarms.length} alarms, ${vsa.store.tickets.length} tickets)`);
		opts.log.info(`Veeam Orchestrator emulator: ${vro.url}  (${vro.store.plans.length} plans, API ${vro.versions[0]}…${vro.versions[vro.versions.length - 1]})`);
		opts.log.info(`VSPC emulator:               ${vspc.url}  (${vspc.store.companies.length} companies, ${vspc.store.jobs.length} jobs, ${vspc.store.alarms.length} alarms)`);
	}
	let closed = false;
	return {
		vsa,
		vro,
		vspc,
		/**
		 * Every secret the emulators know or issued so far: seeded passwords/PATs/client secrets,
		 * VSA session tokens, VRO access/refresh tokens, and the challenge-hash values (pass1/pass2/
		 * rpass1/rpass2) and Basic headers seen in the VSA request log, bearer tokens and refresh tokens
		 * seen in both request logs. Revoked/used tokens leave the token maps, so call this after each
		 * step and accumulate. For leak checks.
		 */
		secrets() {
			const out = new Set([DEMO_LOGINS.vsa.pat, DEMO_LOGINS.vsa.password, DEMO_LOGINS.vro.password, DEMO_LOGINS.vro.clientSecret]);
			for (const s of vsa.auth.sessions.values()) {
				if (s.token) out.add(String(s.token));
				if (s.apiToken) out.add(String(s.apiToken));
			}
			for (const e of vsa.requests({ path: /\/auth$/i })) {
				const h = String(e.headers.authorization || '');
				const b64 = h.replace(/^Basic\s+/i, '');
				if (!b64 || b64 === h) continue;
				out.add(b64);
				const decoded = Buffer.from(b64, 'base64').toString('utf8');
				for (const part of decoded.split(',')) {
					const [k, v] = part.split('=');
					if (/^(pass1|pass2|rpass1|rpass2)$/.test(k) && v) out.add(v);
				}
			}
			for (const e of vsa.requests()) {
				const m = /^Bearer\s+(.+)$/i.exec(String(e.headers.authorization || ''));
				if (m) out.add(m[1].trim());
			}
			for (const t of vroTokens(vro)) out.add(t);
			for (const e of vro.requests()) {
				const m = /^Bearer\s+(.+)$/i.exec(String(e.headers.authorization || ''));
				if (m) out.add(m[1].trim());
				const b = e.body && typeof e.body === 'object' ? e.body : {};
				for (const k of ['refresh_token', 'password', 'client_secret']) if (typeof b[k] === 'string') out.add(b[k]);
			}
			out.add(DEMO_LOGINS.vspc.password);
			out.add(DEMO_LOGINS.vspc.apiKey);
			for (const t of vroTokens(vspc)) out.add(t);
			for (const e of vspc.requests()) {
				const m = /^Bearer\s+(.+)$/i.exec(String(e.headers.authorization || ''));
				if (m) out.add(m[1].trim());
				const b = e.body && typeof e.body === 'object' ? e.body : {};
				for (const k of ['refresh_token', 'password']) if (typeof b[k] === 'string') out.add(b[k]);
			}
			return [...out].filter((s) => typeof s === 'string' && s.length >= 6);
		},
		async close() {
			if (closed) return;
			closed = true;
			await Promise.allSettled([vsa.close(), vro.close(), vspc.close()]);
		},
	};
}

/** Access and refresh tokens the Orchestrator or VSPC emulator has issued (keys of its auth service's token maps). */
function vroTokens(vro) {
	const out = [];
	for (const name of ['access', 'refresh']) {
		const m = vro.auth[name];
		if (m instanceof Map) for (const k of m.keys()) out.push(String(k));
	}
	return out;
}

module.exports = { startEmulators, DEMO_LOGINS, DEMO_VRO_OPTIONS, DEMO_VSA_OPTIONS, DEMO_VSPC_OPTIONS, DEFAULT_VSA_PORT, DEFAULT_VRO_PORT, DEFAULT_VSPC_PORT };
