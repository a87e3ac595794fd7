// User management against the suite's cognito-local: one user's whole life through
// CognitoSyncService, then the filter's answers over HTTP on Express and Fastify.
import { createHmac } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { Body, Controller, Get, type INestApplication, Param, Post } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  COGNITO_CLIENT,
  CognitoModule,
  type CognitoModuleOptions,
  CognitoSyncService,
  type CognitoUserRecord,
} from '../../src';
import { ADAPTERS, createApp, http } from '../support/bootstrap';
import { answerWithTokens, CognitoStandIn, replyError } from '../support/cognito-stand-in';
import { rememberSecrets } from '../support/secrets';
import { type CognitoTarget, localTarget } from '../support/target';

const PASSWORD = 'Permanent-passw0rd!';
const TEMPORARY_PASSWORD = 'Temporary-passw0rd!';
rememberSecrets(PASSWORD, TEMPORARY_PASSWORD, 'Demo-passw0rd!', 'Wrong-passw0rd!');

/** The pool's schema declares `plan`; `name` and `email` are the standard attributes this app syncs. */
const withAllowList = (options: CognitoModuleOptions): CognitoModuleOptions => ({
  ...options,
  attributes: { standard: ['email', 'email_verified', 'name'], custom: ['plan'] },
});

const WRONG_PASSWORD_BODY = {
  statusCode: 401,
  error: 'Unauthorized',
  message: 'Incorrect username or password',
  code: 'NotAuthorizedException',
};

const commandsSent = (send: jest.SpyInstance) => send.mock.calls.map(([command]) => command.constructor.name as string);

describe('user management against cognito-local', () => {
  let target: CognitoTarget;
  let moduleRef: TestingModule;
  let cognito: CognitoSyncService;
  let send: jest.SpyInstance;
  let ann: CognitoUserRecord;
  beforeAll(async () => {
    target = await localTarget();
    moduleRef = await Test.createTestingModule({
      imports: [CognitoModule.forRoot(withAllowList(target.options))],
    }).compile();
    cognito = moduleRef.get(CognitoSyncService);
    send = jest.spyOn(moduleRef.get<CognitoIdentityProviderClient>(COGNITO_CLIENT), 'send');
  });
  afterAll(() => moduleRef.close());
  beforeEach(() => send.mockClear());

  // The steps below are one user's life, in order: each starts from where the previous one left it.
  it('creates a user with a custom attribute from the schema, dropping what the allow-list does not name', async () => {
    ann = await cognito.createUser(
      'ann@example.com',
      {
        email: 'ann@example.com',
        email_verified: true,
        name: 'Ann',
        plan: 'pro',
        nickname: 'annie',
        shoeSize: 38,
        note: null,
      },
      { temporaryPassword: TEMPORARY_PASSWORD, suppressInvitation: true },
    );
    // The pool signs in by email: the internal username is a UUID.
    expect(ann.username).toMatch(/^[0-9a-f-]{36}$/);
    expect(ann).toMatchObject({ enabled: true, status: 'FORCE_CHANGE_PASSWORD', createdAt: expect.any(Date) });
    expect(ann.attributes).toEqual({
      sub: expect.any(String),
      email: 'ann@example.com',
      email_verified: 'true',
      name: 'Ann',
      plan: 'pro',
    });
  });

  it('finds the user by its username and by its email alias, custom attribute without its prefix', async () => {
    const byEmail = await cognito.findUser('ann@example.com');
    expect(byEmail).toEqual(await cognito.findUser(ann.username));
    expect(byEmail).toMatchObject({ username: ann.username, enabled: true, attributes: { plan: 'pro', name: 'Ann' } });
    expect(byEmail.attributes).not.toHaveProperty('nickname');
    expect(byEmail.attributes).not.toHaveProperty('shoeSize');
  });

  it('updates attributes and returns the user as it now is', async () => {
    const updated = await cognito.updateUser(ann.username, { name: 'Ann Smith', plan: 'team', nickname: 'dropped' });
    expect(updated.attributes).toMatchObject({ name: 'Ann Smith', plan: 'team' });
    expect(updated.attributes).not.toHaveProperty('nickname');
    expect(commandsSent(send)).toEqual(['AdminUpdateUserAttributesCommand', 'AdminGetUserCommand']);
  });

  it('disables the user (find shows enabled: false), then enables it again', async () => {
    await cognito.disableUser(ann.username);
    expect((await cognito.findUser(ann.username)).enabled).toBe(false);
    await cognito.enableUser(ann.username);
    expect((await cognito.findUser(ann.username)).enabled).toBe(true);
  });

  it('sets a permanent password, signs in with it, and finds the user by the access token', async () => {
    await cognito.setUserPassword(ann.username, PASSWORD, { permanent: true });
    expect((await cognito.findUser(ann.username)).status).toBe('CONFIRMED');
    const { AuthenticationResult: tokens } = await cognito.signIn('ann@example.com', PASSWORD);
    rememberSecrets(tokens?.AccessToken, tokens?.IdToken, tokens?.RefreshToken);
    expect(tokens?.AccessToken).toEqual(expect.any(String));
    const me = await cognito.findUserByAccessToken(tokens!.AccessToken!);
    expect(me).toMatchObject({ username: ann.username, attributes: { email: 'ann@example.com', plan: 'team' } });
  });

  it('refuses the old temporary password once the permanent one is set', async () => {
    // cognito-local names a wrong password InvalidPasswordException; AWS says NotAuthorizedException
    // (the wire-level stand-in below shows how the filter answers that).
    await expect(cognito.signIn('ann@example.com', TEMPORARY_PASSWORD)).rejects.toMatchObject({
      name: 'InvalidPasswordException',
    });
  });

  it("lists the pool's users, all of them and through a filter", async () => {
    const all: CognitoUserRecord[] = [];
    for await (const user of cognito.listUsers()) all.push(user);
    expect(all.map((user) => user.attributes.email).sort()).toEqual(['ann@example.com', 'demo@example.com']);
    expect(all.find((user) => user.username === ann.username)).toMatchObject({
      enabled: true,
      attributes: { plan: 'team' },
    });
    const filtered: CognitoUserRecord[] = [];
    for await (const user of cognito.listUsers({ filter: 'email = "ann@example.com"' })) filtered.push(user);
    expect(filtered.map((user) => user.username)).toEqual([ann.username]);
  });

  it(
    'upserts a missing user (created), then an attribute that differs (updated), then the same row (no call ' +
      'but the find)',
    async () => {
      const row = { id: 42, email: 'bob@example.com', name: 'Bob', plan: 'free', lastLogin: undefined };
      const created = await cognito.upsertUser('bob@example.com', row, { suppressInvitation: true });
      expect(created).toMatchObject({
        created: true,
        user: { attributes: { email: 'bob@example.com', name: 'Bob', plan: 'free' } },
      });
      const bob = created.user.username;

      send.mockClear();
      const updated = await cognito.upsertUser('bob@example.com', { ...row, plan: 'pro' });
      expect(updated).toMatchObject({
        created: false,
        user: { username: bob, attributes: { name: 'Bob', plan: 'pro' } },
      });
      const updates = send.mock.calls
        .map(([command]) => command)
        .filter((command) => command instanceof AdminUpdateUserAttributesCommand);
      expect(updates.map((command) => command.input)).toEqual([
        {
          UserPoolId: target.options.userPoolId,
          Username: bob,
          UserAttributes: [{ Name: 'custom:plan', Value: 'pro' }],
        },
      ]);

      send.mockClear();
      expect(await cognito.upsertUser('bob@example.com', { ...row, plan: 'pro' })).toMatchObject({
        created: false,
        user: { username: bob },
      });
      expect(commandsSent(send)).toEqual(['AdminGetUserCommand']);
      expect(send.mock.calls[0][0]).toBeInstanceOf(AdminGetUserCommand);
    },
  );

  it(
    "upserts a user with only an email and no options: the invitation goes by email (Cognito's default, SMS, " +
      'has no number to go to)',
    async () => {
      const { created, user } = await cognito.upsertUser('carol@example.com', { email: 'carol@example.com' });
      expect(created).toBe(true);
      expect(user).toMatchObject({ status: 'FORCE_CHANGE_PASSWORD', attributes: { email: 'carol@example.com' } });
      const create = send.mock.calls
        .map(([command]) => command)
        .find((command) => command instanceof AdminCreateUserCommand);
      expect(create?.input.DesiredDeliveryMediums).toEqual(['EMAIL']);
    },
  );

  it('deletes the user: finding it then fails with UserNotFoundException', async () => {
    await cognito.deleteUser(ann.username);
    await expect(cognito.findUser(ann.username)).rejects.toMatchObject({ name: 'UserNotFoundException' });
    await expect(cognito.findUser('ann@example.com')).rejects.toMatchObject({ name: 'UserNotFoundException' });
  });
});

/** An app's own routes over the service: the filter answers their Cognito errors. */
@Controller('users')
class UsersController {
  constructor(private readonly cognito: CognitoSyncService) {}

  @Get(':username')
  find(@Param('username') username: string) {
    return this.cognito.findUser(username);
  }

  @Post()
  create(@Body() body: { username: string; attributes?: object }) {
    return this.cognito.createUser(body.username, body.attributes, { suppressInvitation: true });
  }

  @Post('sign-in')
  async signIn(@Body() body: { username: string; password: string }) {
    const output = await this.cognito.signIn(body.username, body.password);
    return { signedIn: output.AuthenticationResult !== undefined };
  }
}

describe.each(ADAPTERS)('user routes through the exception filter (cognito-local), on %s', (adapter) => {
  let target: CognitoTarget & { user: { email?: string; password?: string } };
  let app: INestApplication;
  beforeAll(async () => {
    target = await localTarget();
    app = await createApp(adapter, {
      imports: [CognitoModule.forRoot(withAllowList(target.options))],
      controllers: [UsersController],
    });
  });
  afterAll(() => app.close());

  it('answers 200 with the user for one that exists', async () => {
    const res = await http(app).get('/users/demo@example.com').expect(200);
    expect(res.body).toMatchObject({
      username: target.user.username,
      enabled: true,
      status: 'CONFIRMED',
      attributes: { email: 'demo@example.com' },
    });
  });

  it('answers 404 UserNotFoundException for a missing user', async () => {
    const res = await http(app).get('/users/nobody@example.com').expect(404);
    expect(res.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: expect.any(String),
      code: 'UserNotFoundException',
    });
  });

  it('answers 409 UsernameExistsException for a duplicate', async () => {
    const res = await http(app)
      .post('/users')
      .send({ username: 'demo@example.com', attributes: { email: 'demo@example.com' } })
      .expect(409);
    expect(res.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: expect.any(String),
      code: 'UsernameExistsException',
    });
  });

  it(
    'answers 400 for an attribute the allow-list names but that is not a string, number or boolean, before any ' +
      'call',
    async () => {
      const send = jest.spyOn(app.get(COGNITO_CLIENT), 'send');
      const res = await http(app)
        .post('/users')
        .send({ username: 'new@example.com', attributes: { name: { first: 'N' } } })
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'InvalidAttributes' });
      expect(send).not.toHaveBeenCalled();
      send.mockRestore();
    },
  );

  it('signs in with the right password, and answers an unknown user 401 like a wrong password', async () => {
    const signedIn = await http(app)
      .post('/users/sign-in')
      .send({ username: 'demo@example.com', password: 'Demo-passw0rd!' })
      .expect(201);
    expect(signedIn.body).toEqual({ signedIn: true });
    const unknown = await http(app)
      .post('/users/sign-in')
      .send({ username: 'nobody@example.com', password: 'Wrong-passw0rd!' })
      .expect(401);
    expect(unknown.body).toEqual(WRONG_PASSWORD_BODY);
  });

  it(
    'answers a wrong password the same 401 (cognito-local names it InvalidPasswordException, AWS ' +
      'NotAuthorizedException)',
    async () => {
      const wrong = await http(app)
        .post('/users/sign-in')
        .send({ username: 'demo@example.com', password: 'Wrong-passw0rd!' })
        .expect(401);
      expect(wrong.body).toEqual(WRONG_PASSWORD_BODY);
    },
  );
});

// cognito-local answers a wrong password with another error than AWS and never checks
// SECRET_HASH: AWS's answers are replayed here, and the exact requests recorded.
describe.each(ADAPTERS)('sign-in through the filter (wire-level stand-in, not cognito-local), on %s', (adapter) => {
  const clientId = 'standinclient123';
  const clientSecret = 'stand-in-users-client-secret';
  const username = 'ann@example.com';
  const expectedHash = createHmac('sha256', clientSecret)
    .update(username + clientId)
    .digest('base64');
  let standIn: CognitoStandIn;
  let app: INestApplication;
  beforeAll(async () => {
    standIn = await new CognitoStandIn().start();
    rememberSecrets(clientSecret, expectedHash);
    const options = {
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_StandIn1',
      clientId,
      clientSecret,
      endpoint: standIn.endpoint,
    };
    app = await createApp(adapter, {
      imports: [CognitoModule.forRoot({ ...options, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } })],
      controllers: [UsersController],
    });
  });
  afterAll(async () => {
    await app.close();
    await standIn.stop();
  });
  beforeEach(() => {
    standIn.requests.length = 0;
  });

  it('sends ADMIN_USER_PASSWORD_AUTH with SECRET_HASH over the username given', async () => {
    standIn.respondWith(answerWithTokens);
    await http(app).post('/users/sign-in').send({ username, password: PASSWORD }).expect(201);
    expect(standIn.requests).toEqual([
      {
        operation: 'AdminInitiateAuth',
        body: {
          UserPoolId: 'eu-west-1_StandIn1',
          ClientId: clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: username, PASSWORD, SECRET_HASH: expectedHash },
        },
      },
    ]);
  });

  it.each([
    ['a wrong password', 'NotAuthorizedException', 'Incorrect username or password.'],
    ['an unknown user', 'UserNotFoundException', 'User does not exist.'],
    ['a disabled user', 'NotAuthorizedException', 'User is disabled.'],
  ])('answers %s with the same 401', async (_case, name, message) => {
    standIn.respondWith((_req, res) => replyError(res, name, message));
    const res = await http(app).post('/users/sign-in').send({ username, password: 'Wrong-passw0rd!' }).expect(401);
    expect(res.body).toEqual(WRONG_PASSWORD_BODY);
  });

  it('answers 404 for findUser of a missing user: outside sign-in, a missing user is not hidden', async () => {
    standIn.respondWith((_req, res) => replyError(res, 'UserNotFoundException', 'User does not exist.'));
    const res = await http(app).get('/users/ghost@example.com').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'UserNotFoundException' });
    expect(standIn.requests).toEqual([
      { operation: 'AdminGetUser', body: { UserPoolId: 'eu-west-1_StandIn1', Username: 'ghost@example.com' } },
    ]);
  });
});
