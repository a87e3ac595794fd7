// The guard on one kept-alive connection (testing kit), on Express and Fastify: a token
// verified before is known there again by its text (see VerifiedClaimsCache), so this is
// where a token for another user, or a tampered one, would be mistaken for it if that were
// wrong. Real sockets: supertest opens a connection per request.
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { CognitoModule, CognitoUser } from '../../src';
import { type CognitoTestKit, createCognitoTestKit } from '../../src/testing';
import { ADAPTERS, createApp } from '../support/bootstrap';
import { rememberSecrets } from '../support/secrets';

@Controller('me')
class MeController {
  @Get()
  me(@CognitoUser('username') username: string) {
    return { username };
  }
}

describe.each(ADAPTERS)('the guard on one kept-alive connection (testing kit), on %s', (adapter) => {
  let kit: CognitoTestKit;
  let app: INestApplication;
  let port: number;
  let agent: Agent;
  beforeAll(async () => {
    kit = await createCognitoTestKit();
    app = await createApp(adapter, {
      imports: [CognitoModule.forRoot({ ...kit.moduleOptions, authGuard: true })],
      controllers: [MeController],
    });
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
  });
  beforeEach(() => {
    agent = new Agent({ keepAlive: true, maxSockets: 1 });
  });
  afterEach(() => agent.destroy());
  afterAll(async () => {
    await app.close();
    await kit.close();
  });

  /**
   * GET /me with `authorization` on the agent's one connection: the status, the body and the connection's local port.
   */
  const get = (authorization: string) =>
    new Promise<{ status: number; body: { username?: string; code?: string }; socket: number }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/me', agent, headers: { authorization } }, (res) => {
        const socket = res.socket.localPort!;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode!, body: JSON.parse(text) as { username?: string }, socket }),
        );
      });
      req.on('error', reject).end();
    });
  const tokenOf = (username: string) => {
    const token = kit.accessToken({ username });
    rememberSecrets(token);
    return token;
  };

  it("answers each user's token with that user's claims, one after another on one connection", async () => {
    const ann = tokenOf('ann');
    const bob = tokenOf('bob');
    const answers = [];
    for (const token of [ann, ann, bob, ann, bob]) answers.push(await get(`Bearer ${token}`));
    expect(answers.map(({ status, body }) => [status, body.username])).toEqual([
      [200, 'ann'],
      [200, 'ann'],
      [200, 'bob'],
      [200, 'ann'],
      [200, 'bob'],
    ]);
    expect(new Set(answers.map(({ socket }) => socket)).size).toBe(1);
  });

  // (Trailing spaces and tabs never reach the app: HTTP parsers strip them from header values.)
  it(
    'refuses, on the connection that just sent a valid token, that token tampered with or followed by anything ' +
      '(401)',
    async () => {
      const ann = tokenOf('ann');
      const tampered = `${ann.slice(0, -1)}${ann.endsWith('A') ? 'B' : 'A'}`;
      const answers = [await get(`Bearer ${ann}`)];
      for (const authorization of [`Bearer ${tampered}`, `Bearer ${ann} x`, `Bearer ${ann}\tx`, `Bearer ${ann}.`])
        answers.push(await get(authorization));
      answers.push(await get(`bearer   ${ann}  `));
      expect(answers.map(({ status }) => status)).toEqual([200, 401, 401, 401, 401, 200]);
      expect(new Set(answers.map(({ socket }) => socket)).size).toBe(1);
    },
  );
});
