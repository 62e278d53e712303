/** Tests run through swc (fast, no type check); `tsc --noEmit` in `npm test` is the type gate. */
module.exports = {
  testEnvironment: 'node',
  // Two workers on the 2-core machine: jest's default (cores - 1) would run the suites one at a time.
  maxWorkers: 2,
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  setupFiles: ['<rootDir>/test/support/quiet.ts'],
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
