'use strict';
/** Build the package (dist/) and the emulators (build/test/emulators/) with the repo's own npm scripts. */
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const { UserError } = require('./log');

const REPO = path.resolve(__dirname, '..', '..');

function npmCommand() {
	const exec = process.env.npm_execpath;
	if (exec && /\.c?js$/.test(exec) && fs.existsSync(exec)) return [process.execPath, [exec]];
	return [process.platform === 'win32' ? 'npm.cmd' : 'npm', []];
}

/** Run `npm run <script> --silent`; resolves with the output, rejects with the tail of it. */
function runNpmScript(script, { cwd = REPO } = {}) {
	const [cmd, pre] = npmCommand();
	return new Promise((resolve, reject) => {
		const env = { ...process.env, npm_config_update_notifier: 'false' };
		const child = spawn(cmd, [...pre, 'run', script, '--silent'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		const chunks = [];
		child.stdout.on('data', (d) => chunks.push(d));
		child.stderr.on('data', (d) => chunks.push(d));
		child.on('error', (e) => reject(new UserError(`could not run "npm run ${script}": ${e.message}`)));
		child.on('close', (code) => {
			const out = Buffer.concat(chunks).toString('utf8').split('\n')
				.filter((l) => l.trim() && !/Unknown (user|project|global|env) config/.test(l)).join('\n');
			if (code === 0) resolve(out);
			else reject(new UserError(`"npm run ${script}" failed (exit ${code}):\n${out.split('\n').slice(-25).join('\n')}`));
		});
	});
}

function manifest() {
	return JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
}

/** Files that package.json's n8n section points at and that the build did not produce. */
function missingDistFiles(pkg = manifest()) {
	const n8n = pkg.n8n || {};
	return [...(n8n.credentials || []), ...(n8n.nodes || [])].filter((f) => !fs.existsSync(path.join(REPO, f)));
}

/**
 * Build dist/ and the emulators (in parallel: two tsc runs).
 * @param {{log: ReturnType<import('./log').createLogger>, skip?: boolean}} opts
 */
async function buildAll({ log, skip = false }) {
	if (!fs.existsSync(path.join(REPO, 'node_modules', 'typescript'))) {
		throw new UserError('node_modules is missing or incomplete.', 'Run "npm ci" in the repository first.');
	}
	if (skip) {
		log.step('build skipped (--skip-build): using existing dist/ and build/');
	} else {
		const s = Date.now();
		log.step('building the package (npm run build) and the emulators (npm run build:emulators) ...');
		await Promise.all([runNpmScript('build'), runNpmScript('build:emulators')]);
		log.info(`built in ${((Date.now() - s) / 1000).toFixed(1)}s`);
	}
	// What emulators.js loads: the launcher of every product (a folder with a launch.json).
	const emulators = path.join(REPO, 'test', 'emulators');
	const launchers = fs.readdirSync(emulators).filter((k) => fs.existsSync(path.join(emulators, k, 'launch.json')));
	for (const f of launchers.map((k) => `build/test/emulators/${k}/launch.js`)) {
		if (!fs.existsSync(path.join(REPO, f))) throw new UserError(`${f} is missing.`, 'Run "npm run build:emulators" (or drop --skip-build).');
	}
	const missing = missingDistFiles();
	if (missing.length) {
		log.warn(`package.json lists files the build did not produce (n8n will skip them): ${missing.join(', ')}`);
	}
	return { missing };
}

module.exports = { REPO, buildAll, runNpmScript, manifest, missingDistFiles };
