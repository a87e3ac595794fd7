import {
  CognitoIdentityProviderServiceException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { Controller, Get, Injectable, Param } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import {
  CognitoInputError,
  CognitoModule,
  CognitoSyncService,
  type CognitoUserRecord,
  getCognitoServiceToken,
  InjectCognito,
  toCognitoHttpError,
} from '../index';
import { createCognitoTestKit, FakeCognitoSyncService } from './index';

/** Exactly the same type, not merely assignable (method parameters are checked bivariantly). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Methods = {
  [K in keyof CognitoSyncService]: CognitoSyncService[K] extends (...args: never[]) => unknown ? K : never;
}[keyof CognitoSyncService];
/** Fails the type check (npm test's first step) when a method of the real service changes its signature. */
const sameSignatures: {
  [K in Methods]: Same<Parameters<CognitoSyncService[K]>, Parameters<FakeCognitoSyncService[K]>>;
} = {
  refreshTokens: true,
  createUser: true,
  findUser: true,
  updateUser: true,
  deleteUser: true,
  enableUser: true,
  disableUser: true,
  setUserPassword: true,
  signIn: true,
  respondToNewPasswordChallenge: true,
  findUserByAccessToken: true,
  listUsers: true,
  upsertUser: true,
  respondToAuthChallenge: true,
  signOut: true,
  globalSignOut: true,
  signOutEverywhere: true,
  addUserToGroup: true,
  removeUserFromGroup: true,
  listGroupsForUser: true,
  listUsersInGroup: true,
  resetUserPassword: true,
  forgotPassword: true,
  confirmForgotPassword: true,
  changePassword: true,
};

const PASSWORD = 'Passw0rd!';
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: Error) => `${toCognitoHttpError(error).statusCode} ${error.name}`,
  );
const all = async (users: AsyncIterable<CognitoUserRecord>) => {
  const names: string[] = [];
  for await (const user of users) names.push(user.username);
  return names;
};

describe('FakeCognitoSyncService', () => {
  it('has every method of CognitoSyncService with the same parameters', () => {
    expect(Object.values(sameSignatures).every(Boolean)).toBe(true);
  });

  it("throws Cognito's errors as the SDK's classes, which the module's filter maps", async () => {
    const fake = new FakeCognitoSyncService({ users: [{ username: 'ann', password: PASSWORD }] });
    const duplicate = fake.createUser('ann', { email: 'ann@example.com' });
    await expect(duplicate).rejects.toBeInstanceOf(UsernameExistsException);
    await expect(duplicate).rejects.toBeInstanceOf(CognitoIdentityProviderServiceException);
    expect(await codeOf(duplicate)).toBe('409 UsernameExistsException');
    expect(await codeOf(fake.findUser('bob'))).toBe('404 UserNotFoundException');
    expect(await codeOf(fake.signIn('ann', 'wrong'))).toBe('401 NotAuthorizedException');
    expect(await codeOf(fake.signIn('bob', PASSWORD))).toBe('401 NotAuthorizedException');
    expect(await codeOf(fake.setUserPassword('ann', 'short'))).toBe('400 InvalidPasswordException');
    await expect(fake.findUser('')).rejects.toBeInstanceOf(CognitoInputError);
  });

  it("refuses bad input before any lookup with the real service's own checks and messages", async () => {
    const fake = new FakeCognitoSyncService({ users: [{ username: 'ann', password: PASSWORD }] });
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => 'resolved',
        (error: Error) => `${error.name}: ${error.message}`,
      );
    const atMost256 = 'CognitoInputError: password must be a non-empty string of at most 256 characters';
    expect(await refusal(fake.signIn('ann', ''))).toBe(atMost256);
    expect(await refusal(fake.signIn('ann', `${PASSWORD}${'x'.repeat(256)}`))).toBe(atMost256);
    expect(await refusal(fake.signIn('a'.repeat(129), PASSWORD))).toBe(
      'CognitoInputError: username must be a non-empty string of at most 128 characters',
    );
    expect(await refusal(fake.refreshTokens('not a token'))).toBe('CognitoInputError: The refresh token is malformed');
    expect(await refusal(fake.createUser('bob', {}, { temporaryPassword: '' }))).toBe(
      'CognitoInputError: temporaryPassword must be a non-empty string of at most 256 characters',
    );
  });

  it('walks a created user through NEW_PASSWORD_REQUIRED, sign-in and refresh', async () => {
    const fake = new FakeCognitoSyncService();
    const created = await fake.createUser(
      'ann',
      { email: 'ann@example.com', nickname: 7 },
      { temporaryPassword: 'Temp-passw0rd' },
    );
    expect(created).toMatchObject({ username: 'ann', enabled: true, status: 'FORCE_CHANGE_PASSWORD' });
    expect(created.attributes).toEqual({ sub: expect.any(String), email: 'ann@example.com', nickname: '7' });
    const challenge = await fake.signIn('ann', 'Temp-passw0rd');
    expect(challenge).toMatchObject({
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      ChallengeParameters: { USER_ID_FOR_SRP: 'ann' },
    });
    expect(await codeOf(fake.respondToNewPasswordChallenge('ann', PASSWORD, 'not-the-session'))).toBe(
      '401 NotAuthorizedException',
    );
    const answered = await fake.respondToNewPasswordChallenge('ann', PASSWORD, challenge.Session!);
    expect((await fake.findUser('ann')).status).toBe('CONFIRMED');
    const { AuthenticationResult } = await fake.signIn('ann', PASSWORD);
    expect(AuthenticationResult).toEqual({
      AccessToken: expect.any(String),
      IdToken: expect.any(String),
      RefreshToken: expect.any(String),
      ExpiresIn: 3600,
      TokenType: 'Bearer',
    });
    expect(answered.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    const refreshed = await fake.refreshTokens(AuthenticationResult!.RefreshToken!);
    expect(refreshed.AuthenticationResult).toEqual({
      AccessToken: expect.any(String),
      IdToken: expect.any(String),
      ExpiresIn: 3600,
      TokenType: 'Bearer',
    });
    expect((await fake.findUserByAccessToken(refreshed.AuthenticationResult!.AccessToken!)).username).toBe('ann');
    expect(await codeOf(fake.refreshTokens('unknown-token'))).toBe('401 NotAuthorizedException');
  });

  it("refuses a disabled user's sign-in and refresh, and forgets a deleted one", async () => {
    const fake = new FakeCognitoSyncService({ users: [{ username: 'ann', password: PASSWORD }] });
    const { AuthenticationResult } = await fake.signIn('ann', PASSWORD);
    await fake.disableUser('ann');
    expect(await codeOf(fake.signIn('ann', PASSWORD))).toBe('401 NotAuthorizedException');
    expect(await codeOf(fake.refreshTokens(AuthenticationResult!.RefreshToken!))).toBe('401 NotAuthorizedException');
    expect(await codeOf(fake.findUserByAccessToken(AuthenticationResult!.AccessToken!))).toBe(
      '401 NotAuthorizedException',
    );
    await fake.enableUser('ann');
    await fake.signIn('ann', PASSWORD);
    await fake.deleteUser('ann');
    expect(await codeOf(fake.findUser('ann'))).toBe('404 UserNotFoundException');
  });

  it('needs the username to refresh as an app client with a secret, as the real service does', async () => {
    const fake = new FakeCognitoSyncService({ withSecret: true, users: [{ username: 'ann', password: PASSWORD }] });
    expect(fake.requiresUsername).toBe(true);
    const { RefreshToken } = (await fake.signIn('ann', PASSWORD)).AuthenticationResult!;
    expect(await codeOf(fake.refreshTokens(RefreshToken!))).toBe('400 CognitoInputError');
    expect(await codeOf(fake.refreshTokens(RefreshToken!, { username: 'bob' }))).toBe('401 NotAuthorizedException');
    await fake.refreshTokens(RefreshToken!, { username: 'ann' });
  });

  it('signs in by email in a pool with usernameAttributes: the username is a UUID, the email an alias', async () => {
    const fake = new FakeCognitoSyncService({ usernameAttributes: ['email'] });
    const ann = await fake.createUser('ann@example.com');
    expect(ann.username).toMatch(/^[0-9a-f-]{36}$/);
    expect(ann.attributes.email).toBe('ann@example.com');
    expect((await fake.findUser('ann@example.com')).username).toBe(ann.username);
    expect(await codeOf(fake.createUser('ann@example.com'))).toBe('409 UsernameExistsException');
    expect(await codeOf(fake.createUser('ann'))).toBe('400 InvalidParameterException');
  });

  it('keeps only the allowed attributes, and upserts as the real service does', async () => {
    const fake = new FakeCognitoSyncService({ attributes: { custom: ['plan'] } });
    const row = { email: 'ann@example.com', plan: 'free', passwordHash: 'x' };
    const first = await fake.upsertUser('ann', row);
    expect(first).toMatchObject({ created: true, user: { attributes: { email: 'ann@example.com', plan: 'free' } } });
    expect(first.user.attributes).not.toHaveProperty('passwordHash');
    expect((await fake.upsertUser('ann', row)).created).toBe(false);
    const changed = await fake.upsertUser('ann', { ...row, plan: 'pro' });
    expect(changed).toMatchObject({ created: false, user: { attributes: { plan: 'pro' } } });
    expect((await fake.updateUser('ann', { name: 'Ann' })).attributes.name).toBe('Ann');
  });

  it("lists users through Cognito's filter forms, and refuses others as Cognito does", async () => {
    const fake = new FakeCognitoSyncService({
      users: [
        { username: 'ann', attributes: { email: 'ann@example.com' } },
        { username: 'anna', attributes: { email: 'anna@example.org' }, enabled: false },
        { username: 'bob', attributes: { email: 'bob@example.com' }, status: 'FORCE_CHANGE_PASSWORD' },
      ],
    });
    expect(await all(fake.listUsers())).toEqual(['ann', 'anna', 'bob']);
    expect(await all(fake.listUsers({ filter: 'email ^= "ann"' }))).toEqual(['ann', 'anna']);
    expect(await all(fake.listUsers({ filter: 'username = "bob"' }))).toEqual(['bob']);
    expect(await all(fake.listUsers({ filter: 'status = "Disabled"' }))).toEqual(['anna']);
    expect(await all(fake.listUsers({ filter: 'cognito:user_status = "FORCE_CHANGE_PASSWORD"' }))).toEqual(['bob']);
    expect(await codeOf(all(fake.listUsers({ filter: 'nickname = "x"' })))).toBe('400 InvalidParameterException');
    expect(await codeOf(all(fake.listUsers({ filter: 'email contains "x"' })))).toBe('400 InvalidParameterException');
  });

  it('hands out copies: changing a returned user changes nothing in the fake', async () => {
    const fake = new FakeCognitoSyncService({ users: [{ username: 'ann', attributes: { email: 'ann@example.com' } }] });
    (await fake.findUser('ann')).attributes.email = 'changed@example.com';
    expect((await fake.findUser('ann')).attributes.email).toBe('ann@example.com');
  });
});

@Injectable()
class AccountsService {
  constructor(private readonly cognito: CognitoSyncService) {}

  async register(email: string) {
    try {
      return { created: (await this.cognito.createUser(email, { email })).username };
    } catch (error) {
      if ((error as Error).name === 'UsernameExistsException') return { created: null };
      throw error;
    }
  }
}

@Controller('users')
class UsersController {
  constructor(@InjectCognito('staff') private readonly staff: CognitoSyncService) {}

  @Get(':name')
  find(@Param('name') name: string) {
    return this.staff.findUser(name);
  }
}

describe('FakeCognitoSyncService in a Nest testing module', () => {
  it('stands in for the service through provider(), without CognitoModule', async () => {
    const fake = new FakeCognitoSyncService({ users: [{ username: 'ann@example.com' }] });
    const moduleRef = await Test.createTestingModule({ providers: [AccountsService, fake.provider()] }).compile();
    const accounts = moduleRef.get(AccountsService);
    expect(await accounts.register('bob@example.com')).toEqual({ created: 'bob@example.com' });
    expect(await accounts.register('ann@example.com')).toEqual({ created: null });
  });

  it("overrides a named pool's service, and its errors reach the client through the module's filter", async () => {
    const kit = await createCognitoTestKit();
    const fake = new FakeCognitoSyncService({ users: [{ username: 'ann' }] });
    const moduleRef = await Test.createTestingModule({
      imports: [CognitoModule.forRoot({ ...kit.moduleOptions, name: 'staff' })],
      controllers: [UsersController],
    })
      .overrideProvider(getCognitoServiceToken('staff'))
      .useValue(fake)
      .compile();
    const app = await moduleRef.createNestApplication({ logger: false }).init();
    try {
      await request(app.getHttpServer()).get('/users/ann').expect(200);
      const res = await request(app.getHttpServer()).get('/users/bob').expect(404);
      expect(res.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: 'The user does not exist',
        code: 'UserNotFoundException',
      });
    } finally {
      await app.close();
      await kit.close();
    }
  });

  it('mints tokens with a test kit, so that its sign-in passes the real guard', async () => {
    const kit = await createCognitoTestKit();
    const fake = new FakeCognitoSyncService({
      tokens: kit,
      users: [{ username: 'ann', password: PASSWORD, groups: ['Admins'], attributes: { plan: 'pro' } }],
    });
    try {
      const { AccessToken, IdToken } = (await fake.signIn('ann', PASSWORD)).AuthenticationResult!;
      const ann = await fake.findUser('ann');
      const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
      expect(claims(AccessToken!)).toMatchObject({
        username: 'ann',
        sub: ann.attributes.sub,
        'cognito:groups': ['Admins'],
        client_id: kit.moduleOptions.clientId,
      });
      expect(claims(IdToken!)).toMatchObject({
        'cognito:username': 'ann',
        'custom:plan': 'pro',
        sub: ann.attributes.sub,
      });
      expect(claims(IdToken!)).not.toHaveProperty('email');
      // A token the kit minted for one of the fake's users names that user.
      expect((await fake.findUserByAccessToken(kit.accessToken({ username: 'ann' }))).username).toBe('ann');
      expect(await codeOf(fake.findUserByAccessToken(kit.accessToken({ username: 'ann', expiresIn: -5 })))).toBe(
        '401 NotAuthorizedException',
      );
    } finally {
      await kit.close();
    }
  });
});
