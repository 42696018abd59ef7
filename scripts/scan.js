#!/usr/bin/env node
'use strict';
/**
 * npm run scan — n8n's verification gate (@n8n/scan-community-package, pinned in package.json), offline.
 *
 * The gate (`analyzePackageByName` in scanner/scanner.mjs) downloads the published tarball with
 * `npm pack <name>@<version>` and the provenance-attested GitHub source, then runs its exported
 * `analyzePackage(dir, patterns)` on both. Here the same `analyzePackage` gets what we would publish:
 *
 *   1. tarball leg: `npm pack` of this checkout, extracted like the gate extracts it, linted with the
 *      scanner's default patterns (all .js, .ts and .json: a superset of the gate's `**\/*.js` +
 *      `package.json`), so a stray `.d.ts` or source file in the tarball fails here too;
 *   2. source leg: this checkout with the gate's SOURCE_FILE_PATTERNS (package.json, nodes/, credentials/).
 *
 * Also checks the tarball holds every file package.json's `n8n` section names, and no TypeScript.
 * Needs `npm run build` first. Exit code 1 on any violation.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const SCANNER = '@n8n/scan-community-package/scanner/scanner.mjs';

function run(command, args, cwd) {
	const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}): ${result.stderr || result.stdout}`);
	return result.stdout;
}

function listFiles(dir, base = dir) {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		return entry.isDirectory() ? listFiles(full, base) : [path.relative(base, full).split(path.sep).join('/')];
	});
}

/** Packs this checkout into `tempDir` and extracts it the way the gate does (`tar -xzf --strip-components=1`). */
function packAndExtract(tempDir) {
	const [packed] = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tempDir], root));
	const packageDir = path.join(tempDir, `${packed.name}-${packed.version}`);
	fs.mkdirSync(packageDir);
	run('tar', ['-xzf', path.join(tempDir, packed.filename), '-C', packageDir, '--strip-components=1'], tempDir);
	return packageDir;
}

/** Problems with the tarball's content the lint legs would not name clearly. */
function tarballContentProblems(packageDir) {
	const files = listFiles(packageDir);
	const problems = files.filter((file) => /\.(c|m)?ts$/.test(file)).map((file) => `${file}: TypeScript (source or declaration) in the tarball`);
	const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	for (const entry of [...(manifest.n8n?.nodes ?? []), ...(manifest.n8n?.credentials ?? [])]) {
		if (!files.includes(entry)) problems.push(`${entry}: listed in package.json "n8n" but missing from the tarball (run npm run build)`);
	}
	return problems;
}

function report(label, result) {
	if (result.passed) {
		console.log(`✅ ${label}: 0 violations${result.message ? ` (${result.message})` : ''}`);
		return true;
	}
	console.log(`❌ ${label}: ${result.message}`);
	if (result.details) console.log(result.details);
	return false;
}

async function main() {
	if (!fs.existsSync(path.join(root, 'dist'))) throw new Error('dist/ is missing: run `npm run build` first');
	const scanner = await import(require.resolve(SCANNER, { paths: [root] }));
	// The scanner creates a temp dir for registry downloads when imported; tmp removes it on exit only when asked.
	require(require.resolve('tmp', { paths: [path.dirname(require.resolve(SCANNER, { paths: [root] }))] })).setGracefulCleanup();

	const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-scan-'));
	let ok = true;
	try {
		const packageDir = packAndExtract(tempDir);
		const problems = tarballContentProblems(packageDir);
		for (const problem of problems) console.log(`❌ tarball: ${problem}`);
		ok = problems.length === 0 && ok;
		ok = report('tarball (npm pack)', await scanner.analyzePackage(packageDir)) && ok;
		ok = report('source (package.json, nodes/, credentials/)', await scanner.analyzePackage(root, scanner.SOURCE_FILE_PATTERNS)) && ok;
	} finally {
		fs.rmSync(tempDir, { recursive: true, force: true });
	}
	if (!ok) {
		console.log('n8n verification scan failed: fix the violations above (the same rules run in `npm run lint`).');
		process.exitCode = 1;
	}
}

main().catch((error) => {
	console.error(`scan: ${error.message}`);
	process.exitCode = 1;
});
