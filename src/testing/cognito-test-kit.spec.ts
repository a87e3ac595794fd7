// The test kit against the real guard, in unit tests built with Test.createTestingModule:
// the library is the kit's first user.
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import {
  type CognitoClaims,
  CognitoGroups,
  CognitoModule,
  type CognitoModuleOptions,
  CognitoSyncService,
  CognitoUser,
} from '../index';
import { createCognitoTestKit, type CognitoTestKit } from './index';
import { subOf } from './test-claims';

@Controller()
class ClaimsController {
  @Get('me')
  me(@CognitoUser() claims: CognitoClaims) {
    return claims;
  }

  @CognitoGroups('Admins')
  @Get('admin')
  admin() {
    return { admin: true };
  }

  @Get('lookup')
  lookup() {
    return this.cognito.findUser('ann');
  }

  constructor(private readonly cognito: CognitoSyncService) {}
}

async function appWith(options: CognitoModuleOptions): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [CognitoModule.forRoot({ ...options, authGuard: true })],
    controllers: [ClaimsController],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  return app.init();
}

const decode = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('createCognitoTestKit with the real CognitoAuthGuard', () => {
  let kit: CognitoTestKit;
  let app: INestApplication;
  beforeAll(async () => {
    kit = await createCognitoTestKit();
    app = await appWith(kit.moduleOptions);
  });
  afterAll(async () => {
    await app.close();
    await kit.close();
  });
  const get = (path: string, token?: string) =>
    request(app.getHttpServer())
      .get(path)
      .set(token ? bearer(token) : {});

  it("mints an access token that passes the guard, with Cognito's claims", async () => {
    const res = await get('/me', kit.accessToken({ username: 'ann', groups: ['Admins'] })).expect(200);
    expect(Object.keys(res.body).sort()).toEqual(
      [
        'auth_time',
        'client_id',
        'cognito:groups',
        'event_id',
        'exp',
        'iat',
        'iss',
        'jti',
        'origin_jti',
        'scope',
        'sub',
        'token_use',
        'username',
      ].sort(),
    );
    expect(res.body).toMatchObject({
      username: 'ann',
      sub: subOf('ann'),
      token_use: 'access',
      client_id: kit.moduleOptions.clientId,
      scope: 'aws.cognito.signin.user.admin',
      iss: kit.moduleOptions.jwt!.issuer,
      'cognito:groups': ['Admins'],
    });
    expect(res.body.exp - res.body.iat).toBe(3600);
  });

  it('answers 401 TokenExpired for a token that expired (negative expiresIn)', async () => {
    const token = kit.accessToken({ expiresIn: -60 });
    expect(decode(token).exp).toBeLessThan(Date.now() / 1000);
    expect((await get('/me', token).expect(401)).body.code).toBe('TokenExpired');
  });

  it("answers 401 for a token of another app client, another issuer or another kit's key", async () => {
    const other = await createCognitoTestKit({
      userPoolId: kit.moduleOptions.userPoolId,
      clientId: kit.moduleOptions.clientId,
    });
    try {
      await get('/me', kit.accessToken({ clientId: 'anotherclient' })).expect(401);
      await get('/me', kit.accessToken({ iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' })).expect(
        401,
      );
      await get('/me', other.accessToken()).expect(401);
    } finally {
      await other.close();
    }
  });

  it(
    "answers 403 outside the route's groups and 200 inside (no groups claim at all without groups, as " + 'Cognito)',
    async () => {
      expect(decode(kit.accessToken())).not.toHaveProperty('cognito:groups');
      await get('/admin', kit.accessToken()).expect(403);
      await get('/admin', kit.accessToken({ groups: ['admins'] })).expect(403);
      await get('/admin', kit.accessToken({ groups: ['Editors', 'Admins'] })).expect(200, { admin: true });
    },
  );

  it(
    'mints a client-credentials token (client_id and scope, no username) that the guard accepts for the ' +
      'configured client',
    async () => {
      const token = kit.clientCredentialsToken(['orders/read', 'orders/write']);
      const res = await get('/me', token).expect(200);
      expect(res.body).toEqual({
        sub: kit.moduleOptions.clientId,
        token_use: 'access',
        scope: 'orders/read orders/write',
        auth_time: expect.any(Number),
        iss: kit.moduleOptions.jwt!.issuer,
        exp: expect.any(Number),
        iat: expect.any(Number),
        version: 2,
        jti: expect.any(String),
        client_id: kit.moduleOptions.clientId,
      });
      await get('/me', kit.clientCredentialsToken('orders/read', { clientId: 'anotherclient' })).expect(401);
      await get('/me', kit.clientCredentialsToken('orders/read', { expiresIn: -1 })).expect(401);
    },
  );

  it('refuses an ID token where access tokens are expected', async () => {
    expect((await get('/me', kit.idToken()).expect(401)).body.message).toBe('An access token is required');
  });

  it('sets extra claims as given, over the defaults', async () => {
    const res = await get('/me', kit.accessToken({ username: 'ann', sub: 'fixed-sub', 'custom:tenant': 't1' })).expect(
      200,
    );
    expect(res.body).toMatchObject({ sub: 'fixed-sub', 'custom:tenant': 't1' });
  });

  it(
    'answers a Cognito call of the service with ' + 'UnsupportedOperationException, naming what to use instead',
    async () => {
      const service = app.get(CognitoSyncService);
      await expect(service.findUser('ann')).rejects.toMatchObject({
        name: 'UnsupportedOperationException',
        message: expect.stringContaining('startCognitoLocal'),
      });
      // Through the module's filter: a misconfiguration (500), never a call to AWS.
      expect((await get('/lookup', kit.accessToken()).expect(500)).body.code).toBe('CognitoMisconfigured');
    },
  );
});

describe('createCognitoTestKit ID tokens', () => {
  it('passes a guard configured for ID tokens, with aud, cognito:username, email and custom attributes', async () => {
    const kit = await createCognitoTestKit({ userPoolId: 'local_IdTokens', clientId: 'idclient1' });
    const app = await appWith({ ...kit.moduleOptions, jwt: { ...kit.moduleOptions.jwt, tokenUse: 'id' } });
    try {
      const token = kit.idToken({ username: 'ann', groups: ['Admins'], 'custom:plan': 'pro' });
      const res = await request(app.getHttpServer()).get('/me').set(bearer(token)).expect(200);
      expect(res.body).toMatchObject({
        aud: 'idclient1',
        'cognito:username': 'ann',
        email: 'ann@example.com',
        email_verified: true,
        token_use: 'id',
        sub: subOf('ann'),
        'custom:plan': 'pro',
        'cognito:groups': ['Admins'],
        iss: `${kit.moduleOptions.endpoint}/local_IdTokens`,
      });
      await request(app.getHttpServer()).get('/me').set(bearer(kit.accessToken())).expect(401);
      await request(app.getHttpServer())
        .get('/me')
        .set(bearer(kit.idToken({ clientId: 'anotherclient' })))
        .expect(401);
    } finally {
      await app.close();
      await kit.close();
    }
  });
});

describe('createCognitoTestKit lifecycle and input', () => {
  it('stops serving its JWKS on close(), and close() may be called twice', async () => {
    const kit = await createCognitoTestKit();
    const jwksUri = kit.moduleOptions.jwt!.jwksUri!;
    const jwks = (await (await fetch(jwksUri)).json()) as { keys: object[] };
    expect(jwks.keys).toEqual([
      expect.objectContaining({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) }),
    ]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    await kit.close();
    await kit.close();
    await expect(fetch(jwksUri)).rejects.toThrow();
  });

  it('serves nothing else', async () => {
    const kit = await createCognitoTestKit();
    try {
      expect((await fetch(`${kit.moduleOptions.endpoint}/other/.well-known/jwks.json`)).status).toBe(404);
    } finally {
      await kit.close();
    }
  });

  it('refuses malformed options and claims with a message that names them', async () => {
    await expect(createCognitoTestKit({ userPoolId: 'no pool' })).rejects.toThrow('userPoolId');
    await expect(createCognitoTestKit({ clientId: 'bad-client-id' })).rejects.toThrow('clientId');
    const kit = await createCognitoTestKit();
    try {
      expect(() => kit.accessToken({ expiresIn: Number.NaN })).toThrow('expiresIn');
      expect(() => kit.accessToken({ groups: 'Admins' as never })).toThrow('groups');
      expect(() => kit.idToken({ username: '' })).toThrow('username');
      expect(() => kit.clientCredentialsToken([])).toThrow('scope');
    } finally {
      await kit.close();
    }
  });

  it("gives each kit its own app client id, 26 letters and digits as Cognito's", async () => {
    const [a, b] = await Promise.all([createCognitoTestKit(), createCognitoTestKit()]);
    await Promise.all([a.close(), b.close()]);
    expect(a.moduleOptions.clientId).toMatch(/^[a-z0-9]{26}$/);
    expect(a.moduleOptions.clientId).not.toBe(b.moduleOptions.clientId);
  });
});
