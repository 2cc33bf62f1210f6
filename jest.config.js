// Jest runs in native ESM mode (the @kubernetes-models packages export only `import` conditions);
// @swc/jest strips types fast, `npm run typecheck` does the type checking.
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/app/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  // The workspace package runs from its sources in tests, like the rest.
  moduleNameMapper: { '^@zonal/zone-discovery$': '<rootDir>/packages/zone-discovery/src/index.ts', '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'es6' },
    }],
  },
  testTimeout: 60000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
