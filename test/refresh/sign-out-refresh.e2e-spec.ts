// A sign-out ends the refreshes of its token that were shared or merged before it:
// across instances (sharedRefresh on a real redis-server) and within one instance.
import type { ServerResponse } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { createKeyv } from '@keyv/redis';
import type { Keyv } from 'keyv';
import { CognitoModule, type CognitoModuleOptions, CognitoSyncService } from '../../src';
import { ADAPTERS, createApp, http } from '../support/bootstrap';
import {
  answerWithTokens,
  CognitoStandIn,
  reply,
  replyError,
  standInOptions,
  type StandInRequest,
} from '../support/cognito-stand-in';
import { RedisServer } from '../support/redis-server';
import { rememberSecrets } from '../support/secrets';
import { localTarget } from '../support/target';

const WINDOW_SECONDS = 30;

interface Instance {
  app: INestApplication;
  store?: Keyv;
}

/** One app instance with the auth endpoints (body mode); with `redis`, its own connection to the shared store. */
async function instance(
  adapter: (typeof ADAPTERS)[number],
  options: CognitoModuleOptions,
  redis?: RedisServer,
): Promise<Instance> {
  const store = redis ? createKeyv(redis.url) : undefined;
  const sharedRefresh = store ? { sharedRefresh: { store, windowSeconds: WINDOW_SECONDS } } : {};
  const app = await createApp(adapter, {
    imports: [CognitoModule.forRoot({ ...options, ...sharedRefresh, authController: true })],
  });
  return { app, store };
}

const refresh = ({ app }: Instance, refreshToken: string) => http(app).post('/auth/refresh').send({ refreshToken });
const signOut = ({ app }: Instance, refreshToken: string) => http(app).post('/auth/sign-out').send({ refreshToken });

describe.each(ADAPTERS)(
  'sign-out under sharedRefresh, two instances (real redis-server, cognito-local), on %s',
  (adapter) => {
    let redis: RedisServer;
    let instances: Instance[] = [];
    beforeAll(async () => {
      redis = await new RedisServer().start();
    });
    afterEach(async () => {
      for (const { app, store } of instances) {
        await app.close();
        await store?.disconnect();
      }
      instances = [];
    });
    afterAll(() => redis.close());

    // cognito-local implements RevokeToken (it drops the token from the user), so Cognito itself refuses the
    // token afterwards: what is tested is that no instance hands out the answer it kept from before.
    it.each([
      ['A', 0],
      ['B', 1],
    ])(
      'a refresh on A, a sign-out on %s, then the same token on B and on A: 401, not the answer kept for the window',
      async (_on, signer) => {
        const target = await localTarget();
        instances = [await instance(adapter, target.options, redis), await instance(adapter, target.options, redis)];
        const [a, b] = instances;
        const { refreshToken } = target.user;
        const first = await refresh(a, refreshToken).expect(200);
        rememberSecrets(first.body.authenticationResult.accessToken, first.body.authenticationResult.idToken);
        // Within the window, the other instance gets the same answer without a call (sharedRefresh at work).
        expect((await refresh(b, refreshToken).expect(200)).body).toEqual(first.body);

        await signOut(instances[signer], refreshToken).expect(204);

        for (const other of [b, a]) {
          const res = await refresh(other, refreshToken).expect(401);
          expect(res.body).toMatchObject({ code: 'NotAuthorizedException' });
        }
      },
    );
  },
);

/** Cognito as far as this needs: refresh tokens answer until RevokeToken revokes them. */
function revokingCognito(revoked: Set<string>) {
  return (request: StandInRequest, res: ServerResponse) => {
    if (request.operation === 'RevokeToken') {
      revoked.add(request.body.Token as string);
      return reply(res, 200, {});
    }
    if (revoked.has(request.body.AuthParameters?.REFRESH_TOKEN as string))
      return replyError(res, 'NotAuthorizedException', 'Refresh Token has been revoked');
    return answerWithTokens(request, res);
  };
}

describe.each(ADAPTERS)(
  'sign-out during a refresh on the same instance (wire-level stand-in holding the refresh), on %s',
  (adapter) => {
    let redis: RedisServer;
    let standIn: CognitoStandIn;
    let single: Instance | undefined;
    beforeAll(async () => {
      redis = await new RedisServer().start();
    });
    afterEach(async () => {
      await single?.app.close();
      await single?.store?.disconnect();
      single = undefined;
      await standIn.stop();
    });
    afterAll(() => redis.close());

    it.each([
      ['without sharedRefresh', false],
      ['with sharedRefresh', true],
    ])(
      '%s: a refresh that arrives after the sign-out does not join the call made before it (401, the earlier ' +
        'caller 200)',
      async (_mode, shared) => {
        const refreshToken = `stand.in.sign-out-${adapter}-${String(shared)}`;
        rememberSecrets(refreshToken);
        const revoked = new Set<string>();
        standIn = await new CognitoStandIn().start();
        // Only the refresh made before the sign-out is held; RevokeToken and later refreshes are answered.
        standIn.hold(
          (request) => request.operation === 'AdminInitiateAuth' && revoked.size === 0,
          revokingCognito(revoked),
        );
        single = await instance(adapter, standInOptions(standIn), shared ? redis : undefined);
        const service = single.app.get(CognitoSyncService);

        const before = refresh(single, refreshToken).then((res) => res);
        await standIn.heldAtLeast(1);
        await signOut(single, refreshToken).expect(204);
        expect(revoked).toEqual(new Set([refreshToken]));

        // The later refresh is under way (merged or not) once refreshTokens has been entered.
        const original = service.refreshTokens.bind(service);
        const entered = new Promise<void>((resolve) => {
          jest.spyOn(service, 'refreshTokens').mockImplementationOnce((...args) => {
            const call = original(...args);
            resolve();
            return call;
          });
        });
        const after = refresh(single, refreshToken).then((res) => res);
        await entered;
        // The call made before the sign-out is answered as Cognito answered it then, with tokens; any later one, as
        // now.
        standIn.release(answerWithTokens);
        standIn.respondWith(revokingCognito(revoked));

        expect((await before).status).toBe(200);
        const late = await after;
        expect([late.status, late.body.code]).toEqual([401, 'NotAuthorizedException']);
      },
    );
  },
);
