// User management at the SDK boundary (aws-sdk-client-mock): the exact requests,
// for what cognito-local cannot show (the NEW_PASSWORD_REQUIRED challenge, SECRET_HASH
// checks, ListUsers pages). No emulator involved.
import { cognitoServiceFor } from '../../test/support/service';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { Logger } from '@nestjs/common';
import { mockClient } from 'aws-sdk-client-mock';
import { CognitoInputError, operationOf } from '../errors/cognito.errors';
import { ACCESS_TOKEN, EXPECTED_HASH, options, SESSION, USERNAME, withSecret } from '../../test/support/sdk-fixtures';
import { type CognitoSyncService } from '../service/cognito-sync.service';

const client = new CognitoIdentityProviderClient({ region: 'eu-west-1' });
const cognito = mockClient(client);
const inputs = (command: Parameters<typeof cognito.commandCalls>[0]) =>
  cognito.commandCalls(command).map((call) => call.args[0].input);
const userType = (Username: string, attributes: Record<string, string> = {}) => ({
  Username,
  Attributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
  Enabled: true,
  UserStatus: 'CONFIRMED' as const,
});

beforeEach(() => cognito.reset());

describe(
  'NEW_PASSWORD_REQUIRED challenge (at the SDK boundary; ' + 'cognito-local has no AdminRespondToAuthChallenge)',
  () => {
    it(
      'signIn returns the challenge with its session, and respondToNewPasswordChallenge answers it with ' +
        'SECRET_HASH',
      async () => {
        const challenge = {
          $metadata: {},
          ChallengeName: 'NEW_PASSWORD_REQUIRED' as const,
          Session: SESSION,
          ChallengeParameters: { USER_ID_FOR_SRP: USERNAME, requiredAttributes: '[]', userAttributes: '{}' },
        };
        const tokens = {
          $metadata: {},
          ChallengeParameters: {},
          AuthenticationResult: { AccessToken: 'a', IdToken: 'i', RefreshToken: 'r' },
        };
        cognito.on(AdminInitiateAuthCommand).resolves(challenge);
        cognito.on(AdminRespondToAuthChallengeCommand).resolves(tokens);
        const service = cognitoServiceFor(client, withSecret);

        const first = await service.signIn(USERNAME, 'Temp-passw0rd!');
        expect(first).toEqual(challenge);
        await expect(
          service.respondToNewPasswordChallenge(
            first.ChallengeParameters!.USER_ID_FOR_SRP,
            'New-passw0rd!',
            first.Session!,
          ),
        ).resolves.toEqual(tokens);

        expect(inputs(AdminInitiateAuthCommand)).toEqual([
          {
            UserPoolId: 'eu-west-1_Pool1',
            ClientId: 'client123',
            AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME, PASSWORD: 'Temp-passw0rd!', SECRET_HASH: EXPECTED_HASH },
          },
        ]);
        expect(inputs(AdminRespondToAuthChallengeCommand)).toEqual([
          {
            UserPoolId: 'eu-west-1_Pool1',
            ClientId: 'client123',
            ChallengeName: 'NEW_PASSWORD_REQUIRED',
            Session: SESSION,
            ChallengeResponses: { USERNAME, NEW_PASSWORD: 'New-passw0rd!', SECRET_HASH: EXPECTED_HASH },
          },
        ]);
      },
    );

    it('sends no SECRET_HASH when the app client has no secret', async () => {
      cognito.on(AdminInitiateAuthCommand).resolves({ $metadata: {} });
      cognito.on(AdminRespondToAuthChallengeCommand).resolves({ $metadata: {} });
      const service = cognitoServiceFor(client, options);
      await service.signIn('ann', 'Passw0rd!');
      await service.respondToNewPasswordChallenge('ann', 'New-passw0rd!', SESSION);
      expect(inputs(AdminInitiateAuthCommand)[0].AuthParameters).toEqual({ USERNAME: 'ann', PASSWORD: 'Passw0rd!' });
      expect(inputs(AdminRespondToAuthChallengeCommand)[0].ChallengeResponses).toEqual({
        USERNAME: 'ann',
        NEW_PASSWORD: 'New-passw0rd!',
      });
    });

    it.each<[string, (s: CognitoSyncService) => Promise<unknown>]>([
      ['signIn without a password', (s) => s.signIn('ann', '')],
      ['signIn without a username', (s) => s.signIn('', 'Passw0rd!')],
      ['a challenge answer without a session', (s) => s.respondToNewPasswordChallenge('ann', 'New-passw0rd!', '')],
      [
        'a challenge answer with a password that is not a string',
        (s) => s.respondToNewPasswordChallenge('ann', 42 as never, SESSION),
      ],
    ])('refuses %s before any call', async (_case, call) => {
      await expect(call(cognitoServiceFor(client, options))).rejects.toBeInstanceOf(CognitoInputError);
      expect(cognito.calls()).toHaveLength(0);
    });
  },
);

describe('SECRET_HASH on every operation that takes one (at the SDK boundary)', () => {
  it('signIn and respondToNewPasswordChallenge carry it; the admin user calls, which take none, do not', async () => {
    cognito
      .onAnyCommand()
      .resolves({ $metadata: {}, User: userType(USERNAME), Username: USERNAME, UserAttributes: [], Users: [] });
    const service = cognitoServiceFor(client, withSecret);
    await service.createUser(
      USERNAME,
      { email: 'ann@example.com' },
      { temporaryPassword: 'Temp-passw0rd!', suppressInvitation: true },
    );
    await service.findUser(USERNAME);
    await service.updateUser(USERNAME, { name: 'Ann' });
    await service.disableUser(USERNAME);
    await service.enableUser(USERNAME);
    await service.setUserPassword(USERNAME, 'Passw0rd!', { permanent: true });
    await service.signIn(USERNAME, 'Passw0rd!');
    await service.respondToNewPasswordChallenge(USERNAME, 'New-passw0rd!', SESSION);
    await service.findUserByAccessToken(ACCESS_TOKEN);
    for await (const _user of service.listUsers()) void _user;
    await service.upsertUser(USERNAME, { email: 'new@example.com' });
    await service.deleteUser(USERNAME);

    const sent = cognito
      .calls()
      .map((call) => ({ command: call.args[0].constructor.name, input: JSON.stringify(call.args[0].input) }));
    expect(sent.filter(({ input }) => input.includes(EXPECTED_HASH)).map(({ command }) => command)).toEqual([
      'AdminInitiateAuthCommand',
      'AdminRespondToAuthChallengeCommand',
    ]);
    expect(sent.filter(({ input }) => input.includes('SECRET_HASH'))).toHaveLength(2);
  });

  it('signIn on a client with a secret hashes the username as given (an email alias gives its own hash)', async () => {
    cognito.on(AdminInitiateAuthCommand).resolves({ $metadata: {} });
    await cognitoServiceFor(client, withSecret).signIn('ann@example.com', 'Passw0rd!');
    // printf 'ann@example.comclient123' | openssl dgst -sha256 -hmac 'the-client-secret' -binary | base64
    expect(inputs(AdminInitiateAuthCommand)[0].AuthParameters?.SECRET_HASH).toBe(
      'rTwUkvbDBjyDLUOy0byNJdys/d/C47nAnldxL2Av16k=',
    );
  });
});

describe('listUsers across several pages (at the SDK boundary; cognito-local does not paginate)', () => {
  it('follows PaginationToken page after page, with the filter and page size on every call', async () => {
    cognito
      .on(ListUsersCommand)
      .resolvesOnce({ $metadata: {}, Users: [userType('u1'), userType('u2')], PaginationToken: 'page-2' })
      .resolvesOnce({
        $metadata: {},
        Users: [userType('u3', { 'custom:plan': 'pro' }), userType('u4')],
        PaginationToken: 'page-3',
      })
      .resolvesOnce({ $metadata: {}, Users: [userType('u5')] });
    const service = cognitoServiceFor(client, options);
    const seen = [];
    for await (const user of service.listUsers({ filter: 'status = "Enabled"', pageSize: 2 })) seen.push(user);

    expect(seen.map((user) => user.username)).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
    expect(seen[2].attributes).toEqual({ plan: 'pro' });
    const base = { UserPoolId: 'eu-west-1_Pool1', Filter: 'status = "Enabled"', Limit: 2 };
    expect(inputs(ListUsersCommand)).toEqual([
      { ...base, PaginationToken: undefined },
      { ...base, PaginationToken: 'page-2' },
      { ...base, PaginationToken: 'page-3' },
    ]);
  });

  it('asks for the next page only when the loop wants more users', async () => {
    cognito.on(ListUsersCommand).resolves({ $metadata: {}, Users: [userType('u1')], PaginationToken: 'more' });
    for await (const user of cognitoServiceFor(client, options).listUsers()) {
      expect(user.username).toBe('u1');
      break;
    }
    expect(cognito.commandCalls(ListUsersCommand)).toHaveLength(1);
  });

  it.each([0, 61, 1.5])('refuses pageSize %p before any call', async (pageSize) => {
    const iterate = async () => {
      for await (const _user of cognitoServiceFor(client, options).listUsers({ pageSize })) void _user;
    };
    await expect(iterate()).rejects.toBeInstanceOf(CognitoInputError);
    expect(cognito.calls()).toHaveLength(0);
  });
});

describe('createUser, updateUser and upsertUser (at the SDK boundary)', () => {
  const allowList = { ...options, attributes: { standard: ['email', 'name'], custom: ['plan'] } };

  it('createUser sends the allowed attributes and the invitation options', async () => {
    cognito
      .on(AdminCreateUserCommand)
      .resolves({ $metadata: {}, User: userType(USERNAME, { email: 'ann@example.com', 'custom:plan': 'pro' }) });
    const user = await cognitoServiceFor(client, allowList).createUser(
      'ann@example.com',
      { email: 'ann@example.com', plan: 'pro', nickname: 'annie', shoeSize: 38 },
      { temporaryPassword: 'Temp-passw0rd!', deliveryMediums: ['EMAIL', 'SMS'] },
    );
    expect(user).toEqual({
      username: USERNAME,
      enabled: true,
      status: 'CONFIRMED',
      attributes: { email: 'ann@example.com', plan: 'pro' },
    });
    expect(inputs(AdminCreateUserCommand)).toEqual([
      {
        UserPoolId: 'eu-west-1_Pool1',
        Username: 'ann@example.com',
        UserAttributes: [
          { Name: 'email', Value: 'ann@example.com' },
          { Name: 'custom:plan', Value: 'pro' },
        ],
        TemporaryPassword: 'Temp-passw0rd!',
        MessageAction: undefined,
        DesiredDeliveryMediums: ['EMAIL', 'SMS'],
      },
    ]);
  });

  it(
    'createUser and upsertUser without options send the invitation where the allowed attributes allow ' +
      "(Cognito's default is SMS)",
    async () => {
      cognito
        .on(AdminGetUserCommand)
        .rejects(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }));
      cognito.on(AdminCreateUserCommand).resolves({ $metadata: {}, User: userType(USERNAME) });
      const service = cognitoServiceFor(client, { ...options, attributes: { standard: ['email', 'phone_number'] } });
      await service.upsertUser('ann@example.com', { email: 'ann@example.com' });
      await service.createUser('bob', { phone_number: '+15555550100' });
      await service.createUser('cy', { email: 'cy@example.com', phone_number: '+15555550101' });
      // An email the allow-list drops is not sent: Cognito could not use it.
      await cognitoServiceFor(client, { ...options, attributes: { standard: ['name'] } }).createUser('dee', {
        email: 'dee@example.com',
        name: 'Dee',
      });
      expect(inputs(AdminCreateUserCommand).map((input) => input.DesiredDeliveryMediums)).toEqual([
        ['EMAIL'],
        ['SMS'],
        ['EMAIL', 'SMS'],
        undefined,
      ]);
    },
  );

  it('setUserPassword is temporary unless asked to be permanent, as in Cognito', async () => {
    cognito.on(AdminSetUserPasswordCommand).resolves({ $metadata: {} });
    const service = cognitoServiceFor(client, options);
    await service.setUserPassword('ann', 'Passw0rd!');
    await service.setUserPassword('ann', 'Passw0rd!', { permanent: true });
    expect(inputs(AdminSetUserPasswordCommand).map((input) => input.Permanent)).toEqual([false, true]);
  });

  it('upsertUser creates a missing user, with the create options, and logs no warning for the lookup', async () => {
    cognito
      .on(AdminGetUserCommand)
      .rejects(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }));
    cognito
      .on(AdminCreateUserCommand)
      .resolves({ $metadata: {}, User: userType(USERNAME, { email: 'ann@example.com' }) });
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const result = await cognitoServiceFor(client, allowList).upsertUser(
      'ann@example.com',
      { email: 'ann@example.com' },
      { suppressInvitation: true },
    );
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
    expect(result).toMatchObject({ created: true, user: { username: USERNAME } });
    expect(inputs(AdminCreateUserCommand)[0]).toMatchObject({ Username: 'ann@example.com', MessageAction: 'SUPPRESS' });
  });

  it(
    'upsertUser sends only the attributes that differ, to the ' + 'internal username, and nothing when none does',
    async () => {
      const current = {
        $metadata: {},
        Username: USERNAME,
        UserAttributes: [
          { Name: 'email', Value: 'ann@example.com' },
          { Name: 'custom:plan', Value: 'free' },
        ],
      };
      cognito.on(AdminGetUserCommand).resolves(current);
      cognito.on(AdminUpdateUserAttributesCommand).resolves({ $metadata: {} });
      const service = cognitoServiceFor(client, allowList);

      await expect(
        service.upsertUser('ann@example.com', { email: 'ann@example.com', plan: 'pro', role: 'admin' }),
      ).resolves.toMatchObject({
        created: false,
      });
      expect(inputs(AdminUpdateUserAttributesCommand)).toEqual([
        { UserPoolId: 'eu-west-1_Pool1', Username: USERNAME, UserAttributes: [{ Name: 'custom:plan', Value: 'pro' }] },
      ]);

      cognito.resetHistory();
      await expect(service.upsertUser('ann@example.com', { email: 'ann@example.com', plan: 'free' })).resolves.toEqual({
        created: false,
        user: { username: USERNAME, attributes: { email: 'ann@example.com', plan: 'free' } },
      });
      expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)).toHaveLength(0);
      expect(cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(0);
    },
  );

  it('upsertUser passes on errors other than a missing user', async () => {
    const error = Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: {} });
    cognito.on(AdminGetUserCommand).rejects(error);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    await expect(cognitoServiceFor(client, options).upsertUser('ann', { email: 'a@b.c' })).rejects.toBe(error);
    warn.mockRestore();
    expect(cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(0);
  });
});

describe('failures of user calls (at the SDK boundary)', () => {
  it.each<[string, (s: CognitoSyncService) => Promise<unknown>, string]>([
    ['findUser', (s) => s.findUser('ghost'), 'AdminGetUser'],
    ['deleteUser', (s) => s.deleteUser('ghost'), 'AdminDeleteUser'],
    ['enableUser', (s) => s.enableUser('ghost'), 'AdminEnableUser'],
    ['disableUser', (s) => s.disableUser('ghost'), 'AdminDisableUser'],
    ['signIn', (s) => s.signIn('ghost', 'Secret-passw0rd!'), 'AdminInitiateAuth'],
    ['findUserByAccessToken', (s) => s.findUserByAccessToken(ACCESS_TOKEN), 'GetUser'],
  ])('%s tags the error with its method and logs one line without secrets', async (method, call, operation) => {
    const error = new UserNotFoundException({ message: 'User does not exist.', $metadata: { requestId: 'req-9' } });
    cognito.onAnyCommand().rejects(error);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const thrown = await call(cognitoServiceFor(client, options)).catch((e: unknown) => e);
    const lines = warn.mock.calls.map((args) => String(args[0]));
    warn.mockRestore();
    expect(thrown).toBe(error);
    expect(operationOf(thrown)).toBe(method);
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(`^${operation} failed: UserNotFoundException requestId=req-9( token=[0-9a-f]{8})?$`),
      ),
    ]);
    expect(lines.join('\n')).not.toMatch(/Secret-passw0rd|eyJ/);
  });

  it('findUserByAccessToken refuses what is not a JWT before any call', async () => {
    await expect(cognitoServiceFor(client, options).findUserByAccessToken('not a token')).rejects.toMatchObject({
      code: 'InvalidAccessToken',
    });
    expect(cognito.calls()).toHaveLength(0);
  });

  it('every user call refuses a missing or oversized username before any call', async () => {
    const service = cognitoServiceFor(client, options);
    for (const username of ['', 'x'.repeat(129), undefined as unknown as string]) {
      await expect(service.findUser(username)).rejects.toBeInstanceOf(CognitoInputError);
      await expect(service.deleteUser(username)).rejects.toBeInstanceOf(CognitoInputError);
      await expect(service.createUser(username)).rejects.toBeInstanceOf(CognitoInputError);
    }
    expect(cognito.calls()).toHaveLength(0);
  });
});
