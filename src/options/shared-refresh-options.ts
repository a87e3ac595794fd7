import { CognitoConfigurationError } from '../errors/cognito.errors';
import type { CognitoSharedRefreshOptions } from './cognito-module-options';
import { assertKnownKeys, SHARED_REFRESH_KEYS } from './option-keys';
import { redisAdapterOf } from './redis-adapter';
import type { ResolvedSharedRefresh } from './shared-redis';

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
  return { adapter: redisAdapterOf(store, 'sharedRefresh'), windowMs: windowSeconds * 1000 };
}
