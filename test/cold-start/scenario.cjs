// The app of the cold-start check (run.cjs), shared by its four entries: NestJS 11 (app.cjs,
// app.mjs here) and NestJS 12 (test/nest12/cold-start.cjs, .mjs), each of which loads NestJS and
// the package its own way, as an app does, and hands them here. One scenario per process (the
// module cache cannot be emptied), named by argv[2]:
//   guard-only        CognitoModule.forRoot({ region, userPoolId, clientId, authGuard: true }) on
//                     Express, then on Fastify: no module of the AWS SDK after app.init() (the
//                     JWKS warm-up done), after a 200 and a 401 of the guarded route, after
//                     app.close(); then the control: the app's first service call loads it. Nor does
//                     app.init() load any of the package's OPTIONAL_PARTS (the token endpoints' and
//                     sharedRefresh's files): an app loads only what its options use
//   refresh-endpoint  the controls: with authController or revocationCheck, app.init() loads
//   revocation-check  the SDK (so that no request waits for it), and the check sees it; with
//                     authController, sharedRefresh and session, every one of the OPTIONAL_PARTS, with
//                     revocationCheck none of them
// The pool's endpoint is run.cjs's server (the JWKS, and a 400 to any Cognito call); its token and
// AWS credentials (placeholders, as Lambda gives them) come in the environment.
'use strict';
const assert = require('node:assert/strict');
const { basename, dirname, join } = require('node:path');

// The SDK's packages and the scopes of its own dependencies.
const SDK_MODULE = /[\\/]node_modules[\\/](@aws-sdk|@aws-crypto|@aws|@smithy)[\\/]/;
const USERNAME = 'cold-start-user';
// The package's files (in its dist/) that only some options load, the one list of them: the token
// endpoints' (refreshController, authController), sharedRefresh's and session's machinery.
const OPTIONAL_PARTS = [
  'token-endpoints.providers.js',
  'endpoints/cognito-refresh.controller.js',
  'endpoints/cognito-auth.controller.js',
  'endpoints/cognito-token-endpoint.js',
  'endpoints/bad-body-answers.js',
  'endpoints/refresh-body-rules.js',
  'openapi/cognito-openapi.js',
  'openapi/openapi-error-answers.js',
  'openapi/openapi-models.js',
  'refresh/shared-refresh-slots.js',
  'refresh/shared-store-ops.js',
  'refresh/refresh-slot-cipher.js',
  'refresh/refresh-outcome-codec.js',
  'internal/sealed-box.js',
  'session/session-machinery.js',
  'session/session-keeper.js',
  'session/session-refresh.js',
  'session/session-cookie.js',
  'session/session-csrf.js',
  'session/connection-tickets.js',
  'internal/token-claims.js',
  'session/opened-sessions.js',
  'session/session-summary-of-record.js',
  'session/create-session-store.js',
  'session/memory-session-store.js',
  'session/session-cipher.js',
];
// sharedRefresh's store as @keyv/redis holds it, never connected: the control makes no refresh.
const UNCONNECTED_STORE = { client: { isOpen: false, get: async () => null, set: async () => 'OK' } };

/**
 * @param {string} label e.g. 'NestJS 11, ESM'
 * @param {object} app
 * @param {{ common: any, core: any, express: any, fastify: any }} app.nest
 * @param {{ CognitoModule: any, CognitoSyncService: any, CognitoUser: any }} app.lib
 * @param {{ lib: string, nest: string }} [app.urls] (ESM) the URLs of the package's entry and of @nestjs/core
 */
async function runColdStart(label, { nest, lib, urls }) {
  const scenario = process.argv[2];
  const { COLD_START_ENDPOINT: endpoint, COLD_START_USER_POOL_ID: userPoolId } = process.env;
  const { COLD_START_CLIENT_ID: clientId, COLD_START_TOKEN: token } = process.env;
  const esmLoads = globalThis[Symbol.for('cold-start.esm-loads')];
  const results = { passed: 0, failed: 0 };
  const check = async (name, fn) => {
    try {
      await fn();
      results.passed += 1;
      console.log(`  ok    ${name}`);
    } catch (error) {
      results.failed += 1;
      console.log(`  FAIL  ${name}\n        ${String(error?.message ?? error).split('\n')[0]}`);
    }
  };

  /** The SDK's modules loaded so far: in the module cache, and (ESM) those the loader hooks saw. */
  const sdkModules = async () => [
    ...Object.keys(require.cache).filter((path) => SDK_MODULE.test(path)),
    ...(esmLoads === undefined ? [] : (await esmLoads.settledLoads()).filter((url) => SDK_MODULE.test(url))),
  ];
  const assertNoSdkModule = async () => {
    const loaded = await sdkModules();
    assert.equal(loaded.length, 0, `${loaded.length} modules of the SDK are loaded: ${loaded.slice(0, 3).join(', ')}`);
  };
  const assertSdkLoaded = async () => {
    const loaded = await sdkModules();
    assert.ok(
      loaded.some((path) => /[\\/]@aws-sdk[\\/]client-cognito-identity-provider[\\/]/.test(path)),
      `the SDK is not loaded (${loaded.length} modules of its dependencies are)`,
    );
  };

  /** The package's dist/: the folder of its entry, found in the module cache by its CognitoModule. */
  const packageDist = () => {
    const entry = Object.values(require.cache).find(
      (module) => module?.exports?.CognitoModule === lib.CognitoModule && basename(module.filename) === 'index.js',
    );
    assert.ok(entry, "the package's entry is not in the module cache");
    return dirname(entry.filename);
  };
  /** Those of the OPTIONAL_PARTS that are loaded (the package requires its own files: require.cache, CJS or ESM). */
  const loadedOptionalParts = () => {
    const dist = packageDist();
    return OPTIONAL_PARTS.filter((part) => require.cache[join(dist, part)] !== undefined);
  };
  const assertNoOptionalPart = () => {
    const loaded = loadedOptionalParts();
    assert.equal(loaded.length, 0, `${loaded.length} of them are loaded: ${loaded.join(', ')}`);
  };
  const assertEveryOptionalPart = () => {
    const loaded = loadedOptionalParts();
    const missing = OPTIONAL_PARTS.filter((part) => !loaded.includes(part));
    assert.equal(missing.length, 0, `${missing.length} of them are not loaded: ${missing.join(', ')}`);
  };

  class GuardedController {
    me(username) {
      return { username };
    }
  }
  nest.common.Get('me')(
    GuardedController.prototype,
    'me',
    Object.getOwnPropertyDescriptor(GuardedController.prototype, 'me'),
  );
  lib.CognitoUser('username')(GuardedController.prototype, 'me', 0);
  nest.common.Controller()(GuardedController);
  const createApp = async (Adapter, options = {}) => {
    class AppModule {}
    nest.common.Module({
      controllers: [GuardedController],
      imports: [
        lib.CognitoModule.forRoot({ region: 'eu-west-1', endpoint, userPoolId, clientId, authGuard: true, ...options }),
      ],
    })(AppModule);
    return nest.core.NestFactory.create(AppModule, new Adapter(), { logger: false });
  };
  const jwksFetches = async () => Number(await (await fetch(`${endpoint}/jwks-fetches/${userPoolId}`)).text());

  console.log(`${label}: ${scenario}`);
  if (esmLoads !== undefined) {
    await check('the loader hooks are live: they saw the package and @nestjs/core load', async () => {
      const loaded = await esmLoads.settledLoads();
      assert.ok(loaded.includes(urls.lib), `no ${urls.lib} among ${loaded.length} URLs`);
      assert.ok(loaded.includes(urls.nest), `no ${urls.nest} among ${loaded.length} URLs`);
    });
  }
  if (scenario === 'guard-only') {
    const adapters = [
      ['express', nest.express.ExpressAdapter],
      ['fastify', nest.fastify.FastifyAdapter],
    ];
    for (const [index, [adapter, Adapter]] of adapters.entries()) {
      const app = await createApp(Adapter);
      try {
        await app.init();
        await check(`${adapter}: app.init() warms the JWKS up and loads no module of the AWS SDK`, async () => {
          assert.equal(await jwksFetches(), index + 1, 'the JWKS fetches of this pool so far');
          await assertNoSdkModule();
        });
        await check(`${adapter}: nor any part that only other options use (endpoints, sharedRefresh)`, () =>
          assertNoOptionalPart(),
        );
        await app.listen(0, '127.0.0.1');
        const url = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/me`;
        await check(
          `${adapter}: the guarded route answers 200 and 401 (a bad token), loading no SDK module`,
          async () => {
            const valid = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
            assert.equal(valid.status, 200);
            assert.deepEqual(await valid.json(), { username: USERNAME });
            const bad = await fetch(url, { headers: { authorization: 'Bearer not.a.token' } });
            assert.equal(bad.status, 401);
            await assertNoSdkModule();
          },
        );
        if (index === adapters.length - 1) {
          await check(`${adapter}: the control: the app's first service call loads the SDK`, async () => {
            const service = app.get(lib.CognitoSyncService);
            await assertNoSdkModule();
            // run.cjs's server answers 400 to any Cognito call: the call fails, the SDK is loaded.
            await assert.rejects(service.findUser('cold-start-user'));
            await assertSdkLoaded();
          });
        }
      } finally {
        await app.close();
      }
      if (index === 0) {
        await check(
          `${adapter}: app.close() loads no SDK module (a client never created is not created to be destroyed)`,
          () => assertNoSdkModule(),
        );
      }
    }
  } else {
    const option = {
      'refresh-endpoint': {
        authController: true,
        sharedRefresh: { store: UNCONNECTED_STORE },
        session: { secret: 'a-cold-start-session-secret-of-32-characters' },
      },
      'revocation-check': { revocationCheck: true },
    }[scenario];
    assert.ok(option, `unknown scenario ${scenario}`);
    const named = Object.keys(option).join(' and ');
    const app = await createApp(nest.express.ExpressAdapter, option);
    try {
      await app.init();
      await check(`the control: with ${named}, app.init() loads the SDK`, () => assertSdkLoaded());
      if (option.authController) {
        await check(`the control: with ${named}, app.init() has loaded every one of the OPTIONAL_PARTS`, () =>
          assertEveryOptionalPart(),
        );
      } else {
        await check(`with ${named}, app.init() loads none of the OPTIONAL_PARTS`, () => assertNoOptionalPart());
      }
      if (esmLoads !== undefined) {
        // The package requires the SDK, which the hooks do not see on Node 20: this shows they would see an import.
        await check('the control: the loader hooks see the SDK when ESM imports it', async () => {
          await import('@aws-sdk/client-cognito-identity-provider');
          const imported = (await esmLoads.settledLoads()).filter((url) => SDK_MODULE.test(url));
          assert.ok(imported.length > 0, 'the hooks saw no URL of the SDK');
        });
      }
    } finally {
      await app.close();
    }
  }
  console.log(`${label}, ${scenario}: ${results.passed} passed, ${results.failed} failed`);
  process.exit(results.failed === 0 && results.passed > 0 ? 0 : 1);
}

module.exports = { USERNAME, runColdStart };
