#!/usr/bin/env node
'use strict';
/**
 * npm run bench        — this package's nodes vs n8n's HTTP Request node, in a real n8n (pinned
 *                        runtime) against the emulators; writes bench/RESULTS.md and bench/results.svg,
 *                        raw data in bench/out/ (see bench/README.md).
 * npm run bench:smoke  — one pair, tiny data (CI); exit code 1 if any scenario errors.
 */
const { main } = require('../bench/run');
const { UserError } = require('./lib/log');

const argv = process.argv.slice(2);
main(argv).then(
	(code) => {
		process.exitCode = code;
	},
	(e) => {
		process.stderr.write(`${e instanceof UserError ? e.message : (e && e.stack) || e}\n`);
		process.exitCode = 1;
	},
);
