/**
 * Scenario 3b's machinery: a token lost while N pages are in flight, with a barrier that releases the
 * requests carrying the dead token together (see relogin-race.test.ts), and the whole block of cases
 * for a product whose tokens are OAuth2 pairs with single-use refresh tokens (Orchestrator, VSPC).
 */
import type { Emulator, LogEntry } from '../../emulators/common/server';
import type { Harness } from '../../harness/n8n';
import type { OAuthList, OAuthServer } from './oauth';
import { run, type Outcome } from './outcome';
import { type FileWatch, scenarioScope } from './scope';
import { checkComplete, checkLogins, onNthRequest } from './tally';

export const CONCURRENCIES = [1, 2, 5, 10, 20] as const;

/** Every concurrency × where the token is lost: the first concurrent page (request 2), `mid`, the last page. */
export function raceCases(pages: number, mid: number) {
	const losses = [
		['after page 1', 2],
		['mid-run', mid],
		['on the last page', pages],
	] as const;
	return CONCURRENCIES.flatMap((c) => losses.map(([where, n]) => [c, where, n] as const));
}

/** Requests held by the barrier: as many as can be in flight once the n-th data request is sent. */
export const barrierSize = (concurrency: number, n: number, pages: number) => Math.max(1, Math.min(concurrency, pages - n + 1));

/**
 * Runs `list` with the race armed: when the n-th data request arrives (before the server handles it),
 * `lose` kills the token and a barrier holds that request and the next `size - 1` together. Checks
 * that the barrier was armed and filled; returns the outcome and the data requests of the run.
 */
export async function rejectedTogether(server: Emulator, data: { path: string; isData: (e: LogEntry) => boolean }, n: number, size: number, lose: () => void, list: () => Promise<Outcome>): Promise<{ outcome: Outcome; sent: LogEntry[] }> {
	let held: Promise<void> | undefined;
	onNthRequest(server.requestHooks, data.isData, n, () => {
		// Runs before the server handles the request, so this request is the barrier's first arrival.
		lose();
		held = server.addBarrier({ count: size, method: 'GET', path: data.path });
	});
	const from = server.log.length;
	const outcome = await list();
	server.clearBarriers();
	// The race really happened: the barrier was armed and filled.
	expect(held).toBeDefined();
	await held;
	return { outcome, sent: server.log.slice(from).filter(data.isData) };
}

export interface OAuthRaceProduct extends OAuthList {
	/** Pages of the list (the server's page size decides the records per page). */
	pages: number;
	/** The data request that is lost "mid-run". */
	mid: number;
	/** Starts the emulator with zero latency and `pages` pages of records. */
	start(): Promise<OAuthServer>;
}

/**
 * Scenario 3b for an OAuth2 product, registered inside its describe block: a warm-up Return All, then
 * for every concurrency 1–20 and loss point an expired access token met by every request in flight at
 * once → one refresh grant, no password login, no single-use refresh token sent twice, a complete list.
 */
export function oauthRaceCases(p: OAuthRaceProduct, file: FileWatch): void {
	let emu: OAuthServer;
	let h: Harness;
	let cred: string;
	let expected: Set<string>;
	const { figures, problems, tally: t } = scenarioScope(`3b rejected at once: ${p.label}, concurrency 1–20, 1 refresh 0 password`, {
		...file,
		secrets: () => emu.secrets().addCredential(h.credentialData(cred)),
		close: () => emu?.close(),
	});
	const dataRe = new RegExp(p.dataPath);
	const isData = (e: LogEntry) => e.method === 'GET' && dataRe.test(e.path);
	const listAll = (concurrency: number) =>
		run(h, { nodeType: p.nodeType(), parameters: { ...p.parameters, requestOptions: { concurrency } }, credentials: { [p.credentialType]: cred } });

	beforeAll(async () => {
		emu = await p.start();
		h = p.harness();
		cred = h.addCredential(p.credentialType, p.credentialData(emu.server.url));
		expected = emu.expected();
		checkComplete(t, 'warm-up', await listAll(5), expected, p.idOf);
	});

	it.each(raceCases(p.pages, p.mid))('concurrency %i, access token expired %s: %i-th data request and those in flight rejected together → 1 refresh, 0 password', async (concurrency, where, n) => {
		const size = barrierSize(concurrency, n, p.pages);
		const { refreshGrants: refresh, passwordLogins: password, failedTokenRequests: failed } = emu.counters;
		const { outcome, sent } = await rejectedTogether(emu.server, { path: p.dataPath, isData }, n, size, () => emu.expireAccessTokens(), () => listAll(concurrency));
		const label = `${p.label} c=${concurrency} ${where}`;
		checkComplete(t, label, outcome, expected, p.idOf);
		checkLogins(t, label, emu.counters.refreshGrants - refresh + emu.counters.passwordLogins - password, 1);
		figures.faultsInjected++;
		expect(sent.filter((e) => e.status === 401).length).toBeGreaterThanOrEqual(size);
		expect(problems).toEqual([]);
		expect(emu.counters.refreshGrants - refresh).toBe(1);
		expect(emu.counters.passwordLogins - password).toBe(0);
		// No single-use refresh token was sent twice.
		expect(emu.counters.failedTokenRequests - failed).toBe(0);
	});
}
