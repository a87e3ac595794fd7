// The emulator's address spelled another way than its tokens' issuer, on Express and
// Fastify, against the suite's cognito-local: it listens on 127.0.0.1 and its tokens
// say so, while the module is given `localhost` (or the reverse, as cognito-local's
// own banner invites). Before, every guarded call answered 401 "The token was not
// issued by this user pool" with nothing in the log; now both loopback spellings of the
// same port are accepted, and a token of another issuer is refused with one sanitised,
// rate-limited warning naming the expected issuer.
import { Controller, Get } from '@nestjs/common';
import { CognitoModule, CognitoUser } from '../../src';
import { ADAPTERS, type AdapterName, bearer, createApp, http } from '../support/bootstrap';
import { createDemoPool } from '../support/cognito-local';
import { capturePrinted } from '../support/printed';
import { rememberSecrets } from '../support/secrets';
import { localTarget, type CognitoTarget } from '../support/target';

@Controller('me')
class MeController {
  @Get()
  me(@CognitoUser('username') username: string) {
    return { username };
  }
}

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('the issuer of an emulator on this machine, spelled another way (cognito-local)', () => {
  let target: CognitoTarget;
  let otherPoolToken: string;
  beforeAll(async () => {
    target = await localTarget();
    const other = await createDemoPool(process.env.COGNITO_LOCAL_ENDPOINT!);
    otherPoolToken = other.accessToken;
    rememberSecrets(other.accessToken, other.idToken, other.refreshToken, other.clientSecret);
  });

  /** The real endpoint (`http://127.0.0.1:<port>`) with the other loopback spelling. */
  const respelt = () => {
    const endpoint = target.options.endpoint!;
    expect(new URL(endpoint).hostname).toBe('127.0.0.1');
    return endpoint.replace('127.0.0.1', 'localhost');
  };

  describe.each(ADAPTERS)('on %s', (adapter: AdapterName) => {
    it("accepts the pool's tokens whose iss says 127.0.0.1 when the endpoint says localhost", async () => {
      const app = await createApp(adapter, {
        imports: [CognitoModule.forRoot({ ...target.options, endpoint: respelt(), authGuard: true })],
        controllers: [MeController],
      });
      try {
        await http(app).get('/me').set(bearer(target.user.accessToken)).expect(200, { username: target.user.username });
      } finally {
        await app.close();
      }
    });

    it(
      "refuses another pool's token and a forged issuer, " + 'with one sanitised warning naming the expected issuer',
      async () => {
        const app = await createApp(adapter, {
          imports: [CognitoModule.forRoot({ ...target.options, endpoint: respelt(), authGuard: true })],
          controllers: [MeController],
        });
        const forgedIss = `http://localhost:1/\n[Nest] 1  - LOG FAKE\u001b[31m ${'x'.repeat(400)}`;
        const forged =
          `${part({ alg: 'RS256', kid: 'k' })}.` +
          `${part({ iss: forgedIss, exp: Math.floor(Date.now() / 1000) + 600 })}.c2ln`;
        const printed = capturePrinted();
        let lines: string[];
        try {
          const refused = await http(app).get('/me').set(bearer(forged)).expect(401);
          expect(refused.body).toMatchObject({
            code: 'TokenInvalid',
            message: 'The token was not issued by this user pool',
          });
          // Within the minute: refused as well, and not logged again.
          await http(app).get('/me').set(bearer(otherPoolToken)).expect(401);
        } finally {
          lines = printed.stop();
          await app.close();
        }
        const warnings = lines.filter((line) => line.includes('Token refused: its issuer'));
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toContain('WARN');
        expect(warnings[0]).toContain(`"http://localhost:1/[Nest] 1  - LOG FAKE[31m x`);
        expect(warnings[0]).toContain(`expected ${respelt()}/${target.options.userPoolId} or `);
        expect(warnings[0]).not.toContain('x'.repeat(300));
        expect(lines.some((line) => line.startsWith('[Nest] 1  - LOG FAKE'))).toBe(false);
      },
    );
  });
});
