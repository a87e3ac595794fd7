// The auth endpoints' challenge round trip (sign-in answers SOFTWARE_TOKEN_MFA, the
// challenge endpoint answers it) on the wire-level stand-in: cognito-local has no
// AdminRespondToAuthChallenge. An app client with a secret, in body and cookie mode.
import { createHmac } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { CognitoModule } from '../../src';
import { ADAPTERS, createApp, http } from '../support/bootstrap';
import { CognitoStandIn, reply, replyError, standInOptions } from '../support/cognito-stand-in';
import { rememberSecrets } from '../support/secrets';

const clientSecret = 'stand-in-auth-client-secret';
const USERNAME = '5b2e0c1a-0000-4000-8000-abcdefabcdef';
const SESSION = 'stand-in-mfa-session';
const PASSWORD = 'Demo-passw0rd!';
/** An access token as Cognito shapes it (unsigned: the endpoint reads its username claim without verifying it). */
const ACCESS = ['{"alg":"RS256","kid":"k"}', JSON.stringify({ username: USERNAME, token_use: 'access' }), 'signature']
  .map((part, i) => (i < 2 ? Buffer.from(part).toString('base64url') : part))
  .join('.');
const REFRESH = 'stand-in.mfa.refresh-token';
rememberSecrets(clientSecret, ACCESS, REFRESH, PASSWORD);

describe.each(ADAPTERS)(
  'the auth endpoints, SOFTWARE_TOKEN_MFA round trip on the wire-level stand-in (secret client), on %s',
  (adapter) => {
    let standIn: CognitoStandIn;
    const apps: Record<'body' | 'cookie', INestApplication> = {} as never;
    const options = () => ({ ...standInOptions(standIn), clientSecret });
    const expectedHash = (name: string) =>
      createHmac('sha256', clientSecret)
        .update(name + standInOptions(standIn).clientId)
        .digest('base64');
    beforeAll(async () => {
      standIn = await new CognitoStandIn((request, res) => {
        if (request.operation === 'AdminInitiateAuth') {
          return reply(res, 200, {
            ChallengeName: 'SOFTWARE_TOKEN_MFA',
            Session: SESSION,
            ChallengeParameters: { USER_ID_FOR_SRP: USERNAME },
          });
        }
        if (request.body.ChallengeResponses?.SOFTWARE_TOKEN_MFA_CODE !== '123456')
          return replyError(res, 'CodeMismatchException', 'Invalid code');
        reply(res, 200, {
          ChallengeParameters: {},
          AuthenticationResult: { AccessToken: ACCESS, IdToken: 'mfa-id-token', RefreshToken: REFRESH },
        });
      }).start();
      rememberSecrets(expectedHash(USERNAME), expectedHash('ann@example.com'));
      apps.body = await createApp(adapter, {
        imports: [CognitoModule.forRoot({ ...options(), authController: true })],
      });
      apps.cookie = await createApp(adapter, {
        imports: [CognitoModule.forRoot({ ...options(), authController: { cookie: { name: 'rt' } } })],
      });
    });
    afterAll(async () => {
      await apps.body.close();
      await apps.cookie.close();
      await standIn.stop();
    });
    beforeEach(() => {
      standIn.requests.length = 0;
    });

    const answer = (app: INestApplication, code: string) =>
      http(app)
        .post('/auth/challenge')
        .send({
          challengeName: 'SOFTWARE_TOKEN_MFA',
          session: SESSION,
          username: USERNAME,
          responses: { SOFTWARE_TOKEN_MFA_CODE: code },
        });

    it.each(['body', 'cookie'] as const)(
      'in %s mode: sign-in answers the challenge with its session (200, no cookie)',
      async (mode) => {
        const res = await http(apps[mode])
          .post('/auth/sign-in')
          .send({ username: 'ann@example.com', password: PASSWORD })
          .expect(200);
        expect(res.body).toEqual({
          challengeName: 'SOFTWARE_TOKEN_MFA',
          session: SESSION,
          challengeParameters: { USER_ID_FOR_SRP: USERNAME },
          authenticationResult: null,
        });
        expect(res.headers['set-cookie']).toBeUndefined();
        expect(res.headers['cache-control']).toBe('no-store');
        expect(standIn.requests[0].body.AuthParameters).toEqual({
          USERNAME: 'ann@example.com',
          PASSWORD,
          SECRET_HASH: expectedHash('ann@example.com'),
        });
      },
    );

    it(
      'in body mode: a wrong code is 401, the right one ' + 'gets the tokens with the refresh token in the JSON',
      async () => {
        expect((await answer(apps.body, '000000').expect(401)).body.code).toBe('NotAuthorizedException');
        const res = await answer(apps.body, '123456').expect(200);
        expect(res.body.authenticationResult).toMatchObject({
          accessToken: ACCESS,
          idToken: 'mfa-id-token',
          refreshToken: REFRESH,
        });
        expect(res.headers['set-cookie']).toBeUndefined();
        expect(res.headers['cache-control']).toBe('no-store');
        expect(standIn.requests[1]).toEqual({
          operation: 'AdminRespondToAuthChallenge',
          body: {
            UserPoolId: 'eu-west-1_StandIn1',
            ClientId: 'standinclient123',
            ChallengeName: 'SOFTWARE_TOKEN_MFA',
            Session: SESSION,
            ChallengeResponses: { USERNAME, SOFTWARE_TOKEN_MFA_CODE: '123456', SECRET_HASH: expectedHash(USERNAME) },
          },
        });
      },
    );

    it(
      "in cookie mode: the refresh token and the access token's username (with its MAC) go to the HttpOnly " +
        'cookie only',
      async () => {
        const res = await answer(apps.cookie, '123456').expect(200);
        expect(res.body.authenticationResult).toMatchObject({ accessToken: ACCESS, refreshToken: null });
        const encoded = Buffer.from(USERNAME).toString('base64url');
        const signed = new RegExp(
          `^rt=${REFRESH.replace(/\./g, '\\.')}~${encoded}~[\\w-]{43}; Max-Age=2592000; Path=/auth; HttpOnly; ` +
            `Secure; SameSite=Strict$`,
        );
        expect(res.headers['set-cookie']).toEqual([expect.stringMatching(signed)]);
      },
    );

    it.each([
      [
        'responses missing',
        { challengeName: 'SOFTWARE_TOKEN_MFA', session: SESSION, username: USERNAME },
        'InvalidParameter',
      ],
      [
        'no session',
        { challengeName: 'SOFTWARE_TOKEN_MFA', username: USERNAME, responses: { SOFTWARE_TOKEN_MFA_CODE: '1' } },
        'InvalidParameter',
      ],
    ])('refuses a challenge answer with %s before any call (400)', async (_case, body, code) => {
      expect((await http(apps.body).post('/auth/challenge').send(body).expect(400)).body.code).toBe(code);
      expect(standIn.requests).toEqual([]);
    });

    it.each([
      ['DEVICE_KEY', { SOFTWARE_TOKEN_MFA_CODE: '123456', DEVICE_KEY: 'eu-west-1_device' }],
      ['userAttributes.email', { SOFTWARE_TOKEN_MFA_CODE: '123456', 'userAttributes.email': 'eve@example.com' }],
      ['userAttributes.custom:role', { SOFTWARE_TOKEN_MFA_CODE: '123456', 'userAttributes.custom:role': 'admin' }],
      ['SMS_MFA_CODE', { SOFTWARE_TOKEN_MFA_CODE: '123456', SMS_MFA_CODE: '123456' }],
    ])(
      'refuses a SOFTWARE_TOKEN_MFA answer that also carries %s: 400 UnexpectedChallengeResponse naming it, ' +
        'before any call',
      async (key, responses) => {
        for (const app of [apps.body, apps.cookie]) {
          const res = await http(app)
            .post('/auth/challenge')
            .send({ challengeName: 'SOFTWARE_TOKEN_MFA', session: SESSION, username: USERNAME, responses })
            .expect(400);
          expect(res.body).toEqual({
            statusCode: 400,
            error: 'Bad Request',
            message: `responses.${key} is not an answer to SOFTWARE_TOKEN_MFA`,
            code: 'UnexpectedChallengeResponse',
          });
          expect(res.headers['set-cookie']).toBeUndefined();
        }
        expect(standIn.requests).toEqual([]);
      },
    );

    it("answers NEW_PASSWORD_REQUIRED with the attributes of the module's allow-list only", async () => {
      const newPassword = 'New-passw0rd!';
      rememberSecrets(newPassword);
      const body = (responses: Record<string, string>) => ({
        challengeName: 'NEW_PASSWORD_REQUIRED',
        session: SESSION,
        username: USERNAME,
        responses,
      });
      const refused = await http(apps.body)
        .post('/auth/challenge')
        .send(body({ NEW_PASSWORD: newPassword, 'userAttributes.custom:role': 'admin' }))
        .expect(400);
      expect(refused.body.code).toBe('UnexpectedChallengeResponse');
      expect(standIn.requests).toEqual([]);
      // The stand-in answers any other code than 123456 as Cognito refuses it: the request is what counts here.
      await http(apps.body)
        .post('/auth/challenge')
        .send(body({ NEW_PASSWORD: newPassword, 'userAttributes.name': 'Ann' }))
        .expect(401);
      expect(standIn.requests[0].body.ChallengeResponses).toEqual({
        USERNAME,
        NEW_PASSWORD: newPassword,
        'userAttributes.name': 'Ann',
        SECRET_HASH: expectedHash(USERNAME),
      });
    });
  },
);
