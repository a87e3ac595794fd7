import KeyvRedis, { createKeyv } from '@keyv/redis';
import { Keyv } from 'keyv';
import { resolveCognitoOptions } from './resolve-options';
import type { CognitoSharedRefreshOptions } from './cognito-module-options';

const BASE = { region: 'eu-west-1', userPoolId: 'eu-west-1_AbCdEf123', clientId: 'client123' };
const resolve = (sharedRefresh: unknown) =>
  resolveCognitoOptions({ ...BASE, sharedRefresh: sharedRefresh as CognitoSharedRefreshOptions });

// A KeyvRedis connects on first use only: none of these reach a Redis.
describe('sharedRefresh at startup', () => {
  it('is off by default', () => {
    expect(resolveCognitoOptions(BASE).sharedRefreshSettings).toBeUndefined();
  });

  it('finds the Redis client under a Keyv on @keyv/redis, with a 10 s window by default', () => {
    const store = createKeyv('redis://127.0.0.1:1');
    const settings = resolve({ store }).sharedRefreshSettings!;
    expect(settings.adapter).toBe(store.store);
    expect(settings.windowMs).toBe(10_000);
  });

  it('takes the KeyvRedis adapter itself, and a window in whole seconds', () => {
    const adapter = new KeyvRedis('redis://127.0.0.1:1');
    expect(resolve({ store: adapter, windowSeconds: 30 }).sharedRefreshSettings).toEqual({ adapter, windowMs: 30_000 });
  });

  it('refuses a store without an atomic set-if-absent (an in-memory Keyv), naming sharedRefresh.store', () => {
    expect(() => resolve({ store: new Keyv() })).toThrow(
      'CognitoModule: sharedRefresh.store must be a Keyv on @keyv/redis (a Redis client with atomic SET NX ' +
        'PX), got a store of Map',
    );
  });

  it.each([
    [undefined, 'sharedRefresh.store is required'],
    ['redis://localhost', 'sharedRefresh.store is required'],
    [{ get: async () => undefined, set: async () => true }, 'sharedRefresh.store must be a Keyv on @keyv/redis'],
  ])('refuses the store %p', (store, message) => {
    expect(() => resolve({ store })).toThrow(message);
  });

  it.each([0, 301, 2.5, Number.NaN, '10'])('refuses windowSeconds %p', (windowSeconds) => {
    expect(() => resolve({ store: createKeyv('redis://127.0.0.1:1'), windowSeconds })).toThrow(
      /^CognitoModule: sharedRefresh.windowSeconds must be a whole number from 1 to 300, got /,
    );
  });

  it('refuses a sharedRefresh that is not an object', () => {
    expect(() => resolve(true)).toThrow(
      'CognitoModule: sharedRefresh must be an object: { store: Keyv; windowSeconds?: number }',
    );
  });
});
