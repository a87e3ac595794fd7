// The fake's sign-out, groups, password resets and MFA challenges: Cognito's behaviour
// in memory, Cognito's errors as the SDK's classes (mapped by the module's filter).
import { CodeMismatchException, ResourceNotFoundException } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoInputError, type CognitoUserRecord, toCognitoHttpError } from '../index';
import { FakeCognitoSyncService } from './index';

const PASSWORD = 'Passw0rd!';
const NEW_PASSWORD = 'New-passw0rd!';
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: Error) => `${toCognitoHttpError(error).statusCode} ${error.name}`,
  );
const names = async (users: AsyncIterable<CognitoUserRecord>) => {
  const all: string[] = [];
  for await (const user of users) all.push(user.username);
  return all;
};

describe('FakeCognitoSyncService: sessions, groups, passwords', () => {
  it('signOut revokes one refresh token and resolves for an unknown one; globalSignOut revokes them all', async () => {
    const fake = new FakeCognitoSyncService({ users: [{ username: 'ann', password: PASSWORD }] });
    const first = (await fake.signIn('ann', PASSWORD)).AuthenticationResult!.RefreshToken!;
    const second = (await fake.signIn('ann', PASSWORD)).AuthenticationResult!.RefreshToken!;
    await fake.signOut(first);
    expect(await codeOf(fake.refreshTokens(first))).toBe('401 NotAuthorizedException');
    await expect(fake.signOut(first)).resolves.toBeUndefined();
    await expect(fake.refreshTokens(second)).resolves.toBeDefined();
    await fake.globalSignOut('ann');
    expect(await codeOf(fake.refreshTokens(second))).toBe('401 NotAuthorizedException');
    expect(await codeOf(fake.globalSignOut('bob'))).toBe('404 UserNotFoundException');
    await expect(fake.signOut('not a token')).rejects.toBeInstanceOf(CognitoInputError);
  });

  it('keeps group memberships in existing groups, and puts them in the tokens', async () => {
    const fake = new FakeCognitoSyncService({
      groups: ['admins'],
      users: [{ username: 'ann', groups: ['staff'] }, { username: 'bob' }],
    });
    await fake.addUserToGroup('bob', 'admins');
    await fake.addUserToGroup('bob', 'admins');
    await fake.addUserToGroup('ann', 'admins');
    expect(await fake.listGroupsForUser('ann')).toEqual(['staff', 'admins']);
    expect(await names(fake.listUsersInGroup('admins'))).toEqual(['ann', 'bob']);
    await fake.removeUserFromGroup('ann', 'admins');
    expect(await names(fake.listUsersInGroup('admins'))).toEqual(['bob']);
    expect(await names(fake.listUsersInGroup('staff'))).toEqual(['ann']);
    await expect(fake.addUserToGroup('ann', 'ghosts')).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(fake.addUserToGroup('ann', 'two words')).rejects.toBeInstanceOf(CognitoInputError);
    expect(await codeOf(fake.listGroupsForUser('cy'))).toBe('404 UserNotFoundException');
  });

  it('forgotPassword sends a code where Cognito would; confirmForgotPassword sets the password with it', async () => {
    const fake = new FakeCognitoSyncService({
      users: [{ username: 'ann', password: PASSWORD, attributes: { email: 'ann@example.com' } }],
    });
    const { CodeDeliveryDetails } = await fake.forgotPassword('ann');
    expect(CodeDeliveryDetails).toEqual({ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'a***@e***' });
    const code = fake.codeSentTo('ann')!;
    expect(code).toMatch(/^\d{6}$/);
    await expect(
      fake.confirmForgotPassword('ann', code === '000000' ? '111111' : '000000', NEW_PASSWORD),
    ).rejects.toBeInstanceOf(CodeMismatchException);
    expect(await codeOf(fake.confirmForgotPassword('ann', code, 'weak'))).toBe('400 InvalidPasswordException');
    await fake.confirmForgotPassword('ann', code, NEW_PASSWORD);
    await expect(fake.signIn('ann', NEW_PASSWORD)).resolves.toMatchObject({ AuthenticationResult: expect.any(Object) });
    expect(await codeOf(fake.forgotPassword('bob'))).toBe('404 UserNotFoundException');
  });

  it('resetUserPassword refuses sign-in until the reset is confirmed, and revokes the refresh tokens', async () => {
    const fake = new FakeCognitoSyncService({
      users: [{ username: 'ann', password: PASSWORD, attributes: { phone_number: '+15550001234' } }],
    });
    const refreshToken = (await fake.signIn('ann', PASSWORD)).AuthenticationResult!.RefreshToken!;
    await fake.resetUserPassword('ann');
    expect((await fake.findUser('ann')).status).toBe('RESET_REQUIRED');
    expect(await codeOf(fake.signIn('ann', PASSWORD))).toBe('401 PasswordResetRequiredException');
    expect(await codeOf(fake.refreshTokens(refreshToken))).toBe('401 NotAuthorizedException');
    await fake.confirmForgotPassword('ann', fake.codeSentTo('ann')!, NEW_PASSWORD);
    expect((await fake.findUser('ann')).status).toBe('CONFIRMED');
  });

  it('changePassword needs the current password', async () => {
    const fake = new FakeCognitoSyncService({ users: [{ username: 'ann', password: PASSWORD }] });
    const accessToken = (await fake.signIn('ann', PASSWORD)).AuthenticationResult!.AccessToken!;
    expect(await codeOf(fake.changePassword(accessToken, 'Wrong-passw0rd!', NEW_PASSWORD))).toBe(
      '401 NotAuthorizedException',
    );
    await fake.changePassword(accessToken, PASSWORD, NEW_PASSWORD);
    await expect(fake.signIn('ann', NEW_PASSWORD)).resolves.toBeDefined();
    expect(await codeOf(fake.changePassword('not-a-jwt', PASSWORD, NEW_PASSWORD))).toBe('401 NotAuthorizedException');
  });

  it(
    'answers an MFA user with the challenge, which ' + 'respondToAuthChallenge passes with the right code only',
    async () => {
      const fake = new FakeCognitoSyncService({
        users: [{ username: 'ann', password: PASSWORD, mfa: { challenge: 'SOFTWARE_TOKEN_MFA', code: '123456' } }],
      });
      const challenge = await fake.signIn('ann', PASSWORD);
      expect(challenge).toMatchObject({
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        ChallengeParameters: { USER_ID_FOR_SRP: 'ann' },
      });
      const answer = (code: string) =>
        fake.respondToAuthChallenge('SOFTWARE_TOKEN_MFA', challenge.Session!, 'ann', { SOFTWARE_TOKEN_MFA_CODE: code });
      await expect(answer('000000')).rejects.toBeInstanceOf(CodeMismatchException);
      expect(
        await codeOf(fake.respondToAuthChallenge('SMS_MFA', challenge.Session!, 'ann', { SMS_MFA_CODE: '123456' })),
      ).toBe('401 NotAuthorizedException');
      await expect(
        fake.respondToAuthChallenge('SOFTWARE_TOKEN_MFA', challenge.Session!, 'ann', {}),
      ).rejects.toBeInstanceOf(CognitoInputError);
      const { AuthenticationResult } = await answer('123456');
      expect(AuthenticationResult?.RefreshToken).toEqual(expect.any(String));
      expect(await codeOf(answer('123456'))).toBe('401 NotAuthorizedException');
    },
  );
});
