// The session endpoints with what an app puts around them, against cognito-local:
// group membership reaching @CognitoGroups through a new sign-in, and sign-in behind
// @nestjs/throttler per IP and per username (as docs/sessions.md shows it).
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CreateGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { COGNITO_CLIENT, CognitoGroups, CognitoModule, CognitoSyncService } from '../../src';
import { ADAPTERS, bearer, createApp, http } from '../support/bootstrap';
import { adminClient } from '../support/cognito-local';
import { type CognitoTarget, localTarget } from '../support/target';

/** The username a request body names (sign-in, challenge), if any: docs/sessions.md's helper. */
function usernameIn(body: unknown): string | undefined {
  const { username } = (body ?? {}) as { username?: unknown };
  return typeof username === 'string' ? username : undefined;
}

@Controller('admins')
class AdminsController {
  @CognitoGroups('Admins')
  @Get()
  list() {
    return { ok: true };
  }
}

describe.each(ADAPTERS)('session endpoints in an app (cognito-local), on %s', (adapter) => {
  let target: CognitoTarget;
  let app: INestApplication;
  let email: string;
  let password: string;
  beforeAll(async () => {
    target = await localTarget();
    ({ email, password } = target.user as unknown as { email: string; password: string });
    await adminClient(target.options.endpoint!).send(
      new CreateGroupCommand({ UserPoolId: target.options.userPoolId, GroupName: 'Admins' }),
    );
    app = await createApp(adapter, {
      imports: [
        ThrottlerModule.forRoot([
          { name: 'ip', ttl: 60_000, limit: 50 },
          {
            name: 'username',
            ttl: 60_000,
            limit: 3,
            getTracker: (req) => String(usernameIn(req.body)).toLowerCase(),
            skipIf: (context) => usernameIn(context.switchToHttp().getRequest<{ body?: unknown }>().body) === undefined,
          },
        ]),
        CognitoModule.forRoot({ ...target.options, authGuard: true, authController: true }),
      ],
      controllers: [AdminsController],
      providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
    });
  });
  afterAll(() => app.close());

  const signIn = async () =>
    (await http(app).post('/auth/sign-in').send({ username: email, password }).expect(200)).body.authenticationResult
      .accessToken as string;

  it(
    'lets a user into a @CognitoGroups route after being added to the group and signing in again, and not ' +
      'after removal',
    async () => {
      const cognito = app.get(CognitoSyncService);
      await http(app)
        .get('/admins')
        .set(bearer(await signIn()))
        .expect(403);
      await cognito.addUserToGroup(target.user.username, 'Admins');
      await http(app)
        .get('/admins')
        .set(bearer(await signIn()))
        .expect(200);
      await cognito.removeUserFromGroup(target.user.username, 'Admins');
      await http(app)
        .get('/admins')
        .set(bearer(await signIn()))
        .expect(403);
    },
  );

  it(
    'throttles sign-in per username: 429 after the limit ' + 'without calling Cognito, other usernames unaffected',
    async () => {
      const send = jest.spyOn(app.get<CognitoIdentityProviderClient>(COGNITO_CLIENT), 'send');
      const attempt = (username: string) =>
        http(app).post('/auth/sign-in').send({ username, password: 'Wrong-passw0rd!' });
      try {
        for (let i = 0; i < 3; i++) await attempt('Victim@example.com').expect(401);
        const calls = send.mock.calls.length;
        const refused = await attempt('victim@example.com').expect(429);
        expect(refused.headers['retry-after-username']).toMatch(/^\d+$/); // a named throttler's header
        expect(send.mock.calls.length).toBe(calls);
        await attempt('someone-else@example.com').expect(401);
      } finally {
        send.mockRestore();
      }
    },
  );
});
