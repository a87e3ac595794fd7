// This repo's Jest setup as it is today (ts-jest, CommonJS, node_modules not transformed).
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/../../../tsconfig.json' }] },
  testMatch: ['<rootDir>/*.spec.ts'],
};
