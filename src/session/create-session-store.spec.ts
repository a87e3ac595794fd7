import KeyvRedis, { createKeyv } from '@keyv/redis';
import { Keyv } from 'keyv';
import { CognitoConfigurationError } from '../errors/cognito.errors';
import type { ResolvedSession } from '../options/session-options';
import { redisAdapterOf } from '../options/redis-adapter';
import { createSessionStore } from './create-session-store';
import { MemorySessionStore } from './memory-session-store';
import { RedisSessionStore } from './redis-session-store';

const SETTINGS: ResolvedSession = {
  secrets: ['create-session-store-spec-secret-0123456789'],
  store: undefined,
  cookieName: '__Host-cognito-session',
  secure: true,
  idleMs: 86_400_000,
  absoluteMs: 604_800_000,
  maxSessions: 2,
};

// A KeyvRedis connects on first use only: none of these reach a Redis.
describe('createSessionStore', () => {
  it('is the in-memory store without session.store, bounded by maxSessions', async () => {
    const store = createSessionStore(SETTINGS);
    expect(store).toBeInstanceOf(MemorySessionStore);
    for (const key of ['a', 'b', 'c']) await store.create(key, key, 60_000);
    expect((store as MemorySessionStore).sizes.sessions).toBe(2);
  });

  it('is the Redis store on the adapter found under a Keyv on @keyv/redis, not ready before it connects', () => {
    const adapter = redisAdapterOf(createKeyv('redis://127.0.0.1:1'), 'session');
    const store = createSessionStore({ ...SETTINGS, store: adapter });
    expect(store).toBeInstanceOf(RedisSessionStore);
    expect(store.ready).toBe(false);
  });

  it('refuses a Redis client that lacks a command the store sends, naming session.store', () => {
    const client = { isOpen: false, get: async () => null, set: async () => 'OK', mGet: async () => [] };
    expect(() => createSessionStore({ ...SETTINGS, store: { client } })).toThrow(
      new CognitoConfigurationError(
        "session.store's Redis client lacks getDel, del, eval, evalSha: use @keyv/redis 4 or later (node-redis 4 or 5)",
      ),
    );
  });
});

describe('redisAdapterOf, for the option it is given', () => {
  it('takes the adapter under a Keyv, or the adapter itself', () => {
    const keyv = createKeyv('redis://127.0.0.1:1');
    expect(redisAdapterOf(keyv, 'session')).toBe(keyv.store);
    const adapter = new KeyvRedis('redis://127.0.0.1:1');
    expect(redisAdapterOf(adapter, 'session')).toBe(adapter);
  });

  it('names the option in its refusals', () => {
    expect(() => redisAdapterOf(new Keyv(), 'session')).toThrow(
      'CognitoModule: session.store must be a Keyv on @keyv/redis (a Redis client with atomic SET NX PX), ' +
        'got a store of Map:',
    );
    expect(() => redisAdapterOf(null, 'session')).toThrow('session.store is required: a Keyv on @keyv/redis');
  });
});
