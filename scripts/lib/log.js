'use strict';
/**
 * Progress output shared by start, demo, e2e (and later bench/queue scripts):
 * every line carries the elapsed time since the script started, so a slow step is obvious.
 *
 *   const log = createLogger('start');
 *   log.step('building the package');   // [start   3.2s] building the package
 *   log.info('detail');                  // [start   3.2s]   detail
 */

const useColor = () => process.stderr.isTTY && !process.env.NO_COLOR && process.env.TERM !== 'dumb';

function paint(code, s) {
	return useColor() ? `\x1b[${code}m${s}\x1b[0m` : s;
}

/** Error meant for the user: printed without a stack trace. */
class UserError extends Error {
	constructor(message, hint) {
		super(hint ? `${message}\n  ${hint}` : message);
		this.name = 'UserError';
	}
}

/**
 * @param {string} name  short prefix (start, demo, e2e)
 * @param {{quiet?: boolean, stream?: NodeJS.WritableStream, t0?: number}} [opts]
 */
function createLogger(name, { quiet = false, stream = process.stderr, t0 = Date.now() } = {}) {
	const elapsed = () => (Date.now() - t0) / 1000;
	const tag = () => `[${name} ${elapsed().toFixed(1).padStart(6)}s]`;
	const write = (s) => { if (!quiet) stream.write(`${s}\n`); };
	const log = {
		t0,
		elapsed,
		step: (msg) => write(`${paint('36', tag())} ${msg}`),
		info: (msg) => write(`${paint('2', tag())}   ${msg}`),
		ok: (msg) => write(`${paint('32', tag())} ${msg}`),
		warn: (msg) => write(`${paint('33', tag())} WARNING: ${msg}`),
		error: (msg) => stream.write(`${paint('31', tag())} ${msg}\n`),
		/** Time an async step: logs "msg" then "msg: done (1.2s)". */
		async time(msg, fn) {
			const s = Date.now();
			log.step(`${msg} ...`);
			const r = await fn();
			log.info(`done (${((Date.now() - s) / 1000).toFixed(1)}s)`);
			return r;
		},
	};
	return log;
}

/** Plain-text table: rows of arrays; the first row is the header. */
function table(rows, { maxWidth = 48 } = {}) {
	const cells = rows.map((r) => r.map((c) => {
		const s = c === undefined || c === null ? '' : String(c).replace(/\s+/g, ' ');
		return s.length > maxWidth ? `${s.slice(0, maxWidth - 1)}…` : s;
	}));
	const widths = [];
	for (const r of cells) r.forEach((c, i) => { widths[i] = Math.max(widths[i] || 0, c.length); });
	const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
	const out = [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  ')];
	for (const r of cells.slice(1)) out.push(line(r));
	return out.join('\n');
}

module.exports = { createLogger, UserError, table, paint };
