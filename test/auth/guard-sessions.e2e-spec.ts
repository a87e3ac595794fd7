// CognitoAuthGuard with server-side sessions, with a stand-in session authenticator (the guard's
// contract, src/auth/session-authenticator.ts) that answers real access tokens of cognito-local,
// on Express and Fastify.
import { createHash } from 'node:crypto';
import { AdminAddUserToGroupCommand, CreateGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Controller, Get, type INestApplication, Post } from '@nestjs/common';
import { CognitoAccessToken, type CognitoClaims, CognitoGroups, CognitoModule, CognitoUser, Public } from '../../src';
import { ADAPTERS, bearer, createApp, http } from '../support/bootstrap';
import { adminClient, createSignedInUser } from '../support/cognito-local';
import { rememberSecrets } from '../support/secrets';
import { sessionCookie, StandInSessions, StandInSessionsModule } from '../support/session-stand-in';
import { type CognitoTarget, localTarget, signIn } from '../support/target';

/** A token is never answered: its fingerprint is. */
const fingerprint = (token: string | undefined) =>
  token === undefined ? null : createHash('sha256').update(token).digest('base64url');

@Controller('session')
class SessionRoutesController {
  @Get('me')
  me(@CognitoUser('username') username: string, @CognitoAccessToken() accessToken: string) {
    return { username, token: fingerprint(accessToken) };
  }

  @Post('me')
  change(@CognitoUser('username') username: string) {
    return { username };
  }

  @CognitoGroups('Admins')
  @Get('admin')
  admin(@CognitoUser('username') username: string) {
    return { admin: username };
  }

  @Public()
  @Get('open')
  open(@CognitoUser() user: CognitoClaims | undefined, @CognitoAccessToken() accessToken: string | undefined) {
    return { user: user?.username ?? null, token: fingerprint(accessToken) };
  }
}

const refusal = (statusCode: number, error: string, code: string) => ({
  statusCode,
  error,
  message: expect.any(String),
  code,
});

describe('CognitoAuthGuard with a stand-in session authenticator and cognito-local’s tokens', () => {
  let target: CognitoTarget;
  let admin: { username: string; accessToken: string };
  beforeAll(async () => {
    target = await localTarget();
    const cognito = adminClient(target.options.endpoint!);
    try {
      await cognito.send(new CreateGroupCommand({ UserPoolId: target.options.userPoolId, GroupName: 'Admins' }));
      const user = await createSignedInUser(target.options as never, 'session-admin@example.com');
      rememberSecrets(user.accessToken, user.idToken, user.refreshToken);
      await cognito.send(
        new AdminAddUserToGroupCommand({
          UserPoolId: target.options.userPoolId,
          Username: user.username,
          GroupName: 'Admins',
        }),
      );
      const accessToken = await signIn(target, 'session-admin@example.com', user.password);
      rememberSecrets(accessToken);
      admin = { username: user.username, accessToken };
    } finally {
      cognito.destroy();
    }
  });

  describe.each(ADAPTERS)('on %s', (adapter) => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await createApp(adapter, {
        imports: [CognitoModule.forRoot({ ...target.options, authGuard: true }), StandInSessionsModule],
        controllers: [SessionRoutesController],
      });
      const sessions = app.get(StandInSessions);
      sessions.start('ann', target.user.accessToken);
      sessions.start('admin', admin.accessToken);
    });
    afterAll(() => app.close());

    it('lets a request through by its session; @CognitoUser(), @CognitoAccessToken() as with a bearer', async () => {
      const res = await http(app).get('/session/me').set(sessionCookie('ann')).expect(200);
      expect(res.body).toEqual({ username: target.user.username, token: fingerprint(target.user.accessToken) });
      // Again, from the verifier's cache: the same answer.
      expect((await http(app).get('/session/me').set(sessionCookie('ann')).expect(200)).body).toEqual(res.body);
    });

    it('checks the route’s groups on the session’s token', async () => {
      expect((await http(app).get('/session/admin').set(sessionCookie('ann')).expect(403)).body).toEqual(
        refusal(403, 'Forbidden', 'GroupRequired'),
      );
      const res = await http(app).get('/session/admin').set(sessionCookie('admin')).expect(200);
      expect(res.body).toEqual({ admin: admin.username });
    });

    it('takes a bearer token over the session cookie beside it, and never falls back to the session', async () => {
      const res = await http(app).get('/session/me').set(sessionCookie('ann')).set(bearer(admin.accessToken));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ username: admin.username, token: fingerprint(admin.accessToken) });
      const bad = await http(app).get('/session/me').set(sessionCookie('ann')).set(bearer('a.b.c')).expect(401);
      expect(bad.body).toEqual(refusal(401, 'Unauthorized', 'TokenInvalid'));
    });

    it.each([
      ['an unknown session', 'forged', 401, 'Unauthorized', 'SessionInvalid'],
      ['an ended session', 'expired', 401, 'Unauthorized', 'SessionExpired'],
      ['the session store down', 'store-down', 503, 'Service Unavailable', 'SessionStoreUnavailable'],
    ])("refuses %s with the authenticator's refusal", async (_case, id, status, error, code) => {
      const res = await http(app).get('/session/me').set(sessionCookie(id)).expect(status);
      expect(res.body).toEqual(refusal(status, error, code));
      if (status === 503) expect(res.headers['retry-after']).toBe('3');
    });

    it('refuses an unsafe method without the CSRF header (403 CsrfCheckFailed), passes it with one', async () => {
      const res = await http(app).post('/session/me').set(sessionCookie('ann')).expect(403);
      expect(res.body).toEqual(refusal(403, 'Forbidden', 'CsrfCheckFailed'));
      await http(app)
        .post('/session/me')
        .set(sessionCookie('ann'))
        .set('X-Requested-With', 'fetch')
        .expect(201, { username: target.user.username });
    });

    it('answers 401 TokenMissing with neither a token nor a session cookie', async () => {
      const res = await http(app).get('/session/me').expect(401);
      expect(res.body).toEqual(refusal(401, 'Unauthorized', 'TokenMissing'));
    });

    it('fills a public route’s user from a session; a refused one (503 included) leaves it anonymous', async () => {
      const signedIn = await http(app).get('/session/open').set(sessionCookie('ann')).expect(200);
      expect(signedIn.body).toEqual({ user: target.user.username, token: fingerprint(target.user.accessToken) });
      for (const id of ['forged', 'expired', 'store-down'])
        await http(app).get('/session/open').set(sessionCookie(id)).expect(200, { user: null, token: null });
      await http(app).get('/session/open').expect(200, { user: null, token: null });
    });
  });
});
