// An HTTP-only app for openapi-absent.e2e-spec.ts: CognitoModule with the auth endpoints in
// cookie mode and nothing of OpenAPI, on Express or (HTTP_ONLY_APP_ADAPTER=fastify) Fastify.
// Prints its URL and the @nestjs/swagger files it loaded.
import 'reflect-metadata';
import { sep } from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { CognitoModule, type CognitoModuleOptions } from '../../src';

async function main(): Promise<void> {
  const options = JSON.parse(process.env.HTTP_ONLY_APP_OPTIONS!) as CognitoModuleOptions;
  @Module({ imports: [CognitoModule.forRoot({ ...options, authController: { cookie: {} } })] })
  class HttpOnlyAppModule {}
  const adapter = process.env.HTTP_ONLY_APP_ADAPTER === 'fastify' ? new FastifyAdapter() : undefined;
  const app = adapter
    ? await NestFactory.create(HttpOnlyAppModule, adapter, { logger: false })
    : await NestFactory.create(HttpOnlyAppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const swagger = Object.keys(require.cache).filter((path) => path.includes(`${sep}@nestjs${sep}swagger${sep}`));
  process.stdout.write(`${JSON.stringify({ url: (await app.getUrl()).replace('[::1]', '127.0.0.1'), swagger })}\n`);
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
