import { CognitoConfigurationError } from '../errors/cognito.errors';
import type { SharedRedisAdapter } from './shared-redis';

/**
 * The `@keyv/redis` adapter of a Keyv (`keyv.store`), or the adapter itself, for the option named
 * `option` (`sharedRefresh`, `session`): its `store` must be one. Structural: `keyv` and
 * `@keyv/redis` are the app's packages, never imported here.
 */
export function redisAdapterOf(store: unknown, option: string): SharedRedisAdapter {
  if (typeof store !== 'object' || store === null) {
    throw new CognitoConfigurationError(
      `${option}.store is required: a Keyv on @keyv/redis, e.g. createKeyv(url) from @keyv/redis`,
    );
  }
  const inner = (store as { store?: unknown }).store;
  const adapter = isRedisAdapter(inner) ? inner : store;
  if (!isRedisAdapter(adapter)) {
    const kind = (isObject(inner) ? inner : store).constructor?.name ?? 'an object';
    throw new CognitoConfigurationError(
      `${option}.store must be a Keyv on @keyv/redis (a Redis client with atomic SET NX PX), got a ` +
        `store of ${kind}: ` +
        'Keyv itself has no atomic set-if-absent, and a store that only one instance sees shares nothing',
    );
  }
  return adapter;
}

/** node-redis 4 and 5 (what `@keyv/redis` 4 and 5 hold): `get`, `set(key, value, { NX, PX })`, `isOpen`. */
export function isRedisAdapter(value: unknown): value is SharedRedisAdapter {
  if (!isObject(value)) return false;
  const client = (value as { client?: unknown }).client;
  if (!isObject(client)) return false;
  const { get, set, isOpen } = client as { get?: unknown; set?: unknown; isOpen?: unknown };
  return typeof get === 'function' && typeof set === 'function' && typeof isOpen === 'boolean';
}

function isObject(value: unknown): value is object {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}
