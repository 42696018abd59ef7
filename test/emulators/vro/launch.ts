/**
 * How scripts/lib/emulators.js starts this emulator, logs it and finds the secrets it knows.
 * The plain data (port, demo options, seeded logins) is in launch.json: scripts read it before the build.
 * Demo options: 40 plans (a mid-size MSP; the seeded-to-fail plans #14 and #28 are among them) and runs
 * that move 10 steps per observation, so a readiness check or a failover with Wait for Completion
 * finishes in a few polls.
 */
import data from './launch.json';
import { startVroEmulator, type VroEmulator, type VroEmulatorOptions } from './index';

export const launcher = {
	key: 'vro',
	...data,
	start: (port: number, options: VroEmulatorOptions) => startVroEmulator({ port, ...options }),
	summary: (vro: VroEmulator) => `${vro.store.plans.length} plans, API ${vro.versions[0]}…${vro.versions[vro.versions.length - 1]}`,
	/** Seeded password and client secret, issued access/refresh tokens, bearer tokens and secrets sent in request bodies. */
	*secrets(vro: VroEmulator): Iterable<string> {
		yield data.logins.password;
		yield data.logins.clientSecret;
		// The token maps are private to the auth service; revoked/used tokens leave them.
		const auth = vro.auth as unknown as Record<string, unknown>;
		for (const name of ['access', 'refresh']) {
			const m = auth[name];
			if (m instanceof Map) for (const k of m.keys()) yield String(k);
		}
		for (const e of vro.requests()) {
			const m = /^Bearer\s+(.+)$/i.exec(String(e.headers.authorization || ''));
			if (m) yield m[1].trim();
			const b = (e.body && typeof e.body === 'object' ? e.body : {}) as Record<string, unknown>;
			for (const k of ['refresh_token', 'password', 'client_secret']) if (typeof b[k] === 'string') yield b[k] as string;
		}
	},
};
