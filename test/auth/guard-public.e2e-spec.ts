// @Public() and CognitoAuthGuard, on Express and Fastify (cognito-local): which
// routes a controller-level @Public() opens, and optional authentication on the
// routes it does open (a valid token fills @CognitoUser(), nothing else answers 401).
import {
  AdminAddUserToGroupCommand,
  AdminInitiateAuthCommand,
  CreateGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Controller, Get, type INestApplication, UseGuards } from '@nestjs/common';
import { CognitoAuthGuard, CognitoGroups, CognitoModule, CognitoPool, CognitoUser, Public } from '../../src';
import { secretHash } from '../../src/internal/hashing';
import { ADAPTERS, createApp, http } from '../support/bootstrap';
import { adminClient, createSignedInUser, freePort } from '../support/cognito-local';
import { JwksServer, TestSigner } from '../support/jwks-server';
import { rememberSecrets } from '../support/secrets';
import { type CognitoTarget, localTarget } from '../support/target';

/** Every route answers the sub of `request.user`, or null. */
@Public()
@Controller('public-class')
class PublicClassController {
  @Get('open')
  open(@CognitoUser('sub') sub?: string) {
    return { sub: sub ?? null };
  }

  @CognitoPool('staff')
  @Get('pool')
  pool(@CognitoUser('sub') sub?: string) {
    return { sub: sub ?? null };
  }

  @UseGuards(CognitoAuthGuard)
  @Get('guard')
  guard(@CognitoUser('sub') sub?: string) {
    return { sub: sub ?? null };
  }

  @UseGuards(CognitoAuthGuard.for('staff'))
  @Get('named-guard')
  namedGuard(@CognitoUser('sub') sub?: string) {
    return { sub: sub ?? null };
  }
}

/**
 * More routes under /public-class: those that ask for groups, which need a guard to
 * check them (an app without one does not start, see guard-boot.e2e-spec.ts).
 */
@Public()
@Controller('public-class')
class PublicClassGroupsController {
  @CognitoGroups('Admins')
  @Get('groups')
  groups(@CognitoUser('sub') sub?: string) {
    return { sub: sub ?? null };
  }

  // Contradictory on one method: protection wins.
  @Public()
  @CognitoGroups('Admins')
  @Get('public-and-groups')
  publicAndGroups(@CognitoUser('sub') sub?: string) {
    return { sub: sub ?? null };
  }
}

/** Contradictory on one controller: protection wins. */
@Public()
@CognitoGroups('Admins')
@Controller('public-and-groups-class')
class PublicAndGroupsController {
  @Get()
  get(@CognitoUser('sub') sub?: string) {
    return { sub: sub ?? null };
  }
}

/** A protected controller with a public method (unchanged: the method's @Public() wins). */
@UseGuards(CognitoAuthGuard)
@Controller('protected-class')
class ProtectedClassController {
  @Get('closed')
  closed(@CognitoUser('sub') sub?: string) {
    return { sub: sub ?? null };
  }

  @Public()
  @Get('open')
  open(@CognitoUser('sub') sub?: string) {
    return { sub: sub ?? null };
  }
}

const CONTROLLERS = [
  PublicClassController,
  PublicClassGroupsController,
  PublicAndGroupsController,
  ProtectedClassController,
];
const subOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub as string;

describe('@Public() and CognitoAuthGuard (cognito-local)', () => {
  let customers: CognitoTarget;
  let staff: CognitoTarget;
  /** An access token of a customers user in the Admins group. */
  let admin: string;
  beforeAll(async () => {
    [customers, staff] = await Promise.all([localTarget({ secret: true }), localTarget()]);
    const cognito = adminClient(customers.options.endpoint!);
    try {
      const { userPoolId, clientId, clientSecret } = customers.options;
      await cognito.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: 'Admins' }));
      const user = await createSignedInUser(customers.options as never, 'admin@example.com');
      rememberSecrets(user.accessToken, user.idToken, user.refreshToken);
      await cognito.send(
        new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: user.username, GroupName: 'Admins' }),
      );
      // Signed in again, so that the token carries the group.
      const { AuthenticationResult } = await cognito.send(
        new AdminInitiateAuthCommand({
          UserPoolId: userPoolId,
          ClientId: clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: {
            USERNAME: user.email,
            PASSWORD: user.password,
            SECRET_HASH: secretHash(clientSecret!, user.username, clientId),
          },
        }),
      );
      rememberSecrets(
        AuthenticationResult!.AccessToken,
        AuthenticationResult!.IdToken,
        AuthenticationResult!.RefreshToken,
      );
      admin = AuthenticationResult!.AccessToken!;
    } finally {
      cognito.destroy();
    }
  });

  describe.each(ADAPTERS)('on %s', (adapter) => {
    const get = (app: INestApplication, path: string, token?: string) => {
      const req = http(app).get(path);
      return token === undefined ? req : req.set('Authorization', `Bearer ${token}`);
    };

    describe('with the default pool\'s guard app-wide and a named pool "staff"', () => {
      let app: INestApplication;
      beforeAll(async () => {
        app = await createApp(adapter, {
          imports: [
            CognitoModule.forRoot({ ...customers.options, authGuard: true, refreshController: true }),
            CognitoModule.forRoot({ ...staff.options, name: 'staff' }),
          ],
          controllers: CONTROLLERS,
        });
      });
      afterAll(() => app.close());

      it.each([
        ['@CognitoGroups', '/public-class/groups'],
        ['@CognitoPool', '/public-class/pool'],
        ['@UseGuards(CognitoAuthGuard)', '/public-class/guard'],
        ['@UseGuards(CognitoAuthGuard.for(name))', '/public-class/named-guard'],
        ['@Public() and @CognitoGroups on the method', '/public-class/public-and-groups'],
        ['@Public() and @CognitoGroups on the controller', '/public-and-groups-class'],
      ])('keeps a route protected by %s under a @Public() controller: 401 without a token', async (_case, path) => {
        expect((await get(app, path).expect(401)).body.code).toBe('TokenMissing');
        expect((await get(app, path, 'not-a-jwt').expect(401)).body.code).toBe('TokenInvalid');
      });

      it('lets the right tokens through those routes', async () => {
        const { accessToken } = customers.user;
        await get(app, '/public-class/groups', admin).expect(200, { sub: subOf(admin) });
        expect((await get(app, '/public-class/groups', accessToken).expect(403)).body.code).toBe('GroupRequired');
        await get(app, '/public-class/public-and-groups', admin).expect(200, { sub: subOf(admin) });
        await get(app, '/public-class/public-and-groups', accessToken).expect(403);
        await get(app, '/public-and-groups-class', admin).expect(200, { sub: subOf(admin) });
        await get(app, '/public-class/pool', staff.user.accessToken).expect(200, {
          sub: subOf(staff.user.accessToken),
        });
        expect((await get(app, '/public-class/pool', accessToken).expect(401)).body.code).toBe('TokenInvalid');
        await get(app, '/public-class/guard', accessToken).expect(200, { sub: subOf(accessToken) });
        // Without @CognitoPool the app-wide guard wants its own pool's token too: no token passes both.
        await get(app, '/public-class/named-guard', staff.user.accessToken).expect(401);
        await get(app, '/protected-class/closed').expect(401);
      });

      it.each([
        ['a @Public() controller', '/public-class/open'],
        ['a @Public() method of a protected controller', '/protected-class/open'],
      ])("on %s, @CognitoUser() sees a valid token's claims, and no token leaves it undefined", async (_case, path) => {
        await get(app, path).expect(200, { sub: null });
        await get(app, path, customers.user.accessToken).expect(200, { sub: subOf(customers.user.accessToken) });
      });

      it.each([
        ['a garbage token', 'not-a-jwt'],
        [
          'a token signed with another key',
          new TestSigner().sign({ sub: 'forged', exp: Math.floor(Date.now() / 1000) + 60 }, 'CognitoLocal'),
        ],
        ['an ID token (access tokens expected)', 'id'],
        ["another pool's token", 'staff'],
      ])('answers a @Public() route as anonymous (200, no user) for %s', async (_case, token) => {
        const value = token === 'id' ? customers.user.idToken : token === 'staff' ? staff.user.accessToken : token;
        rememberSecrets(value);
        await get(app, '/public-class/open', value).expect(200, { sub: null });
        await http(app).get('/public-class/open').set('Authorization', 'Basic dXNlcjpwYXNz').expect(200, { sub: null });
      });

      it(
        'answers a @Public() route as anonymous for an expired token, and the refresh route still takes it ' +
          '(secret client)',
        async () => {
          const { accessToken, refreshToken } = customers.user;
          // Two days on: cognito-local's tokens live 24 h.
          const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 2 * 86_400_000);
          try {
            await get(app, '/public-class/open', accessToken).expect(200, { sub: null });
            expect((await get(app, '/public-class/guard', accessToken).expect(401)).body.code).toBe('TokenExpired');
            // The refresh route reads the username for the SECRET_HASH from the (expired) bearer token.
            const res = await http(app)
              .post('/auth/refresh')
              .set('Authorization', `Bearer ${accessToken}`)
              .send({ refreshToken });
            rememberSecrets(res.body?.authenticationResult?.accessToken, res.body?.authenticationResult?.idToken);
            expect(res.status).toBe(200);
          } finally {
            clock.mockRestore();
          }
        },
      );
    });

    it(
      'never fetches the JWKS for a token on a @Public() route, and never answers 503 there (JWKS server this ' +
        'suite controls)',
      async () => {
        const relay = new JwksServer(
          `${customers.options.endpoint}/${customers.options.userPoolId}/.well-known/jwks.json`,
        );
        // Startup cannot fetch the JWKS (nothing listens yet).
        const port = await freePort();
        const app = await createApp(adapter, {
          imports: [
            CognitoModule.forRoot({
              ...customers.options,
              authGuard: true,
              jwt: { jwksUri: `http://127.0.0.1:${port}/.well-known/jwks.json` },
            }),
            CognitoModule.forRoot({ ...staff.options, name: 'staff' }),
          ],
          controllers: CONTROLLERS,
        });
        try {
          const { accessToken } = customers.user;
          // keys unreachable: anonymous, not 503
          await get(app, '/public-class/open', accessToken).expect(200, { sub: null });
          await relay.start(port);
          const madeUpKid = new TestSigner().sign(
            JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString()),
            'made-up',
          );
          rememberSecrets(madeUpKid);
          for (const token of [accessToken, accessToken, madeUpKid, madeUpKid])
            await get(app, '/public-class/open', token).expect(200, { sub: null });
          expect(relay.fetches).toBe(0);
          // A protected route fetches; the public route then knows the key.
          await get(app, '/public-class/guard', accessToken).expect(200);
          expect(relay.fetches).toBe(1);
          await get(app, '/public-class/open', accessToken).expect(200, { sub: subOf(accessToken) });
          await get(app, '/public-class/open', madeUpKid).expect(200, { sub: null });
          expect(relay.fetches).toBe(1);
        } finally {
          await app.close();
          await relay.stop();
        }
      },
    );

    it(
      "without an app-wide guard, a @Public() controller's method with @UseGuards or @CognitoPool stays " + 'protected',
      async () => {
        const app = await createApp(adapter, {
          imports: [
            CognitoModule.forRoot(customers.options),
            CognitoModule.forRoot({ ...staff.options, name: 'staff' }),
          ],
          controllers: [PublicClassController, ProtectedClassController],
        });
        try {
          for (const path of ['/public-class/guard', '/public-class/named-guard', '/public-class/pool']) {
            expect((await get(app, path).expect(401)).body.code).toBe('TokenMissing');
          }
          await get(app, '/public-class/guard', customers.user.accessToken).expect(200, {
            sub: subOf(customers.user.accessToken),
          });
          await get(app, '/public-class/named-guard', staff.user.accessToken).expect(200, {
            sub: subOf(staff.user.accessToken),
          });
          await get(app, '/public-class/pool', staff.user.accessToken).expect(200, {
            sub: subOf(staff.user.accessToken),
          });
          await get(app, '/public-class/named-guard', customers.user.accessToken).expect(401);
        } finally {
          await app.close();
        }
      },
    );
  });
});
