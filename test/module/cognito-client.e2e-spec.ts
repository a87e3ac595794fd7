// COGNITO_CLIENT as apps use it (docs/configuration.md): the SDK client, injected to add middleware or read
// from the module, overridden or mocked in an app's tests. The SDK now loads on first need and the client is
// created on first use: nothing an app does with it may notice, but for the CHANGELOG's one nuance (its
// prototype before the SDK is loaded). cognito-local, unless an app replaces the client itself.
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  CognitoIdentityProviderClient,
  NotAuthorizedException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { Controller, Get, Inject, Injectable, type OnModuleInit, Param, Post } from '@nestjs/common';
import { sep } from 'node:path';
import { Test } from '@nestjs/testing';
import { mockClient } from 'aws-sdk-client-mock';
import {
  COGNITO_CLIENT,
  CognitoModule,
  type CognitoModuleOptions,
  CognitoSyncService,
  getCognitoClientToken,
  InjectCognito,
  Public,
} from '../../src';
import { ADAPTERS, appOf, bearer, createApp, http } from '../support/bootstrap';
import { rememberSecrets } from '../support/secrets';
import { type CognitoTarget, localTarget } from '../support/target';

/** What docs/configuration.md has an app do: inject the client and add a middleware before its first call. */
function logCommands(client: CognitoIdentityProviderClient, commands: string[]): void {
  client.middlewareStack.add(
    (next, context) => (args) => {
      commands.push(context.commandName ?? 'unnamed');
      return next(args);
    },
    { step: 'initialize', name: 'appCommandLog' },
  );
}

@Injectable()
class CommandLog implements OnModuleInit {
  readonly commands: string[] = [];
  constructor(@Inject(COGNITO_CLIENT) private readonly client: CognitoIdentityProviderClient) {}
  onModuleInit(): void {
    logCommands(this.client, this.commands);
  }
}

@Injectable()
class StaffCommandLog implements OnModuleInit {
  readonly commands: string[] = [];
  constructor(@Inject(getCognitoClientToken('staff')) private readonly client: CognitoIdentityProviderClient) {}
  onModuleInit(): void {
    logCommands(this.client, this.commands);
  }
}

@Injectable()
class TwoPools {
  constructor(
    readonly customers: CognitoSyncService,
    @InjectCognito('staff') readonly staff: CognitoSyncService,
  ) {}
}

/** Another AWS SDK client's error: the same shape as Cognito's, not one of its classes. */
class OtherServiceError extends Error {
  readonly $fault = 'client';
  readonly $metadata = { httpStatusCode: 403 };
  override readonly name = 'AccessDenied';
}

@Controller('app')
class AppRoutes {
  constructor(private readonly cognito: CognitoSyncService) {}

  @Public()
  @Get('users/:username')
  findUser(@Param('username') username: string) {
    return this.cognito.findUser(username);
  }

  @Public()
  @Post('own-cognito-error')
  ownCognitoError() {
    throw new NotAuthorizedException({ message: 'made by the app', $metadata: {} });
  }

  @Public()
  @Post('other-sdk-error')
  otherSdkError() {
    throw new OtherServiceError('made by another SDK client');
  }
}

const NOT_AUTHORIZED = {
  statusCode: 401,
  error: 'Unauthorized',
  message: 'Not authorized',
  code: 'NotAuthorizedException',
};

describe('COGNITO_CLIENT in an app (cognito-local)', () => {
  let target: CognitoTarget;
  beforeAll(async () => {
    target = await localTarget();
  });

  describe.each(ADAPTERS)('on %s', (adapter) => {
    it(
      'a middleware added in onModuleInit sees every call of the module: the guard, the service, the ' +
        'refresh endpoint (options that create the client at boot)',
      async () => {
        const app = await createApp(adapter, {
          imports: [
            CognitoModule.forRoot({
              ...target.options,
              authGuard: true,
              revocationCheck: true,
              refreshController: true,
            }),
          ],
          controllers: [AppRoutes],
          providers: [CommandLog],
        });
        try {
          const { commands } = app.get(CommandLog);
          await http(app).get(`/app/users/${target.user.username}`).set(bearer(target.user.accessToken)).expect(200);
          await http(app).post('/auth/refresh').send({ refreshToken: target.user.refreshToken }).expect(200);
          expect(commands).toEqual(['GetUserCommand', 'AdminGetUserCommand', 'AdminInitiateAuthCommand']);
        } finally {
          await app.close();
        }
      },
    );

    it(
      'a service-only app: the middleware sees the first call, the client is the SDK class, and the ' +
        'client is destroyed at close',
      async () => {
        const app = await createApp(adapter, {
          imports: [CognitoModule.forRoot(target.options)],
          controllers: [AppRoutes],
          providers: [CommandLog],
        });
        const client = app.get<CognitoIdentityProviderClient>(COGNITO_CLIENT);
        const destroy = jest.spyOn(client, 'destroy');
        try {
          expect(client).toBeInstanceOf(CognitoIdentityProviderClient);
          expect(Object.getPrototypeOf(client)).toBe(CognitoIdentityProviderClient.prototype);
          const res = await http(app).get(`/app/users/${target.user.username}`).expect(200);
          expect(res.body.username).toBe(target.user.username);
          expect(app.get(CommandLog).commands).toEqual(['AdminGetUserCommand']);
        } finally {
          await app.close();
        }
        expect(destroy).toHaveBeenCalledTimes(1);
      },
    );

    it(
      "the filter answers a Cognito exception the app constructs itself, and leaves another SDK client's " +
        'error to Nest',
      async () => {
        const app = await createApp(adapter, {
          imports: [CognitoModule.forRoot(target.options)],
          controllers: [AppRoutes],
        });
        try {
          expect((await http(app).post('/app/own-cognito-error').expect(401)).body).toEqual(NOT_AUTHORIZED);
          expect((await http(app).post('/app/other-sdk-error').expect(500)).body).toEqual({
            statusCode: 500,
            message: 'Internal server error',
          });
        } finally {
          await app.close();
        }
      },
    );

    it("overrideProvider(COGNITO_CLIENT).useValue(fake): the module's calls go to the fake", async () => {
      const fakeTokens = { AccessToken: `fake-access-${adapter}`, IdToken: `fake-id-${adapter}`, ExpiresIn: 3600 };
      rememberSecrets(fakeTokens.AccessToken, fakeTokens.IdToken);
      const fake = {
        send: jest.fn(async (command: object) =>
          command instanceof AdminInitiateAuthCommand
            ? { $metadata: {}, ChallengeParameters: {}, AuthenticationResult: fakeTokens }
            : { $metadata: {}, Username: 'from-the-fake', UserAttributes: [], Enabled: true, UserStatus: 'CONFIRMED' },
        ),
        destroy: jest.fn(),
      };
      // No endpoint, no credentials: a call that reached past the fake would fail.
      const options: CognitoModuleOptions = {
        region: 'eu-west-1',
        userPoolId: 'eu-west-1_Fake1',
        clientId: 'fakeclient',
      };
      const moduleRef = await Test.createTestingModule({
        imports: [CognitoModule.forRoot({ ...options, refreshController: true })],
        controllers: [AppRoutes],
      })
        .overrideProvider(COGNITO_CLIENT)
        .useValue(fake)
        .compile();
      const app = await appOf(adapter, moduleRef);
      try {
        expect(app.get(COGNITO_CLIENT)).toBe(fake);
        expect((await http(app).get('/app/users/ann').expect(200)).body.username).toBe('from-the-fake');
        const refreshed = await http(app).post('/auth/refresh').send({ refreshToken: 'a.refresh.token' }).expect(200);
        expect(refreshed.body.authenticationResult.accessToken).toBe(fakeTokens.AccessToken);
        expect(fake.send.mock.calls.map(([command]) => command.constructor.name)).toEqual([
          'AdminGetUserCommand',
          'AdminInitiateAuthCommand',
        ]);
      } finally {
        await app.close();
      }
      expect(fake.destroy).toHaveBeenCalledTimes(1);
    });

    it("aws-sdk-client-mock's mockClient(CognitoIdentityProviderClient) intercepts the module's calls", async () => {
      const cognito = mockClient(CognitoIdentityProviderClient);
      const app = await createApp(adapter, {
        imports: [CognitoModule.forRoot({ ...target.options, refreshController: true })],
        controllers: [AppRoutes],
      });
      try {
        const mockedTokens = { AccessToken: `mocked-access-${adapter}`, IdToken: `mocked-id-${adapter}` };
        rememberSecrets(mockedTokens.AccessToken, mockedTokens.IdToken);
        cognito.on(AdminInitiateAuthCommand).resolves({ AuthenticationResult: mockedTokens });
        cognito.on(AdminGetUserCommand).rejects(new UserNotFoundException({ message: 'mocked', $metadata: {} }));
        // The real user: cognito-local would answer 200.
        const missing = await http(app).get(`/app/users/${target.user.username}`).expect(404);
        expect(missing.body.code).toBe('UserNotFoundException');
        const refreshed = await http(app).post('/auth/refresh').send({ refreshToken: 'a.refresh.token' }).expect(200);
        expect(refreshed.body.authenticationResult.accessToken).toBe(mockedTokens.AccessToken);
        expect(cognito.calls()).toHaveLength(2);
      } finally {
        cognito.restore();
        await app.close();
      }
    });

    it("mockClient(app.get(COGNITO_CLIENT)), the instance, intercepts the module's calls", async () => {
      const app = await createApp(adapter, {
        imports: [CognitoModule.forRoot(target.options)],
        controllers: [AppRoutes],
      });
      const cognito = mockClient(app.get<CognitoIdentityProviderClient>(COGNITO_CLIENT));
      try {
        cognito.on(AdminGetUserCommand).rejects(new UserNotFoundException({ message: 'mocked', $metadata: {} }));
        const missing = await http(app).get(`/app/users/${target.user.username}`).expect(404);
        expect(missing.body.code).toBe('UserNotFoundException');
        expect(cognito.commandCalls(AdminGetUserCommand)).toHaveLength(1);
      } finally {
        cognito.restore();
        await app.close();
      }
    });
  });

  describe.each(ADAPTERS)('an app that never calls Cognito, in a module registry of its own, on %s', (adapter) => {
    // A fresh registry, as in a fresh process: this file's own imports have loaded the SDK.
    const sdkLoaded = () =>
      Object.keys(require.cache).some((file) => file.includes(`${sep}client-cognito-identity-provider${sep}`));

    it(
      'loads no SDK at boot, on its requests (guarded, refused, 404) or at close, though a provider injects ' +
        "COGNITO_CLIENT; until the SDK loads, the client's prototype is an empty object's",
      async () => {
        await jest.isolateModulesAsync(async () => {
          const common = await import('@nestjs/common');
          const { COGNITO_CLIENT: CLIENT, CognitoModule: Module, Public: Open } = await import('../../src');
          const { createApp: create, http: request } = await import('../support/bootstrap');

          @common.Controller('probe')
          class ProbeController {
            constructor(@common.Inject(CLIENT) readonly client: object) {}

            @common.Get('guarded')
            guarded() {
              return { guarded: true };
            }

            @Open()
            @common.Get('missing')
            missing() {
              throw new common.NotFoundException();
            }
          }

          const app = await create(adapter, {
            imports: [Module.forRoot({ ...target.options, authGuard: true })],
            controllers: [ProbeController],
          });
          const client = app.get<object>(CLIENT);
          try {
            expect(app.get(ProbeController).client).toBe(client);
            await request(app).get('/probe/guarded').set(bearer(target.user.accessToken)).expect(200);
            expect((await request(app).get('/probe/guarded').expect(401)).body.code).toBe('TokenMissing');
            await request(app).get('/probe/missing').expect(404);
            const prototype = Object.getPrototypeOf(client) as object;
            expect(Object.getOwnPropertyNames(prototype)).toEqual(['constructor']);
            expect(Object.getPrototypeOf(prototype)).toBe(Object.prototype);
            expect(sdkLoaded()).toBe(false);
          } finally {
            await app.close();
          }
          expect(sdkLoaded()).toBe(false);

          // The probe sees the SDK once something loads it: touching the client does.
          (client as CognitoIdentityProviderClient).destroy();
          expect(sdkLoaded()).toBe(true);
          const sdk = await import('@aws-sdk/client-cognito-identity-provider');
          expect(Object.getPrototypeOf(client)).toBe(sdk.CognitoIdentityProviderClient.prototype);
        });
      },
    );
  });

  it("getCognitoClientToken(name): a named pool's client works the same, apart from the default one's", async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        CognitoModule.forRoot(target.options),
        CognitoModule.forRootAsync({ name: 'staff', useFactory: () => target.options }),
      ],
      providers: [CommandLog, StaffCommandLog, TwoPools],
    }).compile();
    await moduleRef.init();
    try {
      const staffClient = moduleRef.get<CognitoIdentityProviderClient>(getCognitoClientToken('staff'));
      expect(staffClient).toBeInstanceOf(CognitoIdentityProviderClient);
      const { customers, staff } = moduleRef.get(TwoPools);
      expect((await staff.findUser(target.user.username)).username).toBe(target.user.username);
      expect(moduleRef.get(StaffCommandLog).commands).toEqual(['AdminGetUserCommand']);
      expect(moduleRef.get(CommandLog).commands).toEqual([]);
      await customers.findUser(target.user.username);
      expect(moduleRef.get(CommandLog).commands).toEqual(['AdminGetUserCommand']);
      expect(moduleRef.get(StaffCommandLog).commands).toEqual(['AdminGetUserCommand']);
    } finally {
      await moduleRef.close();
    }
  });
});
