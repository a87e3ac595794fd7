import { Logger } from '@nestjs/common';
import { RateLimitedLog } from './rate-limited-log';

describe('RateLimitedLog', () => {
  afterEach(() => jest.useRealTimers());

  it('logs one warning per interval, the next one counting those left out', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const logger = new Logger('Spec');
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const log = new RateLimitedLog(logger, 60_000);
    for (let i = 0; i < 51; i++) log.warn('refused');
    expect(warn.mock.calls).toEqual([['refused']]);
    jest.advanceTimersByTime(59_999);
    log.warn('refused');
    expect(warn).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(1);
    log.warn('refused');
    expect(warn.mock.calls[1]).toEqual(['refused (51 more like it since the last such line, not logged)']);
  });
});
