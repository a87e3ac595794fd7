// session.store on Redis: RedisSessionStore against a real redis-server, two store instances (each with
// its own connection, as two app instances have) sharing it. No HTTP here: the store alone.
import { createClient, createKeyv } from '@keyv/redis';
import type { Keyv } from 'keyv';
import { redisAdapterOf } from '../../src/options/redis-adapter';
import type { SharedRedisAdapter } from '../../src/options/shared-redis';
import { RedisSessionStore } from '../../src/session/redis-session-store';
import { RedisServer } from '../support/redis-server';

type RedisClient = ReturnType<typeof createClient>;
const TIMEOUT_MS = 300;
const DAY = 86_400_000;
const KEY_SHAPE = /^cognito-sync:(session|user|ticket):[\w-]{43}$/;

/** The next `name` event of a Redis client (events.once would reject on the client's error events). */
const event = (client: RedisClient, name: string) => new Promise<void>((resolve) => client.once(name, () => resolve()));

/** A rejection and how long it took. */
async function timedFailure(call: () => Promise<unknown>): Promise<{ message: string; ms: number }> {
  const started = Date.now();
  const error = await call().then(
    () => undefined,
    (failure: unknown) => failure,
  );
  if (!(error instanceof Error)) throw new Error('expected the call to reject with an Error');
  return { message: error.message, ms: Date.now() - started };
}

describe('RedisSessionStore (real redis-server)', () => {
  let redis: RedisServer;
  let scanner: RedisClient;
  let keyvs: Keyv[] = [];

  /** A store on its own connection to the shared Redis. */
  function store(namespace?: string): { store: RedisSessionStore; client: RedisClient } {
    const keyv = createKeyv(redis.url, namespace === undefined ? undefined : { namespace });
    keyvs.push(keyv);
    const adapter: SharedRedisAdapter = redisAdapterOf(keyv, 'session');
    return { store: new RedisSessionStore(adapter, TIMEOUT_MS), client: adapter.client as unknown as RedisClient };
  }

  /** Every key in Redis. */
  async function keys(): Promise<string[]> {
    const found: string[] = [];
    for await (const batch of scanner.scanIterator({ MATCH: '*' })) found.push(...batch);
    return found.sort();
  }

  beforeAll(async () => {
    redis = await new RedisServer().start();
    scanner = createClient({ url: redis.url });
    // The outage test stops Redis: the client reconnects by itself, and says so as an error event.
    scanner.on('error', () => undefined);
    await scanner.connect();
  });
  afterEach(async () => {
    for (const keyv of keyvs) await keyv.disconnect().catch(() => undefined);
    keyvs = [];
    if (scanner.isReady) await scanner.flushAll();
  });
  afterAll(async () => {
    await scanner.close();
    await redis.close();
  });

  it('creates (set-if-absent, with its TTL), reads the session and the user mark in one call, deletes', async () => {
    const { store: one } = store();
    await one.create('session-id-1', 'sealed-1', DAY);
    expect(await one.read('session-id-1', 'sub-1')).toEqual({ value: 'sealed-1', userEndedAt: 0 });
    await expect(one.create('session-id-1', 'sealed-2', DAY)).rejects.toThrow(
      'session store: session key already in use',
    );
    expect((await one.read('session-id-1', 'sub-1')).value).toBe('sealed-1');
    const [key] = await keys();
    expect(key).toMatch(KEY_SHAPE);
    expect(await scanner.pTTL(key)).toBeGreaterThan(DAY - 5000);
    expect(await one.read('other-id', 'sub-1')).toEqual({ value: undefined, userEndedAt: 0 });
    await one.delete('session-id-1');
    await one.delete('session-id-1');
    expect(await keys()).toEqual([]);
    expect(one.ready).toBe(true);
  });

  it('keeps no id, sub or ticket readable in Redis: hashed keys under the adapter namespace', async () => {
    const { store: plain } = store();
    const { store: named } = store('app');
    await plain.create('session-id-plain', 'v', DAY);
    await named.create('session-id-named', 'v', DAY);
    await named.endUser('sub-named', 1000, DAY);
    await named.putTicket('ticket-named', 'v', 30_000);
    const found = await keys();
    expect(found).toHaveLength(4);
    const [prefixed, bare] = [found.filter((k) => k.startsWith('app::')), found.filter((k) => !k.startsWith('app::'))];
    expect(bare).toEqual([expect.stringMatching(KEY_SHAPE)]);
    expect(prefixed.map((k) => k.slice('app::'.length))).toEqual(Array(3).fill(expect.stringMatching(KEY_SHAPE)));
    expect(found.join('\n')).not.toMatch(/session-id|sub-named|ticket-named/);
    // The namespaces are apart: one store does not read the other's sessions.
    expect((await plain.read('session-id-named', 'sub')).value).toBeUndefined();
    expect((await named.read('session-id-named', 'sub-named')).userEndedAt).toBe(1000);
  });

  it('compares and sets over the whole value only, with the new TTL, after a SCRIPT FLUSH too', async () => {
    const { store: one } = store();
    await one.create('s', 'v1', DAY);
    expect(await one.compareAndSet('s', 'v', 'v2', 60_000)).toBe(false);
    expect(await one.compareAndSet('s', 'v1-and-more', 'v2', 60_000)).toBe(false);
    expect(await one.compareAndSet('s', 'v1', 'v2', 60_000)).toBe(true);
    expect((await one.read('s', 'u')).value).toBe('v2');
    const [key] = await keys();
    expect(await scanner.pTTL(key)).toBeLessThanOrEqual(60_000);
    expect(await one.compareAndSet('gone', 'v2', 'v3', 60_000)).toBe(false);
    expect(await keys()).toEqual([key]);
    await scanner.scriptFlush();
    expect(await one.compareAndSet('s', 'v2', 'v3', 60_000)).toBe(true);
    expect((await one.read('s', 'u')).value).toBe('v3');
  });

  it('lets exactly one of two instances win each compare-and-set race on one session', async () => {
    const [one, two] = [store().store, store().store];
    await one.create('raced', 'round-0', DAY);
    for (let round = 1; round <= 20; round++) {
      const expected = `round-${round - 1}`;
      const wins = await Promise.all([
        one.compareAndSet('raced', expected, `round-${round}`, DAY),
        two.compareAndSet('raced', expected, `round-${round}`, DAY),
      ]);
      expect(wins.filter(Boolean)).toHaveLength(1);
      // The loser re-reads and finds the winner's value.
      expect((await (wins[0] ? two : one).read('raced', 'u')).value).toBe(`round-${round}`);
    }
  });

  it('hands a ticket to one of two instances taking it at once, and to nobody after', async () => {
    const [one, two] = [store().store, store().store];
    for (let round = 0; round < 20; round++) {
      await one.putTicket(`ticket-${round}`, `value-${round}`, 30_000);
      const taken = await Promise.all([one.takeTicket(`ticket-${round}`), two.takeTicket(`ticket-${round}`)]);
      expect(taken.filter((value) => value !== undefined)).toEqual([`value-${round}`]);
      expect(await two.takeTicket(`ticket-${round}`)).toBeUndefined();
    }
    await one.putTicket('short', 'v', 1);
    const [key] = await keys();
    expect(await scanner.pTTL(key)).toBeLessThanOrEqual(1);
  });

  it("ends a user's sessions: the mark read on the other instance, the later time and longer TTL kept", async () => {
    const [one, two] = [store().store, store().store];
    await one.endUser('sub-1', 5000, 60_000);
    expect(await two.read('no-session', 'sub-1')).toEqual({ value: undefined, userEndedAt: 5000 });
    await two.endUser('sub-1', 4000, 120_000);
    expect((await one.read('x', 'sub-1')).userEndedAt).toBe(5000);
    const [key] = await keys();
    expect(await scanner.pTTL(key)).toBeGreaterThan(60_000);
    await two.endUser('sub-1', 6000, 1000);
    expect((await one.read('x', 'sub-1')).userEndedAt).toBe(6000);
    expect((await one.read('x', 'sub-2')).userEndedAt).toBe(0);
    // A mark that is not a time could hide a sign-out: the read fails (503 above) rather than let it pass.
    await scanner.set(key, 'not a time');
    await expect(one.read('x', 'sub-1')).rejects.toThrow('session store: unreadable value');
  });

  it('rejects within the deadline while Redis does not answer, naming no key or value', async () => {
    const { store: one } = store();
    await one.create('paused', 'sealed-paused', DAY);
    await scanner.sendCommand(['CLIENT', 'PAUSE', '1000', 'ALL']);
    try {
      const { message, ms } = await timedFailure(() => one.read('paused', 'sub-paused'));
      expect(message).toBe(`session store failed (no answer within ${TIMEOUT_MS} ms)`);
      expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
      expect(ms).toBeLessThan(TIMEOUT_MS + 1000);
    } finally {
      await scanner.sendCommand(['CLIENT', 'UNPAUSE']);
    }
  });

  it('rejects every call at once while Redis is stopped (no queueing), is not ready, answers again after', async () => {
    const stores = [store(), store()];
    await stores[0].store.create('before', 'sealed-before', DAY);
    await stores[1].store.read('before', 'sub');
    await redis.stop();
    await Promise.all(stores.map(({ client }) => (client.isReady ? event(client, 'reconnecting') : undefined)));
    // A store whose first use finds Redis down: the connection attempt is bounded too.
    const fresh = store();
    const calls: Array<(s: RedisSessionStore) => Promise<unknown>> = [
      (s) => s.read('before', 'sub'),
      (s) => s.create('new', 'sealed-new', DAY),
      (s) => s.compareAndSet('before', 'sealed-before', 'sealed-after', DAY),
      (s) => s.delete('before'),
      (s) => s.endUser('sub', 1, DAY),
      (s) => s.putTicket('ticket', 'sealed-ticket', 30_000),
      (s) => s.takeTicket('ticket'),
    ];
    try {
      for (const { store: down } of [...stores, fresh]) {
        expect(down.ready).toBe(false);
        for (const call of calls) {
          const { message, ms } = await timedFailure(() => call(down));
          expect(message).toMatch(/^session store failed \((not connected|no answer within 300 ms)\)$/);
          expect(message).not.toMatch(/before|sealed|ticket|sub\b|new/);
          expect(ms).toBeLessThan(TIMEOUT_MS + 1000);
        }
      }
      const { message } = await timedFailure(() => stores[0].store.read('before', 'sub'));
      expect(message).toBe('session store failed (not connected)');
    } finally {
      await redis.start();
    }
    await Promise.all(stores.map(({ client }) => (client.isReady ? undefined : event(client, 'ready'))));
    // The restarted server holds nothing (it persists nothing), and has forgotten the scripts.
    expect(await stores[1].store.read('before', 'sub')).toEqual({ value: undefined, userEndedAt: 0 });
    await stores[0].store.create('after', 'v1', DAY);
    expect(await stores[1].store.compareAndSet('after', 'v1', 'v2', DAY)).toBe(true);
    expect(stores[0].store.ready).toBe(true);
  });
});
