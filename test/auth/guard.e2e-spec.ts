// CognitoAuthGuard over HTTP, on Express and Fastify, against the suite's
// cognito-local: its tokens, its JWKS over plain http, its groups.
import { AdminAddUserToGroupCommand, CreateGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Controller, Get, type INestApplication, UseGuards } from '@nestjs/common';
import { CognitoAuthGuard, type CognitoClaims, CognitoGroups, CognitoModule, CognitoUser, Public } from '../../src';
import { ADAPTERS, bearer, createApp, http } from '../support/bootstrap';
import { adminClient, createSignedInUser } from '../support/cognito-local';
import { TestSigner } from '../support/jwks-server';
import { rememberSecrets } from '../support/secrets';
import { type CognitoTarget, localTarget, signIn } from '../support/target';

@Controller('guarded')
class GuardedController {
  @Get('me')
  me(@CognitoUser() user: CognitoClaims, @CognitoUser('username') username: string) {
    return { username, sub: user.sub, tokenUse: user.token_use };
  }

  @Public()
  @Get('open')
  open(@CognitoUser() user: CognitoClaims | undefined) {
    return { open: true, user: user ?? null };
  }

  @CognitoGroups('Admins', 'Editors')
  @Get('admin')
  admin() {
    return { admin: true };
  }
}

/** No guard of its own: open in an app without `authGuard`. */
@Controller('unguarded')
class UnguardedController {
  @Get()
  get() {
    return { open: true };
  }
}

/** Only routed through the guard by @UseGuards, in an app without `authGuard`. */
@Controller('per-route')
@UseGuards(CognitoAuthGuard)
class PerRouteController {
  @Get()
  get(@CognitoUser('sub') sub: string) {
    return { sub };
  }
}

const unauthorized = (code: string) => ({ statusCode: 401, error: 'Unauthorized', message: expect.any(String), code });

describe('CognitoAuthGuard against cognito-local', () => {
  let target: CognitoTarget;
  let claims: Record<string, unknown>;
  beforeAll(async () => {
    target = await localTarget();
    claims = JSON.parse(Buffer.from(target.user.accessToken.split('.')[1], 'base64url').toString());
    const cognito = adminClient(target.options.endpoint!);
    for (const GroupName of ['Admins', 'admins']) {
      await cognito.send(new CreateGroupCommand({ UserPoolId: target.options.userPoolId, GroupName }));
    }
    cognito.destroy();
  });

  describe.each(ADAPTERS)('on %s', (adapter) => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await createApp(adapter, {
        imports: [CognitoModule.forRoot({ ...target.options, authGuard: true })],
        controllers: [GuardedController],
      });
    });
    afterAll(() => app.close());

    it('lets a valid access token through, and @CognitoUser() sees its username', async () => {
      const res = await http(app).get('/guarded/me').set(bearer(target.user.accessToken)).expect(200);
      expect(res.body).toEqual({ username: target.user.username, sub: claims.sub, tokenUse: 'access' });
    });

    it("answers 401 TokenMissing without a token, in the module's error body", async () => {
      expect((await http(app).get('/guarded/me').expect(401)).body).toEqual(unauthorized('TokenMissing'));
    });

    it.each([
      ['a garbage token', { Authorization: 'Bearer not-a-jwt' }],
      ['three garbage segments', { Authorization: 'Bearer a.b.c' }],
      ['another scheme', { Authorization: 'Basic dXNlcjpwYXNz' }],
      ['an empty bearer', { Authorization: 'Bearer ' }],
    ])('answers 401 TokenInvalid for %s', async (_case, headers) => {
      expect((await http(app).get('/guarded/me').set(headers).expect(401)).body).toEqual(unauthorized('TokenInvalid'));
    });

    it('answers 401 for an ID token where an access token is expected', async () => {
      const res = await http(app).get('/guarded/me').set(bearer(target.user.idToken)).expect(401);
      expect(res.body).toEqual({ ...unauthorized('TokenInvalid'), message: 'An access token is required' });
    });

    it.each([
      ["with cognito-local's kid", 'CognitoLocal'],
      ['with an unknown kid', 'someone-elses-key'],
    ])('answers 401 for a token signed with another key (%s)', async (_case, kid) => {
      const forged = new TestSigner().sign({ ...claims, iat: Math.floor(Date.now() / 1000) }, kid);
      rememberSecrets(forged);
      expect((await http(app).get('/guarded/me').set(bearer(forged)).expect(401)).body).toEqual(
        unauthorized('TokenInvalid'),
      );
    });

    it(
      'answers 403 GroupRequired outside the groups (compared ' + 'exactly), and 200 once added and signed in again',
      async () => {
        const email = `groups-${adapter}@example.com`;
        const user = await createSignedInUser(target.options as never, email);
        rememberSecrets(user.accessToken, user.idToken, user.refreshToken);
        const cognito = adminClient(target.options.endpoint!);
        const addTo = (GroupName: string) =>
          cognito.send(
            new AdminAddUserToGroupCommand({
              UserPoolId: target.options.userPoolId,
              Username: user.username,
              GroupName,
            }),
          );
        try {
          expect((await http(app).get('/guarded/admin').set(bearer(user.accessToken)).expect(403)).body).toEqual({
            statusCode: 403,
            error: 'Forbidden',
            message: expect.any(String),
            code: 'GroupRequired',
          });
          await addTo('admins');
          const lowercase = await signIn(target, email, user.password);
          expect(JSON.parse(Buffer.from(lowercase.split('.')[1], 'base64url').toString())['cognito:groups']).toEqual([
            'admins',
          ]);
          await http(app).get('/guarded/admin').set(bearer(lowercase)).expect(403);
          await addTo('Admins');
          await http(app).get('/guarded/admin').set(bearer(user.accessToken)).expect(403);
          await http(app)
            .get('/guarded/admin')
            .set(bearer(await signIn(target, email, user.password)))
            .expect(200, { admin: true });
        } finally {
          cognito.destroy();
        }
      },
    );

    it('answers @Public() routes without a token, and ignores a bad one there', async () => {
      await http(app).get('/guarded/open').expect(200, { open: true, user: null });
      await http(app).get('/guarded/open').set(bearer('not-a-jwt')).expect(200, { open: true, user: null });
    });

    it('with exceptionFilter: false, refuses with the same body (per-route @UseGuards, no authGuard)', async () => {
      const bare = await createApp(adapter, {
        imports: [CognitoModule.forRoot({ ...target.options, exceptionFilter: false })],
        controllers: [PerRouteController, UnguardedController],
      });
      try {
        expect((await http(bare).get('/per-route').expect(401)).body).toEqual(unauthorized('TokenMissing'));
        expect((await http(bare).get('/per-route').set(bearer(target.user.idToken)).expect(401)).body).toEqual(
          unauthorized('TokenInvalid'),
        );
        await http(bare).get('/per-route').set(bearer(target.user.accessToken)).expect(200, { sub: claims.sub });
        // Without authGuard, routes that do not ask for the guard stay open.
        await http(bare).get('/unguarded').expect(200, { open: true });
      } finally {
        await bare.close();
      }
    });

    it('reads the token from the configured cookie; the Authorization header wins', async () => {
      const cookieApp = await createApp(adapter, {
        imports: [CognitoModule.forRoot({ ...target.options, authGuard: true, jwt: { cookie: 'access_token' } })],
        controllers: [GuardedController],
      });
      try {
        const cookie = `theme=dark; access_token=${target.user.accessToken}; other=1`;
        await http(cookieApp).get('/guarded/me').set('Cookie', cookie).expect(200);
        await http(cookieApp).get('/guarded/me').set('Cookie', 'access_token=not-a-jwt').expect(401);
        await http(cookieApp).get('/guarded/me').set('Cookie', cookie).set(bearer('not-a-jwt')).expect(401);
        await http(app).get('/guarded/me').set('Cookie', cookie).expect(401); // no cookie configured there
      } finally {
        await cookieApp.close();
      }
    });

    it('accepts ID tokens instead with jwt.tokenUse "id", and then refuses access tokens', async () => {
      const idApp = await createApp(adapter, {
        imports: [CognitoModule.forRoot({ ...target.options, authGuard: true, jwt: { tokenUse: 'id' } })],
        controllers: [GuardedController],
      });
      try {
        const res = await http(idApp).get('/guarded/me').set(bearer(target.user.idToken)).expect(200);
        expect(res.body).toMatchObject({ sub: claims.sub, tokenUse: 'id' });
        await http(idApp).get('/guarded/me').set(bearer(target.user.accessToken)).expect(401);
      } finally {
        await idApp.close();
      }
    });
  });
});
