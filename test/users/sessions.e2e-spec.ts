// Sign-out, groups and passwords against the suite's cognito-local where it has the
// operation (RevokeToken, groups, ChangePassword, ForgotPassword), and the MFA
// challenge and global sign-out on the wire-level stand-in, which cognito-local lacks.
import { createHmac } from 'node:crypto';
import { CreateGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Test, type TestingModule } from '@nestjs/testing';
import { CognitoModule, CognitoSyncService, toCognitoHttpError } from '../../src';
import { adminClient, createSignedInUser, type DemoPool, type SignedInUser } from '../support/cognito-local';
import { CognitoStandIn, reply, replyError, standInOptions } from '../support/cognito-stand-in';
import { rememberSecrets } from '../support/secrets';
import { type CognitoTarget, localTarget } from '../support/target';

const NEW_PASSWORD = 'Changed-passw0rd!';
rememberSecrets(NEW_PASSWORD, 'Demo-passw0rd!');

const nameOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: Error) => error.name,
  );

describe('sessions, groups and passwords against cognito-local', () => {
  let target: CognitoTarget;
  let moduleRef: TestingModule;
  let cognito: CognitoSyncService;
  beforeAll(async () => {
    target = await localTarget();
    moduleRef = await Test.createTestingModule({ imports: [CognitoModule.forRoot(target.options)] }).compile();
    cognito = moduleRef.get(CognitoSyncService);
  });
  afterAll(() => moduleRef.close());

  it(
    'signOut revokes the refresh token: a refresh with ' + 'it is then refused; a second signOut still resolves',
    async () => {
      const { endpoint, region, credentials, userPoolId, clientId } = target.options as DemoPool;
      const other = await createSignedInUser(
        { endpoint, region, credentials, userPoolId, clientId },
        'leaver@example.com',
      );
      rememberSecrets(other.accessToken, other.idToken, other.refreshToken);
      await expect(cognito.refreshTokens(other.refreshToken)).resolves.toMatchObject({
        AuthenticationResult: { AccessToken: expect.any(String) },
      });
      await cognito.signOut(other.refreshToken);
      expect(await nameOf(cognito.refreshTokens(other.refreshToken))).toBe('NotAuthorizedException');
      // Already revoked (cognito-local answers NotAuthorizedException): nothing left to revoke, no error.
      await expect(cognito.signOut(other.refreshToken)).resolves.toBeUndefined();
      // The demo user's own refresh token is untouched.
      await expect(cognito.refreshTokens(target.user.refreshToken)).resolves.toBeDefined();
    },
  );

  it('adds a user to groups, lists them both ways, removes it', async () => {
    const admin = adminClient(target.options.endpoint!);
    try {
      for (const GroupName of ['admins', 'staff'])
        await admin.send(new CreateGroupCommand({ UserPoolId: target.options.userPoolId, GroupName }));
    } finally {
      admin.destroy();
    }
    const { username } = target.user;
    await cognito.addUserToGroup(username, 'admins');
    await cognito.addUserToGroup(username, 'staff');
    expect((await cognito.listGroupsForUser(username)).sort()).toEqual(['admins', 'staff']);
    const members: string[] = [];
    for await (const member of cognito.listUsersInGroup('admins')) members.push(member.username);
    expect(members).toEqual([username]);

    await cognito.removeUserFromGroup(username, 'staff');
    expect(await cognito.listGroupsForUser(username)).toEqual(['admins']);
  });

  it("refuses a group that does not exist with Cognito's error, unchanged", async () => {
    const error = await cognito.addUserToGroup(target.user.username, 'no-such-group').catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('changePassword with the access token: the new password signs in, a wrong old one is refused', async () => {
    const { accessToken, email, username } = target.user as SignedInUser;
    expect(await nameOf(cognito.changePassword(accessToken, 'Wrong-passw0rd!', NEW_PASSWORD))).toBe(
      'InvalidPasswordException',
    );
    await cognito.changePassword(accessToken, 'Demo-passw0rd!', NEW_PASSWORD);
    const signedIn = await cognito.signIn(email, NEW_PASSWORD);
    rememberSecrets(
      signedIn.AuthenticationResult?.AccessToken,
      signedIn.AuthenticationResult?.IdToken,
      signedIn.AuthenticationResult?.RefreshToken,
    );
    expect(signedIn.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    // The old password is refused (cognito-local names it InvalidPasswordException, AWS NotAuthorizedException).
    expect(await nameOf(cognito.signIn(email, 'Demo-passw0rd!'))).toMatch(/^(NotAuthorized|InvalidPassword)Exception$/);
    expect(username).toMatch(/^[0-9a-f-]{36}$/);
  });

  it(
    'forgotPassword says where the code went; confirmForgotPassword ' + 'with a wrong code is CodeMismatchException',
    async () => {
      const { email } = target.user as SignedInUser;
      const output = await cognito.forgotPassword(email);
      expect(output.CodeDeliveryDetails).toMatchObject({ AttributeName: 'email', DeliveryMedium: 'EMAIL' });
      expect(await nameOf(cognito.confirmForgotPassword(email, '000000000', 'Another-passw0rd!'))).toBe(
        'CodeMismatchException',
      );
      expect(await nameOf(cognito.forgotPassword('nobody@example.com'))).toBe('UserNotFoundException');
    },
  );
});

describe('MFA challenge and global sign-out on the wire-level stand-in (cognito-local has neither)', () => {
  const clientSecret = 'stand-in-sessions-client-secret';
  const username = '5b2e0c1a-0000-4000-8000-abcdefabcdef';
  const session = 'stand-in-mfa-session';
  let standIn: CognitoStandIn;
  let moduleRef: TestingModule;
  let cognito: CognitoSyncService;
  let expectedHash: string;
  beforeAll(async () => {
    standIn = await new CognitoStandIn().start();
    const options = { ...standInOptions(standIn), clientSecret };
    expectedHash = createHmac('sha256', clientSecret)
      .update(username + options.clientId)
      .digest('base64');
    rememberSecrets(clientSecret, expectedHash);
    moduleRef = await Test.createTestingModule({ imports: [CognitoModule.forRoot(options)] }).compile();
    cognito = moduleRef.get(CognitoSyncService);
  });
  afterAll(async () => {
    await moduleRef.close();
    await standIn.stop();
  });
  beforeEach(() => {
    standIn.requests.length = 0;
  });

  it('signIn answers SOFTWARE_TOKEN_MFA; respondToAuthChallenge with the code gets the tokens', async () => {
    standIn.respondWith((request, res) => {
      if (request.operation === 'AdminInitiateAuth') {
        return reply(res, 200, {
          ChallengeName: 'SOFTWARE_TOKEN_MFA',
          Session: session,
          ChallengeParameters: { USER_ID_FOR_SRP: username },
        });
      }
      if (request.body.ChallengeResponses?.SOFTWARE_TOKEN_MFA_CODE !== '123456')
        return replyError(res, 'CodeMismatchException', 'Invalid code');
      reply(res, 200, {
        ChallengeParameters: {},
        AuthenticationResult: { AccessToken: 'mfa-access', IdToken: 'mfa-id', RefreshToken: 'mfa-refresh' },
      });
    });
    const challenge = await cognito.signIn('ann@example.com', 'Demo-passw0rd!');
    expect(challenge).toMatchObject({ ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: session });

    const wrong = await cognito
      .respondToAuthChallenge(
        'SOFTWARE_TOKEN_MFA',
        challenge.Session!,
        challenge.ChallengeParameters!.USER_ID_FOR_SRP,
        {
          SOFTWARE_TOKEN_MFA_CODE: '000000',
        },
      )
      .catch((e: Error) => e);
    expect(wrong).toMatchObject({ name: 'CodeMismatchException' });
    expect(toCognitoHttpError(wrong as Error)).toMatchObject({ statusCode: 401, code: 'NotAuthorizedException' });

    const done = await cognito.respondToAuthChallenge(
      'SOFTWARE_TOKEN_MFA',
      challenge.Session!,
      challenge.ChallengeParameters!.USER_ID_FOR_SRP,
      {
        SOFTWARE_TOKEN_MFA_CODE: '123456',
      },
    );
    expect(done.AuthenticationResult).toEqual({
      AccessToken: 'mfa-access',
      IdToken: 'mfa-id',
      RefreshToken: 'mfa-refresh',
    });
    expect(standIn.requests.map(({ operation }) => operation)).toEqual([
      'AdminInitiateAuth',
      'AdminRespondToAuthChallenge',
      'AdminRespondToAuthChallenge',
    ]);
    expect(standIn.requests[2].body).toEqual({
      UserPoolId: 'eu-west-1_StandIn1',
      ClientId: 'standinclient123',
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: session,
      ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: '123456', SECRET_HASH: expectedHash },
    });
  });

  it('globalSignOut sends AdminUserGlobalSignOut; an unknown user is UserNotFoundException, unchanged', async () => {
    standIn.respondWith((_request, res) => reply(res, 200, {}));
    await cognito.globalSignOut(username);
    standIn.respondWith((_request, res) => replyError(res, 'UserNotFoundException', 'User does not exist.'));
    expect(await nameOf(cognito.globalSignOut('ghost'))).toBe('UserNotFoundException');
    expect(standIn.requests).toEqual([
      { operation: 'AdminUserGlobalSignOut', body: { UserPoolId: 'eu-west-1_StandIn1', Username: username } },
      { operation: 'AdminUserGlobalSignOut', body: { UserPoolId: 'eu-west-1_StandIn1', Username: 'ghost' } },
    ]);
  });

  it(
    'resetUserPassword sends AdminResetUserPassword; an ' + 'unknown user is UserNotFoundException, unchanged',
    async () => {
      standIn.respondWith((_request, res) => reply(res, 200, {}));
      await cognito.resetUserPassword(username);
      standIn.respondWith((_request, res) => replyError(res, 'UserNotFoundException', 'User does not exist.'));
      expect(await nameOf(cognito.resetUserPassword('ghost'))).toBe('UserNotFoundException');
      expect(standIn.requests).toEqual([
        { operation: 'AdminResetUserPassword', body: { UserPoolId: 'eu-west-1_StandIn1', Username: username } },
        { operation: 'AdminResetUserPassword', body: { UserPoolId: 'eu-west-1_StandIn1', Username: 'ghost' } },
      ]);
    },
  );

  it('signOut sends RevokeToken with the client secret', async () => {
    standIn.respondWith((_request, res) => reply(res, 200, {}));
    await cognito.signOut('stand-in.refresh.token');
    expect(standIn.requests).toEqual([
      {
        operation: 'RevokeToken',
        body: { Token: 'stand-in.refresh.token', ClientId: 'standinclient123', ClientSecret: clientSecret },
      },
    ]);
  });
});
