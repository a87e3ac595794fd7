// CognitoAuthGuard and the exception filter in GraphQL resolvers, against the suite's
// cognito-local (its tokens, JWKS and groups): Apollo on Express and Mercurius on
// Fastify, the two driver pairs Nest documents; subscriptions over graphql-ws on Apollo.
import { AdminAddUserToGroupCommand, CreateGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, type INestApplication, type Type, UseGuards } from '@nestjs/common';
import {
  Field,
  GraphQLModule,
  Mutation,
  ObjectType,
  Query,
  ResolveField,
  Resolver,
  Subscription,
} from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  CognitoAuthGuard,
  type CognitoClaims,
  CognitoConfigurationError,
  CognitoGroups,
  CognitoModule,
  type CognitoModuleOptions,
  CognitoPool,
  CognitoSyncService,
  CognitoTokenVerifier,
  CognitoUser,
  cognitoGraphQLWsOnConnect,
  Public,
} from '../../../src';
import { type AdapterName, bearer, createApp, http } from '../../support/bootstrap';
import { adminClient, createDemoPool, createSignedInUser, freePort } from '../../support/cognito-local';
import { capturePrinted } from '../../support/printed';
import { rememberSecrets } from '../../support/secrets';
import { type CognitoTarget, localTarget, signIn } from '../../support/target';

@ObjectType()
class Profile {
  @Field()
  username!: string;
}

@Resolver(() => Profile)
class ProfileResolver {
  constructor(private readonly cognito: CognitoSyncService) {}

  @Query(() => Profile)
  me(@CognitoUser() claims: CognitoClaims): Profile {
    return { username: claims.username as string };
  }

  @Public()
  @Query(() => String)
  open(@CognitoUser('username') username: string | undefined): string {
    return username ?? 'anonymous';
  }

  @CognitoGroups('Admins')
  @Query(() => String)
  adminsOnly(@CognitoUser('username') username: string): string {
    return `admin ${username}`;
  }

  @CognitoGroups('Admins')
  @Mutation(() => String)
  promote(): string {
    return 'promoted';
  }

  /** A field resolver: guarded with `fieldResolverEnhancers: ['guards']`. */
  @CognitoGroups('Admins')
  @ResolveField(() => String, { nullable: true })
  secret(): string {
    return 'classified';
  }

  /** Reads the claims the guard left for the parent query. */
  @ResolveField(() => String)
  sub(@CognitoUser('sub') sub: string): string {
    return sub;
  }

  @Query(() => String)
  async nobody(): Promise<string> {
    return (await this.cognito.findUser('nobody')).username;
  }

  @CognitoPool('staff')
  @Query(() => String)
  staffOnly(@CognitoUser('username') username: string): string {
    return `staff ${username}`;
  }

  @Subscription(() => String, { resolve: (value: string) => value })
  async *greetings(@CognitoUser('username') username: string): AsyncGenerator<string> {
    yield `hello ${username}`;
  }

  @CognitoGroups('Admins')
  @Subscription(() => String, { resolve: (value: string) => value })
  async *alerts(): AsyncGenerator<string> {
    yield 'alert';
  }
}

type DriverName = 'apollo' | 'mercurius';
/** Apollo on Express, Mercurius on Fastify. */
const DRIVERS: Array<[DriverName, AdapterName]> = [
  ['apollo', 'express'],
  ['mercurius', 'fastify'],
];

function graphqlModule(driver: DriverName): DynamicModule {
  if (driver === 'mercurius') {
    // cache: false only because mercurius's query cache imports quick-lru (ESM only) at startup, which
    // Jest's CommonJS mode cannot do on Node 20; the guard and the filter do not depend on it.
    return GraphQLModule.forRoot<MercuriusDriverConfig>({
      driver: MercuriusDriver,
      autoSchemaFile: true,
      fieldResolverEnhancers: ['guards', 'filters'],
      cache: false,
    });
  }
  return GraphQLModule.forRootAsync<ApolloDriverConfig>({
    driver: ApolloDriver,
    inject: [CognitoTokenVerifier],
    useFactory: (verifier: CognitoTokenVerifier) => ({
      autoSchemaFile: true,
      fieldResolverEnhancers: ['guards', 'filters'],
      subscriptions: { 'graphql-ws': { onConnect: cognitoGraphQLWsOnConnect(verifier) } },
    }),
  });
}

async function graphqlApp(
  driver: DriverName,
  adapter: AdapterName,
  options: CognitoModuleOptions,
  staff: CognitoModuleOptions,
) {
  return createApp(adapter, {
    imports: [
      CognitoModule.forRoot({ ...options, authGuard: true }),
      CognitoModule.forRoot({ ...staff, name: 'staff' }),
      graphqlModule(driver),
    ],
    providers: [ProfileResolver],
  });
}

interface GraphQLAnswer {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
}

async function gql(app: INestApplication, query: string, token?: string): Promise<GraphQLAnswer> {
  const call = http(app).post('/graphql').set('Content-Type', 'application/json');
  if (token !== undefined) call.set(bearer(token));
  const res = await call.send({ query });
  expect(res.status).toBe(200);
  return res.body as GraphQLAnswer;
}

const refusal = (code: string, cognitoCode: string, statusCode: number) => ({
  message: expect.any(String),
  extensions: expect.objectContaining({ code, cognitoCode, statusCode }),
});

describe('GraphQL resolvers behind CognitoAuthGuard', () => {
  let target: CognitoTarget;
  let staff: CognitoTarget;
  let admin: { username: string; token: string };
  beforeAll(async () => {
    target = await localTarget();
    const pool = await createDemoPool(target.options.endpoint!);
    rememberSecrets(pool.accessToken, pool.idToken, pool.refreshToken);
    staff = { options: { ...target.options, userPoolId: pool.userPoolId, clientId: pool.clientId }, user: pool };
    const cognito = adminClient(target.options.endpoint!);
    try {
      await cognito.send(new CreateGroupCommand({ UserPoolId: target.options.userPoolId, GroupName: 'Admins' }));
      const user = await createSignedInUser(target.options as never, 'admin@example.com');
      rememberSecrets(user.accessToken, user.idToken, user.refreshToken);
      await cognito.send(
        new AdminAddUserToGroupCommand({
          UserPoolId: target.options.userPoolId,
          Username: user.username,
          GroupName: 'Admins',
        }),
      );
      admin = { username: user.username, token: await signIn(target, user.email, user.password) };
    } finally {
      cognito.destroy();
    }
  });

  describe.each(DRIVERS)('on %s with %s', (driver, adapter) => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await graphqlApp(driver, adapter, target.options, staff.options);
    });
    afterAll(() => app.close());

    it(
      'answers UNAUTHENTICATED (TokenMissing) to a query on a protected resolver without a token, and logs no ' +
        'error for it',
      async () => {
        const printed = capturePrinted();
        const answer = await gql(app, '{ me { username } }');
        expect(printed.stop().filter((line) => / ERROR /.test(line))).toEqual([]);
        expect(answer.data ?? null).toBeNull();
        expect(answer.errors).toEqual([expect.objectContaining(refusal('UNAUTHENTICATED', 'TokenMissing', 401))]);
        expect(answer.errors![0].message).toBe('A bearer token is required');
      },
    );

    it('answers UNAUTHENTICATED (TokenInvalid) to a garbage token', async () => {
      const answer = await gql(app, '{ me { username } }', 'not-a-jwt');
      expect(answer.errors).toEqual([expect.objectContaining(refusal('UNAUTHENTICATED', 'TokenInvalid', 401))]);
    });

    it('gives a member the data, with @CognitoUser() on the query and on a field resolver', async () => {
      const answer = await gql(app, '{ me { username sub secret } adminsOnly }', admin.token);
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toEqual({
        me: { username: admin.username, sub: expect.any(String), secret: 'classified' },
        adminsOnly: `admin ${admin.username}`,
      });
    });

    it('answers FORBIDDEN (GroupRequired) to a non-member on a query, a mutation and a field resolver', async () => {
      const query = await gql(app, '{ adminsOnly }', target.user.accessToken);
      expect(query.errors).toEqual([
        expect.objectContaining({ ...refusal('FORBIDDEN', 'GroupRequired', 403), path: ['adminsOnly'] }),
      ]);
      const mutation = await gql(app, 'mutation { promote }', target.user.accessToken);
      expect(mutation.errors).toEqual([expect.objectContaining(refusal('FORBIDDEN', 'GroupRequired', 403))]);
      // The field alone is refused; the rest of the query is answered.
      const field = await gql(app, '{ me { username secret } }', target.user.accessToken);
      expect(field.data).toEqual({ me: { username: target.user.username, secret: null } });
      expect(field.errors).toEqual([
        expect.objectContaining({ ...refusal('FORBIDDEN', 'GroupRequired', 403), path: ['me', 'secret'] }),
      ]);
    });

    it('answers a @Public() query without a token, and fills @CognitoUser() when a valid one comes', async () => {
      expect(await gql(app, '{ open }')).toEqual({ data: { open: 'anonymous' } });
      expect(await gql(app, '{ open }', target.user.accessToken)).toEqual({ data: { open: target.user.username } });
      expect(await gql(app, '{ open }', 'not-a-jwt')).toEqual({ data: { open: 'anonymous' } });
    });

    it("leaves a @CognitoPool('staff') query to the staff pool's guard", async () => {
      const wrongPool = await gql(app, '{ staffOnly }', target.user.accessToken);
      expect(wrongPool.errors).toEqual([expect.objectContaining(refusal('UNAUTHENTICATED', 'TokenInvalid', 401))]);
      expect(await gql(app, '{ staffOnly }', staff.user.accessToken)).toEqual({
        data: { staffOnly: `staff ${staff.user.username}` },
      });
    });

    it("maps findUser('nobody') to NOT_FOUND with UserNotFoundException, not INTERNAL_SERVER_ERROR", async () => {
      const answer = await gql(app, '{ nobody }', target.user.accessToken);
      expect(answer.errors).toEqual([
        expect.objectContaining({
          message: 'The user does not exist',
          path: ['nobody'],
          extensions: expect.objectContaining({
            code: 'NOT_FOUND',
            cognitoCode: 'UserNotFoundException',
            statusCode: 404,
          }),
        }),
      ]);
    });
  });

  describe.each(DRIVERS)('on %s with %s, when the JWKS cannot be fetched', (driver, adapter) => {
    it('answers SERVICE_UNAVAILABLE (JwksUnavailable), not UNAUTHENTICATED', async () => {
      const jwksUri = `http://127.0.0.1:${await freePort()}/.well-known/jwks.json`;
      const app = await graphqlApp(driver, adapter, { ...target.options, jwt: { jwksUri } }, staff.options);
      try {
        const answer = await gql(app, '{ me { username } }', target.user.accessToken);
        expect(answer.errors).toEqual([
          expect.objectContaining(refusal('SERVICE_UNAVAILABLE', 'JwksUnavailable', 503)),
        ]);
      } finally {
        await app.close();
      }
    });
  });

  describe('the startup check, on apollo with express', () => {
    @Resolver()
    class UnguardedResolver {
      @CognitoGroups('Admins')
      @Query(() => String)
      report(): string {
        return 'report';
      }
    }

    @Resolver(() => Profile)
    class GuardedFieldResolver {
      @Query(() => Profile)
      profile(): Profile {
        return { username: 'x' };
      }

      @CognitoGroups('Admins')
      @ResolveField(() => String)
      salary(): string {
        return '1';
      }
    }

    /** A field that asks for a guard of its own (not groups or scopes), under a public query. */
    @Resolver(() => Profile)
    class OwnGuardFieldResolver {
      @Public()
      @Query(() => Profile)
      profile(): Profile {
        return { username: 'x' };
      }

      @UseGuards(CognitoAuthGuard)
      @ResolveField(() => String)
      salary(): string {
        return 'classified';
      }
    }

    /** A field marked for the staff pool, under a public query. */
    @Resolver(() => Profile)
    class PoolFieldResolver {
      @Public()
      @Query(() => Profile)
      profile(): Profile {
        return { username: 'x' };
      }

      @CognitoPool('staff')
      @ResolveField(() => String)
      salary(): string {
        return 'classified';
      }
    }

    const boot = (resolver: Type, authGuard: boolean, fieldResolverEnhancers?: Array<'guards'>) =>
      createApp('express', {
        imports: [
          CognitoModule.forRoot({ ...target.options, authGuard }),
          GraphQLModule.forRoot<ApolloDriverConfig>({
            driver: ApolloDriver,
            autoSchemaFile: true,
            fieldResolverEnhancers,
          }),
        ],
        providers: [resolver],
      });

    it('refuses to start when a resolver asks for @CognitoGroups and no CognitoAuthGuard runs', async () => {
      const booting = boot(UnguardedResolver, false);
      await expect(booting).rejects.toThrow(CognitoConfigurationError);
      await expect(booting).rejects.toThrow('@CognitoGroups on UnguardedResolver.report has no CognitoAuthGuard');
    });

    it(
      'refuses to start when a field resolver asks for @CognitoGroups without fieldResolverEnhancers: ' +
        "['guards'], and starts with it",
      async () => {
        await expect(boot(GuardedFieldResolver, true)).rejects.toThrow(
          "GuardedFieldResolver.salary (a field resolver) is not checked: set fieldResolverEnhancers: ['guards']",
        );
        const app = await boot(GuardedFieldResolver, true, ['guards']);
        await app.close();
      },
    );

    // Without 'guards', @nestjs/graphql runs no guard on a field resolver, its own @UseGuards included:
    // the field would be served to anyone who reaches its parent (here a @Public() query).
    it.each([
      ['@UseGuards(CognitoAuthGuard)', OwnGuardFieldResolver],
      ["@CognitoPool('staff')", PoolFieldResolver],
    ])(
      "refuses to start when a field resolver has %s without fieldResolverEnhancers: ['guards']",
      async (_, resolver) => {
        const booting = createApp('express', {
          imports: [
            CognitoModule.forRoot({ ...target.options }),
            CognitoModule.forRoot({ ...target.options, name: 'staff' }),
            GraphQLModule.forRoot<ApolloDriverConfig>({ driver: ApolloDriver, autoSchemaFile: true }),
          ],
          providers: [resolver],
        });
        await expect(booting).rejects.toThrow(
          `${resolver.name}.salary (a field resolver) is not checked: set fieldResolverEnhancers: ['guards']`,
        );
      },
    );
  });

  describe('subscriptions over graphql-ws, on apollo with express', () => {
    let app: INestApplication;
    let url: string;
    beforeAll(async () => {
      app = await graphqlApp('apollo', 'express', target.options, staff.options);
      await app.listen(0, '127.0.0.1');
      url = `ws://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}/graphql`;
    });
    afterAll(() => app.close());

    /** The first event of a subscription: a value, a GraphQL error, or the socket's close. */
    async function subscribe(query: string, connectionParams: Record<string, unknown>) {
      const client = createClient({ url, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });
      try {
        return await new Promise<{
          data?: unknown;
          errors?: GraphQLAnswer['errors'];
          closed?: { code: number; reason: string };
        }>((resolve) => {
          client.subscribe(
            { query },
            {
              next: (value) => resolve(value as never),
              error: (error) => {
                const { code, reason } = error as { code?: number; reason?: string };
                resolve(code === undefined ? { errors: error as never } : { closed: { code, reason: reason ?? '' } });
              },
              complete: () => resolve({}),
            },
          );
        });
      } finally {
        await client.dispose();
      }
    }

    it('verifies the token from connectionParams at connection, and @CognitoUser() sees it', async () => {
      const event = await subscribe('subscription { greetings }', {
        authorization: `Bearer ${target.user.accessToken}`,
      });
      expect(event).toEqual({ data: { greetings: `hello ${target.user.username}` } });
    });

    it.each([
      ['no token', {}, 'TokenMissing'],
      ['a garbage token', { authorization: 'Bearer not-a-jwt' }, 'TokenInvalid'],
      ['another scheme', { Authorization: 'Basic dXNlcjpwYXNz' }, 'TokenInvalid'],
      ['a non-string', { authorization: { token: 'x' } }, 'TokenInvalid'],
    ])('closes the connection with 4401 for %s', async (_case, params, reason) => {
      expect(await subscribe('subscription { greetings }', params)).toEqual({ closed: { code: 4401, reason } });
    });

    it('refuses a subscription that needs a group to a non-member with FORBIDDEN, and serves a member', async () => {
      const refused = await subscribe('subscription { alerts }', {
        authorization: `Bearer ${target.user.accessToken}`,
      });
      expect(refused.errors).toEqual([expect.objectContaining(refusal('FORBIDDEN', 'GroupRequired', 403))]);
      expect(await subscribe('subscription { alerts }', { authorization: `Bearer ${admin.token}` })).toEqual({
        data: { alerts: 'alert' },
      });
    });
  });
});
