// NestJS 12 from an ESM app: named imports of the packed package's CommonJS build, by its name.
import 'reflect-metadata';
import { createRequire } from 'node:module';

const { installPackedPackage, runScenario } = createRequire(import.meta.url)('./scenario.cjs');
installPackedPackage();
// Resolved from this folder (test/nest12), as an app's own import would be.
const { CognitoGroups, CognitoModule, CognitoSyncService, CognitoUser } = await import('nestjs-cognito-sync');

await runScenario('ESM', {
  nest: {
    common: await import('@nestjs/common'),
    core: await import('@nestjs/core'),
    express: await import('@nestjs/platform-express'),
    fastify: await import('@nestjs/platform-fastify'),
  },
  lib: { CognitoGroups, CognitoModule, CognitoSyncService, CognitoUser },
});
