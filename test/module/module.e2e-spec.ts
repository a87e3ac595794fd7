// How CognitoModule fits into an app: registration styles, the filter on the
// app's own routes, the optional endpoint, startup checks and shutdown.
import { AdminGetUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { Controller, ForbiddenException, Get, Inject, type INestApplication, Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import {
  COGNITO_CLIENT,
  CognitoModule,
  type CognitoModuleOptions,
  CognitoSyncService,
  cognitoOptionsFromConfig,
} from '../../src';
import { ADAPTERS, createApp, http } from '../support/bootstrap';
import { type CognitoTarget, localTarget } from '../support/target';

/** An app's own routes that call Cognito, or throw what is not Cognito's. */
@Controller('app')
class AppRoutesController {
  constructor(
    @Inject(COGNITO_CLIENT) private readonly client: CognitoIdentityProviderClient,
    private readonly cognito: CognitoSyncService,
    @Inject('POOL') private readonly pool: CognitoModuleOptions,
  ) {}

  @Get('missing-user')
  missingUser() {
    return this.client.send(new AdminGetUserCommand({ UserPoolId: this.pool.userPoolId, Username: 'nobody-here' }));
  }

  @Get('bad-refresh')
  badRefresh() {
    return this.cognito.refreshTokens('invalid.refresh.token');
  }

  @Get('forbidden')
  forbidden() {
    throw new ForbiddenException('not yours');
  }

  @Get('crash')
  crash() {
    throw new Error('something else broke');
  }
}

const configFor = (options: CognitoModuleOptions) => () => ({
  COGNITO_REGION: options.region,
  COGNITO_USER_POOL_ID: options.userPoolId,
  COGNITO_CLIENT_ID: options.clientId,
  COGNITO_ENDPOINT: options.endpoint,
});

describe('CognitoModule in an app (cognito-local)', () => {
  let target: CognitoTarget;
  const poolProvider = () => ({ provide: 'POOL', useValue: target.options });
  beforeAll(async () => {
    target = await localTarget();
  });

  describe.each(ADAPTERS)('on %s', (adapter) => {
    describe('with the default options', () => {
      let app: INestApplication;
      beforeAll(async () => {
        app = await createApp(adapter, {
          imports: [CognitoModule.forRoot(target.options)],
          controllers: [AppRoutesController],
          providers: [poolProvider()],
        });
      });
      afterAll(() => app.close());

      it("maps a Cognito error thrown in the app's own controller (UserNotFoundException: 404)", async () => {
        const res = await http(app).get('/app/missing-user').expect(404);
        expect(res.body).toEqual({
          statusCode: 404,
          error: 'Not Found',
          message: expect.any(String),
          code: 'UserNotFoundException',
        });
      });

      it("maps a failed refresh in the app's own controller like the endpoint does", async () => {
        const res = await http(app).get('/app/bad-refresh').expect(401);
        expect(res.body).toEqual({
          statusCode: 401,
          error: 'Unauthorized',
          message: 'Invalid refresh token',
          code: 'NotAuthorizedException',
        });
      });

      it('leaves exceptions it does not own to Nest', async () => {
        expect((await http(app).get('/app/forbidden').expect(403)).body).toEqual({
          statusCode: 403,
          error: 'Forbidden',
          message: 'not yours',
        });
        expect((await http(app).get('/app/crash').expect(500)).body).toEqual({
          statusCode: 500,
          message: 'Internal server error',
        });
      });

      it('serves no refresh route unless asked to', async () => {
        await http(app).post('/auth/refresh').send({ refreshToken: target.user.refreshToken }).expect(404);
      });
    });

    it('serves the refresh route at a custom path', async () => {
      const app = await createApp(adapter, {
        imports: [CognitoModule.forRoot({ ...target.options, refreshController: { path: 'session/renew' } })],
      });
      try {
        await http(app).post('/session/renew').send({ refreshToken: target.user.refreshToken }).expect(200);
        await http(app).post('/auth/refresh').send({ refreshToken: target.user.refreshToken }).expect(404);
      } finally {
        await app.close();
      }
    });

    it("keeps the refresh route open under authGuard: true (its caller's access token has expired)", async () => {
      const app = await createApp(adapter, {
        imports: [CognitoModule.forRoot({ ...target.options, authGuard: true, refreshController: true })],
        controllers: [AppRoutesController],
        providers: [poolProvider()],
      });
      try {
        await http(app).post('/auth/refresh').send({ refreshToken: target.user.refreshToken }).expect(200);
        expect((await http(app).get('/app/forbidden').expect(401)).body.code).toBe('TokenMissing');
      } finally {
        await app.close();
      }
    });

    it("works from forRootAsync with ConfigService (the README's path)", async () => {
      const app = await createApp(adapter, {
        imports: [
          ConfigModule.forRoot({ ignoreEnvFile: true, load: [configFor(target.options)] }),
          CognitoModule.forRootAsync({
            imports: [ConfigModule],
            inject: [ConfigService],
            useFactory: (config: ConfigService) => ({
              ...cognitoOptionsFromConfig(config),
              credentials: target.options.credentials,
            }),
            refreshController: true,
          }),
        ],
      });
      try {
        await http(app).post('/auth/refresh').send({ refreshToken: target.user.refreshToken }).expect(200);
      } finally {
        await app.close();
      }
    });

    it('works from forRootAsync with useClass', async () => {
      @Injectable()
      class CognitoConfig {
        createCognitoOptions = () => target.options;
      }
      const app = await createApp(adapter, {
        imports: [CognitoModule.forRootAsync({ useClass: CognitoConfig, refreshController: true })],
      });
      try {
        await http(app).post('/auth/refresh').send({ refreshToken: target.user.refreshToken }).expect(200);
      } finally {
        await app.close();
      }
    });

    it(
      "with exceptionFilter: false, leaves the app's " + "routes to Nest but still maps the endpoint's errors",
      async () => {
        const app = await createApp(adapter, {
          imports: [CognitoModule.forRoot({ ...target.options, exceptionFilter: false, refreshController: true })],
          controllers: [AppRoutesController],
          providers: [poolProvider()],
        });
        try {
          await http(app).get('/app/missing-user').expect(500);
          const res = await http(app).post('/auth/refresh').send({ refreshToken: 'invalid.refresh.token' }).expect(401);
          expect(res.body.code).toBe('NotAuthorizedException');
        } finally {
          await app.close();
        }
      },
    );
  });

  it('is global by default, and not with isGlobal: false', async () => {
    @Module({
      providers: [{ provide: 'USES_COGNITO', inject: [CognitoSyncService], useFactory: (s: CognitoSyncService) => s }],
    })
    class FeatureModule {}
    const global = await Test.createTestingModule({
      imports: [CognitoModule.forRoot(target.options), FeatureModule],
    }).compile();
    expect(global.get('USES_COGNITO')).toBeInstanceOf(CognitoSyncService);
    await global.close();
    await expect(
      Test.createTestingModule({
        imports: [CognitoModule.forRoot({ ...target.options, isGlobal: false }), FeatureModule],
      }).compile(),
    ).rejects.toThrow(/CognitoSyncService/);
  });

  it('destroys its SDK client when the application shuts down', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [CognitoModule.forRoot(target.options)] }).compile();
    const destroy = jest.spyOn(moduleRef.get<CognitoIdentityProviderClient>(COGNITO_CLIENT), 'destroy');
    await moduleRef.close();
    expect(destroy).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['forRoot', () => CognitoModule.forRoot({ ...target.options, userPoolId: undefined as unknown as string })],
    ['forRootAsync', () => CognitoModule.forRootAsync({ useFactory: () => ({ ...target.options, userPoolId: '' }) })],
  ])('fails at startup, naming the option, when userPoolId is missing (%s)', async (_style, module) => {
    await expect(Test.createTestingModule({ imports: [module()] }).compile()).rejects.toThrow(
      'CognitoModule: userPoolId is required',
    );
  });
});
