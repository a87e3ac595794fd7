// `npm run test:aws`: the end-to-end refresh suite against a real user pool.
// Set COGNITO_REGION, COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID (COGNITO_CLIENT_SECRET
// if the client has one), COGNITO_TEST_USERNAME and COGNITO_TEST_PASSWORD, and AWS
// credentials; without them the suite is reported as skipped, with the reason.
process.env.COGNITO_E2E_TARGET = 'aws';
const { projects, testTimeout } = require('./jest.config');
// The e2e project without cognito-local (globalSetup) and its log check.
const e2e = {
  ...projects.find((project) => project.displayName === 'e2e'),
  globalSetup: undefined,
  globalTeardown: undefined,
};

/** @type {import('jest').Config} */
module.exports = { ...e2e, testTimeout, testMatch: ['<rootDir>/test/refresh/refresh.e2e-spec.ts'] };
