// The app's guarded controller in a unit test: the real CognitoAuthGuard verifies real
// signatures of tokens the test kit mints. No emulator, no AWS, no mock of the guard.
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { CognitoModule } from 'nestjs-cognito-sync';
import { type CognitoTestKit, createCognitoTestKit } from 'nestjs-cognito-sync/testing';
import request from 'supertest';
import { ReportsController } from './reports.controller';

describe('ReportsController behind the real guard', () => {
  let kit: CognitoTestKit;
  let app: INestApplication;

  beforeAll(async () => {
    kit = await createCognitoTestKit();
    const moduleRef = await Test.createTestingModule({
      imports: [CognitoModule.forRoot({ ...kit.moduleOptions, authGuard: true })],
      controllers: [ReportsController],
    }).compile();
    app = await moduleRef.createNestApplication().init();
  });

  afterAll(async () => {
    await app.close();
    await kit.close();
  });

  const get = (path: string, token?: string) => {
    const req = request(app.getHttpServer()).get(path);
    return token === undefined ? req : req.set('Authorization', `Bearer ${token}`);
  };

  it('lets a signed-in user through', async () => {
    const res = await get('/reports', kit.accessToken({ username: 'ann' })).expect(200);
    expect(res.body).toEqual({ for: expect.any(String), username: 'ann' });
  });

  it('answers 401 for an expired token, and without one', async () => {
    expect((await get('/reports', kit.accessToken({ username: 'ann', expiresIn: -60 })).expect(401)).body.code).toBe(
      'TokenExpired',
    );
    expect((await get('/reports').expect(401)).body.code).toBe('TokenMissing');
  });

  it('answers 403 outside the group and 200 inside it', async () => {
    expect(
      (await get('/reports/audit', kit.accessToken({ username: 'ann', groups: ['Editors'] })).expect(403)).body.code,
    ).toBe('GroupRequired');
    await get('/reports/audit', kit.accessToken({ username: 'ann', groups: ['Auditors'] })).expect(200, {
      auditor: 'ann',
    });
  });

  it(
    'accepts a client-credentials token of the configured app client (no username), and refuses another ' + "client's",
    async () => {
      const res = await get('/reports', kit.clientCredentialsToken(['reports/read'])).expect(200);
      expect(res.body).toEqual({ for: kit.moduleOptions.clientId, username: null });
      await get('/reports', kit.clientCredentialsToken('reports/read', { clientId: 'someotherclient' })).expect(401);
    },
  );
});
