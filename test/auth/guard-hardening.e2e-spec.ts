// CognitoAuthGuard under hostile tokens, on Express and Fastify: forged issuers,
// made-up kids, tokens without exp, a key rotation right after a probe (JWKS
// servers this suite controls); and the revocation check's answers (Cognito's
// errors faked at the SDK boundary, not by the emulator).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PasswordResetRequiredException, UserNotConfirmedException } from '@aws-sdk/client-cognito-identity-provider';
import { Controller, Get, HttpException, type INestApplication } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import {
  COGNITO_CLIENT,
  CognitoAuthGuard,
  CognitoModule,
  type CognitoModuleOptions,
  CognitoTokenVerifier,
  CognitoUser,
} from '../../src';
import { ADAPTERS, bearer, createApp, http } from '../support/bootstrap';
import { JwksServer, TestSigner } from '../support/jwks-server';
import { rememberSecrets } from '../support/secrets';
import { type CognitoTarget, localTarget } from '../support/target';

@Controller('guarded')
class GuardedController {
  @Get('me')
  me(@CognitoUser('username') username: string) {
    return { username };
  }
}

setFlagsFromString('--expose-gc');
/** A full garbage collection, for a heap measure that is not just garbage. */
const gc = (globalThis.gc ?? runInNewContext('gc')) as () => void;

const appWith = (adapter: (typeof ADAPTERS)[number], options: CognitoModuleOptions) =>
  createApp(adapter, {
    imports: [CognitoModule.forRoot({ ...options, authGuard: true })],
    controllers: [GuardedController],
  });
const now = () => Math.floor(Date.now() / 1000);
/** How long the JWKS is not fetched again after it lacked a token's kid (aws-jwt-verify's 10 s). */
const JWKS_PENALTY_MS = 10_000;
const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The sizes of every structure the verifier keeps per token, issuer, kid or JWKS URI. */
function internals(app: INestApplication) {
  const verifier = app.get(CognitoTokenVerifier) as unknown as {
    verifier: {
      publicKeyCache: { publicKeys: Map<string, Map<string, unknown>> };
      jwksCache: {
        jwksCache: Map<string, unknown>;
        fetchingJwks: Map<string, unknown>;
        penaltyBox: { size?: number; waitingUris?: Map<string, unknown> };
      };
    };
    verified: { size: number };
  };
  const { publicKeyCache, jwksCache } = verifier.verifier;
  return {
    keyIssuers: publicKeyCache.publicKeys.size,
    keys: [...publicKeyCache.publicKeys.values()].reduce((sum, kids) => sum + kids.size, 0),
    jwksUris: jwksCache.jwksCache.size,
    fetching: jwksCache.fetchingJwks.size,
    penalties: jwksCache.penaltyBox.size ?? jwksCache.penaltyBox.waitingUris!.size,
    verifiedTokens: verifier.verified.size,
  };
}

/**
 * Sends `tokens` to the guarded route, `concurrency` at a time, over kept-alive
 * connections to the listening app (supertest would listen anew for each
 * request); the statuses, in order.
 */
async function sendAll(app: INestApplication, tokens: string[], concurrency = 100): Promise<number[]> {
  const url = `${await app.getUrl()}/guarded/me`.replace('[::1]', '127.0.0.1');
  const statuses: number[] = [];
  for (let i = 0; i < tokens.length; i += concurrency) {
    const answers = await Promise.all(
      tokens.slice(i, i + concurrency).map(async (token) => {
        const res = await fetch(url, { headers: bearer(token) });
        await res.arrayBuffer();
        return res.status;
      }),
    );
    statuses.push(...answers);
  }
  return statuses;
}

/**
 * The status the app's guard gives `token` on GuardedController's route, called
 * directly: HTTP keeps nothing per token, and costs 1 to 3 ms per request here.
 */
function guardStatus(app: INestApplication): (token: string) => Promise<number> {
  const guard = new CognitoAuthGuard(app.get(Reflector), app.get(CognitoTokenVerifier));
  return (token) => {
    const request = { headers: { authorization: `Bearer ${token}` } };
    const context = new ExecutionContextHost([request, {}], GuardedController, GuardedController.prototype.me);
    return Promise.resolve(guard.canActivate(context)).then(
      () => 200,
      (error: unknown) => (error instanceof HttpException ? error.getStatus() : 500),
    );
  };
}

describe('CognitoAuthGuard under hostile tokens', () => {
  let target: CognitoTarget;
  beforeAll(async () => {
    target = await localTarget();
  });

  describe.each(ADAPTERS)('on %s', (adapter) => {
    describe('with tokens this suite signs, and a JWKS server it controls', () => {
      const issuer = 'http://issuer.test/local_TestPool';
      const accessClaims = () => ({
        iss: issuer,
        sub: 'user-sub',
        username: 'user-name',
        client_id: target.options.clientId,
        token_use: 'access',
        iat: now() - 60,
        exp: now() + 3600,
      });
      let signer: TestSigner;
      let jwks: JwksServer;
      let app: INestApplication;
      const signed = (claims: Record<string, unknown>, by = signer, kid?: string) => {
        const token = by.sign(claims, kid);
        rememberSecrets(token);
        return token;
      };
      // A fresh app and JWKS server per case: the penalty box and the published keys are state.
      beforeEach(async () => {
        signer = new TestSigner();
        jwks = await new JwksServer(signer).start();
        app = await appWith(adapter, { ...target.options, jwt: { issuer, jwksUri: jwks.uri } });
        await app.listen(0, '127.0.0.1');
      });
      afterEach(async () => {
        await app.close();
        await jwks.stop();
      });

      it(
        "refuses 5,000 tokens with the pool's kid and distinct forged 10 KB issuers (401), and keeps its key " +
          'caches and heap flat',
        async () => {
          const valid = signed(accessClaims());
          await http(app).get('/guarded/me').set(bearer(valid)).expect(200);
          const before = internals(app);
          expect(before).toEqual({ keyIssuers: 1, keys: 1, jwksUris: 1, fetching: 0, penalties: 0, verifiedTokens: 1 });
          const padding = 'x'.repeat(10_000);
          // Unsigned forgeries: aws-jwt-verify cached a key per `iss` before it checked the signature.
          const forged = Array.from(
            { length: 5000 },
            (_, i) =>
              `${part({ alg: 'RS256', typ: 'JWT', kid: signer.kid })}.` +
              `${part({ ...accessClaims(), iss: `http://forged.test/${padding}${i}` })}.c2ln`,
          );
          rememberSecrets(forged[0]);
          // Over HTTP, a few hundred; then all of them through the app's guard, directly.
          expect(await sendAll(app, forged.slice(0, 300))).toEqual(Array(300).fill(401));
          expect((await http(app).get('/guarded/me').set(bearer(forged[4999])).expect(401)).body.code).toBe(
            'TokenInvalid',
          );
          expect(internals(app)).toEqual(before);
          const status = guardStatus(app);
          gc();
          const heapBefore = process.memoryUsage().heapUsed;
          const statuses: number[] = [];
          for (const token of forged) statuses.push(await status(token));
          gc();
          const growth = process.memoryUsage().heapUsed - heapBefore;
          expect(statuses).toEqual(Array(5000).fill(401));
          expect(internals(app)).toEqual(before);
          // 5,000 forged issuers kept would be over 50 MB.
          expect(growth).toBeLessThan(20 * 1024 * 1024);
          expect(jwks.fetches).toBe(1);
          await http(app).get('/guarded/me').set(bearer(valid)).expect(200);
        },
      );

      it('refuses 1,000 made-up kids of the right issuer with one JWKS fetch, and keeps no state per kid', async () => {
        const before = internals(app);
        // Unsigned: a kid is looked up before any signature check.
        const probes = Array.from(
          { length: 1000 },
          (_, i) => `${part({ alg: 'RS256', typ: 'JWT', kid: `made-up-${i}` })}.${part(accessClaims())}.c2ln`,
        );
        rememberSecrets(probes[0]);
        const statuses = [
          ...(await sendAll(app, probes.slice(0, 200))),
          ...(await Promise.all(probes.slice(200).map(guardStatus(app)))),
        ];
        // A kid missing from the freshly fetched JWKS is 401; the ones that arrive while
        // the JWKS may not be fetched again are 503 (a key rotation looks the same).
        expect(statuses[0]).toBe(401);
        expect(statuses.every((status) => status === 401 || status === 503)).toBe(true);
        expect(jwks.fetches).toBe(2);
        expect(internals(app)).toEqual({ ...before, penalties: 1 });
      });

      it(
        'answers 503 with Retry-After, not 401, for a key published right after an unknown-kid probe, and 200 ' +
          'once the back-off ends',
        async () => {
          const probe = await http(app)
            .get('/guarded/me')
            .set(bearer(signed(accessClaims(), signer, 'made-up-kid')))
            .expect(401);
          expect(probe.body.code).toBe('TokenInvalid');
          expect(jwks.fetches).toBe(2);
          const rotated = new TestSigner('rotated-key');
          jwks.publish(rotated);
          const token = signed(accessClaims(), rotated);
          const start = Date.now();
          const res = await http(app).get('/guarded/me').set(bearer(token)).expect(503);
          expect(res.body).toEqual({
            statusCode: 503,
            error: 'Service Unavailable',
            message: expect.stringContaining('keep your credentials'),
            code: 'JwksUnavailable',
          });
          expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
          expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(JWKS_PENALTY_MS / 1000);
          expect(jwks.fetches).toBe(2);
          const clock = jest.spyOn(Date, 'now').mockReturnValue(start + JWKS_PENALTY_MS);
          try {
            await http(app).get('/guarded/me').set(bearer(token)).expect(200, { username: 'user-name' });
          } finally {
            clock.mockRestore();
          }
          expect(jwks.fetches).toBe(3);
        },
      );

      it('answers 401 TokenInvalid for a well-signed token without exp', async () => {
        const { exp: _exp, ...claims } = accessClaims();
        const res = await http(app)
          .get('/guarded/me')
          .set(bearer(signed(claims)))
          .expect(401);
        expect(res.body).toEqual({
          statusCode: 401,
          error: 'Unauthorized',
          message: 'The token has no expiry',
          code: 'TokenInvalid',
        });
      });
    });

    describe("with revocationCheck (Cognito's answers faked at the SDK boundary, not by the emulator)", () => {
      it.each([
        [
          'PasswordResetRequiredException',
          () => new PasswordResetRequiredException({ message: 'Password reset required for the user', $metadata: {} }),
        ],
        [
          'UserNotConfirmedException',
          () => new UserNotConfirmedException({ message: 'User is not confirmed.', $metadata: {} }),
        ],
      ])(
        'answers 401 TokenRevoked, not 503, when GetUser answers %s (the user must sign in again)',
        async (_name, error) => {
          const app = await appWith(adapter, { ...target.options, revocationCheck: { cacheSeconds: 0 } });
          const send = jest.spyOn(app.get(COGNITO_CLIENT), 'send');
          try {
            await http(app).get('/guarded/me').set(bearer(target.user.accessToken)).expect(200);
            send.mockRejectedValueOnce(error() as never);
            const res = await http(app).get('/guarded/me').set(bearer(target.user.accessToken)).expect(401);
            expect(res.body).toEqual({
              statusCode: 401,
              error: 'Unauthorized',
              message: expect.any(String),
              code: 'TokenRevoked',
            });
            expect(send.mock.calls.map(([command]) => (command as object).constructor.name)).toEqual([
              'GetUserCommand',
              'GetUserCommand',
            ]);
          } finally {
            await app.close();
          }
        },
      );
    });
  });
});
