// Field resolvers under authGuard: true, against the suite's cognito-local, on Apollo with
// Express and Mercurius with Fastify. @nestjs/graphql runs no guard on a field resolver
// unless fieldResolverEnhancers includes 'guards': a plain @ResolveField under a @Public()
// query would be served to anyone, so such an app does not start.
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { Field, GraphQLModule, ObjectType, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import {
  CognitoConfigurationError,
  CognitoModule,
  type CognitoModuleOptions,
  CognitoPool,
  CognitoUser,
  Public,
} from '../../../src';
import { type AdapterName, bearer, createApp, http } from '../../support/bootstrap';
import { createDemoPool } from '../../support/cognito-local';
import { rememberSecrets } from '../../support/secrets';
import { type CognitoTarget, localTarget } from '../../support/target';

@ObjectType()
class Item {
  @Field()
  name!: string;
}

@Resolver(() => Item)
class ItemResolver {
  @Public()
  @Query(() => Item)
  item(): Item {
    return { name: 'lamp' };
  }

  /** Plain: no decorator of this module, so it needs a token like any resolver under authGuard. */
  @ResolveField(() => String, { nullable: true })
  price(@CognitoUser('username') username: string): string {
    return `price for ${username}`;
  }

  @Public()
  @ResolveField(() => String)
  label(): string {
    return 'label';
  }
}

/** A named pool's field resolvers: staff tokens only. */
@CognitoPool('staff')
@Resolver(() => Item)
class StaffItemResolver {
  @ResolveField(() => String, { nullable: true })
  stock(): string {
    return '12';
  }
}

type DriverName = 'apollo' | 'mercurius';
const DRIVERS: Array<[DriverName, AdapterName]> = [
  ['apollo', 'express'],
  ['mercurius', 'fastify'],
];

function graphqlModule(driver: DriverName, fieldResolverEnhancers: Array<'guards'>): DynamicModule {
  // cache: false as in graphql.e2e-spec.ts: mercurius's query cache imports an ESM-only package Jest cannot load on
  // Node 20.
  return driver === 'mercurius'
    ? GraphQLModule.forRoot<MercuriusDriverConfig>({
        driver: MercuriusDriver,
        autoSchemaFile: true,
        fieldResolverEnhancers,
        cache: false,
      })
    : GraphQLModule.forRoot<ApolloDriverConfig>({ driver: ApolloDriver, autoSchemaFile: true, fieldResolverEnhancers });
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

const refusal = (path: string[], cognitoCode: string) =>
  expect.objectContaining({
    path,
    extensions: expect.objectContaining({ code: 'UNAUTHENTICATED', cognitoCode, statusCode: 401 }),
  });

describe('field resolvers under authGuard: true', () => {
  let target: CognitoTarget;
  let staff: CognitoModuleOptions;
  let staffToken: string;
  beforeAll(async () => {
    target = await localTarget();
    const pool = await createDemoPool(target.options.endpoint!);
    rememberSecrets(pool.accessToken, pool.idToken, pool.refreshToken);
    staff = { ...target.options, userPoolId: pool.userPoolId, clientId: pool.clientId };
    staffToken = pool.accessToken;
  });

  const boot = (driver: DriverName, adapter: AdapterName, enhancers: Array<'guards'>) =>
    createApp(adapter, {
      imports: [
        CognitoModule.forRoot({ ...target.options, authGuard: true }),
        CognitoModule.forRoot({ ...staff, name: 'staff' }),
        graphqlModule(driver, enhancers),
      ],
      providers: [ItemResolver, StaffItemResolver],
    });

  describe.each(DRIVERS)('on %s with %s', (driver, adapter) => {
    it(
      'refuses to start without fieldResolverEnhancers: ' + "['guards'], naming the field resolver and the fix",
      async () => {
        const booting = boot(driver, adapter, []);
        await expect(booting).rejects.toThrow(CognitoConfigurationError);
        await expect(booting).rejects.toThrow(
          'CognitoAuthGuard does not reach ItemResolver.price (a field resolver): @nestjs/graphql runs no ' +
            'guard on it, app-wide ones included, so it is open to anyone. Set fieldResolverEnhancers: ' +
            "['guards'] in GraphQLModule's options, or add @Public() to ItemResolver.price to leave it open",
        );
      },
    );

    it.each([
      ['useValue', { provide: 'ITEM_RESOLVER', useValue: new ItemResolver() }],
      ['useFactory', { provide: 'ITEM_RESOLVER', useFactory: () => new ItemResolver() }],
    ])(
      'refuses to start with the resolver provided by %s too (no class as metatype; @nestjs/graphql ' +
        "registers its instance's methods)",
      async (_case, provider) => {
        const booting = createApp(adapter, {
          imports: [CognitoModule.forRoot({ ...target.options, authGuard: true }), graphqlModule(driver, [])],
          providers: [provider],
        });
        await expect(booting).rejects.toThrow('CognitoAuthGuard does not reach ItemResolver.price (a field resolver)');
      },
    );

    describe("with fieldResolverEnhancers: ['guards']", () => {
      let app: INestApplication;
      beforeAll(async () => {
        app = await boot(driver, adapter, ['guards']);
      });
      afterAll(() => app.close());

      it(
        'refuses the plain field to an anonymous caller of the @Public() query (UNAUTHENTICATED), and answers ' +
          'the rest',
        async () => {
          const answer = await gql(app, '{ item { name label price stock } }');
          expect(answer.data).toEqual({ item: { name: 'lamp', label: 'label', price: null, stock: null } });
          expect(answer.errors).toHaveLength(2);
          expect(answer.errors).toEqual(
            expect.arrayContaining([
              refusal(['item', 'price'], 'TokenMissing'),
              refusal(['item', 'stock'], 'TokenMissing'),
            ]),
          );
        },
      );

      it('serves the plain field with a token, and the @Public() field with or without one', async () => {
        const answer = await gql(app, '{ item { name label price } }', target.user.accessToken);
        expect(answer).toEqual({
          data: { item: { name: 'lamp', label: 'label', price: `price for ${target.user.username}` } },
        });
      });

      it(
        "leaves a @CognitoPool('staff') field resolver to the staff pool: its token is served, the default " +
          "pool's refused",
        async () => {
          expect(await gql(app, '{ item { stock } }', staffToken)).toEqual({ data: { item: { stock: '12' } } });
          const wrongPool = await gql(app, '{ item { stock } }', target.user.accessToken);
          expect(wrongPool.data).toEqual({ item: { stock: null } });
          expect(wrongPool.errors).toEqual([refusal(['item', 'stock'], 'TokenInvalid')]);
        },
      );
    });
  });
});
