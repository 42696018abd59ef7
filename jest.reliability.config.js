/**
 * Reliability suite (`npm run test:reliability`): the nodes inside n8n-core's real execution context,
 * against the emulators with injected faults. Seeded and reproducible; prints a table of figures at
 * the end and fails when a bad figure (lost or doubled items, repeated writes, secret hits, uncaught
 * errors) is not zero. See the "Reliability and security" section of README.md.
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	rootDir: __dirname,
	roots: ['<rootDir>/test/reliability'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	globalSetup: '<rootDir>/test/reliability/support/globalSetup.ts',
	globalTeardown: '<rootDir>/test/reliability/support/globalTeardown.ts',
	testTimeout: 240000,
	maxWorkers: 2,
};
