import { MemorySessionStore, type MemorySessionStoreOptions } from './memory-session-store';

const DAY = 86_400_000;

/** A store on a clock the test moves. */
function storeAt(options: Omit<MemorySessionStoreOptions, 'now'>) {
  const clock = { now: 1_000_000 };
  const store = new MemorySessionStore({ ...options, now: () => clock.now });
  return { store, clock };
}

describe('MemorySessionStore', () => {
  it('is always ready, and answers a stored session with no sign-out mark', async () => {
    const { store } = storeAt({ maxSessions: 10 });
    expect(store.ready).toBe(true);
    await store.create('s1', 'sealed-1', DAY);
    expect(await store.read('s1', 'user-a')).toEqual({ value: 'sealed-1', userEndedAt: 0 });
    expect(await store.read('unknown', 'user-a')).toEqual({ value: undefined, userEndedAt: 0 });
  });

  it('refuses to create over a live key (set-if-absent), and creates again once it has expired', async () => {
    const { store, clock } = storeAt({ maxSessions: 10 });
    await store.create('s1', 'first', 1000);
    await expect(store.create('s1', 'second', 1000)).rejects.toThrow('session key already in use');
    expect((await store.read('s1', 'u')).value).toBe('first');
    clock.now += 1000;
    await store.create('s1', 'second', 1000);
    expect((await store.read('s1', 'u')).value).toBe('second');
  });

  it('never answers an expired session, and removes it when met', async () => {
    const { store, clock } = storeAt({ maxSessions: 10 });
    await store.create('s1', 'sealed', 5000);
    clock.now += 4999;
    expect((await store.read('s1', 'u')).value).toBe('sealed');
    clock.now += 1;
    expect((await store.read('s1', 'u')).value).toBeUndefined();
    expect(store.sizes.sessions).toBe(0);
  });

  it('keeps at most maxSessions, dropping the least recently used (a read counts as use)', async () => {
    const { store } = storeAt({ maxSessions: 3 });
    for (const key of ['a', 'b', 'c']) await store.create(key, `v-${key}`, DAY);
    await store.read('a', 'u');
    await store.create('d', 'v-d', DAY);
    expect(store.sizes.sessions).toBe(3);
    const values = await Promise.all(['a', 'b', 'c', 'd'].map(async (key) => (await store.read(key, 'u')).value));
    expect(values).toEqual(['v-a', undefined, 'v-c', 'v-d']);
  });

  it('compares and sets: only over the exact value, never over an expired or missing one, with a new TTL', async () => {
    const { store, clock } = storeAt({ maxSessions: 10 });
    await store.create('s1', 'v1', 1000);
    expect(await store.compareAndSet('s1', 'other', 'v2', 1000)).toBe(false);
    expect(await store.compareAndSet('s1', 'v1', 'v2', 5000)).toBe(true);
    // The loser of a race: its expected value is gone.
    expect(await store.compareAndSet('s1', 'v1', 'v3', 5000)).toBe(false);
    clock.now += 4000;
    expect((await store.read('s1', 'u')).value).toBe('v2');
    clock.now += 1000;
    expect(await store.compareAndSet('s1', 'v2', 'v4', 5000)).toBe(false);
    expect(await store.compareAndSet('missing', 'v2', 'v4', 5000)).toBe(false);
    expect((await store.read('s1', 'u')).value).toBeUndefined();
  });

  it('deletes, and deleting what is gone is no error', async () => {
    const { store } = storeAt({ maxSessions: 10 });
    await store.create('s1', 'v1', DAY);
    await store.delete('s1');
    await store.delete('s1');
    expect((await store.read('s1', 'u')).value).toBeUndefined();
  });

  it('hands a ticket out once, never after it expired, and keeps at most maxTickets (the oldest dropped)', async () => {
    const { store, clock } = storeAt({ maxSessions: 10, maxTickets: 2 });
    await store.putTicket('t1', 'session-of-t1', 30_000);
    expect(await store.takeTicket('t1')).toBe('session-of-t1');
    expect(await store.takeTicket('t1')).toBeUndefined();

    await store.putTicket('t2', 'x', 30_000);
    clock.now += 30_000;
    expect(await store.takeTicket('t2')).toBeUndefined();

    for (const key of ['t3', 't4', 't5']) await store.putTicket(key, key, 30_000);
    expect(store.sizes.tickets).toBe(2);
    expect([await store.takeTicket('t3'), await store.takeTicket('t4'), await store.takeTicket('t5')]).toEqual([
      undefined,
      't4',
      't5',
    ]);
  });

  it("marks a user's sessions ended, keeps the later time, and forgets the mark after its TTL", async () => {
    const { store, clock } = storeAt({ maxSessions: 10 });
    await store.endUser('user-a', 5000, 10_000);
    expect((await store.read('s', 'user-a')).userEndedAt).toBe(5000);
    expect((await store.read('s', 'user-b')).userEndedAt).toBe(0);
    await store.endUser('user-a', 4000, 10_000);
    expect((await store.read('s', 'user-a')).userEndedAt).toBe(5000);
    await store.endUser('user-a', 6000, 10_000);
    expect((await store.read('s', 'user-a')).userEndedAt).toBe(6000);
    clock.now += 10_000;
    expect((await store.read('s', 'user-a')).userEndedAt).toBe(0);
  });

  it('keeps at most maxUserMarks; a live mark dropped for room ends everyone up to its time (closed)', async () => {
    const { store, clock } = storeAt({ maxSessions: 10, maxUserMarks: 2 });
    await store.endUser('user-a', 100, 10_000);
    await store.endUser('user-b', 200, 10_000);
    await store.endUser('user-c', 300, 10_000);
    expect(store.sizes.userMarks).toBe(2);
    // user-a's mark is gone, but its time still stands for everyone.
    expect((await store.read('s', 'user-a')).userEndedAt).toBe(100);
    expect((await store.read('s', 'user-z')).userEndedAt).toBe(100);
    expect((await store.read('s', 'user-c')).userEndedAt).toBe(300);
    clock.now += 10_000;
    expect((await store.read('s', 'user-z')).userEndedAt).toBe(0);
    // A mark that had expired when dropped stands for nothing.
    await store.endUser('user-d', 400, 1000);
    await store.endUser('user-e', 500, 1000);
    clock.now += 1000;
    await store.endUser('user-f', 600, 1000);
    expect((await store.read('s', 'user-z')).userEndedAt).toBe(0);
  });

  it('refuses a bound that is not a whole number from 1', () => {
    expect(() => new MemorySessionStore({ maxSessions: 0 })).toThrow(RangeError);
    expect(() => new MemorySessionStore({ maxSessions: 10, maxTickets: 1.5 })).toThrow(RangeError);
  });
});
