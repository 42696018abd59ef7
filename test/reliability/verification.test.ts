/**
 * 7. n8n's verification rules for community packages: the community-node lint passes on package
 * code, the tarball holds only dist/, package.json, README and LICENSE, and nothing is a runtime
 * dependency (dist/ requires only n8n-workflow and Node built-ins).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';

import { recordFigures, restartClock, startFigures } from './support/figures';

const REPO = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const n8nFiles: string[] = [...(pkg.n8n?.credentials ?? []), ...(pkg.n8n?.nodes ?? [])];

function npm(args: string[], timeout = 240_000) {
	return spawnSync('npm', args, { cwd: REPO, encoding: 'utf8', timeout, env: { ...process.env, npm_config_update_notifier: 'false' } });
}

describe('7. verification rules', () => {
	const figures = startFigures('7 verification rules');
	beforeAll(() => restartClock(figures));
	afterAll(() => recordFigures(figures));

	beforeAll(() => {
		// The tarball is checked as published: build dist/ when a file package.json names is missing.
		if (n8nFiles.some((f) => !fs.existsSync(path.join(REPO, f)))) {
			const build = npm(['run', 'build', '--silent'], 300_000);
			if (build.status !== 0) throw new Error(`npm run build failed:\n${(build.stdout + build.stderr).slice(-3000)}`);
		}
	}, 320_000);

	it('community-node lint passes on package code (credentials/, nodes/, package.json)', () => {
		figures.runs++;
		const eslint = path.join(REPO, 'node_modules', '.bin', 'eslint');
		let out = '';
		let ok = true;
		try {
			// Jest sets NODE_ENV=test, under which eslint-plugin-n8n-nodes-base lints made-up file names: lint as `npm run lint` does.
			const env = { ...process.env };
			delete env.NODE_ENV;
			out = execFileSync(eslint, ['credentials', 'nodes', 'package.json', '--format', 'stylish'], { cwd: REPO, encoding: 'utf8', timeout: 240_000, env });
		} catch (e) {
			ok = false;
			out = `${(e as { stdout?: string }).stdout ?? ''}${(e as { stderr?: string }).stderr ?? ''}`;
		}
		if (!ok) figures.clearFailures++;
		expect({ ok, out: out.slice(-4000) }).toEqual({ ok: true, out: expect.any(String) });
	}, 250_000);

	it('npm pack holds only dist/, package.json, README and LICENSE, and every file n8n loads', () => {
		figures.runs++;
		const pack = npm(['pack', '--dry-run', '--json', '--ignore-scripts']);
		expect(pack.status).toBe(0);
		const json = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')));
		const files: string[] = json[0].files.map((f: { path: string }) => f.path);
		const stray = files.filter((f) => !/^dist\//.test(f) && !/^package\.json$/.test(f) && !/^README(\.md)?$/i.test(f) && !/^LICEN[CS]E(\.md|\.txt)?$/i.test(f));
		expect(stray).toEqual([]);
		expect(files).toEqual(expect.arrayContaining(['package.json', 'LICENSE']));
		expect(files.some((f) => /^README/i.test(f))).toBe(true);
		// No tests, sources maps of tests, emulators or credentials fixtures in the tarball.
		expect(files.filter((f) => /test|emulator|\.test\.|fixture/i.test(f))).toEqual([]);
		expect(n8nFiles.filter((f) => !files.includes(f))).toEqual([]);
	});

	it('has no runtime dependencies, and dist/ requires only n8n-workflow and Node built-ins', () => {
		figures.runs++;
		expect(pkg.dependencies === undefined || Object.keys(pkg.dependencies).length === 0).toBe(true);
		expect(pkg.bundleDependencies ?? pkg.bundledDependencies ?? []).toEqual([]);
		expect(Object.keys(pkg.peerDependencies ?? {})).toEqual(['n8n-workflow']);
		const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
		const bad: string[] = [];
		const walk = (dir: string) => {
			for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
				const p = path.join(dir, entry.name);
				if (entry.isDirectory()) walk(p);
				else if (entry.name.endsWith('.js')) {
					const text = fs.readFileSync(p, 'utf8');
					for (const m of text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)|\bimport\(\s*["']([^"']+)["']\s*\)/g)) {
						const spec = m[1] ?? m[2];
						if (spec.startsWith('.') || spec === 'n8n-workflow' || builtins.has(spec)) continue;
						bad.push(`${path.relative(REPO, p)} requires ${spec}`);
					}
				}
			}
		};
		walk(path.join(REPO, 'dist'));
		expect(bad).toEqual([]);
	});
});
