import { CognitoAuthUnavailableError, CognitoUnauthorizedError } from '../errors/cognito-auth.errors';
import { endWithToken, MIN_RECHECK_MS } from './token-expiry-timer';

describe('endWithToken', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000_000_000 }));
  afterEach(() => jest.useRealTimers());
  const nowSeconds = () => Date.now() / 1000;

  it('ends the connection with TokenExpired at exp, not before, and once', () => {
    const end = jest.fn();
    endWithToken({ exp: nowSeconds() + 5, end });
    jest.advanceTimersByTime(4999);
    expect(end).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(end).toHaveBeenCalledTimes(1);
    expect(end.mock.calls[0][0]).toMatchObject({ code: 'TokenExpired' });
    jest.advanceTimersByTime(60_000);
    expect(end).toHaveBeenCalledTimes(1);
  });

  it('ends at once a token already expired, and reaches an exp beyond setTimeout’s 24.8 days in steps', () => {
    const expired = jest.fn();
    endWithToken({ exp: nowSeconds() - 1, end: expired });
    expect(expired).toHaveBeenCalledTimes(1);
    const far = jest.fn();
    endWithToken({ exp: nowSeconds() + 30 * 86_400, end: far });
    jest.advanceTimersByTime(30 * 86_400_000 - 1);
    expect(far).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(far).toHaveBeenCalledTimes(1);
  });

  it('does nothing once stopped (the connection closed first)', () => {
    const end = jest.fn();
    const check = jest.fn(() => Promise.resolve());
    const stop = endWithToken({ exp: nowSeconds() + 5, recheck: { everyMs: 1000, check }, end });
    stop();
    jest.advanceTimersByTime(10_000);
    expect(end).not.toHaveBeenCalled();
    expect(check).not.toHaveBeenCalled();
  });

  it('asks again every everyMs (at least once a second) and ends with the refusal: TokenRevoked', async () => {
    const end = jest.fn();
    let revoked = false;
    const check = jest.fn(() => (revoked ? Promise.reject(new CognitoUnauthorizedError('TokenRevoked', 'revoked')) : Promise.resolve()));
    endWithToken({ exp: nowSeconds() + 3600, recheck: { everyMs: 0, check }, end });
    await jest.advanceTimersByTimeAsync(MIN_RECHECK_MS * 3);
    expect(check).toHaveBeenCalledTimes(3);
    revoked = true;
    await jest.advanceTimersByTimeAsync(MIN_RECHECK_MS);
    expect(end).toHaveBeenCalledWith(expect.objectContaining({ code: 'TokenRevoked' }));
    await jest.advanceTimersByTimeAsync(MIN_RECHECK_MS * 3);
    expect(check).toHaveBeenCalledTimes(4);
  });

  it('fails closed: a check that cannot answer ends the connection (RevocationCheckUnavailable), whatever it threw', async () => {
    const unavailable = jest.fn();
    const error = new CognitoAuthUnavailableError('RevocationCheckUnavailable', 'Cognito is unreachable');
    endWithToken({ exp: nowSeconds() + 3600, recheck: { everyMs: 2000, check: () => Promise.reject(error) }, end: unavailable });
    await jest.advanceTimersByTimeAsync(2000);
    expect(unavailable).toHaveBeenCalledWith(error);
    const odd = jest.fn();
    endWithToken({ exp: nowSeconds() + 3600, recheck: { everyMs: 2000, check: () => Promise.reject(new TypeError('bug')) }, end: odd });
    await jest.advanceTimersByTimeAsync(2000);
    expect(odd).toHaveBeenCalledWith(expect.objectContaining({ code: 'RevocationCheckUnavailable' }));
  });

  it('runs one check at a time', async () => {
    const check = jest.fn(() => new Promise<void>(() => undefined));
    endWithToken({ exp: nowSeconds() + 3600, recheck: { everyMs: 1000, check }, end: jest.fn() });
    await jest.advanceTimersByTimeAsync(5000);
    expect(check).toHaveBeenCalledTimes(1);
  });
});
