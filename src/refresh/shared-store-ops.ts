import type { SharedRedisAdapter, SharedRedisClient } from '../options/shared-redis';

/** Longest a store operation may take before the store counts as down for that refresh (the default). */
const STORE_TIMEOUT_MS = 500;

/** @internal The store failed: the refresh goes on within this instance. */
export class StoreFault extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * First connections under way, per adapter. The client counts as open as soon as it starts connecting:
 * the calls that arrive meanwhile (a fresh instance's first burst of requests) wait for that connection
 * instead of finding the store down.
 */
const connecting = new WeakMap<SharedRedisAdapter, Promise<SharedRedisClient>>();

/**
 * @internal The adapter's client, connected (a first use connects it, and concurrent first uses wait for
 * that, bounded); one that is reconnecting counts as down.
 */
export async function connectedClient(
  adapter: SharedRedisAdapter,
  timeoutMs = STORE_TIMEOUT_MS,
): Promise<SharedRedisClient> {
  let client = adapter.client;
  const pending = connecting.get(adapter);
  if (pending !== undefined) client = await storeOp(pending, timeoutMs);
  else if (client.isOpen === false && adapter.getClient) {
    const connection = adapter.getClient();
    connecting.set(adapter, connection);
    connection.then(
      () => connecting.delete(adapter),
      () => connecting.delete(adapter),
    );
    client = await storeOp(connection, timeoutMs);
  }
  if (client.isReady === false) throw new StoreFault('not connected');
  return client;
}

/**
 * @internal One store operation, bounded: a slow store counts as down for this refresh. Any
 * failure is a {@link StoreFault} that names the error's class, never its message (it could quote a key).
 */
export async function storeOp<T>(operation: Promise<T>, timeoutMs = STORE_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new StoreFault(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  // A late rejection after the timeout is this refresh's no more.
  operation.catch(() => undefined);
  try {
    return await Promise.race([operation, timeout]);
  } catch (error) {
    if (error instanceof StoreFault) throw error;
    throw new StoreFault(errorName(error));
  } finally {
    clearTimeout(timer);
  }
}

function errorName(error: unknown): string {
  const name = (error as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && /^\w{1,64}$/.test(name) ? name : 'error';
}
