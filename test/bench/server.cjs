// One server under test, in its own process: `bare` (node:http + the SDK, the floor any
// Node server pays), `express` or `fastify` (the package's refresh endpoint, from dist/),
// `shared` (the Express endpoint with sharedRefresh on a Redis), or `guard` (Express: GET /plain
// and the same route behind CognitoAuthGuard, GET /guarded).
// argv: kind, the stand-in's endpoint, the Redis URL for `shared`. Reports its port over IPC; answers { rss }.
'use strict';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
require('reflect-metadata');
const { createServer } = require('node:http');
const { AdminInitiateAuthCommand, CognitoIdentityProviderClient } = require('@aws-sdk/client-cognito-identity-provider');

const [kind, endpoint, redisUrl] = process.argv.slice(2);
// The same client settings as the module's (see src/cognito.providers.ts).
const clientSettings = {
  region: 'eu-west-1',
  endpoint,
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  retryMode: 'standard',
  maxAttempts: 3,
};
const options = { ...clientSettings, userPoolId: 'eu-west-1_Bench1', clientId: 'benchclient123' };

async function bare() {
  const client = new CognitoIdentityProviderClient(clientSettings);
  const server = createServer(async (req, res) => {
    try {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const { refreshToken } = JSON.parse(Buffer.concat(chunks).toString());
      const output = await client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: options.userPoolId,
          ClientId: options.clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: refreshToken },
        }),
      );
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ authenticationResult: output.AuthenticationResult }));
    } catch {
      res.writeHead(500);
      res.end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server.address().port;
}

async function nest(adapterName) {
  const { Module } = require('@nestjs/common');
  const { NestFactory } = require('@nestjs/core');
  const { CognitoModule } = require('../../dist');
  const Adapter = adapterName === 'fastify' ? require('@nestjs/platform-fastify').FastifyAdapter : require('@nestjs/platform-express').ExpressAdapter;
  // @keyv/redis is loaded only for `shared`, as an app without sharedRefresh never loads it.
  const sharedRefresh = redisUrl ? { store: require('@keyv/redis').createKeyv(redisUrl) } : undefined;
  class BenchModule {}
  Module({ imports: [CognitoModule.forRoot({ ...options, refreshController: true, sharedRefresh })] })(BenchModule);
  const app = await NestFactory.create(BenchModule, new Adapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  return Number(new URL((await app.getUrl()).replace('[::1]', '127.0.0.1')).port);
}

/** A trivial route, and the same route behind the guard (tokens verified against the stand-in's JWKS). */
async function guard() {
  const { Controller, Get, Module, UseGuards } = require('@nestjs/common');
  const { NestFactory } = require('@nestjs/core');
  const { CognitoAuthGuard, CognitoModule } = require('../../dist');
  class RoutesController {
    plain() {
      return { ok: true };
    }
    guarded() {
      return { ok: true };
    }
  }
  const describe = (name) => Object.getOwnPropertyDescriptor(RoutesController.prototype, name);
  Get('plain')(RoutesController.prototype, 'plain', describe('plain'));
  Get('guarded')(RoutesController.prototype, 'guarded', describe('guarded'));
  UseGuards(CognitoAuthGuard)(RoutesController.prototype, 'guarded', describe('guarded'));
  Controller()(RoutesController);
  class GuardModule {}
  Module({ imports: [CognitoModule.forRoot(options)], controllers: [RoutesController] })(GuardModule);
  const app = await NestFactory.create(GuardModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  return Number(new URL((await app.getUrl()).replace('[::1]', '127.0.0.1')).port);
}

process.on('message', (message) => {
  // After a full GC (the process runs with --expose-gc), so that RSS shows what is kept, not garbage.
  if (message.rss) {
    global.gc?.();
    process.send(process.memoryUsage());
  }
});
process.on('disconnect', () => process.exit(0));
(kind === 'bare' ? bare() : kind === 'guard' ? guard() : nest(kind === 'shared' ? 'express' : kind)).then(
  (port) => process.send({ port }),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
