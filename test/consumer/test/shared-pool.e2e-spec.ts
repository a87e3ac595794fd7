// Against the cognito-local that globalSetup started for the whole run: the app signs
// its user in through its own CognitoSyncService and calls a guarded route.
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { CognitoSyncService, type CognitoModuleOptions } from 'nestjs-cognito-sync';
import request from 'supertest';
import { AppModule } from '../src/app.module';

describe("the app against the run's shared cognito-local", () => {
  let app: INestApplication;

  beforeAll(async () => {
    const options = JSON.parse(process.env.COGNITO_TEST_OPTIONS!) as CognitoModuleOptions;
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(options)] }).compile();
    app = await moduleRef.createNestApplication().init();
  });

  afterAll(() => app.close());

  it('signs the user in through the service, and the guard accepts the token with its groups', async () => {
    const { AuthenticationResult } = await app.get(CognitoSyncService).signIn('carol', 'Carol-passw0rd!');
    const token = AuthenticationResult!.AccessToken!;
    await request(app.getHttpServer())
      .get('/reports/audit')
      .set('Authorization', `Bearer ${token}`)
      .expect(200, { auditor: 'carol' });
  });
});
