// NestJS 12 from an ESM app: named imports of the package's CommonJS build.
import 'reflect-metadata';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const { installBuiltPackage, runScenario } = createRequire(import.meta.url)('./scenario.cjs');
const entry = installBuiltPackage();
const { CognitoModule, CognitoSyncService, CognitoUser } = await import(pathToFileURL(entry).href);

await runScenario('ESM', {
  nest: {
    common: await import('@nestjs/common'),
    core: await import('@nestjs/core'),
    express: await import('@nestjs/platform-express'),
    fastify: await import('@nestjs/platform-fastify'),
  },
  lib: { CognitoModule, CognitoSyncService, CognitoUser },
});
