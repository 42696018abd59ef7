/**
 * How scripts/lib/emulators.js starts this emulator, logs it and finds the secrets it knows.
 * The plain data (port, demo options, seeded logins) is in launch.json: scripts read it before the build.
 * Demo options: the default seed (2,500 agents, 600 alarms, 2 service desks with 150 tickets each).
 */
import data from './launch.json';
import { startVsaEmulator, type VsaEmulator, type VsaEmulatorOptions } from './index';

export const launcher = {
	key: 'vsa',
	...data,
	start: (port: number, options: VsaEmulatorOptions) => startVsaEmulator({ port, ...options }),
	summary: (vsa: VsaEmulator) => `${vsa.store.agents.length} agents, ${vsa.store.alarms.length} alarms, ${vsa.store.tickets.length} tickets`,
	/** Seeded PAT and password, session tokens, the Basic headers and challenge-hash values of /auth calls, bearer tokens. */
	*secrets(vsa: VsaEmulator): Iterable<string> {
		yield data.logins.pat;
		yield data.logins.password;
		for (const s of vsa.auth.sessions.values()) {
			if (s.token) yield String(s.token);
			if (s.apiToken) yield String(s.apiToken);
		}
		for (const e of vsa.requests({ path: /\/auth$/i })) {
			const h = String(e.headers.authorization || '');
			const b64 = h.replace(/^Basic\s+/i, '');
			if (!b64 || b64 === h) continue;
			yield b64;
			const decoded = Buffer.from(b64, 'base64').toString('utf8');
			for (const part of decoded.split(',')) {
				const [k, v] = part.split('=');
				if (/^(pass1|pass2|rpass1|rpass2)$/.test(k) && v) yield v;
			}
		}
		for (const e of vsa.requests()) {
			const m = /^Bearer\s+(.+)$/i.exec(String(e.headers.authorization || ''));
			if (m) yield m[1].trim();
		}
	},
};
