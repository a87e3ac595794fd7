// Refresh-token rotation: refreshFlow 'getTokensFromRefreshToken' on a wire-level
// stand-in for GetTokensFromRefreshToken (cognito-local does not implement it),
// on Express and Fastify, in body and cookie mode.
import type { ServerResponse } from 'node:http';
import { type INestApplication, Logger } from '@nestjs/common';
import { CognitoModule, type CognitoModuleOptions, CognitoSyncService } from '../../src';
import { ADAPTERS, createApp, http } from '../support/bootstrap';
import { CognitoStandIn, reply, replyError, type StandInRequest } from '../support/cognito-stand-in';
import { rememberSecrets } from '../support/secrets';

const CLIENT_ID = 'rotatingclient123';
const CLIENT_SECRET = 'rotating-client-secret-value';
const INVALID_TOKEN_BODY = {
  statusCode: 401,
  error: 'Unauthorized',
  message: 'Invalid refresh token',
  code: 'NotAuthorizedException',
};

/** Cognito with rotation on: each refresh token works once; using a rotated-out one is a reuse. */
function rotatingCognito() {
  const live = new Set(['rt-0']);
  const rotatedOut = new Set<string>();
  let issued = 0;
  return (request: StandInRequest, res: ServerResponse) => {
    const token = request.body.RefreshToken as string;
    if (request.operation !== 'GetTokensFromRefreshToken')
      return replyError(res, 'InvalidParameterException', 'unexpected operation');
    if (rotatedOut.has(token)) return replyError(res, 'RefreshTokenReuseException', 'Refresh token has been reused');
    if (!live.delete(token)) return replyError(res, 'NotAuthorizedException', 'Invalid Refresh Token.');
    rotatedOut.add(token);
    const next = `rt-${(issued += 1)}`;
    live.add(next);
    reply(res, 200, {
      AuthenticationResult: {
        AccessToken: `access-${issued}`,
        IdToken: `id-${issued}`,
        RefreshToken: next,
        ExpiresIn: 3600,
        TokenType: 'Bearer',
      },
    });
  };
}

describe.each(ADAPTERS)(
  'refresh-token rotation (wire-level stand-in for GetTokensFromRefreshToken), on %s',
  (adapter) => {
    let standIn: CognitoStandIn;
    const options = (): CognitoModuleOptions => ({
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_Rotating1',
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      endpoint: standIn.endpoint,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      refreshFlow: 'getTokensFromRefreshToken',
    });
    beforeAll(() => rememberSecrets(CLIENT_SECRET));
    beforeEach(async () => {
      standIn = await new CognitoStandIn(rotatingCognito()).start();
    });
    afterEach(() => standIn.stop());

    describe('with a JSON body', () => {
      let app: INestApplication;
      beforeEach(async () => {
        app = await createApp(adapter, { imports: [CognitoModule.forRoot({ ...options(), refreshController: true })] });
      });
      afterEach(() => app.close());

      it('returns the new refresh token, sending the raw client secret and no SECRET_HASH or username', async () => {
        const res = await http(app).post('/auth/refresh').send({ refreshToken: 'rt-0' }).expect(200);
        expect(res.body).toEqual({
          challengeName: null,
          session: null,
          challengeParameters: {},
          authenticationResult: {
            accessToken: 'access-1',
            expiresIn: 3600,
            tokenType: 'Bearer',
            refreshToken: 'rt-1',
            idToken: 'id-1',
            newDeviceMetadata: null,
          },
        });
        expect(standIn.requests).toEqual([
          {
            operation: 'GetTokensFromRefreshToken',
            body: { RefreshToken: 'rt-0', ClientId: CLIENT_ID, ClientSecret: CLIENT_SECRET },
          },
        ]);
      });

      it('answers the rotated refresh token with Cache-Control: no-store (RFC 6749 section 5.1)', async () => {
        const res = await http(app).post('/auth/refresh').send({ refreshToken: 'rt-0' }).expect(200);
        expect(res.body.authenticationResult.refreshToken).toBe('rt-1');
        expect(res.headers['cache-control']).toBe('no-store');
      });

      it('answers a reused (rotated-out) token like any invalid one, and logs it as a possible theft', async () => {
        await http(app).post('/auth/refresh').send({ refreshToken: 'rt-0' }).expect(200);
        const warn = jest.spyOn(Logger.prototype, 'warn');
        try {
          const res = await http(app).post('/auth/refresh').send({ refreshToken: 'rt-0' }).expect(401);
          expect(res.body).toEqual(INVALID_TOKEN_BODY);
          const lines = warn.mock.calls.map(([line]) => String(line));
          expect(lines).toContainEqual(
            expect.stringMatching(/^Rotated-out refresh token used again, possible token theft: token=[0-9a-f]{8}$/),
          );
        } finally {
          warn.mockRestore();
        }
      });

      it('hands 50 concurrent refreshes of one token the same rotated pair, for one upstream call', async () => {
        const cognito = app.get(CognitoSyncService);
        const results = await Promise.all(Array.from({ length: 50 }, () => cognito.refreshTokens('rt-0')));
        expect(standIn.requests).toHaveLength(1);
        expect(new Set(results.map((result) => result.AuthenticationResult?.RefreshToken))).toEqual(new Set(['rt-1']));
        expect(cognito.inFlightRefreshes).toBe(0);
      });
    });

    describe('with the cookie', () => {
      let app: INestApplication;
      beforeEach(async () => {
        app = await createApp(adapter, {
          imports: [CognitoModule.forRoot({ ...options(), refreshController: { cookie: {} } })],
        });
      });
      afterEach(() => app.close());

      const fromCookie = (token: string) =>
        http(app)
          .post('/auth/refresh')
          .set('cookie', `cognito_refresh_token=${token}`)
          .set('x-requested-with', 'fetch');

      it(
        "writes the rotated token back as an HttpOnly; Secure cookie on the route's path, and keeps it out of " +
          'the JSON',
        async () => {
          const res = await fromCookie('rt-0').expect(200);
          expect(res.body.authenticationResult).toMatchObject({ accessToken: 'access-1', refreshToken: null });
          expect(res.headers['set-cookie']).toEqual([
            'cognito_refresh_token=rt-1; Max-Age=2592000; Path=/auth/refresh; HttpOnly; Secure; SameSite=Strict',
          ]);
          await fromCookie('rt-1').expect(200);
        },
      );

      it('writes the username stored beside the token back with the rotated token', async () => {
        const username = Buffer.from('9f1c2d3e-0000-4000-8000-1234567890ab').toString('base64url');
        const res = await fromCookie(`rt-0~${username}`).expect(200);
        expect(res.headers['set-cookie']).toEqual([
          `cognito_refresh_token=rt-1~${username}; Max-Age=2592000; Path=/auth/refresh; HttpOnly; Secure; ` +
            `SameSite=Strict`,
        ]);
      });

      it('answers a client that sent the token in the body in the body, and sets no cookie', async () => {
        const res = await http(app).post('/auth/refresh').send({ refreshToken: 'rt-0' }).expect(200);
        expect(res.body.authenticationResult.refreshToken).toBe('rt-1');
        expect(res.headers['set-cookie']).toBeUndefined();
      });

      it('clears the cookie when a rotated-out token comes back', async () => {
        await fromCookie('rt-0').expect(200);
        const res = await fromCookie('rt-0').expect(401);
        expect(res.body).toEqual(INVALID_TOKEN_BODY);
        expect(res.headers['set-cookie']).toEqual([
          'cognito_refresh_token=; Max-Age=0; Path=/auth/refresh; Expires=Thu, 01 Jan 1970 00:00:00 GMT; ' +
            'HttpOnly; Secure; SameSite=Strict',
        ]);
      });
    });
  },
);
