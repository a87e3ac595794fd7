// The cold-start check's CommonJS app on NestJS 11 (this repository's): the built package,
// required by its name (its exports map, as `npm run build` left dist/). See scenario.cjs.
'use strict';
require('reflect-metadata');
const { runColdStart } = require('./scenario.cjs');

runColdStart('NestJS 11, CommonJS', {
  nest: {
    common: require('@nestjs/common'),
    core: require('@nestjs/core'),
    express: require('@nestjs/platform-express'),
    fastify: require('@nestjs/platform-fastify'),
  },
  lib: require('nestjs-cognito-sync'),
}).catch((error) => {
  console.error(error);
  process.exit(1);
});
