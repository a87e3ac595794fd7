// The fix a user's Jest config needs when openid-client is required inside Jest: compile the three
// ESM-only packages (openid-client, oauth4webapi, jose) to CommonJS, as this repo already does for
// content-disposition.
const esmOnly = '(openid-client|oauth4webapi|jose)';
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/../../../tsconfig.json' }],
    [`/node_modules/${esmOnly}/.+\\.js$`]: [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', target: 'es2022' }, isolatedModules: true },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!${esmOnly}/)`],
  testMatch: ['<rootDir>/*.spec.ts'],
};
