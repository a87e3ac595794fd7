// The refresh route behind @nestjs/throttler (as the README shows it): 429 after
// the limit, before any Cognito call; and docs/sessions.md's per-account sign-in
// throttler. Wire-level stand-in, not cognito-local.
import type { INestApplication } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { COGNITO_CLIENT, CognitoModule } from '../../src';
import { ADAPTERS, createApp, http } from '../support/bootstrap';
import { CognitoStandIn, replyError, standInOptions } from '../support/cognito-stand-in';

describe.each(ADAPTERS)(
  'refresh route behind @nestjs/throttler (wire-level stand-in, not cognito-local), on %s',
  (adapter) => {
    let standIn: CognitoStandIn;
    let app: INestApplication;
    beforeAll(async () => {
      standIn = await new CognitoStandIn().start();
      app = await createApp(adapter, {
        imports: [
          ThrottlerModule.forRoot([{ ttl: 60_000, limit: 3 }]),
          CognitoModule.forRoot({
            ...standInOptions(standIn),
            refreshController: true,
          }),
        ],
        providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
      });
    });
    afterAll(async () => {
      await app.close();
      await standIn.stop();
    });

    it('answers 200 up to the limit, then 429 without calling Cognito', async () => {
      const send = jest.spyOn(app.get(COGNITO_CLIENT), 'send');
      for (let i = 0; i < 3; i++) await http(app).post('/auth/refresh').send({ refreshToken: 'a.b.c' }).expect(200);
      const res = await http(app).post('/auth/refresh').send({ refreshToken: 'a.b.c' }).expect(429);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(send).toHaveBeenCalledTimes(3);
      expect(standIn.requests).toHaveLength(3);
    });
  },
);

// docs/sessions.md's recipe for a pool that signs in by email: the sign-in throttler keyed on the
// lower-cased email, every other spelling (the internal username) in one shared key, so that a
// second spelling of an account adds no budget of its own. Wire-level stand-in, not cognito-local.
interface SignInRequest {
  url: string;
  body?: { username?: unknown };
}
function accountKey(request: SignInRequest): string {
  const name = String(request.body?.username).trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+$/.test(name) ? `email:${name}` : 'not-an-email';
}
const isSignIn = (request: SignInRequest) => /\/sign-in(\?|$)/.test(request.url);

describe.each(ADAPTERS)(
  "sign-in behind docs/sessions.md's per-account throttler (wire-level stand-in, not cognito-local), on %s",
  (adapter) => {
    let standIn: CognitoStandIn;
    let app: INestApplication;
    beforeAll(async () => {
      standIn = await new CognitoStandIn((_request, res) =>
        replyError(res, 'NotAuthorizedException', 'Incorrect username or password.'),
      ).start();
      app = await createApp(adapter, {
        imports: [
          ThrottlerModule.forRoot([
            {
              name: 'account',
              ttl: 60_000,
              limit: 2,
              getTracker: (req) => accountKey(req as SignInRequest),
              skipIf: (context) => !isSignIn(context.switchToHttp().getRequest<SignInRequest>()),
            },
          ]),
          CognitoModule.forRoot({ ...standInOptions(standIn), authController: true }),
        ],
        providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
      });
    });
    afterAll(async () => {
      await app.close();
      await standIn.stop();
    });

    it(
      'counts an email whatever its case, and gives the internal usernames one budget in all, not one per ' + 'account',
      async () => {
        const attempt = (username: string) =>
          http(app).post('/auth/sign-in').send({ username, password: 'Wrong-passw0rd!' });
        await attempt('Victim@Example.com').expect(401);
        await attempt(' victim@example.com').expect(401);
        expect((await attempt('VICTIM@example.com').expect(429)).headers['retry-after-account']).toMatch(/^\d+$/);
        await attempt('5b2e0c1a-0000-4000-8000-00000000a11c').expect(401);
        await attempt('5b2e0c1a-0000-4000-8000-00000000a11c').expect(401);
        // Another account's internal username: the same shared budget, already spent.
        await attempt('5b2e0c1a-0000-4000-8000-0000000000b0').expect(429);
        await attempt('someone-else@example.com').expect(401);
        expect(standIn.requests).toHaveLength(5);
      },
    );

    it('does not throttle the other routes by account', async () => {
      for (let i = 0; i < 3; i++) await http(app).post('/auth/sign-out').send({ refreshToken: 'a.b.c' }).expect(204);
    });
  },
);
