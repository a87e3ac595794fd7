// `npm test` runs both projects; `npm run test:unit` runs in seconds without an emulator.
// - unit: specs beside the code (src/**/*.spec.ts) and the doc test (test/docs.spec.ts).
// - e2e: test/**/*.e2e-spec.ts against a real cognito-local that globalSetup starts on a
//   free port, and a log-hygiene check in globalTeardown.
const ESM_ONLY = '(content-disposition|openid-client|oauth4webapi|jose)';

const shared = {
  testEnvironment: 'node',
  rootDir: __dirname,
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // These packages ship ESM only, and Jest's module system cannot require ESM (on any Node): compiled
    // to CommonJS. content-disposition 3: @fastify/static requires it, and mercurius loads that at startup.
    // openid-client 6 (with oauth4webapi and jose): src/oauth/ loads it when managedLogin is set; users'
    // Jest configs need the same transform (the loader's error message shows it).
    [`/node_modules/${ESM_ONLY}/.+\\.js$`]: [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', target: 'es2022' } },
    ],
  },
  transformIgnorePatterns: [`^(?!.*/node_modules/${ESM_ONLY}/).*/node_modules/`],
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
