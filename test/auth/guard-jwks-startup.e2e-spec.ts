// The guard's keys at startup, for platforms that bill the boot, on Express and Fastify
// against cognito-local: `jwt.warmUp: false` (no fetch at startup) and `jwt.jwks` (the pool's
// JWKS shipped with the app). Fetches are counted at a relay to cognito-local's JWKS that
// this suite controls (JwksServer), given as `jwt.jwksUri`.
import { Controller, Get, UseGuards } from '@nestjs/common';
import { CognitoAuthGuard, CognitoModule, type CognitoJwks, type CognitoJwtOptions, CognitoUser } from '../../src';
import { ADAPTERS, type AdapterName, bearer, createApp, http } from '../support/bootstrap';
import { JwksServer, TestSigner } from '../support/jwks-server';
import { type CognitoTarget, localTarget } from '../support/target';

@Controller('guarded')
class GuardedController {
  @Get('me')
  me(@CognitoUser('username') username: string) {
    return { username };
  }
}

@UseGuards(CognitoAuthGuard.for('staff'))
@Controller('staff')
class StaffController {
  @Get('me')
  me(@CognitoUser('username') username: string) {
    return { username };
  }
}

describe('CognitoAuthGuard: the JWKS at startup (jwt.warmUp, jwt.jwks)', () => {
  let target: CognitoTarget;
  let poolJwksUri: string;
  /** cognito-local's JWKS, as an app would save it at build time. */
  let poolJwks: CognitoJwks;
  let relay: JwksServer;
  const appWith = (adapter: AdapterName, jwt: CognitoJwtOptions) =>
    createApp(adapter, {
      imports: [CognitoModule.forRoot({ ...target.options, jwt: { jwksUri: relay.uri, ...jwt }, authGuard: true })],
      controllers: [GuardedController],
    });
  const askConcurrently = async (app: Parameters<typeof http>[0], count: number, path = '/guarded/me') =>
    (
      await Promise.all(Array.from({ length: count }, () => http(app).get(path).set(bearer(target.user.accessToken))))
    ).map((res) => res.status);

  beforeAll(async () => {
    target = await localTarget();
    poolJwksUri = `${target.options.endpoint}/${target.options.userPoolId}/.well-known/jwks.json`;
    poolJwks = (await (await fetch(poolJwksUri)).json()) as CognitoJwks;
  });
  beforeEach(async () => {
    relay = await new JwksServer(poolJwksUri).start();
  });
  afterEach(() => relay.stop());

  describe.each(ADAPTERS)('on %s', (adapter) => {
    it('fetches the JWKS at startup by default (so that the cases below are about their options)', async () => {
      const app = await appWith(adapter, {});
      try {
        expect(relay.fetches).toBe(1);
      } finally {
        await app.close();
      }
    });

    it('with warmUp: false, fetches nothing at startup; the first requests fetch it once between them', async () => {
      const app = await appWith(adapter, { warmUp: false });
      try {
        expect(relay.fetches).toBe(0);
        expect(await askConcurrently(app, 20)).toEqual(Array(20).fill(200));
        expect(relay.fetches).toBe(1);
      } finally {
        await app.close();
      }
    });

    it("with jwks (cognito-local's, shipped with the app), fetches nothing at startup nor for its tokens", async () => {
      const app = await appWith(adapter, { jwks: poolJwks });
      try {
        expect(relay.fetches).toBe(0);
        expect(await askConcurrently(app, 20)).toEqual(Array(20).fill(200));
        await http(app)
          .get('/guarded/me')
          .set(bearer(target.user.accessToken))
          .expect(200, { username: target.user.username });
        expect(relay.fetches).toBe(0);
      } finally {
        await app.close();
      }
    });

    it("with jwks that lacks the pool's current key, fetches the JWKS URI once for its token (rotation)", async () => {
      const app = await appWith(adapter, { jwks: { keys: [new TestSigner('retired-key').publicJwk as never] } });
      try {
        expect(relay.fetches).toBe(0);
        expect(await askConcurrently(app, 10)).toEqual(Array(10).fill(200));
        expect(relay.fetches).toBe(1);
      } finally {
        await app.close();
      }
    });

    it(
      "with jwks whose kid the pool serves with other key material (cognito-local's kid, another key), fetches " +
        'the JWKS URI once and answers its tokens 200',
      async () => {
        const stale = { ...new TestSigner(poolJwks.keys[0].kid).publicJwk } as never;
        const app = await appWith(adapter, { jwks: { keys: [stale] } });
        try {
          expect(relay.fetches).toBe(0);
          expect(await askConcurrently(app, 10)).toEqual(Array(10).fill(200));
          expect(relay.fetches).toBe(1);
        } finally {
          await app.close();
        }
      },
    );

    it('gives a named pool (CognitoAuthGuard.for) its own jwt.jwks and warmUp', async () => {
      const app = await createApp(adapter, {
        imports: [
          CognitoModule.forRoot({ ...target.options, jwt: { jwksUri: relay.uri, warmUp: false } }),
          CognitoModule.forRoot({ ...target.options, name: 'staff', jwt: { jwksUri: relay.uri, jwks: poolJwks } }),
        ],
        controllers: [StaffController],
      });
      try {
        expect(await askConcurrently(app, 5, '/staff/me')).toEqual(Array(5).fill(200));
        expect(relay.fetches).toBe(0);
      } finally {
        await app.close();
      }
    });
  });
});
