import { RevocationCache } from './revocation-cache';

describe('RevocationCache', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000;
  });

  it('reuses an answer until its period ends, then asks again', async () => {
    const cache = new RevocationCache(30_000, clock);
    const ask = jest.fn().mockResolvedValueOnce(true).mockResolvedValueOnce(false);
    await expect(cache.isAccepted('token-a', ask)).resolves.toBe(true);
    now += 29_999;
    await expect(cache.isAccepted('token-a', ask)).resolves.toBe(true);
    now += 1;
    await expect(cache.isAccepted('token-a', ask)).resolves.toBe(false);
    expect(ask).toHaveBeenCalledTimes(2);
  });

  it('shares one question between concurrent checks of one token, not between tokens', async () => {
    const cache = new RevocationCache(30_000, clock);
    const ask = jest.fn().mockResolvedValue(true);
    await Promise.all([
      cache.isAccepted('token-a', ask),
      cache.isAccepted('token-a', ask),
      cache.isAccepted('token-b', ask),
    ]);
    expect(ask).toHaveBeenCalledTimes(2);
  });

  it('does not keep failures, and keeps nothing with a period of 0', async () => {
    const cache = new RevocationCache(30_000, clock);
    await expect(cache.isAccepted('token-a', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await Promise.resolve();
    expect(cache.size).toBe(0);
    const uncached = new RevocationCache(0, clock);
    await uncached.isAccepted('token-a', async () => true);
    expect(uncached.size).toBe(0);
  });

  it('never holds the token itself', async () => {
    const cache = new RevocationCache(30_000, clock);
    await cache.isAccepted('eyJ.secret-token.sig', async () => true);
    expect(
      JSON.stringify([...(cache as unknown as { answers: { entries: Map<string, unknown> } }).answers.entries.keys()]),
    ).not.toContain('secret-token');
  });
});
