// The guard after sign-out: with revocationCheck, an access token whose refresh token was
// revoked is refused within the check's cache time. Wire-level stand-in, not cognito-local
// (cognito-local keeps accepting such an access token); tokens from the testing kit's key.
import type { ServerResponse } from 'node:http';
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { CognitoModule, type CognitoModuleOptions } from '../../src';
import { type CognitoTestKit, createCognitoTestKit } from '../../src/testing';
import { ADAPTERS, bearer, createApp, http } from '../support/bootstrap';
import { CognitoStandIn, reply, replyError, type StandInRequest, standInOptions } from '../support/cognito-stand-in';
import { rememberSecrets } from '../support/secrets';

const REFRESH_TOKEN = 'revocation-suite.refresh.token';
rememberSecrets(REFRESH_TOKEN);

@Controller('me')
class MeController {
  @Get()
  me() {
    return { ok: true };
  }
}

/** Cognito as the guard sees it around a sign-out: GetUser accepts the access token until RevokeToken. */
function cognitoWithRevocation(): { handler: (request: StandInRequest, res: ServerResponse) => void; reset(): void } {
  let revoked = false;
  return {
    reset: () => (revoked = false),
    handler: (request, res) => {
      if (request.operation === 'RevokeToken') {
        revoked = true;
        return reply(res, 200, {});
      }
      if (request.operation === 'GetUser') {
        return revoked
          ? replyError(res, 'NotAuthorizedException', 'Access Token has been revoked')
          : reply(res, 200, { Username: 'ann', UserAttributes: [] });
      }
      return replyError(res, 'InvalidParameterException', `unexpected ${request.operation}`);
    },
  };
}

describe.each(ADAPTERS)('the guard after sign-out (wire-level stand-in, not cognito-local), on %s', (adapter) => {
  let standIn: CognitoStandIn;
  let kit: CognitoTestKit;
  const cognito = cognitoWithRevocation();
  beforeAll(async () => {
    standIn = await new CognitoStandIn(cognito.handler).start();
    kit = await createCognitoTestKit();
  });
  afterAll(async () => {
    await standIn.stop();
    await kit.close();
  });
  beforeEach(() => cognito.reset());
  afterEach(() => jest.restoreAllMocks());

  const appWith = (cacheSeconds: number): Promise<INestApplication> => {
    const options: CognitoModuleOptions = {
      ...standInOptions(standIn),
      ...kit.moduleOptions,
      endpoint: standIn.endpoint,
    };
    return createApp(adapter, {
      imports: [
        CognitoModule.forRoot({ ...options, revocationCheck: { cacheSeconds }, authGuard: true, authController: true }),
      ],
      controllers: [MeController],
    });
  };

  it('refuses the access token at once after POST /auth/sign-out when the check caches nothing', async () => {
    const app = await appWith(0);
    const token = kit.accessToken({ username: 'ann' });
    await http(app).get('/me').set(bearer(token)).expect(200);
    await http(app).post('/auth/sign-out').send({ refreshToken: REFRESH_TOKEN }).expect(204);
    expect((await http(app).get('/me').set(bearer(token)).expect(401)).body.code).toBe('TokenRevoked');
    await app.close();
  });

  it('keeps accepting it until the cached answer expires (cacheSeconds), then refuses it', async () => {
    const app = await appWith(30);
    const token = kit.accessToken({ username: 'ann' });
    await http(app).get('/me').set(bearer(token)).expect(200);
    await http(app).post('/auth/sign-out').send({ refreshToken: REFRESH_TOKEN }).expect(204);
    await http(app).get('/me').set(bearer(token)).expect(200); // the trade-off: up to 30 s
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 31_000);
    expect((await http(app).get('/me').set(bearer(token)).expect(401)).body.code).toBe('TokenRevoked');
    await app.close();
  });
});
