import type { ResolvedSession } from '../options/session-options';
import type { SharedRedisAdapter } from '../options/shared-redis';
import { MemorySessionStore } from './memory-session-store';
import type * as Redis from './redis-session-store';
import type { SessionStore } from './session-store';

/**
 * @internal The store `session` asks for: in this process's memory, bounded by `maxSessions`,
 * when `store` is unset; else Redis, through the adapter option resolution found under it
 * (`redisAdapterOf(store, 'session')`). The Redis store's file is loaded only then.
 */
export function createSessionStore(settings: ResolvedSession): SessionStore {
  if (settings.store === undefined) return new MemorySessionStore({ maxSessions: settings.maxSessions });
  return new (loadRedisStore().RedisSessionStore)(settings.store as SharedRedisAdapter);
}

function loadRedisStore(): typeof Redis {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- only with session.store set, see above
  return require('./redis-session-store') as typeof Redis;
}
