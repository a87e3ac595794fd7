// The app's service over CognitoSyncService, with the in-memory fake: the test asserts on
// what the app does with Cognito's answers, not on which SDK calls it made.
import { ConflictException } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { CognitoSyncService } from 'nestjs-cognito-sync';
import { createCognitoTestKit, FakeCognitoSyncService } from 'nestjs-cognito-sync/testing';
import request from 'supertest';
import { AccountsService } from './accounts.service';
import { AppModule } from './app.module';

describe('AccountsService with FakeCognitoSyncService', () => {
  let fake: FakeCognitoSyncService;
  let accounts: AccountsService;

  beforeEach(async () => {
    fake = new FakeCognitoSyncService({
      users: [{ username: 'ann@example.com', attributes: { email: 'ann@example.com' } }],
    });
    const moduleRef = await Test.createTestingModule({ providers: [AccountsService, fake.provider()] }).compile();
    accounts = moduleRef.get(AccountsService);
  });

  it('invites a new member, who must then set a password', async () => {
    const user = await accounts.invite('bob@example.com');
    expect(user).toMatchObject({
      username: 'bob@example.com',
      status: 'FORCE_CHANGE_PASSWORD',
      attributes: { email_verified: 'true' },
    });
    expect((await fake.findUser('bob@example.com')).enabled).toBe(true);
  });

  it("answers a conflict for a member already in the pool (Cognito's UsernameExistsException)", async () => {
    await expect(accounts.invite('ann@example.com')).rejects.toBeInstanceOf(ConflictException);
  });

  it('searches members by email prefix', async () => {
    await accounts.invite('anne@example.org');
    await accounts.invite('bob@example.com');
    expect(await accounts.search('ann')).toEqual(['ann@example.com', 'anne@example.org']);
  });

  it('suspends a member: sign-in is refused from then on', async () => {
    await fake.setUserPassword('ann@example.com', 'Passw0rd!', { permanent: true });
    await fake.signIn('ann@example.com', 'Passw0rd!');
    await accounts.suspend('ann@example.com');
    await expect(fake.signIn('ann@example.com', 'Passw0rd!')).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });
});

describe("the whole app with the fake in place of the module's service", () => {
  it('signs in through the fake, whose tokens (minted by the kit) pass the real guard', async () => {
    const kit = await createCognitoTestKit();
    const fake = new FakeCognitoSyncService({
      tokens: kit,
      users: [{ username: 'ann', password: 'Passw0rd!', groups: ['Auditors'] }],
    });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(kit.moduleOptions)] })
      .overrideProvider(CognitoSyncService)
      .useValue(fake)
      .compile();
    const app = await moduleRef.createNestApplication().init();
    try {
      const { AuthenticationResult } = await fake.signIn('ann', 'Passw0rd!');
      await request(app.getHttpServer())
        .get('/reports/audit')
        .set('Authorization', `Bearer ${AuthenticationResult!.AccessToken}`)
        .expect(200, { auditor: 'ann' });
      // The refresh endpoint, answered by the fake.
      const res = await request(app.getHttpServer())
        .post('/auth/refresh')
        .send({ refreshToken: AuthenticationResult!.RefreshToken })
        .expect(200);
      await request(app.getHttpServer())
        .get('/reports')
        .set('Authorization', `Bearer ${res.body.authenticationResult.accessToken}`)
        .expect(200);
      await request(app.getHttpServer())
        .post('/auth/refresh')
        .send({ refreshToken: 'not-a-refresh-token' })
        .expect(401);
    } finally {
      await app.close();
      await kit.close();
    }
  });
});
