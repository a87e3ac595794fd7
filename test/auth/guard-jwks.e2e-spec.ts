// CognitoAuthGuard's keys and revocation, on Express and Fastify: JWKS servers this
// suite controls (named so below) where it must count fetches or go down, the test
// kit where it must sign expired or wrong tokens; cognito-local for the tokens, GetUser
// and the rest.
import { AdminDeleteUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { COGNITO_CLIENT, CognitoModule, type CognitoModuleOptions, CognitoTokenVerifier, CognitoUser } from '../../src';
import { type CognitoTestClaims, type CognitoTestKit, createCognitoTestKit } from '../../src/testing';
import { ADAPTERS, bearer, createApp, http } from '../support/bootstrap';
import { adminClient, createSignedInUser, freePort } from '../support/cognito-local';
import { JwksServer } from '../support/jwks-server';
import { rememberSecrets } from '../support/secrets';
import { type CognitoTarget, localTarget } from '../support/target';

@Controller('guarded')
class GuardedController {
  @Get('me')
  me(@CognitoUser('username') username: string) {
    return { username };
  }
}

const appWith = (adapter: (typeof ADAPTERS)[number], options: CognitoModuleOptions) =>
  createApp(adapter, {
    imports: [CognitoModule.forRoot({ ...options, authGuard: true })],
    controllers: [GuardedController],
  });

describe('CognitoAuthGuard: keys and revocation', () => {
  let target: CognitoTarget;
  beforeAll(async () => {
    target = await localTarget();
  });

  describe.each(ADAPTERS)('on %s', (adapter) => {
    it(
      "fetches cognito-local's JWKS once, at startup, for 100 concurrent requests (counted at a relay this " +
        'suite controls)',
      async () => {
        const relay = await new JwksServer(
          `${target.options.endpoint}/${target.options.userPoolId}/.well-known/jwks.json`,
        ).start();
        const app = await appWith(adapter, { ...target.options, jwt: { jwksUri: relay.uri } });
        try {
          expect(relay.fetches).toBe(1); // before the first request
          const answers = await Promise.all(
            Array.from({ length: 100 }, () => http(app).get('/guarded/me').set(bearer(target.user.accessToken))),
          );
          expect(answers.map((res) => res.status)).toEqual(Array(100).fill(200));
          expect(relay.fetches).toBe(1);
        } finally {
          await app.close();
          await relay.stop();
        }
      },
    );

    it(
      'merges the JWKS fetches of concurrent first requests into one when startup could not fetch it (JWKS ' +
        'server this suite controls)',
      async () => {
        const port = await freePort();
        const relayTo = `${target.options.endpoint}/${target.options.userPoolId}/.well-known/jwks.json`;
        const relay = new JwksServer(relayTo);
        // Startup fetch fails (nothing listens yet); the app still starts.
        const app = await appWith(adapter, {
          ...target.options,
          jwt: { jwksUri: `http://127.0.0.1:${port}/.well-known/jwks.json` },
        });
        try {
          await relay.start(port);
          const answers = await Promise.all(
            Array.from({ length: 20 }, () => http(app).get('/guarded/me').set(bearer(target.user.accessToken))),
          );
          expect(answers.map((res) => res.status)).toEqual(Array(20).fill(200));
          expect(relay.fetches).toBe(1);
        } finally {
          await app.close();
          await relay.stop();
        }
      },
    );

    it(
      'answers 503 JwksUnavailable, not 401, when the JWKS ' + 'is down and nothing is cached; the app still starts',
      async () => {
        const closedPort = await freePort();
        const app = await appWith(adapter, {
          ...target.options,
          jwt: { jwksUri: `http://127.0.0.1:${closedPort}/.well-known/jwks.json` },
        });
        try {
          const res = await http(app).get('/guarded/me').set(bearer(target.user.accessToken)).expect(503);
          expect(res.body).toEqual({
            statusCode: 503,
            error: 'Service Unavailable',
            message: expect.any(String),
            code: 'JwksUnavailable',
          });
          // A token that cannot be parsed is still the caller's fault.
          await http(app).get('/guarded/me').set(bearer('not-a-jwt')).expect(401);
          await http(app).get('/guarded/me').expect(401);
        } finally {
          await app.close();
        }
      },
    );

    it(
      "after a request's JWKS fetch failed, fetches nothing for 10 s (503 JwksUnavailable with Retry-After), then " +
        'once again (JWKS server this suite controls, started right after the failure)',
      async () => {
        const port = await freePort();
        const relay = new JwksServer(`${target.options.endpoint}/${target.options.userPoolId}/.well-known/jwks.json`);
        // The startup fetch fails too, and starts no back-off: the first request fetches for itself.
        const app = await appWith(adapter, {
          ...target.options,
          jwt: { jwksUri: `http://127.0.0.1:${port}/.well-known/jwks.json` },
        });
        const ask = () => http(app).get('/guarded/me').set(bearer(target.user.accessToken));
        try {
          const failed = await ask().expect(503);
          expect(failed.body.code).toBe('JwksUnavailable');
          expect(failed.headers['retry-after']).toBe('10');
          const failedAt = Date.now();
          await relay.start(port);
          const waiting = await ask().expect(503);
          expect(waiting.body.code).toBe('JwksUnavailable');
          expect(Number(waiting.headers['retry-after'])).toBeGreaterThanOrEqual(1);
          expect(relay.fetches).toBe(0);
          const clock = jest.spyOn(Date, 'now').mockReturnValue(failedAt + 10_000);
          try {
            await ask().expect(200, { username: target.user.username });
          } finally {
            clock.mockRestore();
          }
          expect(relay.fetches).toBe(1);
        } finally {
          await app.close();
          await relay.stop();
        }
      },
    );

    describe('with tokens the test kit signs (nestjs-cognito-sync/testing), from a JWKS it serves', () => {
      let kit: CognitoTestKit;
      let app: INestApplication;
      const now = () => Math.floor(Date.now() / 1000);
      const signed = (claims: CognitoTestClaims = {}) => {
        const token = kit.accessToken({ username: 'user-name', ...claims });
        rememberSecrets(token);
        return token;
      };
      beforeAll(async () => {
        kit = await createCognitoTestKit({ clientId: target.options.clientId });
        app = await appWith(adapter, { ...target.options, jwt: kit.moduleOptions.jwt });
      });
      afterAll(async () => {
        await app.close();
        await kit.close();
      });

      it('accepts a valid token (so the refusals below are about what they change)', async () => {
        await http(app).get('/guarded/me').set(bearer(signed())).expect(200, { username: 'user-name' });
      });

      it("checks a token's signature once, then answers it from a cache that ends at its exp", async () => {
        const inner = (
          app.get(CognitoTokenVerifier) as unknown as { verifier: { verify(token: string): Promise<unknown> } }
        ).verifier;
        const verify = jest.spyOn(inner, 'verify');
        const exp = now() + 60;
        const token = signed({ exp });
        try {
          for (let i = 0; i < 5; i++) await http(app).get('/guarded/me').set(bearer(token)).expect(200);
          expect(verify).toHaveBeenCalledTimes(1);
          // One second past exp (as aws-jwt-verify counts it): the cache lets go and the token is refused.
          const clock = jest.spyOn(Date, 'now').mockReturnValue((exp + 1) * 1000);
          try {
            expect((await http(app).get('/guarded/me').set(bearer(token)).expect(401)).body.code).toBe('TokenExpired');
          } finally {
            clock.mockRestore();
          }
          expect(verify).toHaveBeenCalledTimes(2);
        } finally {
          verify.mockRestore();
        }
      });

      it('answers 401 TokenExpired for an expired token', async () => {
        const res = await http(app)
          .get('/guarded/me')
          .set(bearer(signed({ expiresIn: -3600 })))
          .expect(401);
        expect(res.body).toEqual({
          statusCode: 401,
          error: 'Unauthorized',
          message: 'The token has expired',
          code: 'TokenExpired',
        });
      });

      it.each([
        ['another issuer', { iss: 'http://issuer.test/local_Other' }],
        ['another app client', { clientId: 'another-client' }],
        ['no token_use', { token_use: undefined }],
      ])('answers 401 TokenInvalid for a token of %s', async (_case, change) => {
        const res = await http(app)
          .get('/guarded/me')
          .set(bearer(signed(change)))
          .expect(401);
        expect(res.body.code).toBe('TokenInvalid');
      });
    });

    describe('with revocationCheck', () => {
      it('refuses the token of a deleted user at once (cacheSeconds: 0: GetUser on every request)', async () => {
        const user = await createSignedInUser(target.options as never, `revoked-${adapter}@example.com`);
        rememberSecrets(user.accessToken, user.idToken, user.refreshToken);
        const app = await appWith(adapter, { ...target.options, revocationCheck: { cacheSeconds: 0 } });
        const cognito = adminClient(target.options.endpoint!);
        try {
          await http(app).get('/guarded/me').set(bearer(user.accessToken)).expect(200);
          await cognito.send(
            new AdminDeleteUserCommand({ UserPoolId: target.options.userPoolId, Username: user.username }),
          );
          const res = await http(app).get('/guarded/me').set(bearer(user.accessToken)).expect(401);
          expect(res.body.code).toBe('TokenRevoked');
        } finally {
          cognito.destroy();
          await app.close();
        }
      });

      it('asks Cognito once per token and cache period, even for concurrent requests', async () => {
        const app = await appWith(adapter, { ...target.options, revocationCheck: true });
        const send = jest.spyOn(app.get(COGNITO_CLIENT), 'send');
        try {
          const answers = await Promise.all(
            Array.from({ length: 10 }, () => http(app).get('/guarded/me').set(bearer(target.user.accessToken))),
          );
          expect(answers.map((res) => res.status)).toEqual(Array(10).fill(200));
          expect(send.mock.calls.map(([command]) => (command as object).constructor.name)).toEqual(['GetUserCommand']);
        } finally {
          await app.close();
        }
      });
    });
  });
});
