// One token, one spelling, on Express and Fastify (testing kit): the guard refuses a
// token cookie sent twice (cookie tossing: which one the browser sent first says
// nothing about which one is genuine), two Authorization headers (Node keeps the
// first, a proxy in front may have read the other), and a signature spelled other than its
// canonical base64url (padding, unused bits of the last character), which would
// otherwise make one token many cache entries, RSA checks and revocation calls.
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { CognitoModule, CognitoTokenVerifier, CognitoUser, Public } from '../../src';
import { type CognitoTestKit, createCognitoTestKit } from '../../src/testing';
import { ADAPTERS, createApp, http } from '../support/bootstrap';
import { rememberSecrets } from '../support/secrets';

@Controller('me')
class MeController {
  @Get()
  me(@CognitoUser('username') username: string) {
    return { username };
  }

  @Public()
  @Get('public')
  open(@CognitoUser('username') username?: string) {
    return { username: username ?? null };
  }
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Every other spelling of `token`'s signature that decodes to the same bytes: unused low bits of the last character,
 * `=` padding.
 */
function otherSpellings(token: string): string[] {
  const [header, payload, signature] = token.split('.');
  const last = BASE64URL.indexOf(signature.at(-1)!);
  // A 256-byte RS256 signature is 342 characters: the last one carries 2 bits, 4 are unused.
  const lastCharacters = Array.from({ length: 16 }, (_, unused) => BASE64URL[(last & 0b110000) | unused]);
  return lastCharacters
    .flatMap((character) => ['', '=', '=='].map((padding) => `${signature.slice(0, -1)}${character}${padding}`))
    .filter((spelling) => spelling !== signature)
    .map((spelling) => `${header}.${payload}.${spelling}`);
}

describe.each(ADAPTERS)('the spelling of a token (testing kit), on %s', (adapter) => {
  let kit: CognitoTestKit;
  let app: INestApplication;
  beforeAll(async () => {
    kit = await createCognitoTestKit();
    app = await createApp(adapter, {
      imports: [
        CognitoModule.forRoot({
          ...kit.moduleOptions,
          jwt: { ...kit.moduleOptions.jwt, cookie: 'at' },
          authGuard: true,
        }),
      ],
      controllers: [MeController],
    });
  });
  afterAll(async () => {
    await app.close();
    await kit.close();
  });
  const tokenOf = (username: string) => {
    const token = kit.accessToken({ username });
    rememberSecrets(token);
    return token;
  };

  describe('the token cookie (jwt.cookie)', () => {
    it('authenticates with one cookie of that name among others', async () => {
      const victim = tokenOf('victim');
      await http(app)
        .get('/me')
        .set('Cookie', `theme=dark; at=${victim}; AT=other`)
        .expect(200, { username: 'victim' });
    });

    it.each([
      ['in one header', (a: string, b: string) => [`at=${a}; at=${b}`]],
      ['without a space', (a: string, b: string) => [`at=${a};at=${b}`]],
      ['after a tab', (a: string, b: string) => [`at=${a};\tat=${b}`]],
      ['in two Cookie headers', (a: string, b: string) => [`at=${a}`, `at=${b}`]],
      ['the first one empty', (_a: string, b: string) => [`at=; at=${b}`]],
    ])('refuses it twice %s (401 TokenInvalid), whichever comes first', async (_case, cookie) => {
      const [attacker, victim] = [tokenOf('attacker'), tokenOf('victim')];
      for (const value of [cookie(attacker, victim), cookie(victim, attacker)]) {
        const res = await http(app).get('/me').set('Cookie', value).expect(401);
        expect(res.body).toMatchObject({
          code: 'TokenInvalid',
          message: 'The request carries more than one at cookie',
        });
      }
    });

    it(
      'reads a duplicated cookie as no token on a @Public() ' + 'route, and lets the Authorization header win',
      async () => {
        const [attacker, victim] = [tokenOf('attacker'), tokenOf('victim')];
        const cookie = `at=${attacker}; at=${victim}`;
        await http(app).get('/me/public').set('Cookie', cookie).expect(200, { username: null });
        await http(app).get('/me/public').set('Cookie', `at=${victim}`).expect(200, { username: 'victim' });
        await http(app)
          .get('/me')
          .set('Cookie', cookie)
          .set('Authorization', `Bearer ${victim}`)
          .expect(200, { username: 'victim' });
      },
    );
  });

  describe('the Authorization header', () => {
    it(
      'refuses it sent twice (401 TokenInvalid), whichever ' + 'comes first, even once the first token is cached',
      async () => {
        const [attacker, victim] = [tokenOf('attacker'), tokenOf('victim')];
        // Verified and cached first: the cached path must refuse the pair as the full one does.
        await http(app).get('/me').set('Authorization', `Bearer ${victim}`).expect(200, { username: 'victim' });
        for (const pair of [
          [victim, attacker],
          [attacker, victim],
          [victim, victim],
        ]) {
          // superagent hands an array to Node's setHeader: one Authorization line per value.
          const headers = pair.map((token) => `Bearer ${token}`) as unknown as string;
          const res = await http(app).get('/me').set('Authorization', headers).expect(401);
          expect(res.body).toMatchObject({
            code: 'TokenInvalid',
            message: 'The request carries more than one Authorization header',
          });
          await http(app).get('/me/public').set('Authorization', headers).expect(200, { username: null });
        }
      },
    );
  });

  describe('the signature', () => {
    it(
      'accepts the canonical spelling and refuses every ' + 'other one (401 TokenInvalid), with one cache entry',
      async () => {
        const token = tokenOf('ann');
        const variants = otherSpellings(token);
        expect(variants).toHaveLength(47);
        rememberSecrets(...variants);
        const cached = () => (app.get(CognitoTokenVerifier) as unknown as { verified: { size: number } }).verified.size;
        const before = cached();
        await http(app).get('/me').set('Authorization', `Bearer ${token}`).expect(200, { username: 'ann' });
        for (const variant of variants) {
          const res = await http(app).get('/me').set('Authorization', `Bearer ${variant}`);
          expect({ status: res.status, code: res.body.code }).toEqual({ status: 401, code: 'TokenInvalid' });
          await http(app).get('/me/public').set('Authorization', `Bearer ${variant}`).expect(200, { username: null });
        }
        expect(cached() - before).toBe(1);
      },
    );
  });
});
