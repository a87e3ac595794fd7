import { EventEmitter } from 'node:events';
import {
  type CognitoAuthError,
  CognitoAuthUnavailableError,
  CognitoUnauthorizedError,
} from '../errors/cognito-auth.errors';
import {
  isConnectionWatched,
  MIN_RECHECK_MS,
  type TokenRechecker,
  watchConnectionToken,
} from './connection-token-watch';

const NOW = Date.UTC(2030, 0, 1);

/** A connection that records how it was ended, and emits `close` when told to. */
function connection() {
  const emitter = new EventEmitter();
  const ended: string[] = [];
  return {
    emitter,
    ended,
    options: (token: string, exp: number, verifier: TokenRechecker) => ({
      token,
      exp,
      verifier,
      end: (refusal: CognitoAuthError) => ended.push(`${refusal.getStatus()} ${refusal.code}`),
      onClose: (stop: () => void) => emitter.once('close', stop),
    }),
  };
}

const offline: TokenRechecker = { verify: () => Promise.resolve({}) };
const withRevocationCheck = (cacheMs: number, verify: jest.Mock): TokenRechecker => ({
  verify,
  revocationCacheMs: cacheMs,
});

describe('watchConnectionToken', () => {
  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => jest.useRealTimers());

  it("ends the connection with TokenExpired at the token's exp, not before", async () => {
    const { emitter, ended, options } = connection();
    watchConnectionToken(emitter, options('a', NOW / 1000 + 3, offline));
    await jest.advanceTimersByTimeAsync(2999);
    expect(ended).toEqual([]);
    expect(isConnectionWatched(emitter)).toBe(true);
    await jest.advanceTimersByTimeAsync(1);
    expect(ended).toEqual(['401 TokenExpired']);
    expect(isConnectionWatched(emitter)).toBe(false);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(ended).toHaveLength(1);
  });

  it("keeps one unref'd timer per connection: the same token again keeps the watch, another replaces it", async () => {
    const { emitter, ended, options } = connection();
    const setTimeoutSpy = jest.spyOn(global, 'setTimeout');
    watchConnectionToken(emitter, options('a', NOW / 1000 + 3, offline));
    for (let i = 0; i < 5; i++) watchConnectionToken(emitter, options('a', NOW / 1000 + 3, offline));
    expect(setTimeoutSpy).toHaveBeenCalledTimes(1);
    expect((setTimeoutSpy.mock.results[0].value as NodeJS.Timeout).hasRef()).toBe(false);
    watchConnectionToken(emitter, options('b', NOW / 1000 + 10, offline));
    expect(emitter.listenerCount('close')).toBe(1);
    await jest.advanceTimersByTimeAsync(9_999);
    expect(ended).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(ended).toEqual(['401 TokenExpired']);
    setTimeoutSpy.mockRestore();
  });

  it('stops when the connection closes', async () => {
    const { emitter, ended, options } = connection();
    watchConnectionToken(emitter, options('a', NOW / 1000 + 3, offline));
    emitter.emit('close');
    expect(isConnectionWatched(emitter)).toBe(false);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(ended).toEqual([]);
  });

  it('reaches an exp beyond the longest timer Node takes (about 24.8 days) without ending early', async () => {
    const { emitter, ended, options } = connection();
    watchConnectionToken(emitter, options('a', NOW / 1000 + 30 * 86_400, offline));
    await jest.advanceTimersByTimeAsync(29 * 86_400_000);
    expect(ended).toEqual([]);
    await jest.advanceTimersByTimeAsync(86_400_000);
    expect(ended).toEqual(['401 TokenExpired']);
  });

  it('ends at once a token without a usable exp (fails closed)', async () => {
    const { emitter, ended, options } = connection();
    watchConnectionToken(emitter, options('a', Number.NaN, offline));
    await jest.advanceTimersByTimeAsync(0);
    expect(ended).toEqual(['401 TokenExpired']);
  });

  describe('with revocationCheck', () => {
    it(
      're-checks the token every cache period and ends the connection with TokenRevoked once Cognito refuses ' + 'it',
      async () => {
        const { emitter, ended, options } = connection();
        const verify = jest
          .fn()
          .mockResolvedValueOnce({})
          .mockRejectedValueOnce(new CognitoUnauthorizedError('TokenRevoked', 'revoked'));
        watchConnectionToken(emitter, options('a', NOW / 1000 + 3600, withRevocationCheck(30_000, verify)));
        await jest.advanceTimersByTimeAsync(29_999);
        expect(verify).not.toHaveBeenCalled();
        await jest.advanceTimersByTimeAsync(1);
        expect(verify).toHaveBeenCalledWith('a');
        expect(ended).toEqual([]);
        await jest.advanceTimersByTimeAsync(30_000);
        expect(verify).toHaveBeenCalledTimes(2);
        expect(ended).toEqual(['401 TokenRevoked']);
        await jest.advanceTimersByTimeAsync(3_600_000);
        expect(verify).toHaveBeenCalledTimes(2);
      },
    );

    it(
      'fails closed when the re-check cannot be made: the 503 refusal, or RevocationCheckUnavailable for ' +
        'anything else',
      async () => {
        const down = connection();
        const unavailable = new CognitoAuthUnavailableError('RevocationCheckUnavailable', 'down');
        watchConnectionToken(
          down.emitter,
          down.options('a', NOW / 1000 + 3600, withRevocationCheck(5_000, jest.fn().mockRejectedValue(unavailable))),
        );
        const broken = connection();
        watchConnectionToken(
          broken.emitter,
          broken.options(
            'a',
            NOW / 1000 + 3600,
            withRevocationCheck(5_000, jest.fn().mockRejectedValue(new Error('bug'))),
          ),
        );
        await jest.advanceTimersByTimeAsync(5_000);
        expect(down.ended).toEqual(['503 RevocationCheckUnavailable']);
        expect(broken.ended).toEqual(['503 RevocationCheckUnavailable']);
      },
    );

    it(`re-checks every ${MIN_RECHECK_MS} ms when the cache period is 0, not in a busy loop`, async () => {
      const { emitter, options } = connection();
      const verify = jest.fn().mockResolvedValue({});
      watchConnectionToken(emitter, options('a', NOW / 1000 + 3600, withRevocationCheck(0, verify)));
      await jest.advanceTimersByTimeAsync(5 * MIN_RECHECK_MS);
      expect(verify).toHaveBeenCalledTimes(5);
    });

    it('still ends at exp while a re-check has not been answered', async () => {
      const { emitter, ended, options } = connection();
      const verify = jest.fn(() => new Promise<never>(() => undefined));
      watchConnectionToken(emitter, options('a', NOW / 1000 + 3, withRevocationCheck(2_000, verify)));
      await jest.advanceTimersByTimeAsync(3_000);
      expect(verify).toHaveBeenCalledTimes(1);
      expect(ended).toEqual(['401 TokenExpired']);
    });
  });
});
