// NestJS 12 from a CommonJS app: require() of the ESM-only NestJS 12 packages
// (Node >= 20.19) and of the package's CommonJS build.
'use strict';
require('reflect-metadata');
const { installBuiltPackage, runScenario } = require('./scenario.cjs');

const entry = installBuiltPackage();
runScenario('CommonJS', {
  nest: {
    common: require('@nestjs/common'),
    core: require('@nestjs/core'),
    express: require('@nestjs/platform-express'),
    fastify: require('@nestjs/platform-fastify'),
  },
  lib: require(entry),
}).catch((error) => {
  console.error(error);
  process.exit(1);
});
