import { CognitoConfigurationError } from '../errors/cognito.errors';
import type { CognitoSharedRefreshOptions } from './cognito-module-options';
import { assertKnownKeys, SHARED_REFRESH_KEYS } from './option-keys';
import type { ResolvedSharedRefresh, SharedRedisAdapter } from './shared-redis';

/**
 * Default of `sharedRefresh.windowSeconds`: long enough for a slow tab or a retrying app, short enough to keep little.
 */
export const DEFAULT_SHARED_REFRESH_WINDOW_SECONDS = 10;
const MAX_WINDOW_SECONDS = 300;

/**
 * Checks `sharedRefresh` at startup and finds the Redis client under its store.
 * Keyv's own interface has no atomic set-if-absent, and without one two instances
 * can both call Cognito (with rotation, the second gets a reuse error): a store
 * that has none (an in-memory Keyv, another adapter) fails the boot rather than
 * sharing nothing while looking as if it did. Structural: `keyv` and
 * `@keyv/redis` are the app's packages, never imported here.
 */
export function resolveSharedRefresh(
  option: CognitoSharedRefreshOptions | undefined,
): ResolvedSharedRefresh | undefined {
  if (option === undefined) return undefined;
  if (typeof option !== 'object' || option === null || Array.isArray(option)) {
    throw new CognitoConfigurationError('sharedRefresh must be an object: { store: Keyv; windowSeconds?: number }');
  }
  assertKnownKeys('sharedRefresh', option, SHARED_REFRESH_KEYS);
  const { store, windowSeconds = DEFAULT_SHARED_REFRESH_WINDOW_SECONDS } = option;
  if (
    typeof windowSeconds !== 'number' ||
    !Number.isInteger(windowSeconds) ||
    windowSeconds < 1 ||
    windowSeconds > MAX_WINDOW_SECONDS
  ) {
    const got =
      typeof windowSeconds === 'number' && !Number.isFinite(windowSeconds)
        ? String(windowSeconds)
        : JSON.stringify(windowSeconds);
    throw new CognitoConfigurationError(
      `sharedRefresh.windowSeconds must be a whole number from 1 to ${MAX_WINDOW_SECONDS}, got ${got}`,
    );
  }
  return { adapter: redisAdapterOf(store), windowMs: windowSeconds * 1000 };
}

/** The `@keyv/redis` adapter of a Keyv (`keyv.store`), or the adapter itself. */
function redisAdapterOf(store: unknown): SharedRedisAdapter {
  if (typeof store !== 'object' || store === null) {
    throw new CognitoConfigurationError(
      'sharedRefresh.store is required: a Keyv on @keyv/redis, e.g. createKeyv(url) from @keyv/redis',
    );
  }
  const inner = (store as { store?: unknown }).store;
  const adapter = isRedisAdapter(inner) ? inner : store;
  if (!isRedisAdapter(adapter)) {
    const kind = (isObject(inner) ? inner : store).constructor?.name ?? 'an object';
    throw new CognitoConfigurationError(
      'sharedRefresh.store must be a Keyv on @keyv/redis (a Redis client with atomic SET NX PX), got a ' +
        `store of ${kind}: ` +
        'Keyv itself has no atomic set-if-absent, and a store that only one instance sees shares nothing',
    );
  }
  return adapter;
}

/** node-redis 4 and 5 (what `@keyv/redis` 4 and 5 hold): `get`, `set(key, value, { NX, PX })`, `isOpen`. */
function isRedisAdapter(value: unknown): value is SharedRedisAdapter {
  if (!isObject(value)) return false;
  const client = (value as { client?: unknown }).client;
  if (!isObject(client)) return false;
  const { get, set, isOpen } = client as { get?: unknown; set?: unknown; isOpen?: unknown };
  return typeof get === 'function' && typeof set === 'function' && typeof isOpen === 'boolean';
}

function isObject(value: unknown): value is object {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}
