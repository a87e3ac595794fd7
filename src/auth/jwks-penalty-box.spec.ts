import { WaitPeriodNotYetEndedJwkError } from 'aws-jwt-verify/error';
import { JwksPenaltyBox } from './jwks-penalty-box';

describe('JwksPenaltyBox', () => {
  const uri = 'https://issuer.test/.well-known/jwks.json';
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000;
  });

  it('refuses fetches of a URI for the wait period after a failed attempt, and says how long is left', async () => {
    const box = new JwksPenaltyBox(10_000, clock);
    await expect(box.wait(uri)).resolves.toBeUndefined();
    box.registerFailedAttempt(uri);
    await expect(box.wait(uri)).rejects.toBeInstanceOf(WaitPeriodNotYetEndedJwkError);
    await expect(box.wait('https://other.test/jwks.json')).resolves.toBeUndefined();
    now += 9_999;
    expect(box.remainingMs(uri)).toBe(1);
    expect(box.remainingMs()).toBe(1);
    now += 1;
    expect(box.remainingMs()).toBe(0);
    await expect(box.wait(uri)).resolves.toBeUndefined();
    expect(box.size).toBe(0);
  });

  it('keeps one entry per URI however many attempts fail (concurrent probes), and forgets it on success', () => {
    const box = new JwksPenaltyBox(10_000, clock);
    for (let i = 0; i < 1000; i++) box.registerFailedAttempt(uri);
    expect(box.size).toBe(1);
    box.registerSuccessfulAttempt(uri);
    expect(box.size).toBe(0);
    expect(box.remainingMs(uri)).toBe(0);
  });
});
