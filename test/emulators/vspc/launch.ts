/**
 * How scripts/lib/emulators.js starts this emulator, logs it and finds the secrets it knows.
 * The plain data (port, demo options, seeded logins) is in launch.json: scripts read it before the build.
 * Demo options: the defaults, 4 companies with failed/warning jobs and alarms (see index.ts).
 */
import data from './launch.json';
import { startVspcEmulator, type VspcEmulator, type VspcEmulatorOptions } from './index';

export const launcher = {
	key: 'vspc',
	...data,
	/** Until the launchers grow a --vspc-port option: VSPC_PORT, else random when the caller asked for random ports (tests). */
	port: (opts: { vspcPort?: number; vroPort?: number }) =>
		opts.vspcPort ?? (process.env.VSPC_PORT ? Number(process.env.VSPC_PORT) : opts.vroPort === 0 ? 0 : data.defaultPort),
	start: (port: number, options: VspcEmulatorOptions) => startVspcEmulator({ port, ...options }),
	summary: (vspc: VspcEmulator) => `${vspc.store.companies.length} companies, ${vspc.store.jobs.length} jobs, ${vspc.store.alarms.length} alarms`,
	/** Seeded password and API key, issued access/refresh tokens, bearer tokens and secrets sent in request bodies. */
	*secrets(vspc: VspcEmulator): Iterable<string> {
		yield data.logins.password;
		yield data.logins.apiKey;
		for (const name of ['access', 'refresh'] as const) for (const k of vspc.auth[name].keys()) yield String(k);
		for (const e of vspc.requests()) {
			const m = /^Bearer\s+(.+)$/i.exec(String(e.headers.authorization || ''));
			if (m) yield m[1].trim();
			const b = (e.body && typeof e.body === 'object' ? e.body : {}) as Record<string, unknown>;
			for (const k of ['refresh_token', 'password']) if (typeof b[k] === 'string') yield b[k] as string;
		}
	},
};
