// The testing kit's signInSession(): a signed-in session cookie for a test's requests without any browser
// flow, in an app that trusts createCognitoTestKit()'s tokens; its sessions in memory and on a real
// redis-server; refused in an app without the `session` option.
import { createKeyv } from '@keyv/redis';
import { Controller, Get, type INestApplication, Post } from '@nestjs/common';
import type Keyv from 'keyv';
import { CognitoModule, CognitoUser } from '../../src';
import { type CognitoTestKit, createCognitoTestKit, signInSession } from '../../src/testing';
import { ADAPTERS, type AdapterName, createApp, http } from '../support/bootstrap';
import { RedisServer } from '../support/redis-server';
import { rememberSecrets } from '../support/secrets';

const SECRET = 'an-e2e-session-secret-of-32-characters-or-more';

@Controller('notes')
class NotesController {
  @Get()
  list(@CognitoUser('username') username: string) {
    return { owner: username };
  }

  @Post()
  add(@CognitoUser('username') username: string) {
    return { added: true, by: username };
  }
}

function bootApp(
  adapter: AdapterName,
  options: Parameters<typeof CognitoModule.forRoot>[0],
): Promise<INestApplication> {
  return createApp(adapter, { imports: [CognitoModule.forRoot(options)], controllers: [NotesController] });
}

describe.each(ADAPTERS)('signInSession() (testing kit tokens), on %s', (adapter) => {
  let kit: CognitoTestKit;
  let app: INestApplication;
  const tokens = () => {
    const minted = {
      accessToken: kit.accessToken({ username: 'ann', groups: ['Editors'] }),
      idToken: kit.idToken({ username: 'ann', email: 'ann@example.com' }),
      refreshToken: 'not-used-within-the-hour',
    };
    rememberSecrets(minted.accessToken, minted.idToken);
    return minted;
  };
  beforeAll(async () => {
    kit = await createCognitoTestKit();
    const options = { ...kit.moduleOptions, authGuard: true, authController: true, session: { secret: SECRET } };
    app = await bootApp(adapter, options);
  });
  afterAll(async () => {
    await app.close();
    await kit.close();
  });

  it('gives a cookie that a guarded route and GET auth/session answer with the session', async () => {
    const session = await signInSession(app, tokens());
    expect(session.cookie).toMatch(/^__Host-cognito-session=[\w-]{43}\.[\w-]{43}$/);
    await http(app).get('/notes').set('Cookie', session.cookie).expect(200, { owner: 'ann' });
    const answered = await http(app).get('/auth/session').set('Cookie', session.cookie).expect(200);
    expect(answered.body).toEqual(session.summary);
    expect(session.summary).toMatchObject({ username: 'ann', email: 'ann@example.com', groups: ['Editors'] });
    await http(app).get('/notes').expect(401);
  });

  it('an unsafe method needs the CSRF header it documents: 403 CsrfCheckFailed without, served with', async () => {
    const session = await signInSession(app, tokens());
    expect(session.csrfHeaders).toEqual({ 'x-requested-with': 'XMLHttpRequest' });
    const refused = await http(app).post('/notes').set('Cookie', session.cookie).expect(403);
    expect(refused.body).toMatchObject({ code: 'CsrfCheckFailed' });
    await http(app).post('/notes').set(session.headers).expect(201, { added: true, by: 'ann' });
    await http(app).post('/notes').set('Cookie', session.cookie).set(session.csrfHeaders).expect(201);
  });

  it("names authController's own csrfHeader", async () => {
    const options = { ...kit.moduleOptions, authGuard: true, authController: { csrfHeader: 'X-CSRF' } };
    const other = await bootApp(adapter, { ...options, session: { secret: SECRET } });
    try {
      const session = await signInSession(other, tokens());
      expect(session.csrfHeaders).toEqual({ 'x-csrf': 'XMLHttpRequest' });
      await http(other).post('/notes').set('Cookie', session.cookie).set('X-Requested-With', 'x').expect(403);
      await http(other).post('/notes').set(session.headers).expect(201);
    } finally {
      await other.close();
    }
  });

  it('refuses, naming the option, an app without `session`', async () => {
    const plain = await bootApp(adapter, { ...kit.moduleOptions, authGuard: true, authController: true });
    try {
      await expect(signInSession(plain, tokens())).rejects.toThrow(
        'signInSession: the app has no server-side sessions: register CognitoModule with the `session` option',
      );
    } finally {
      await plain.close();
    }
  });
});

describe.each(ADAPTERS)('signInSession() with the sessions on a real redis-server, on %s', (adapter) => {
  let kit: CognitoTestKit;
  let redis: RedisServer;
  const stores: Keyv[] = [];
  const apps: INestApplication[] = [];
  const instance = async () => {
    const store = createKeyv(redis.url);
    stores.push(store);
    const options = { ...kit.moduleOptions, authGuard: true, authController: true };
    const app = await bootApp(adapter, { ...options, session: { secret: SECRET, store } });
    apps.push(app);
    return app;
  };
  beforeAll(async () => {
    kit = await createCognitoTestKit();
    redis = await new RedisServer().start();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const store of stores) await store.disconnect();
    await redis.close();
    await kit.close();
  });

  it("stores the session in the app's Redis store: another instance on it serves the cookie", async () => {
    const [one, two] = [await instance(), await instance()];
    const minted = { accessToken: kit.accessToken({ username: 'bob' }), idToken: kit.idToken({ username: 'bob' }) };
    rememberSecrets(minted.accessToken, minted.idToken);
    const session = await signInSession(one, { ...minted, refreshToken: 'not-used-within-the-hour' });
    await http(two).get('/notes').set('Cookie', session.cookie).expect(200, { owner: 'bob' });
    await http(two).post('/notes').set(session.headers).expect(201, { added: true, by: 'bob' });
  });
});
