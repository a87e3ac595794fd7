// What the module uses of the Redis client under `sharedRefresh.store`: types only, so that
// neither keyv nor @keyv/redis is a dependency (the app passes its own instance).

/** @internal The Redis client under `sharedRefresh.store`, as far as the module uses it (node-redis 4 and 5). */
export interface SharedRedisClient {
  readonly isOpen?: boolean;
  readonly isReady?: boolean;
  get(key: string): Promise<unknown>;
  set(key: string, value: string, options: { NX?: boolean; PX: number }): Promise<unknown>;
}

/** @internal The `@keyv/redis` adapter: its client, connected on first use, and its key prefix. */
export interface SharedRedisAdapter {
  readonly client: SharedRedisClient;
  getClient?(): Promise<SharedRedisClient>;
  createKeyPrefix?(key: string, namespace?: string): string;
  readonly namespace?: string;
}

/** @internal `sharedRefresh` after checks and defaults. */
export interface ResolvedSharedRefresh {
  adapter: SharedRedisAdapter;
  windowMs: number;
}
