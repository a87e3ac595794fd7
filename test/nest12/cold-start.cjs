// The cold-start check's CommonJS app on NestJS 12 (this folder's): the packed package
// (run.cjs unpacks it here), required by its name. See ../cold-start/scenario.cjs.
'use strict';
require('reflect-metadata');
const { runColdStart } = require('../cold-start/scenario.cjs');

runColdStart('NestJS 12, CommonJS', {
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
