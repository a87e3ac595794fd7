// NestJS 12 from a CommonJS app: require() of the ESM-only NestJS 12 packages
// (Node >= 20.19) and of the packed package's CommonJS build, by its name.
'use strict';
require('reflect-metadata');
const { installPackedPackage, runScenario } = require('./scenario.cjs');

const name = installPackedPackage();
runScenario('CommonJS', {
  nest: {
    common: require('@nestjs/common'),
    core: require('@nestjs/core'),
    express: require('@nestjs/platform-express'),
    fastify: require('@nestjs/platform-fastify'),
  },
  lib: require(require.resolve(name, { paths: [__dirname] })),
}).catch((error) => {
  console.error(error);
  process.exit(1);
});
