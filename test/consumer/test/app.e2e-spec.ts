// The app end to end against a cognito-local of this file's own: sign in, refresh through
// the module's refresh endpoint, call guarded routes.
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { type CognitoLocal, startCognitoLocal } from 'nestjs-cognito-sync/testing';
import request from 'supertest';
import { AppModule } from '../src/app.module';

describe('the app against cognito-local', () => {
  let local: CognitoLocal;
  let app: INestApplication;

  beforeAll(async () => {
    local = await startCognitoLocal({
      users: [
        { username: 'ann', password: 'Ann-passw0rd!', groups: ['Auditors'] },
        { username: 'bob', password: 'Bob-passw0rd!' },
      ],
    });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(local.moduleOptions)] }).compile();
    app = await moduleRef.createNestApplication().init();
  }, 30_000);

  afterAll(async () => {
    await app?.close();
    await local?.close();
  });

  it('signs in, refreshes through POST /auth/refresh, and calls a guarded route with the new token', async () => {
    const { refreshToken } = await local.signIn('ann', 'Ann-passw0rd!');
    // The app client has a secret: the refresh names the user.
    const res = await request(app.getHttpServer())
      .post('/auth/refresh')
      .send({ refreshToken, username: 'ann' })
      .expect(200);
    const accessToken = res.body.authenticationResult.accessToken as string;
    await request(app.getHttpServer())
      .get('/reports/audit')
      .set('Authorization', `Bearer ${accessToken}`)
      .expect(200, { auditor: 'ann' });
  });

  it('answers 403 to a user outside the group, 401 to an invalid refresh token', async () => {
    const { accessToken } = await local.signIn('bob', 'Bob-passw0rd!');
    await request(app.getHttpServer()).get('/reports').set('Authorization', `Bearer ${accessToken}`).expect(200);
    await request(app.getHttpServer()).get('/reports/audit').set('Authorization', `Bearer ${accessToken}`).expect(403);
    await request(app.getHttpServer())
      .post('/auth/refresh')
      .send({ refreshToken: 'not.a.token', username: 'bob' })
      .expect(401);
  });

  it('creates users on the fly', async () => {
    await local.createUser({
      username: 'dave',
      password: 'Dave-passw0rd!',
      groups: ['Auditors'],
      attributes: { email: 'dave@example.com' },
    });
    const { accessToken } = await local.signIn('dave', 'Dave-passw0rd!');
    await request(app.getHttpServer())
      .get('/reports/audit')
      .set('Authorization', `Bearer ${accessToken}`)
      .expect(200, { auditor: 'dave' });
  });
});
