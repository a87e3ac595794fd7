// The NestJS 12 smoke run: the packed package (`npm pack`, unpacked into this
// folder's node_modules as `npm install <tarball>` would, so that its imports resolve
// to this folder's NestJS 12) in a real Nest 12 app on Express and Fastify, against
// cognito-local. Shared by smoke.cjs (a CommonJS app) and
// smoke.mjs (an ESM app), which load NestJS and the package their own way.
'use strict';
const assert = require('node:assert/strict');
const { rmSync } = require('node:fs');
const { join, sep } = require('node:path');
const { installPackedPackage: installPacked } = require('../support/packed-package.cjs');
// An app without @nestjs/swagger (an optional peer): up the tree Node would find the
// root's, made for NestJS 11 (NestJS 12's wants TypeScript 6 at most; this folder has 7).
require('../support/block-packages.cjs').blockPackages(['@nestjs/swagger']);

const LIB = join(__dirname, 'node_modules', 'nestjs-cognito-sync');

/** Unpacks the packed package into this folder's node_modules; returns the package name, resolved from this folder. */
function installPackedPackage() {
  installPacked(__dirname);
  return 'nestjs-cognito-sync';
}

/**
 * @param {string} style 'CommonJS' or 'ESM'
 * @param {{ nest: { common: any, core: any, express: any, fastify: any }, lib: any }} loaded
 */
async function runScenario(style, { nest, lib }) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const version = require(require.resolve('@nestjs/core/package.json', { paths: [__dirname] })).version;
  const results = { passed: 0, failed: 0 };
  const check = async (name, fn) => {
    try {
      await fn();
      results.passed += 1;
      console.log(`  ok    ${name}`);
    } catch (error) {
      results.failed += 1;
      console.log(
        `  FAIL  ${name}\n        ${String(error && error.message)
          .split('\n')
          .join('\n        ')}`,
      );
    }
  };
  console.log(`NestJS ${version}, ${style} app, the packed package`);
  // The packed package's own launcher (nestjs-cognito-sync/testing), as an app's e2e tests would use it.
  const { startCognitoLocal } = require(require.resolve('nestjs-cognito-sync/testing', { paths: [__dirname] }));
  const emulator = await startCognitoLocal({ usernameAttributes: ['email'] });
  try {
    await check('NestJS is 12, and the package under test imports this NestJS 12', () => {
      assert.match(version, /^12\./);
      const used = require.resolve('@nestjs/common', { paths: [LIB] });
      assert.ok(
        used.startsWith(join(__dirname, 'node_modules', '@nestjs')),
        `the package resolved @nestjs/common at ${used}`,
      );
    });
    await check('deep imports are closed: only the exports map is reachable', () => {
      const from = { paths: [__dirname] };
      assert.throws(() => require.resolve('nestjs-cognito-sync/dist/internal/cognito-api/cognito-call', from), {
        code: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
      });
      assert.throws(() => require.resolve('nestjs-cognito-sync/dist/index.js', from), {
        code: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
      });
      assert.equal(require(require.resolve('nestjs-cognito-sync/package.json', from)).name, 'nestjs-cognito-sync');
    });
    const { username } = await emulator.createUser({ username: 'demo@example.com', password: 'Demo-passw0rd!' });
    const demo = {
      ...emulator.moduleOptions,
      username,
      ...(await emulator.signIn('demo@example.com', 'Demo-passw0rd!')),
    };
    for (const [adapterName, Adapter] of [
      ['express', nest.express.ExpressAdapter],
      ['fastify', nest.fastify.FastifyAdapter],
    ]) {
      // A route behind the app-wide guard, with the claims decorator; one that asks for a group.
      class MeController {
        me(username) {
          return { username };
        }

        admin() {
          return { admin: true };
        }
      }
      nest.common.Get('me')(
        MeController.prototype,
        'me',
        Object.getOwnPropertyDescriptor(MeController.prototype, 'me'),
      );
      lib.CognitoUser('username')(MeController.prototype, 'me', 0);
      for (const decorator of [nest.common.Get('admin'), lib.CognitoGroups('Admins')]) {
        decorator(MeController.prototype, 'admin', Object.getOwnPropertyDescriptor(MeController.prototype, 'admin'));
      }
      nest.common.Controller()(MeController);
      class AppModule {}
      nest.common.Module({
        controllers: [MeController],
        imports: [
          lib.CognitoModule.forRoot({
            region: demo.region,
            userPoolId: demo.userPoolId,
            clientId: demo.clientId,
            clientSecret: demo.clientSecret,
            endpoint: demo.endpoint,
            credentials: demo.credentials,
            refreshController: { cookie: { name: 'rt' } },
            authGuard: true,
          }),
        ],
      })(AppModule);
      const app = await nest.core.NestFactory.create(AppModule, new Adapter(), { logger: false });
      await app.listen(0, '127.0.0.1');
      const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      const url = `${base}/auth/refresh`;
      const post = (body) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await check(`${adapterName}: refresh answers 200 with new tokens`, async () => {
        const res = await post({ refreshToken: demo.refreshToken, username: demo.username });
        assert.equal(res.status, 200);
        assert.equal(typeof (await res.json()).authenticationResult.accessToken, 'string');
      });
      await check(`${adapterName}: an invalid token answers 401 NotAuthorizedException`, async () => {
        const res = await post({ refreshToken: 'invalid.refresh.token', username: demo.username });
        assert.equal(res.status, 401);
        assert.equal((await res.json()).code, 'NotAuthorizedException');
      });
      await check(
        `${adapterName}: cookie mode, no token in the body and no cookie answers 401 RefreshTokenMissing`,
        async () => {
          const res = await post({});
          assert.equal(res.status, 401);
          assert.equal((await res.json()).code, 'RefreshTokenMissing');
        },
      );
      const withUsername = `~${Buffer.from(demo.username).toString('base64url')}`;
      await check(
        `${adapterName}: cookie mode refreshes from a cookie holding the token and the username, answered no-store`,
        async () => {
          const cookie = `rt=${demo.refreshToken}${withUsername}`;
          const res = await fetch(url, { method: 'POST', headers: { cookie, 'x-requested-with': 'fetch' } });
          assert.equal(res.status, 200);
          assert.equal(res.headers.get('cache-control'), 'no-store');
        },
      );
      await check(`${adapterName}: cookie mode clears a refused cookie on the route's path`, async () => {
        const cookie = `rt=invalid.refresh.token${withUsername}`;
        const res = await fetch(url, { method: 'POST', headers: { cookie, 'x-requested-with': 'fetch' } });
        assert.equal(res.status, 401);
        assert.match(res.headers.get('set-cookie') ?? '', /^rt=; Max-Age=0; Path=\/auth\/refresh; /);
      });
      await check(
        `${adapterName}: a body the framework refuses gets the module's answer (413 PayloadTooLarge, 400 InvalidJson)`,
        async () => {
          const large = await post({ refreshToken: 'a'.repeat(2 * 1024 * 1024) });
          assert.equal(large.status, 413);
          assert.equal((await large.json()).code, 'PayloadTooLarge');
          const malformed = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"refreshToken": ',
          });
          assert.equal(malformed.status, 400);
          assert.equal((await malformed.json()).code, 'InvalidJson');
        },
      );
      await check(`${adapterName}: the guard lets a valid access token through, with its username claim`, async () => {
        const res = await fetch(`${base}/me`, { headers: { authorization: `Bearer ${demo.accessToken}` } });
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), { username: demo.username });
      });
      await check(`${adapterName}: the guard answers 401 TokenMissing without a token`, async () => {
        const res = await fetch(`${base}/me`);
        assert.equal(res.status, 401);
        assert.equal((await res.json()).code, 'TokenMissing');
      });
      await check(
        `${adapterName}: the app-wide guard counts for @CognitoGroups at startup, and checks the group (403 ` +
          `GroupRequired)`,
        async () => {
          const res = await fetch(`${base}/admin`, { headers: { authorization: `Bearer ${demo.accessToken}` } });
          assert.equal(res.status, 403);
          assert.equal((await res.json()).code, 'GroupRequired');
        },
      );
      await check(
        `${adapterName}: a @CognitoGroups route without any CognitoAuthGuard fails the startup, naming it`,
        async () => {
          class UnguardedModule {}
          nest.common.Module({
            controllers: [MeController],
            imports: [
              lib.CognitoModule.forRoot({
                region: demo.region,
                userPoolId: demo.userPoolId,
                clientId: demo.clientId,
                endpoint: demo.endpoint,
              }),
            ],
          })(UnguardedModule);
          const unguarded = await nest.core.NestFactory.create(UnguardedModule, new Adapter(), {
            logger: false,
            abortOnError: false,
          });
          try {
            await assert.rejects(unguarded.init(), {
              message: /^CognitoModule: @CognitoGroups on MeController\.admin has no CognitoAuthGuard: /,
            });
          } finally {
            await unguarded.close();
          }
        },
      );
      await check(`${adapterName}: CognitoSyncService is injectable`, () => {
        assert.ok(app.get(lib.CognitoSyncService) instanceof lib.CognitoSyncService);
      });
      await app.close();
    }
    await check('the packed package loaded no file of @nestjs/swagger, which this app does not install', () => {
      assert.deepEqual(
        Object.keys(require.cache).filter((path) => path.includes(`${sep}@nestjs${sep}swagger${sep}`)),
        [],
      );
    });
  } finally {
    await emulator.close();
    rmSync(LIB, { recursive: true, force: true });
  }
  console.log(`nest12 ${style}: ${results.passed} passed, ${results.failed} failed`);
  if (results.failed > 0) process.exitCode = 1;
}

module.exports = { LIB, installPackedPackage, runScenario };
