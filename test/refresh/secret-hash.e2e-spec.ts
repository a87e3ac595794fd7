// App clients with a secret: every refresh carries SECRET_HASH over the user's
// internal username, taken from the body or from a Bearer token.
import { createHmac } from 'node:crypto';
import { type INestApplication, Logger } from '@nestjs/common';
import { COGNITO_CLIENT, CognitoModule, type CognitoModuleOptions } from '../../src';
import { ADAPTERS, createApp, http } from '../support/bootstrap';
import { CognitoStandIn, replyError, standInOptions } from '../support/cognito-stand-in';
import { rememberSecrets } from '../support/secrets';
import { type CognitoTarget, localTarget } from '../support/target';

describe.each(ADAPTERS)('secret app client against cognito-local, on %s', (adapter) => {
  let target: CognitoTarget;
  let app: INestApplication;
  let send: jest.SpyInstance;
  beforeAll(async () => {
    target = await localTarget({ secret: true });
    app = await createApp(adapter, {
      imports: [CognitoModule.forRoot({ ...target.options, refreshController: true })],
    });
    send = jest.spyOn(app.get(COGNITO_CLIENT), 'send');
  });
  afterAll(() => app.close());
  beforeEach(() => send.mockClear());

  it('refreshes with the username in the body', async () => {
    const { refreshToken, username } = target.user;
    await http(app).post('/auth/refresh').send({ refreshToken, username }).expect(200);
  });

  it('refreshes with the username read from a Bearer access token', async () => {
    const { refreshToken, accessToken } = target.user;
    await http(app)
      .post('/auth/refresh')
      .set('authorization', `Bearer ${accessToken}`)
      .send({ refreshToken })
      .expect(200);
  });

  it('answers 400 UsernameRequired without calling Cognito when neither is given', async () => {
    const res = await http(app).post('/auth/refresh').send({ refreshToken: target.user.refreshToken }).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'UsernameRequired' });
    expect(send).not.toHaveBeenCalled();
  });

  it('answers 400 without calling Cognito for a Bearer value that is not a token', async () => {
    const res = await http(app)
      .post('/auth/refresh')
      .set('authorization', 'Bearer not-a-jwt')
      .send({ refreshToken: target.user.refreshToken })
      .expect(400);
    expect(res.body).toMatchObject({ code: 'InvalidAuthorizationHeader' });
    expect(send).not.toHaveBeenCalled();
  });
});

// cognito-local never checks SECRET_HASH, so the exact request is asserted on the wire.
describe.each(ADAPTERS)('SECRET_HASH on the wire (wire-level stand-in, not cognito-local), on %s', (adapter) => {
  const clientId = 'standinclient123';
  const clientSecret = 'stand-in-client-secret-value';
  const username = '9f1c2d3e-0000-4000-8000-1234567890ab';
  const expectedHash = createHmac('sha256', clientSecret)
    .update(username + clientId)
    .digest('base64');
  const email = 'someone@example.com';
  const unsigned = (claims: object) =>
    ['{"alg":"RS256","kid":"k"}', JSON.stringify(claims), 'sig']
      .map((part) => Buffer.from(part).toString('base64url'))
      .join('.');
  let standIn: CognitoStandIn;
  let app: INestApplication;
  beforeAll(async () => {
    standIn = await new CognitoStandIn().start();
    rememberSecrets(clientSecret, expectedHash);
    app = await createApp(adapter, {
      imports: [
        CognitoModule.forRoot({
          region: 'eu-west-1',
          userPoolId: 'eu-west-1_StandIn1',
          clientId,
          clientSecret,
          endpoint: standIn.endpoint,
          credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
          refreshController: true,
        }),
      ],
    });
  });
  afterAll(async () => {
    await app.close();
    await standIn.stop();
  });
  beforeEach(() => {
    standIn.requests.length = 0;
  });

  it.each([
    ['the username field', {}, { username }],
    [
      'a Bearer access token (username claim)',
      { authorization: `Bearer ${unsigned({ username, token_use: 'access' })}` },
      {},
    ],
    [
      'a Bearer ID token (cognito:username, not the email)',
      { authorization: `Bearer ${unsigned({ 'cognito:username': username, email, token_use: 'id' })}` },
      {},
    ],
  ])('sends Base64(HMAC_SHA256(secret, username + clientId)) from %s', async (_from, headers, body) => {
    await http(app)
      .post('/auth/refresh')
      .set(headers)
      .send({ refreshToken: 'stand.in.refresh', deviceKey: 'eu-west-1_device-1', ...body })
      .expect(200);
    expect(standIn.requests).toEqual([
      {
        operation: 'AdminInitiateAuth',
        body: {
          UserPoolId: 'eu-west-1_StandIn1',
          ClientId: clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: {
            REFRESH_TOKEN: 'stand.in.refresh',
            SECRET_HASH: expectedHash,
            DEVICE_KEY: 'eu-west-1_device-1',
          },
        },
      },
    ]);
  });

  it.each([
    `Unable to verify secret hash for client ${clientId}`,
    `SecretHash does not match for the client: ${clientId}`,
  ])(
    'answers 400 InvalidUsername, not 401 or 500, when Cognito cannot verify the hash of the username given ("%s")',
    async (message) => {
      standIn.respondWith((_req, res) => replyError(res, 'NotAuthorizedException', message));
      const res = await http(app)
        .post('/auth/refresh')
        .send({ refreshToken: 'stand.in.refresh', username: 'someone@example.com' })
        .expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'The username does not match these credentials',
        code: 'InvalidUsername',
      });
    },
  );

  it('answers 500 CognitoMisconfigured when Cognito expected a secret the app did not send', async () => {
    standIn.respondWith((_req, res) =>
      replyError(
        res,
        'NotAuthorizedException',
        `Client ${clientId} is configured for secret but secret was not received`,
      ),
    );
    const res = await http(app).post('/auth/refresh').send({ refreshToken: 'stand.in.refresh', username }).expect(500);
    expect(res.body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Internal server error',
      code: 'CognitoMisconfigured',
    });
  });
});

// A refused SECRET_HASH is never the user's token at fault: the cookie must survive it.
describe.each(ADAPTERS)(
  'a refused SECRET_HASH on a cookie-borne refresh (wire-level stand-in, not cognito-local), on %s',
  (adapter) => {
    const clientId = 'standinclient123';
    const clientSecret = 'stand-in-cookie-client-secret';
    const refreshToken = 'stand.in.cookie-refresh';
    const username = '9f1c2d3e-0000-4000-8000-1234567890ab';
    const REFUSALS = [
      `Unable to verify secret hash for client ${clientId}`,
      `SecretHash does not match for the client: ${clientId}`,
    ];
    let standIn: CognitoStandIn;
    let app: INestApplication | undefined;
    beforeAll(async () => {
      standIn = await new CognitoStandIn().start();
      rememberSecrets(
        clientSecret,
        refreshToken,
        createHmac('sha256', clientSecret)
          .update(username + clientId)
          .digest('base64'),
      );
    });
    afterEach(async () => {
      await app?.close();
      app = undefined;
    });
    afterAll(() => standIn.stop());

    const start = async (refreshFlow: CognitoModuleOptions['refreshFlow']) => {
      const options = {
        region: 'eu-west-1',
        userPoolId: 'eu-west-1_StandIn1',
        clientId,
        clientSecret,
        endpoint: standIn.endpoint,
        refreshFlow,
      };
      app = await createApp(adapter, {
        imports: [
          CognitoModule.forRoot({
            ...options,
            credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
            refreshController: { cookie: {} },
          }),
        ],
      });
      return app;
    };
    const fromCookie = (nest: INestApplication) =>
      http(nest)
        .post('/auth/refresh')
        .set('cookie', `cognito_refresh_token=${refreshToken}`)
        .set('x-requested-with', 'fetch');

    it.each(REFUSALS)(
      'AdminInitiateAuth (hash over the username given): 400 InvalidUsername, the cookie kept ("%s")',
      async (message) => {
        standIn.respondWith((_req, res) => replyError(res, 'NotAuthorizedException', message));
        const res = await fromCookie(await start('adminInitiateAuth'))
          .send({ username })
          .expect(400);
        expect(res.body).toMatchObject({ statusCode: 400, code: 'InvalidUsername' });
        expect(res.headers['set-cookie']).toBeUndefined();
      },
    );

    it.each(REFUSALS)(
      'GetTokensFromRefreshToken (no caller input in a hash): 500 CognitoMisconfigured, the cookie kept ("%s")',
      async (message) => {
        standIn.respondWith((_req, res) => replyError(res, 'NotAuthorizedException', message));
        const res = await fromCookie(await start('getTokensFromRefreshToken')).expect(500);
        expect(res.body).toEqual({
          statusCode: 500,
          error: 'Internal Server Error',
          message: 'Internal server error',
          code: 'CognitoMisconfigured',
        });
        expect(res.headers['set-cookie']).toBeUndefined();
      },
    );
  },
);

describe.each(ADAPTERS)(
  'a refused SECRET_HASH over a body username on sign-in and challenge (wire-level stand-in, not cognito-local), on %s',
  (adapter) => {
    const clientSecret = 'stand-in-client-secret-value';
    let standIn: CognitoStandIn;
    let app: INestApplication;
    beforeAll(async () => {
      standIn = await new CognitoStandIn().start();
      rememberSecrets(clientSecret);
      app = await createApp(adapter, {
        imports: [CognitoModule.forRoot({ ...standInOptions(standIn), clientSecret, authController: true })],
      });
    });
    afterAll(async () => {
      await app.close();
      await standIn.stop();
    });

    it.each([
      ['sign-in', (username: string) => ({ username, password: 'whatever-Passw0rd' })],
      [
        'challenge',
        (username: string) => ({
          challengeName: 'SOFTWARE_TOKEN_MFA',
          session: 'x'.repeat(40),
          username,
          responses: { SOFTWARE_TOKEN_MFA_CODE: '123456' },
        }),
      ],
    ])(
      '%s: 400 InvalidUsername for each of 20 usernames the caller chose, no ERROR, at most one (rate-limited) warning',
      async (route, body) => {
        standIn.respondWith((request, res) =>
          replyError(res, 'NotAuthorizedException', `Unable to verify secret hash for client ${request.body.ClientId}`),
        );
        const logged = { error: jest.spyOn(Logger.prototype, 'error'), warn: jest.spyOn(Logger.prototype, 'warn') };
        try {
          for (let i = 0; i < 20; i++) {
            const res = await http(app)
              .post(`/auth/${route}`)
              .send(body(`victim${i}@example.com`));
            expect([res.status, res.body.code]).toEqual([400, 'InvalidUsername']);
          }
          const lines = (spy: jest.SpyInstance) => spy.mock.calls.map(([line]) => String(line));
          expect(lines(logged.error)).toEqual([]);
          expect(lines(logged.warn).filter((line) => line.includes('secret hash refused')).length).toBeLessThanOrEqual(
            1,
          );
        } finally {
          jest.restoreAllMocks();
        }
      },
    );
  },
);
