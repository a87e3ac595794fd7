// The refresh endpoint over HTTP, on Express and Fastify, against the suite's
// cognito-local (or, with `npm run test:aws`, a real pool).
import type { INestApplication } from '@nestjs/common';
import { COGNITO_CLIENT, CognitoModule } from '../../src';
import { ADAPTERS, createApp, http } from '../support/bootstrap';
import { type CognitoTarget, cognitoTarget, missingAwsVariables, onAws } from '../support/target';

const describeTarget = onAws && missingAwsVariables.length > 0 ? describe.skip : describe;
const targetName = onAws
  ? missingAwsVariables.length > 0
    ? `a real pool (skipped: set ${missingAwsVariables.join(', ')})`
    : 'a real Cognito pool'
  : 'cognito-local';

const INVALID_TOKEN_BODY = {
  statusCode: 401,
  error: 'Unauthorized',
  message: 'Invalid refresh token',
  code: 'NotAuthorizedException',
};

describeTarget(`POST /auth/refresh against ${targetName}`, () => {
  let target: CognitoTarget;
  beforeAll(async () => {
    target = await cognitoTarget();
  });

  describe.each(ADAPTERS)('on %s', (adapter) => {
    let app: INestApplication;
    let send: jest.SpyInstance;
    beforeAll(async () => {
      app = await createApp(adapter, {
        imports: [CognitoModule.forRoot({ ...target.options, refreshController: true })],
      });
      send = jest.spyOn(app.get(COGNITO_CLIENT), 'send');
    });
    afterAll(() => app.close());
    beforeEach(() => send.mockClear());

    it('answers 200 with the whole response in camelCase, absent fields null', async () => {
      const res = await http(app).post('/auth/refresh').send({ refreshToken: target.user.refreshToken }).expect(200);
      expect(res.body).toEqual({
        challengeName: null,
        session: null,
        challengeParameters: {},
        authenticationResult: {
          accessToken: expect.any(String),
          // cognito-local leaves out ExpiresIn and TokenType; AWS sends 3600 and "Bearer".
          expiresIn: onAws ? expect.any(Number) : null,
          tokenType: onAws ? 'Bearer' : null,
          refreshToken: null,
          idToken: expect.any(String),
          newDeviceMetadata: null,
        },
      });
      const claims = JSON.parse(
        Buffer.from(res.body.authenticationResult.accessToken.split('.')[1], 'base64url').toString(),
      );
      expect(claims.username).toBe(target.user.username);
      expect(send).toHaveBeenCalledTimes(1);
    });

    it('accepts refresh_token as the field name', async () => {
      await http(app).post('/auth/refresh').send({ refresh_token: target.user.refreshToken }).expect(200);
    });

    it('answers 401 NotAuthorizedException for an invalid refresh token', async () => {
      const res = await http(app).post('/auth/refresh').send({ refreshToken: 'not.a.valid-token' }).expect(401);
      expect(res.body).toEqual(INVALID_TOKEN_BODY);
      expect(send).toHaveBeenCalledTimes(1);
    });

    const badBodies: Array<[string, unknown]> = [
      ['no token', {}],
      ['an empty token', { refreshToken: '' }],
      ['a number', { refreshToken: 42 }],
      ['null', { refreshToken: null }],
      ['an array', { refreshToken: ['a.b.c'] }],
      ['an object', { refreshToken: { token: 'a.b.c' } }],
      ['an oversized token', { refreshToken: 'a'.repeat(9000) }],
      ['a token with spaces and unicode', { refreshToken: 'abc déf.ghi' }],
      ['both field names', { refreshToken: 'a.b.c', refresh_token: 'a.b.c' }],
      ['a username that is not a string', { refreshToken: 'a.b.c', username: 7 }],
      ['a JSON array body', ['a.b.c']],
    ];
    it.each(badBodies)('answers 400 without calling Cognito for %s', async (_name, body) => {
      const res = await http(app)
        .post('/auth/refresh')
        .send(body as object)
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: expect.any(String) });
      expect(send).not.toHaveBeenCalled();
    });

    it('answers 400 without calling Cognito for malformed JSON', async () => {
      await http(app)
        .post('/auth/refresh')
        .set('content-type', 'application/json')
        .send('{"refreshToken": ')
        .expect(400);
      expect(send).not.toHaveBeenCalled();
    });

    it('answers 413 without calling Cognito for a body over the limit', async () => {
      await http(app)
        .post('/auth/refresh')
        .send({ refreshToken: 'a'.repeat(2 * 1024 * 1024) })
        .expect(413);
      expect(send).not.toHaveBeenCalled();
    });

    it('serves no other method on the route', async () => {
      await http(app).get('/auth/refresh').expect(404);
    });
  });
});
