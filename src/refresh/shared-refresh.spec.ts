import { NotAuthorizedException } from '@aws-sdk/client-cognito-identity-provider';
import { Logger } from '@nestjs/common';
import { CognitoTimeoutError, operationOf, tagOperation } from '../errors/cognito.errors';
import { toCognitoHttpError } from '../errors/cognito-http-error';
import { resolveCognitoOptions } from '../options/resolve-options';
import { CognitoSharedRefresh } from './shared-refresh';

/** A Redis client as the module uses it (SET NX PX, GET), in memory; expiry is the test's to trigger. */
class FakeRedis {
  isOpen = true;
  isReady = true;
  readonly data = new Map<string, string>();
  readonly sets: Array<{ NX?: boolean; PX: number }> = [];
  get = jest.fn(async (key: string) => this.data.get(key) ?? null);
  set = jest.fn(async (key: string, value: string, options: { NX?: boolean; PX: number }): Promise<string | null> => {
    this.sets.push(options);
    if (options.NX && this.data.has(key)) return null;
    this.data.set(key, value);
    return 'OK';
  });
}

const TOKEN = 'shared-refresh-spec.refresh-token';
const OUTPUT = {
  AuthenticationResult: { AccessToken: 'shared-access', ExpiresIn: 3600 },
  $metadata: { httpStatusCode: 200 },
};

function sharedRefreshOn(redis: FakeRedis, timeoutMs = 5000): CognitoSharedRefresh {
  const store = { client: redis, get: async () => undefined, set: async () => true };
  return new CognitoSharedRefresh(
    resolveCognitoOptions({
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_AbCdEf123',
      clientId: 'client123',
      timeoutMs,
      sharedRefresh: { store, windowSeconds: 10 },
    }),
  );
}

/** A call that settles when the test says so. */
function deferredCall() {
  let settle!: { resolve: (value: unknown) => void; reject: (error: Error) => void };
  const promise = new Promise((resolve, reject) => (settle = { resolve, reject }));
  return { call: jest.fn(() => promise), ...settle };
}

describe('CognitoSharedRefresh (an in-memory stand-in for Redis)', () => {
  let redis: FakeRedis;
  let warn: jest.SpyInstance;
  beforeEach(() => {
    redis = new FakeRedis();
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  it('is off without the option', () => {
    const options = resolveCognitoOptions({
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_AbCdEf123',
      clientId: 'client123',
    });
    expect(new CognitoSharedRefresh(options).enabled).toBe(false);
  });

  it(
    'makes one call for two instances: the holder locks for the deadline and a second, the other waits and ' +
      'gets the same result',
    async () => {
      const [first, second] = [sharedRefreshOn(redis), sharedRefreshOn(redis)];
      const holder = deferredCall();
      const other = jest.fn();
      const held = first.run(TOKEN, ['ann', null, null], holder.call);
      const waited = second.run(TOKEN, ['ann', null, null], other);
      await new Promise<void>((resolve) =>
        redis.get.mockImplementationOnce(async (key) => (resolve(), redis.data.get(key) ?? null)),
      );
      holder.resolve(OUTPUT);
      await expect(held).resolves.toEqual(OUTPUT);
      await expect(waited).resolves.toEqual(OUTPUT);
      expect(holder.call).toHaveBeenCalledTimes(1);
      expect(other).not.toHaveBeenCalled();
      // The lock: the deadline (5 s) and a second; then the result,
      // kept for the window; the waiter only tries the lock.
      expect(redis.sets[0]).toEqual({ NX: true, PX: 6000 });
      expect(redis.sets.filter((options) => !options.NX)).toEqual([{ PX: 10_000 }]);
      expect(warn).not.toHaveBeenCalled();
    },
  );

  it(
    "hands the holder's failure to the waiter as the same error class, operation and HTTP answer, kept for a " +
      'second only',
    async () => {
      const [first, second] = [sharedRefreshOn(redis), sharedRefreshOn(redis)];
      const refused = new NotAuthorizedException({
        message: 'Refresh Token has been revoked',
        $metadata: { httpStatusCode: 400 },
      });
      tagOperation(refused, 'refreshTokens');
      await expect(first.run(TOKEN, [null, null, null], () => Promise.reject(refused))).rejects.toBe(refused);
      const other = jest.fn();
      const error = await second.run(TOKEN, [null, null, null], other).catch((caught: Error) => caught);
      expect(other).not.toHaveBeenCalled();
      expect(error).toBeInstanceOf(NotAuthorizedException);
      expect(operationOf(error)).toBe('refreshTokens');
      expect(toCognitoHttpError(error as Error)).toEqual(toCognitoHttpError(refused));
      expect(redis.sets.at(-2)).toEqual({ PX: 1000 });
    },
  );

  it('rebuilds a timeout of the holder as a timeout (504)', async () => {
    const [first, second] = [sharedRefreshOn(redis), sharedRefreshOn(redis)];
    await expect(first.run(TOKEN, [null, null, null], () => Promise.reject(new CognitoTimeoutError()))).rejects.toThrow(
      CognitoTimeoutError,
    );
    const error = await second.run(TOKEN, [null, null, null], jest.fn()).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(CognitoTimeoutError);
    expect(toCognitoHttpError(error as Error).statusCode).toBe(504);
  });

  it(
    'after signedOut(token), refuses the token (401) on every instance instead of the answer kept, whatever ' +
      'the refresh context',
    async () => {
      const [first, second] = [sharedRefreshOn(redis), sharedRefreshOn(redis)];
      await expect(first.run(TOKEN, ['ann', null, null], async () => OUTPUT)).resolves.toEqual(OUTPUT);
      await first.signedOut(TOKEN);
      // The mark outlives any answer from before: a call under way (the deadline and a second), then the window.
      expect(redis.sets.at(-1)).toEqual({ PX: 16_000 });
      expect([...redis.data.keys()].filter((key) => key.startsWith('cognito-sync:signed-out:'))).toHaveLength(1);
      const own = jest.fn(async () => OUTPUT);
      for (const [instance, context] of [
        [second, ['ann', null, null]],
        [first, ['ann', null, null]],
        [second, ['bob', 'device', null]],
      ] as const) {
        const error = await instance.run(TOKEN, context, own).catch((caught: Error) => caught);
        expect(error).toBeInstanceOf(NotAuthorizedException);
        expect(toCognitoHttpError(error as Error)).toMatchObject({ statusCode: 401, code: 'NotAuthorizedException' });
      }
      expect(own).not.toHaveBeenCalled();
      // Another token is not concerned.
      await expect(second.run(`${TOKEN}.other`, ['ann', null, null], own)).resolves.toEqual(OUTPUT);
    },
  );

  it('takes over when the holder died and its lock expired: the waiter calls Cognito itself', async () => {
    const [first, second] = [sharedRefreshOn(redis), sharedRefreshOn(redis)];
    void first.run(TOKEN, [null, null, null], () => new Promise(() => undefined));
    const own = jest.fn(async () => OUTPUT);
    // The lock expires (Redis drops it) while the waiter polls.
    let expired = false;
    redis.get.mockImplementation(async (key) => {
      const value = redis.data.get(key) ?? null;
      if (!expired && key.startsWith('cognito-sync:refresh:')) [expired] = [true, redis.data.delete(key)];
      return value;
    });
    await expect(second.run(TOKEN, [null, null, null], own)).resolves.toEqual(OUTPUT);
    expect(own).toHaveBeenCalledTimes(1);
  });

  it('answers 504 when the holder is alive but past the deadline and a second', async () => {
    jest.useFakeTimers();
    const [holder, waiter] = [sharedRefreshOn(redis, 1000), sharedRefreshOn(redis, 1000)];
    void holder.run(TOKEN, [null, null, null], () => new Promise(() => undefined));
    await jest.advanceTimersByTimeAsync(0);
    expect(redis.data.size).toBe(1);
    // The holder's lock stays (the fake store does not expire it): the holder is alive, only slow.
    redis.set.mockImplementation(async () => null);
    const outcome = waiter.run(TOKEN, [null, null, null], jest.fn()).catch((error: Error) => error);
    await jest.advanceTimersByTimeAsync(2100);
    const error = await outcome;
    expect(error).toBeInstanceOf(CognitoTimeoutError);
    expect(operationOf(error)).toBe('refreshTokens');
  });

  it('calls Cognito itself when the store holds garbage, and says so once', async () => {
    const shared = sharedRefreshOn(redis);
    redis.set.mockImplementation(async () => null);
    redis.get.mockImplementation(async () => 'v1.not-sealed-by-this-token');
    const own = jest.fn(async () => OUTPUT);
    await expect(shared.run(TOKEN, [null, null, null], own)).resolves.toEqual(OUTPUT);
    await expect(shared.run(TOKEN, [null, null, null], own)).resolves.toEqual(OUTPUT);
    expect(own).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls).toEqual([
      [
        'sharedRefresh store failed (unreadable value): refreshes are merged within this instance until it ' +
          'answers again',
      ],
    ]);
  });

  // Someone who can write to the Redis (another app on it, a leaked password) cannot seal, but can write a bare
  // "pending", with no expiry, over a slot it saw: that must read as tampering, not as a holder that never ends.
  it("calls Cognito itself when the slot holds a 'pending' that no instance sealed, never 504", async () => {
    jest.useFakeTimers();
    const shared = sharedRefreshOn(redis, 1000);
    redis.set.mockImplementation(async () => null);
    redis.get.mockImplementation(async () => 'pending');
    const own = jest.fn(async () => OUTPUT);
    const outcome = shared.run(TOKEN, [null, null, null], own).catch((error: Error) => error);
    await jest.advanceTimersByTimeAsync(2100);
    await expect(outcome).resolves.toEqual(OUTPUT);
    expect(own).toHaveBeenCalledTimes(1);
  });

  // The same writer can put back a sealed value it copied earlier, with no expiry: a failure (the user's
  // refreshes fail for as long as it stays) or a success (the window never closes). A slot outlives its time only so.
  it.each([
    [
      'failure',
      () => Promise.reject(new NotAuthorizedException({ message: 'Refresh Token has been revoked', $metadata: {} })),
    ],
    ['success', async () => ({ ...OUTPUT, AuthenticationResult: { AccessToken: 'old-access', ExpiresIn: 3600 } })],
  ])('calls Cognito itself when a sealed %s is replayed into the slot after its time', async (_, holderCall) => {
    jest.useFakeTimers();
    const [first, second] = [sharedRefreshOn(redis), sharedRefreshOn(redis)];
    await first.run(TOKEN, [null, null, null], holderCall).catch(() => undefined);
    const [[key, sealed]] = [...redis.data];
    // An hour on, the copy is written back (the fake store keeps it: no PX to honour).
    jest.setSystemTime(Date.now() + 3_600_000);
    redis.data.set(key, sealed);
    const own = jest.fn(async () => OUTPUT);
    await expect(second.run(TOKEN, [null, null, null], own)).resolves.toEqual(OUTPUT);
    expect(own).toHaveBeenCalledTimes(1);
  });

  it(
    'calls Cognito itself when the store fails or is not connected, logs once per outage, and says when it ' +
      'answers again',
    async () => {
      const shared = sharedRefreshOn(redis);
      const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
      const own = jest.fn(async () => OUTPUT);
      redis.set.mockRejectedValueOnce(
        Object.assign(new Error('READONLY You can not write against a read only replica.'), { name: 'ReplyError' }),
      );
      await expect(shared.run(TOKEN, [null, null, null], own)).resolves.toEqual(OUTPUT);
      redis.isReady = false;
      await expect(shared.run(TOKEN, [null, null, null], own)).resolves.toEqual(OUTPUT);
      expect(warn.mock.calls).toEqual([
        ['sharedRefresh store failed (ReplyError): refreshes are merged within this instance until it answers again'],
      ]);
      redis.isReady = true;
      await expect(shared.run(TOKEN, [null, null, null], own)).resolves.toEqual(OUTPUT);
      expect(log.mock.calls).toEqual([['sharedRefresh store answers again: refreshes are shared across instances']]);
      expect(own).toHaveBeenCalledTimes(3);
    },
  );

  it('calls Cognito itself when the store does not answer within 500 ms', async () => {
    jest.useFakeTimers();
    const shared = sharedRefreshOn(redis);
    redis.set.mockImplementation(() => new Promise<string | null>(() => undefined));
    const own = jest.fn(async () => OUTPUT);
    const outcome = shared.run(TOKEN, [null, null, null], own);
    await jest.advanceTimersByTimeAsync(500);
    await expect(outcome).resolves.toEqual(OUTPUT);
    expect(warn.mock.calls).toEqual([
      [
        'sharedRefresh store failed (no answer within 500 ms): refreshes are merged within this instance ' +
          'until it answers again',
      ],
    ]);
  });

  it('keeps the answer when writing the outcome fails', async () => {
    const shared = sharedRefreshOn(redis);
    redis.set.mockImplementationOnce(async () => 'OK').mockRejectedValueOnce(new Error('write failed'));
    await expect(shared.run(TOKEN, [null, null, null], async () => OUTPUT)).resolves.toEqual(OUTPUT);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('lets app.close() wait for the waits under way', async () => {
    const [first, second] = [sharedRefreshOn(redis), sharedRefreshOn(redis)];
    const holder = deferredCall();
    void first.run(TOKEN, [null, null, null], holder.call);
    const waited = second.run(TOKEN, [null, null, null], jest.fn());
    let closed = false;
    const closing = second.beforeApplicationShutdown().then(() => (closed = true));
    await new Promise<void>((resolve) =>
      redis.get.mockImplementationOnce(async (key) => (resolve(), redis.data.get(key) ?? null)),
    );
    expect(closed).toBe(false);
    holder.resolve(OUTPUT);
    await expect(waited).resolves.toEqual(OUTPUT);
    await closing;
    expect(closed).toBe(true);
  });

  it("keeps a success no longer than its access token is fresh (a test's tokens of a few seconds)", async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = Buffer.from(JSON.stringify({ iat: now, exp: now + 4 })).toString('base64url');
    const shortLived = { AuthenticationResult: { AccessToken: `eyJhbGciOiJub25lIn0.${claims}.` } };
    await sharedRefreshOn(redis).run(TOKEN, [null, null, null], async () => shortLived);
    // Due for a refresh a quarter of its 4 s before its exp: kept about 3 s, not the 10 s window.
    const kept = redis.sets.filter((options) => !options.NX).map(({ PX }) => PX);
    expect(kept).toEqual([expect.any(Number)]);
    expect(kept[0]).toBeGreaterThan(1000);
    expect(kept[0]).toBeLessThanOrEqual(3000);
  });

  it('lets the calls that arrive while the client makes its first connection wait for it', async () => {
    let connected!: () => void;
    const client = Object.assign(new FakeRedis(), { isOpen: false, isReady: false });
    const getClient = jest.fn(() => {
      // As node-redis: open as soon as it starts connecting, ready once connected.
      client.isOpen = true;
      return new Promise<FakeRedis>((resolve) => (connected = () => resolve(Object.assign(client, { isReady: true }))));
    });
    const store = { client, getClient, get: async () => undefined, set: async () => true };
    const shared = new CognitoSharedRefresh(
      resolveCognitoOptions({
        region: 'eu-west-1',
        userPoolId: 'eu-west-1_AbCdEf123',
        clientId: 'client123',
        sharedRefresh: { store, windowSeconds: 10 },
      }),
    );
    const calls = jest.fn(async () => OUTPUT);
    const first = shared.run(TOKEN, ['a', null, null], calls);
    const second = shared.run(TOKEN, ['b', null, null], calls);
    connected();
    await expect(Promise.all([first, second])).resolves.toEqual([OUTPUT, OUTPUT]);
    expect(getClient).toHaveBeenCalledTimes(1);
    expect(warn).not.toHaveBeenCalled();
  });
});
