import { InFlightCalls } from './in-flight-calls';

const deferred = <T>() => {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

describe('InFlightCalls', () => {
  it('shares one call per key while it is under way, then forgets it', async () => {
    const calls = new InFlightCalls();
    const upstream = deferred<string>();
    const start = jest.fn(() => upstream.promise);
    const waiting = Array.from({ length: 5 }, () => calls.share('k', start));
    expect(start).toHaveBeenCalledTimes(1);
    expect(calls.sharedCount).toBe(1);
    upstream.resolve('result');
    expect(await Promise.all(waiting)).toEqual(Array(5).fill('result'));
    expect(calls.sharedCount).toBe(0);
    await calls.share('k', async () => 'again');
    expect(start).toHaveBeenCalledTimes(1);
  });

  it(
    'with copy, hands a shared result to each caller as its ' + 'own copy, and a lone caller the result itself',
    async () => {
      const calls = new InFlightCalls();
      const result = { tokens: ['a'] };
      const shared = await Promise.all([
        calls.share('k', async () => result, structuredClone),
        calls.share('k', async () => result, structuredClone),
      ]);
      expect(shared).toEqual([result, result]);
      expect(shared[0]).not.toBe(result);
      expect(shared[1]).not.toBe(result);
      expect(shared[0]).not.toBe(shared[1]);
      await expect(calls.share('k', async () => result, structuredClone)).resolves.toBe(result);
    },
  );

  it('shares a failure too, and forgets it', async () => {
    const calls = new InFlightCalls();
    const start = jest.fn(async () => {
      throw new Error('down');
    });
    await expect(Promise.all([calls.share('k', start), calls.share('k', start)])).rejects.toThrow('down');
    expect(start).toHaveBeenCalledTimes(1);
    expect(calls.sharedCount).toBe(0);
  });

  it(
    'forget(prefix): later callers start a call of their own; the earlier ones keep theirs, and its end does ' +
      'not drop the new entry',
    async () => {
      const calls = new InFlightCalls();
      const before = deferred<string>();
      const after = deferred<string>();
      const early = calls.share('token-a:x', () => before.promise);
      const other = calls.share('token-b:x', async () => 'b');
      calls.forget('token-a:');
      expect(calls.sharedCount).toBe(1);
      const late = calls.share('token-a:x', () => after.promise);
      before.resolve('before');
      await expect(early).resolves.toBe('before');
      // The first call settled: the late one is still the entry that later callers join.
      expect(calls.sharedCount).toBe(1);
      const joined = calls.share('token-a:x', jest.fn());
      after.resolve('after');
      await expect(Promise.all([late, joined, other])).resolves.toEqual(['after', 'after', 'b']);
      expect(calls.sharedCount).toBe(0);
    },
  );

  it('idle() waits for every tracked call, including calls started while waiting', async () => {
    const calls = new InFlightCalls();
    const first = deferred<void>();
    const second = deferred<void>();
    void calls.track(first.promise);
    let idle = false;
    const waiting = calls.idle().then(() => (idle = true));
    void calls.track(second.promise).catch(() => undefined);
    first.resolve();
    await first.promise;
    await Promise.resolve();
    expect(idle).toBe(false);
    expect(calls.pendingCount).toBe(1);
    second.reject(new Error('failed calls count as settled'));
    await waiting;
    expect(calls.pendingCount).toBe(0);
  });
});
