// `npm test` runs both projects; `npm run test:unit` runs in seconds without an emulator.
// - unit: specs beside the code (src/**/*.spec.ts) and the doc test (test/docs.spec.ts).
// - e2e: test/**/*.e2e-spec.ts against a real cognito-local that globalSetup starts on a
//   free port, and a log-hygiene check in globalTeardown.
const shared = {
  testEnvironment: 'node',
  rootDir: __dirname,
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // content-disposition 3 ships ESM only; @fastify/static requires it, and mercurius loads that at
    // startup. Jest's CommonJS mode cannot load ESM on Node 20, so that one package is compiled to CommonJS.
    '/node_modules/content-disposition/.+\\.js$': [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', target: 'es2022' } },
    ],
  },
  transformIgnorePatterns: ['^(?!.*/node_modules/content-disposition/).*/node_modules/'],
  setupFiles: ['<rootDir>/test/support/log-capture.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 30000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/test/nest12/', '/test/aws/', '/test/consumer/'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
