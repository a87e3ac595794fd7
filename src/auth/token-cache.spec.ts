import { TokenCache } from './token-cache';

describe('TokenCache', () => {
  let now = 1_000;
  const clock = () => now;

  it('keeps a value until its expiry, and nothing already expired', () => {
    const cache = new TokenCache<string>(10, clock);
    const key = cache.keyOf('a.b.c');
    cache.set(key, 'claims', 2_000);
    expect(cache.get(key)).toBe('claims');
    now = 2_000;
    expect(cache.get(key)).toBeUndefined();
    cache.set(key, 'claims', 1_500);
    expect(cache.size).toBe(0);
  });

  it('drops the oldest entry when full', () => {
    now = 0;
    const cache = new TokenCache<number>(2, clock);
    for (const [i, token] of ['t1', 't2', 't3'].entries()) cache.set(cache.keyOf(token), i, 10);
    expect(cache.get(cache.keyOf('t1'))).toBeUndefined();
    expect(cache.get(cache.keyOf('t3'))).toBe(2);
    expect(cache.size).toBe(2);
  });

  it('keys by the SHA-256 (base64url), never the token', () => {
    // printf x | sha256sum | xxd -r -p | base64 | tr '+/' '-_' | tr -d '='
    const cache = new TokenCache<number>();
    expect(cache.keyOf('eyJ.secret-token.sig')).not.toContain('secret');
    expect(cache.keyOf('x')).toBe('LXEWQrcmsEQBYnyp-6wy9chTD7GQPMTbAiWHF5IaSIE');
  });
});
