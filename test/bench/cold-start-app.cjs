// One app of the cold-start row, started as a fresh process by cold-start.cjs for each run:
// a NestJS 11 app on Express whose GET /guarded sits behind an app-wide guard that verifies
// access tokens against the stand-in's JWKS, fetched at boot (before the app listens).
// argv: kind, the port to listen on, the stand-in's endpoint.
//   hand      a guard written by hand on aws-jwt-verify (what an app without this module has)
//   guard     this package as a user requires it (its exports map, built dist/): authGuard only
//   refresh   the same with the refresh endpoint (refreshController: true: an SDK client at boot)
// It measures nothing itself: the harness times it from outside and reads its peak RSS.
'use strict';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
require('reflect-metadata');
const { Controller, Get, Injectable, Module, UnauthorizedException } = require('@nestjs/common');
const { APP_GUARD, NestFactory } = require('@nestjs/core');
const { ExpressAdapter } = require('@nestjs/platform-express');
const { CLIENT_ID, USER_POOL_ID } = require('./access-token.cjs');

const [kind, port, endpoint] = process.argv.slice(2);

class RoutesController {
  guarded() {
    return { ok: true };
  }
}
Get('guarded')(
  RoutesController.prototype,
  'guarded',
  Object.getOwnPropertyDescriptor(RoutesController.prototype, 'guarded'),
);
Controller()(RoutesController);

/**
 * What a user writes without the module: aws-jwt-verify's verifier for the pool's issuer (an
 * endpoint-derived one, as the module derives it), the checks of Cognito's access tokens
 * (token_use, client_id), the JWKS fetched at boot. aws-jwt-verify's own fetcher takes only
 * https:, so the stand-in's http: JWKS is fetched with Node's fetch, as the module fetches it
 * (on https: both use aws-jwt-verify's fetcher): both pay the same fetch.
 */
function handWrittenGuard() {
  const { JwtVerifier } = require('aws-jwt-verify');
  const { SimpleJwksCache } = require('aws-jwt-verify/jwk');
  const issuer = `${endpoint}/${USER_POOL_ID}`;
  const fetcher = {
    fetch: async (uri) => {
      const response = await fetch(uri, { signal: AbortSignal.timeout(3000) });
      if (response.status !== 200) throw new Error(`JWKS: status ${response.status}`);
      return response.arrayBuffer();
    },
  };
  const verifier = JwtVerifier.create(
    {
      issuer,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      audience: null,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== 'access' || payload.client_id !== CLIENT_ID) throw new Error('not this client');
      },
    },
    { jwksCache: new SimpleJwksCache({ fetcher }) },
  );
  class HandWrittenGuard {
    onApplicationBootstrap() {
      return verifier.hydrate();
    }
    async canActivate(context) {
      const request = context.switchToHttp().getRequest();
      const [scheme, token] = (request.headers.authorization ?? '').split(' ');
      if (scheme !== 'Bearer' || !token) throw new UnauthorizedException();
      try {
        request.user = await verifier.verify(token);
      } catch {
        throw new UnauthorizedException();
      }
      return true;
    }
  }
  Injectable()(HandWrittenGuard);
  return { providers: [{ provide: APP_GUARD, useClass: HandWrittenGuard }] };
}

/** The module, required by its package name as an app requires it. */
function moduleOf(options) {
  const { CognitoModule } = require('nestjs-cognito-sync');
  return {
    imports: [
      CognitoModule.forRoot({
        region: 'eu-west-1',
        endpoint,
        userPoolId: USER_POOL_ID,
        clientId: CLIENT_ID,
        ...options,
      }),
    ],
  };
}

const apps = {
  hand: handWrittenGuard,
  guard: () => moduleOf({ authGuard: true }),
  // The refresh endpoint's SDK client needs credentials (never used: nothing is refreshed).
  refresh: () =>
    moduleOf({
      authGuard: true,
      refreshController: true,
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    }),
};

async function main() {
  class ColdStartModule {}
  Module({ controllers: [RoutesController], ...apps[kind]() })(ColdStartModule);
  const app = await NestFactory.create(ColdStartModule, new ExpressAdapter(), { logger: false });
  await app.listen(Number(port), '127.0.0.1');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
