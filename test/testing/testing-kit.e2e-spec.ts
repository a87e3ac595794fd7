// nestjs-cognito-sync/testing's startCognitoLocal: its own cognito-local (not the suite's),
// with the app's refresh endpoint and guard in front of it. The packed package runs the
// same in a fresh app's suite (test/consumer).
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type * as os from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CognitoGroups, CognitoModule, CognitoSyncService, CognitoUser } from '../../src';
import { type CognitoLocal, startCognitoLocal } from '../../src/testing';
import { createApp, http } from '../support/bootstrap';
import { rememberSecrets } from '../support/secrets';

@Controller('guarded')
class GuardedController {
  @Get('me')
  me(@CognitoUser('username') username: string) {
    return { username };
  }

  @CognitoGroups('Admins')
  @Get('admin')
  admin() {
    return { admin: true };
  }
}

const PASSWORD = 'Kit-passw0rd!';
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
const signedIn = async (local: CognitoLocal, username: string) => {
  const tokens = await local.signIn(username, PASSWORD);
  rememberSecrets(tokens.accessToken, tokens.idToken, tokens.refreshToken);
  return tokens;
};

describe('startCognitoLocal (nestjs-cognito-sync/testing)', () => {
  describe('a pool with plain usernames and the app client with a secret', () => {
    let local: CognitoLocal;
    let app: INestApplication;
    beforeAll(async () => {
      local = await startCognitoLocal({
        customAttributes: ['plan'],
        users: [
          {
            username: 'ann',
            password: PASSWORD,
            groups: ['Admins'],
            attributes: { email: 'ann@example.com', 'custom:plan': 'pro' },
          },
        ],
      });
      rememberSecrets(local.clients.withSecret.clientSecret);
      app = await createApp('express', {
        imports: [CognitoModule.forRoot({ ...local.moduleOptions, refreshController: true, authGuard: true })],
        controllers: [GuardedController],
      });
    });
    afterAll(async () => {
      await app?.close();
      await local?.close();
    });

    it('names the client with a secret in moduleOptions, and has one without', () => {
      expect(local.moduleOptions).toMatchObject({
        region: 'local',
        ...local.clients.withSecret,
        endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      });
      expect(local.clients.withoutSecret.clientId).not.toBe(local.clients.withSecret.clientId);
    });

    it('signs a user in with its groups and attributes in the tokens', async () => {
      const { accessToken, idToken } = await signedIn(local, 'ann');
      expect(claimsOf(accessToken)).toMatchObject({
        username: 'ann',
        'cognito:groups': ['Admins'],
        client_id: local.moduleOptions.clientId,
      });
      expect(claimsOf(idToken)).toMatchObject({
        'cognito:username': 'ann',
        email: 'ann@example.com',
        'custom:plan': 'pro',
      });
      await expect(local.signIn('ann', 'Wrong-passw0rd!')).rejects.toMatchObject({
        name: expect.stringMatching(/Exception$/),
      });
    });

    it(
      'its tokens pass the guard, refresh through the ' + 'refresh endpoint, and the refreshed token passes too',
      async () => {
        const { accessToken, refreshToken } = await signedIn(local, 'ann');
        await http(app)
          .get('/guarded/admin')
          .set('Authorization', `Bearer ${accessToken}`)
          .expect(200, { admin: true });
        const res = await http(app).post('/auth/refresh').send({ refreshToken, username: 'ann' }).expect(200);
        const refreshed = res.body.authenticationResult.accessToken as string;
        rememberSecrets(refreshed, res.body.authenticationResult.idToken);
        await http(app).get('/guarded/me').set('Authorization', `Bearer ${refreshed}`).expect(200, { username: 'ann' });
      },
    );

    it('creates users later, whose groups the guard checks, and whom the service finds', async () => {
      const bob = await local.createUser({ username: 'bob', password: PASSWORD, groups: ['Editors'] });
      expect(bob).toEqual({ username: 'bob', sub: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      const { accessToken } = await signedIn(local, 'bob');
      await http(app).get('/guarded/admin').set('Authorization', `Bearer ${accessToken}`).expect(403);
      expect((await app.get(CognitoSyncService).findUser('bob')).status).toBe('CONFIRMED');
    });
  });

  it('signs in by email in a pool with usernameAttributes, through the client without a secret', async () => {
    const local = await startCognitoLocal({ usernameAttributes: ['email'], withSecret: false });
    try {
      expect(local.moduleOptions.clientSecret).toBeUndefined();
      const ann = await local.createUser({ username: 'ann@example.com', password: PASSWORD });
      expect(ann.username).toMatch(/^[0-9a-f-]{36}$/);
      const { accessToken } = await signedIn(local, 'ann@example.com');
      expect(claimsOf(accessToken)).toMatchObject({
        username: ann.username,
        client_id: local.clients.withoutSecret.clientId,
      });
    } finally {
      await local.close();
    }
  });

  it('close() stops the emulator and removes its folder', async () => {
    // The emulator's folder goes to one this test alone watches.
    const watched = mkdtempSync(join(tmpdir(), 'kit-close-'));
    const tmp = jest.spyOn(jest.requireActual<typeof os>('node:os'), 'tmpdir').mockReturnValue(watched);
    try {
      const local = await startCognitoLocal();
      tmp.mockRestore();
      expect(readdirSync(watched)).toEqual([expect.stringMatching(/^cognito-local-/)]);
      await Promise.all([local.close(), local.close()]);
      expect(readdirSync(watched)).toEqual([]);
      await expect(fetch(`${local.moduleOptions.endpoint}/health`)).rejects.toThrow();
    } finally {
      tmp.mockRestore();
      rmSync(watched, { recursive: true, force: true });
    }
  });
});
