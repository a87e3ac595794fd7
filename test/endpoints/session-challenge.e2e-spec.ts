// Session mode's challenge round trip (sign-in answers NEW_PASSWORD_REQUIRED, the challenge endpoint
// answers it and the user ends signed in) on the wire-level Cognito stand-in: cognito-local has no
// AdminRespondToAuthChallenge. The session store is the stand-in too (CognitoServerSessions is wired on
// another branch). An app client with a secret: the session keeps the internal username a refresh needs.
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { CognitoModule } from '../../src';
import { CognitoServerSessions } from '../../src/session/cognito-server-sessions';
import { ADAPTERS, appOf, http } from '../support/bootstrap';
import { CognitoStandIn, reply, replyError, standInOptions } from '../support/cognito-stand-in';
import { AnswerBodies } from '../support/no-token-in-body';
import { rememberSecrets } from '../support/secrets';
import { StandInServerSessions, StandInServerSessionsModule } from '../support/server-sessions-stand-in';

const clientSecret = 'stand-in-session-client-secret';
const USERNAME = '7c1e0c1a-0000-4000-8000-abcdefabcdef';
const SESSION = 'stand-in-new-password-session';
const NEW_PASSWORD = 'Brand-new-passw0rd!';
/** Tokens as Cognito shapes them (unsigned: nothing here verifies them). */
const jwt = (claims: object) =>
  [{ alg: 'RS256', kid: 'k' }, claims]
    .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
    .join('.') + '.signature';
const exp = Math.floor(Date.now() / 1000) + 3600;
const ACCESS = jwt({ sub: USERNAME, username: USERNAME, token_use: 'access', exp });
const ID = jwt({ sub: USERNAME, 'cognito:username': USERNAME, email: 'new@example.com', token_use: 'id', exp });
const REFRESH = 'stand-in.new-password.refresh-token';
rememberSecrets(clientSecret, ACCESS, ID, REFRESH, NEW_PASSWORD, 'Temp-passw0rd!');

describe.each(ADAPTERS)(
  'session mode, NEW_PASSWORD_REQUIRED round trip on the wire-level stand-in (secret client), on %s',
  (adapter) => {
    let standIn: CognitoStandIn;
    let app: INestApplication;
    const sessions = new StandInServerSessions();
    const bodies = new AnswerBodies();
    beforeAll(async () => {
      standIn = await new CognitoStandIn((request, res) => {
        if (request.operation === 'AdminInitiateAuth')
          return reply(res, 200, { ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: SESSION, ChallengeParameters: {} });
        if (request.body.ChallengeResponses?.NEW_PASSWORD !== NEW_PASSWORD)
          return replyError(res, 'InvalidPasswordException', 'Password does not conform to policy');
        reply(res, 200, {
          ChallengeParameters: {},
          AuthenticationResult: { AccessToken: ACCESS, IdToken: ID, RefreshToken: REFRESH, ExpiresIn: 3600 },
        });
      }).start();
      const moduleRef = await Test.createTestingModule({
        imports: [
          StandInServerSessionsModule.with(sessions),
          CognitoModule.forRoot({
            ...standInOptions(standIn),
            clientSecret,
            session: { secret: 'a-session-secret-of-at-least-32-characters' },
            authController: true,
          }),
        ],
      })
        .overrideProvider(CognitoServerSessions)
        .useValue(sessions)
        .compile();
      app = await appOf(adapter, moduleRef);
    });
    afterAll(async () => {
      await app.close();
      await standIn.stop();
    });

    it('answers the challenge as before (no cookie), then signs in with a session, no token in a body', async () => {
      const first = bodies.record(
        await http(app).post('/auth/sign-in').send({ username: 'new@example.com', password: 'Temp-passw0rd!' }),
      );
      expect(first.status).toBe(200);
      expect(first.body).toEqual({
        challengeName: 'NEW_PASSWORD_REQUIRED',
        session: SESSION,
        challengeParameters: {},
        authenticationResult: null,
      });
      expect(first.headers['set-cookie']).toBeUndefined();
      expect(sessions.started).toEqual([]);

      const answer = bodies.record(
        await http(app).post('/auth/challenge').send({
          challengeName: 'NEW_PASSWORD_REQUIRED',
          session: SESSION,
          username: 'new@example.com',
          responses: { NEW_PASSWORD },
        }),
      );
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        signedIn: true,
        session: expect.objectContaining({ sub: USERNAME, username: USERNAME, email: 'new@example.com' }),
      });
      expect(answer.headers['cache-control']).toBe('no-store');
      const cookie = (answer.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
      expect(sessions.started).toEqual([
        { accessToken: ACCESS, idToken: ID, refreshToken: REFRESH, username: USERNAME },
      ]);
      expect(standIn.requests[1]).toMatchObject({
        operation: 'AdminRespondToAuthChallenge',
        body: {
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          ChallengeResponses: { NEW_PASSWORD, USERNAME: 'new@example.com' },
        },
      });
      const summary = bodies.record(await http(app).get('/auth/session').set('Cookie', cookie).expect(200));
      expect(summary.body.sub).toBe(USERNAME);
      expect(bodies.withTokens([REFRESH])).toEqual([]);
    });
  },
);
