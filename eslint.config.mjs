// `npm run lint` = n8n's verification gate on the package sources + typescript-eslint on all TypeScript.
//
// The gate's configuration is taken from the gate itself: `buildScanConfig()` of the pinned
// @n8n/scan-community-package (the community-nodes plugin it pins, eslint-plugin-n8n-nodes-base's
// `community` / `credentials` / `nodes` rulesets and the scanner's own overrides), so lint cannot drift
// from what `npm run scan` and n8n's verification run. The scanner lints only SOURCE_FILE_PATTERNS
// (package.json, nodes/, credentials/) with inline `eslint-disable` comments ignored; the same here.
import { createRequire } from 'node:module';
import tseslint from 'typescript-eslint';
import { buildScanConfig, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

// Importing the scanner creates an (empty) temp dir for its registry downloads; remove it on exit.
createRequire(import.meta.resolve('@n8n/scan-community-package/scanner/scanner.mjs'))('tmp').setGracefulCleanup();

/** Restricts a scanner config object to the files the scanner lints (nested arrays: every pattern must match). */
function withinScanScope(config) {
	const own = config.files ?? ['**/*'];
	return { ...config, files: own.flatMap((pattern) => SOURCE_FILE_PATTERNS.map((scope) => [pattern, scope])) };
}

const scanConfig = (await buildScanConfig()).map(withinScanScope);

export default tseslint.config(
	{ ignores: ['dist/**', 'build/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs', 'bench/out/**'] },
	{
		files: ['**/*.ts'],
		extends: [...tseslint.configs.recommended],
		rules: {
			'@typescript-eslint/no-explicit-any': 'off',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
		},
	},
	...scanConfig,
	{ files: SOURCE_FILE_PATTERNS, linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' } },
);
