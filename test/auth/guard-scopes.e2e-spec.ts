// @CognitoScopes and client-credentials (machine-to-machine) tokens through CognitoAuthGuard,
// on Express and Fastify, and in GraphQL resolvers (Apollo on Express, Mercurius on Fastify). cognito-local cannot
// issue client-credentials tokens: this suite
// signs them, and user tokens to compare, with a test key served as the JWKS (JwksServer),
// under the issuer of a cognito-local pool; the revocation check's GetUser goes to that pool.
import { randomUUID } from 'node:crypto';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Controller, Delete, type DynamicModule, Get, type INestApplication, Param, Post } from '@nestjs/common';
import { GraphQLModule, Query, Resolver } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import {
  COGNITO_CLIENT,
  type CognitoClaims,
  CognitoConfigurationError,
  CognitoGroups,
  CognitoModule,
  type CognitoModuleOptions,
  CognitoScopes,
  CognitoUser,
  Public,
} from '../../src';
import { ADAPTERS, type AdapterName, bearer, createApp, http } from '../support/bootstrap';
import { JwksServer, TestSigner } from '../support/jwks-server';
import { rememberSecrets } from '../support/secrets';
import { type CognitoTarget, localTarget } from '../support/target';

/** A second app client of the pool: a service calling with client-credentials tokens. */
const SERVICE = 'ordersservice1client';
/** An app client of the pool that the guard is not told to accept. */
const STRANGER = 'unlisted1client';

@Controller('orders')
class OrdersController {
  @CognitoScopes('orders/read')
  @Get()
  list(@CognitoUser() caller: CognitoClaims, @CognitoUser('username') username: string | undefined) {
    return { clientId: caller.token_use === 'access' ? caller.client_id : caller.aud, username: username ?? null };
  }

  @CognitoScopes('orders/read', 'orders/write')
  @Post()
  create() {
    return { created: true };
  }

  @Public()
  @CognitoScopes('orders/read')
  @Get('public-and-scoped')
  publicAndScoped() {
    return { ok: true };
  }

  @CognitoGroups('Admins')
  @Get('admin')
  admin() {
    return { admin: true };
  }

  @Get('any')
  any(@CognitoUser('sub') sub: string) {
    return { sub };
  }
}

/** Scopes on the controller and on a handler: the handler's route needs both. */
@CognitoScopes('orders/read')
@Controller('archive')
class ArchiveController {
  @Get()
  list() {
    return [];
  }

  @CognitoScopes('orders/delete')
  @Delete(':id')
  remove(@Param('id') id: string) {
    return { removed: id };
  }
}

@Public()
@CognitoScopes('orders/read')
@Controller('public-scoped-class')
class PublicScopedClassController {
  @Get()
  get() {
    return { ok: true };
  }
}

@Controller('unguarded')
class UnguardedScopesController {
  @CognitoScopes('orders/read')
  @Get()
  get() {
    return { open: true };
  }
}

@Resolver()
class OrdersResolver {
  @CognitoScopes('orders/read')
  @Query(() => String)
  orderCaller(@CognitoUser('client_id') clientId: string): string {
    return clientId;
  }
}

@Resolver()
class UnguardedScopesResolver {
  @CognitoScopes('orders/read')
  @Query(() => String)
  report(): string {
    return 'report';
  }
}

/**
 * Apollo on Express, Mercurius on Fastify (Mercurius's query cache off: its ESM-only import fails in Jest's CommonJS
 * mode).
 */
const DRIVERS: Array<[string, AdapterName, DynamicModule]> = [
  ['apollo', 'express', GraphQLModule.forRoot<ApolloDriverConfig>({ driver: ApolloDriver, autoSchemaFile: true })],
  [
    'mercurius',
    'fastify',
    GraphQLModule.forRoot<MercuriusDriverConfig>({ driver: MercuriusDriver, autoSchemaFile: true, cache: false }),
  ],
];

const CONTROLLERS = [OrdersController, ArchiveController, PublicScopedClassController];
const now = () => Math.floor(Date.now() / 1000);
const insufficientScope = {
  statusCode: 403,
  error: 'Forbidden',
  message: 'The token lacks a scope this route requires',
  code: 'InsufficientScope',
};

describe('@CognitoScopes and client-credentials tokens (test-signed: cognito-local cannot issue them)', () => {
  let target: CognitoTarget;
  let signer: TestSigner;
  let jwks: JwksServer;
  /** The pool's issuer, as cognito-local writes it and the module derives it from `endpoint`. */
  let issuer: string;
  /** The cognito-local user's `sub` and `username`, for user tokens the pool knows. */
  let user: { sub: string; username: string };
  beforeAll(async () => {
    target = await localTarget();
    signer = new TestSigner();
    jwks = await new JwksServer(signer).start();
    issuer = `${target.options.endpoint!.replace(/\/+$/, '')}/${target.options.userPoolId}`;
    const claims = JSON.parse(Buffer.from(target.user.accessToken.split('.')[1], 'base64url').toString());
    expect(claims.iss).toBe(issuer);
    user = { sub: claims.sub, username: claims.username };
  });
  afterAll(() => jwks.stop());

  const signed = (claims: Record<string, unknown>) => {
    const token = signer.sign(claims);
    rememberSecrets(token);
    return token;
  };
  /** An access token of the client-credentials grant, as Cognito issues it: the client is the subject, no username. */
  const machineToken = (scope: string, clientId = SERVICE) =>
    signed({
      sub: clientId,
      token_use: 'access',
      scope,
      auth_time: now(),
      iss: issuer,
      exp: now() + 3600,
      iat: now(),
      version: 2,
      jti: randomUUID(),
      client_id: clientId,
    });
  /** A user's access token of the app's own client (Hosted UI tokens carry the OAuth scopes granted). */
  const userToken = (claims: Record<string, unknown> = {}) =>
    signed({
      sub: user.sub,
      iss: issuer,
      client_id: target.options.clientId,
      origin_jti: randomUUID(),
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: now(),
      exp: now() + 3600,
      iat: now(),
      jti: randomUUID(),
      username: user.username,
      ...claims,
    });
  const moduleOptions = (extra: Partial<CognitoModuleOptions> = {}): CognitoModuleOptions => ({
    ...target.options,
    ...extra,
    jwt: { jwksUri: jwks.uri, clientId: [target.options.clientId, SERVICE], ...extra.jwt },
  });

  describe.each(ADAPTERS)('on %s', (adapter) => {
    describe('with the guard app-wide, accepting the app client and the service', () => {
      let app: INestApplication;
      beforeAll(async () => {
        app = await createApp(adapter, {
          imports: [CognitoModule.forRoot({ ...moduleOptions(), authGuard: true })],
          controllers: CONTROLLERS,
        });
      });
      afterAll(() => app.close());

      it(
        'lets a client-credentials token with orders/read through a route that needs it; @CognitoUser() gives ' +
          'its claims (no username)',
        async () => {
          const token = machineToken('orders/read orders/write');
          await http(app).get('/orders').set(bearer(token)).expect(200, { clientId: SERVICE, username: null });
          await http(app).get('/orders/any').set(bearer(token)).expect(200, { sub: SERVICE });
        },
      );

      it(
        'answers 403 InsufficientScope to a client-credentials token without orders/read (compared exactly), ' +
          '401 without a token',
        async () => {
          for (const scope of ['orders/write', 'Orders/read', 'orders/read.all', 'orders', 'orders/readorders/write']) {
            const res = await http(app)
              .get('/orders')
              .set(bearer(machineToken(scope)))
              .expect(403);
            expect(res.body).toEqual(insufficientScope);
          }
          expect((await http(app).get('/orders').expect(401)).body.code).toBe('TokenMissing');
        },
      );

      it('requires every scope a route lists', async () => {
        expect(
          (
            await http(app)
              .post('/orders')
              .set(bearer(machineToken('orders/read')))
              .expect(403)
          ).body,
        ).toEqual(insufficientScope);
        await http(app)
          .post('/orders')
          .set(bearer(machineToken('orders/write orders/read')))
          .expect(201, { created: true });
      });

      it(
        "requires the controller's scopes and the handler's " + "together (a handler cannot loosen its controller's)",
        async () => {
          await http(app)
            .get('/archive')
            .set(bearer(machineToken('orders/read')))
            .expect(200, []);
          expect(
            (
              await http(app)
                .get('/archive')
                .set(bearer(machineToken('orders/delete')))
                .expect(403)
            ).body.code,
          ).toBe('InsufficientScope');
          for (const scope of ['orders/delete', 'orders/read']) {
            expect(
              (
                await http(app)
                  .delete('/archive/7')
                  .set(bearer(machineToken(scope)))
                  .expect(403)
              ).body.code,
            ).toBe('InsufficientScope');
          }
          await http(app)
            .delete('/archive/7')
            .set(bearer(machineToken('orders/read orders/delete')))
            .expect(200, { removed: '7' });
        },
      );

      it(
        'keeps a route that asks for scopes protected under ' + '@Public(), on the handler and on the controller',
        async () => {
          for (const path of ['/orders/public-and-scoped', '/public-scoped-class']) {
            expect((await http(app).get(path).expect(401)).body.code).toBe('TokenMissing');
            expect(
              (
                await http(app)
                  .get(path)
                  .set(bearer(machineToken('orders/write')))
                  .expect(403)
              ).body.code,
            ).toBe('InsufficientScope');
            await http(app)
              .get(path)
              .set(bearer(machineToken('orders/read')))
              .expect(200, { ok: true });
          }
        },
      );

      it("accepts the tokens of every client in jwt.clientId, and refuses another client's with 401", async () => {
        await http(app).get('/orders/any').set(bearer(userToken())).expect(200, { sub: user.sub });
        await http(app)
          .get('/orders/any')
          .set(bearer(machineToken('orders/read')))
          .expect(200, { sub: SERVICE });
        const res = await http(app)
          .get('/orders')
          .set(bearer(machineToken('orders/read', STRANGER)))
          .expect(401);
        expect(res.body).toEqual({
          statusCode: 401,
          error: 'Unauthorized',
          message: 'The token was issued to another app client',
          code: 'TokenInvalid',
        });
      });

      it("judges a user's access token by its scopes too", async () => {
        expect((await http(app).get('/orders').set(bearer(userToken())).expect(403)).body).toEqual(insufficientScope);
        await http(app)
          .get('/orders')
          .set(bearer(userToken({ scope: 'openid orders/read' })))
          .expect(200, { clientId: target.options.clientId, username: user.username });
      });

      it(
        'answers 403 GroupRequired to a client-credentials ' + 'token on a @CognitoGroups route (it has no groups)',
        async () => {
          const res = await http(app)
            .get('/orders/admin')
            .set(bearer(machineToken('orders/read Admins')))
            .expect(403);
          expect(res.body.code).toBe('GroupRequired');
        },
      );
    });

    it(
      'answers 403 InsufficientScope to an ID token (jwt.tokenUse "id"), even one carrying a scope claim: ID ' +
        'tokens grant no scopes',
      async () => {
        const app = await createApp(adapter, {
          imports: [CognitoModule.forRoot({ ...moduleOptions({ jwt: { tokenUse: 'id' } }), authGuard: true })],
          controllers: CONTROLLERS,
        });
        try {
          const idToken = (claims: Record<string, unknown> = {}) =>
            signed({
              sub: user.sub,
              aud: target.options.clientId,
              token_use: 'id',
              iss: issuer,
              'cognito:username': user.username,
              exp: now() + 3600,
              iat: now(),
              ...claims,
            });
          await http(app).get('/orders/any').set(bearer(idToken())).expect(200, { sub: user.sub });
          expect((await http(app).get('/orders').set(bearer(idToken())).expect(403)).body).toEqual(insufficientScope);
          expect(
            (
              await http(app)
                .get('/orders')
                .set(bearer(idToken({ scope: 'orders/read' })))
                .expect(403)
            ).body,
          ).toEqual(insufficientScope);
        } finally {
          await app.close();
        }
      },
    );

    it(
      'with revocationCheck, lets client-credentials tokens through without GetUser (no user to ask about), ' +
        'and still checks user tokens',
      async () => {
        const app = await createApp(adapter, {
          imports: [
            CognitoModule.forRoot({ ...moduleOptions({ revocationCheck: { cacheSeconds: 0 } }), authGuard: true }),
          ],
          controllers: CONTROLLERS,
        });
        const send = jest.spyOn(app.get(COGNITO_CLIENT), 'send');
        const sent = () => send.mock.calls.map(([command]) => (command as object).constructor.name);
        try {
          const machine = machineToken('orders/read');
          await http(app).get('/orders').set(bearer(machine)).expect(200, { clientId: SERVICE, username: null });
          await http(app).get('/orders').set(bearer(machine)).expect(200);
          expect(sent()).toEqual([]);
          // A user token is still checked: cognito-local knows this user, not a made-up one.
          await http(app).get('/orders/any').set(bearer(userToken())).expect(200, { sub: user.sub });
          const unknown = await http(app)
            .get('/orders/any')
            .set(bearer(userToken({ sub: randomUUID(), username: 'nobody' })))
            .expect(401);
          expect(unknown.body.code).toBe('TokenRevoked');
          expect(sent()).toEqual(['GetUserCommand', 'GetUserCommand']);
        } finally {
          await app.close();
        }
      },
    );

    it.each([
      ['on a handler', UnguardedScopesController, 'UnguardedScopesController.get'],
      ['on a controller', ArchiveController, 'ArchiveController.list'],
      ['on a @Public() controller', PublicScopedClassController, 'PublicScopedClassController.get'],
    ])(
      'fails the startup, naming the route, for @CognitoScopes %s without a CognitoAuthGuard',
      async (_case, controller, route) => {
        const booting = createApp(adapter, {
          imports: [CognitoModule.forRoot(moduleOptions())],
          controllers: [controller],
        });
        await expect(booting).rejects.toThrow(CognitoConfigurationError);
        await expect(booting).rejects.toThrow(
          `CognitoModule: @CognitoScopes on ${route} has no CognitoAuthGuard: set authGuard: true or add ` +
            `@UseGuards(CognitoAuthGuard)`,
        );
      },
    );
  });
  describe.each(DRIVERS)('in GraphQL, on %s with %s', (_driver, adapter, graphql) => {
    const query = async (app: INestApplication, token?: string) => {
      const call = http(app).post('/graphql').set('Content-Type', 'application/json');
      if (token !== undefined) call.set(bearer(token));
      const res = await call.send({ query: '{ orderCaller }' }).expect(200);
      return res.body as {
        data?: Record<string, unknown> | null;
        errors?: Array<{ extensions?: Record<string, unknown> }>;
      };
    };

    it(
      'answers a query that needs orders/read to a client-credentials token with it, and FORBIDDEN ' +
        '(InsufficientScope) to one without',
      async () => {
        const app = await createApp(adapter, {
          imports: [CognitoModule.forRoot({ ...moduleOptions(), authGuard: true }), graphql],
          providers: [OrdersResolver],
        });
        try {
          expect((await query(app, machineToken('orders/read'))).data).toEqual({ orderCaller: SERVICE });
          const refused = await query(app, machineToken('orders/write'));
          expect(refused.errors).toEqual([
            expect.objectContaining({
              extensions: expect.objectContaining({
                code: 'FORBIDDEN',
                cognitoCode: 'InsufficientScope',
                statusCode: 403,
              }),
            }),
          ]);
        } finally {
          await app.close();
        }
      },
    );

    it('fails the startup for @CognitoScopes on a resolver without a CognitoAuthGuard', async () => {
      const booting = createApp(adapter, {
        imports: [CognitoModule.forRoot(moduleOptions()), graphql],
        providers: [UnguardedScopesResolver],
      });
      await expect(booting).rejects.toThrow(CognitoConfigurationError);
      await expect(booting).rejects.toThrow('@CognitoScopes on UnguardedScopesResolver.report has no CognitoAuthGuard');
    });
  });
});
