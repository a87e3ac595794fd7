// `npm test` on a fresh machine: a test that cannot find chromium or redis-server fails
// with the one install line, and the README's test command gives that same line.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumPath } from './support/chromium';
import { PREREQUISITES_INSTALL } from './support/prerequisites';
import { RedisServer } from './support/redis-server';

describe("npm test's programs from the system (chromium, redis-server)", () => {
  const saved = { PATH: process.env.PATH, CHROMIUM_PATH: process.env.CHROMIUM_PATH };
  let emptyDir: string;

  beforeEach(() => {
    // A PATH with nothing on it: as on a machine where neither is installed.
    emptyDir = mkdtempSync(join(tmpdir(), 'no-programs-'));
    process.env.PATH = emptyDir;
    delete process.env.CHROMIUM_PATH;
  });

  afterEach(() => {
    process.env.PATH = saved.PATH;
    if (saved.CHROMIUM_PATH === undefined) delete process.env.CHROMIUM_PATH;
    else process.env.CHROMIUM_PATH = saved.CHROMIUM_PATH;
    rmSync(emptyDir, { recursive: true, force: true });
  });

  it('without chromium, the browser test fails with the install line', () => {
    expect(() => chromiumPath()).toThrow(PREREQUISITES_INSTALL);
    process.env.CHROMIUM_PATH = join(emptyDir, 'chromium');
    expect(() => chromiumPath()).toThrow(
      /CHROMIUM_PATH \(.+\) is not an executable.*sudo apt-get install -y chromium redis-server/,
    );
  });

  it('without redis-server, a Redis test fails with the install line', async () => {
    const redis = new RedisServer();
    try {
      await expect(redis.start()).rejects.toThrow(PREREQUISITES_INSTALL);
    } finally {
      await redis.close();
    }
  });

  it('the README gives the same line beside its test command', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const commands = readme.slice(readme.indexOf('## The two commands'), readme.indexOf('## Install'));
    expect(commands).toContain(PREREQUISITES_INSTALL);
  });
});
