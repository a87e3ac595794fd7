// One server under test, in its own process. argv: kind, the stand-in's endpoint.
//   bare               node:http + the SDK: the floor any Node server pays
//   hand-express       what a user writes by hand in NestJS: a controller making the same
//   hand-fastify         AdminInitiateAuth call with one SDK client created at startup
//   module-express     the package's refresh endpoint (from dist/), and beside it the
//   module-fastify       hand-written controller at POST /hand/refresh
//   shared-express     the module's endpoint with sharedRefresh on a Redis (argv: its URL)
//   guard-express      a trivial route, GET /plain, and the same route behind
//   guard-fastify        CognitoAuthGuard, GET /guarded; and behind a guard that
//                        returns true, GET /allowed: what Nest charges for any guard
//   session-express    the same routes with server-side sessions (`session`, in-memory store):
//   session-fastify      GET /guarded admits a bearer token or the session cookie alike
//   sessionredis-express the same with the sessions in Redis (argv: its URL)
// Reports its port over IPC; answers { rss }, { cpu } and, for the session kinds, { session: tokens }
// with the Cookie header of a session started for them (CognitoServerSessions.start).
'use strict';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
require('reflect-metadata');
const { createHmac } = require('node:crypto');
const { createServer } = require('node:http');
const {
  AdminInitiateAuthCommand,
  CognitoIdentityProviderClient,
} = require('@aws-sdk/client-cognito-identity-provider');
const { CLIENT_ID, USER_POOL_ID } = require('./access-token.cjs');

const [kind, endpoint, redisUrl] = process.argv.slice(2);
const [role, adapterName] = kind.split('-');
/** The running Nest app (the session kinds start their session through it). */
let app;
// A user's client: region, endpoint, credentials; everything else the SDK's defaults
// (standard retry mode, 3 attempts, a keep-alive agent of 50 sockets).
const clientSettings = {
  region: 'eu-west-1',
  endpoint,
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
};
// BENCH_CLIENT_SECRET: an app client with a secret (every refresh then carries a SECRET_HASH,
// and the body a username).
const clientSecret = process.env.BENCH_CLIENT_SECRET || undefined;
const options = { ...clientSettings, userPoolId: USER_POOL_ID, clientId: CLIENT_ID, clientSecret };

/** What a user writes by hand for a refresh: the command, with a SECRET_HASH when the client has a secret. */
function refreshCommand({ refreshToken, username }) {
  const parameters = { REFRESH_TOKEN: refreshToken };
  if (clientSecret) {
    parameters.SECRET_HASH = createHmac('sha256', clientSecret)
      .update(username + options.clientId)
      .digest('base64');
  }
  return new AdminInitiateAuthCommand({
    UserPoolId: options.userPoolId,
    ClientId: options.clientId,
    AuthFlow: 'REFRESH_TOKEN_AUTH',
    AuthParameters: parameters,
  });
}

async function bare() {
  const client = new CognitoIdentityProviderClient(clientSettings);
  const server = createServer(async (req, res) => {
    try {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const output = await client.send(refreshCommand(JSON.parse(Buffer.concat(chunks).toString())));
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

/** The adapter of `adapterName`. */
function adapter() {
  return adapterName === 'fastify'
    ? new (require('@nestjs/platform-fastify').FastifyAdapter)()
    : new (require('@nestjs/platform-express').ExpressAdapter)();
}

async function listen(module) {
  const { NestFactory } = require('@nestjs/core');
  app = await NestFactory.create(module, adapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  return Number(new URL((await app.getUrl()).replace('[::1]', '127.0.0.1')).port);
}

/** Applies method decorators (plain JS has no decorator syntax). */
function decorate(type, method, ...decorators) {
  for (const decorator of decorators)
    decorator(type.prototype, method, Object.getOwnPropertyDescriptor(type.prototype, method));
}

/** The hand-written controller at `path`: @Post, @Body, one client made at startup, the call, its result. */
function handController(path) {
  const { Body, Controller, HttpCode, Post } = require('@nestjs/common');
  const client = new CognitoIdentityProviderClient(clientSettings);
  class RefreshController {
    async refresh(body) {
      const output = await client.send(refreshCommand(body));
      return { authenticationResult: output.AuthenticationResult };
    }
  }
  decorate(RefreshController, 'refresh', Post(), HttpCode(200));
  Body()(RefreshController.prototype, 'refresh', 0);
  Controller(path)(RefreshController);
  return RefreshController;
}

async function hand() {
  const { Module } = require('@nestjs/common');
  class HandModule {}
  Module({ controllers: [handController('auth/refresh')] })(HandModule);
  return listen(HandModule);
}

/**
 * The package's refresh endpoint at the same path; beside it, for the bench's interleaved
 * run, the hand-written controller at /hand/refresh (the module adds nothing to other
 * routes' requests: its exception filter runs on errors only).
 */
async function endpointOfModule() {
  const { Module } = require('@nestjs/common');
  const { CognitoModule } = require('../../dist');
  // @keyv/redis is loaded only for `shared`, as an app without sharedRefresh never loads it.
  const sharedRefresh = role === 'shared' ? { store: require('@keyv/redis').createKeyv(redisUrl) } : undefined;
  class BenchModule {}
  Module({
    imports: [CognitoModule.forRoot({ ...options, refreshController: true, sharedRefresh })],
    controllers: [handController('hand/refresh')],
  })(BenchModule);
  return listen(BenchModule);
}

/**
 * A trivial route; the same route behind the guard (tokens verified against the stand-in's
 * JWKS); and behind a guard that lets everything through, Nest's own cost for a guard.
 */
async function guard() {
  const { Controller, Get, Module, UseGuards } = require('@nestjs/common');
  const { CognitoAuthGuard, CognitoModule } = require('../../dist');
  // Server-side sessions need the auth endpoints (authController); their store is Redis for sessionredis.
  const session = role.startsWith('session')
    ? {
        authController: true,
        session: {
          secret: 'a-bench-session-secret-of-32-characters-or-more',
          ...(role === 'sessionredis' ? { store: require('@keyv/redis').createKeyv(redisUrl) } : {}),
        },
      }
    : {};
  class RoutesController {
    plain() {
      return { ok: true };
    }
    guarded() {
      return { ok: true };
    }
    allowed() {
      return { ok: true };
    }
  }
  class AllowGuard {
    canActivate() {
      return true;
    }
  }
  decorate(RoutesController, 'plain', Get('plain'));
  decorate(RoutesController, 'guarded', Get('guarded'), UseGuards(CognitoAuthGuard));
  decorate(RoutesController, 'allowed', Get('allowed'), UseGuards(AllowGuard));
  Controller()(RoutesController);
  class GuardModule {}
  Module({ imports: [CognitoModule.forRoot({ ...options, ...session })], controllers: [RoutesController] })(
    GuardModule,
  );
  return listen(GuardModule);
}

process.on('message', (message) => {
  // After a full GC (the process runs with --expose-gc), so that RSS shows what is kept, not garbage.
  if (message.rss) {
    // Twice, a turn of the event loop apart: array buffers' memory is released after the first.
    global.gc?.();
    setImmediate(() => {
      global.gc?.();
      process.send(process.memoryUsage());
    });
  }
  if (message.cpu) process.send(process.cpuUsage());
  // A session started as the auth endpoints start one after a sign-in (the request carries no cookie).
  if (message.session) {
    const { CognitoServerSessions } = require('../../dist');
    app
      .get(CognitoServerSessions)
      .start(message.session, { headers: {} })
      .then(
        (setCookie) => process.send({ cookie: setCookie[0].split(';')[0] }),
        (error) => process.send({ error: error.message }),
      );
  }
});
process.on('disconnect', () => process.exit(0));
const servers = {
  bare,
  hand,
  module: endpointOfModule,
  shared: endpointOfModule,
  guard,
  session: guard,
  sessionredis: guard,
};
servers[role]().then(
  (port) => process.send({ port }),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
