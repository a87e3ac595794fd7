// The app's own Jest suite, as a NestJS app would have it: unit tests beside the code
// (the test kit and the fake, no emulator), e2e tests against cognito-local, which the
// globalSetup recipe of the README starts once for the e2e project.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: `${__dirname}/tsconfig.json` }] };

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
    },
    {
      displayName: 'e2e',
      rootDir: __dirname,
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};
