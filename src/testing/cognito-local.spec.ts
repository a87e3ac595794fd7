// The emulator's process handling, with a stand-in script in place of cognito-local
// (fast, and no emulator in the unit project); test/testing/testing-kit.e2e-spec.ts runs the real one.
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type * as os from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCognitoLocal } from './index';
import { resolveCognitoLocal, spawnCognitoLocal, startChild } from './cognito-local.process';

const scripts = mkdtempSync(join(tmpdir(), 'cognito-local-stand-ins-'));
afterAll(() => rmSync(scripts, { recursive: true, force: true }));

/** A script that behaves as cognito-local does at start (the message, then serving until stopped), or not. */
function standIn(name: string, body: string): string {
  const path = join(scripts, `${name}.js`);
  writeFileSync(path, body);
  return path;
}
const READY = standIn(
  'ready',
  "console.log('Cognito Local running on http://127.0.0.1:' + process.env.PORT); setInterval(() => {}, 60000);",
);
const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('resolveCognitoLocal', () => {
  it('finds the installed cognito-local', () => {
    expect(resolveCognitoLocal()).toMatch(/cognito-local[/\\]lib[/\\]bin[/\\]start\.js$/);
  });

  it('names the package to install when it is missing', () => {
    const missing = () => {
      throw Object.assign(new Error('Cannot find module'), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => resolveCognitoLocal(missing)).toThrow(
      'startCognitoLocal() needs the package "cognito-local" (an optional peer dependency of ' +
        'nestjs-cognito-sync): npm install --save-dev cognito-local@5.3.0',
    );
  });

  it('passes other failures on', () => {
    expect(() =>
      resolveCognitoLocal(() => {
        throw new Error('EACCES');
      }),
    ).toThrow('EACCES');
  });
});

describe('spawnCognitoLocal', () => {
  it('starts in a temporary folder with the pool defaults, and stop() leaves no process and no folder', async () => {
    const emulator = await spawnCognitoLocal({ usernameAttributes: [], startTimeoutMs: 10_000, bin: READY });
    expect(emulator.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(JSON.parse(readFileSync(join(emulator.folder, '.cognito', 'config.json'), 'utf8'))).toEqual({
      UserPoolDefaults: { UsernameAttributes: [] },
    });
    expect(isRunning(emulator.pid)).toBe(true);
    await Promise.all([emulator.stop(), emulator.stop()]);
    expect(isRunning(emulator.pid)).toBe(false);
    expect(existsSync(emulator.folder)).toBe(false);
  });

  it("fails with the emulator's output when it exits before it is ready, and removes its folder", async () => {
    const crash = standIn('crash', "console.error('boom: no such pool store'); process.exit(3);");
    // The emulator's folder goes to one this test alone watches.
    const watched = mkdtempSync(join(scripts, 'tmp-'));
    const tmp = jest.spyOn(jest.requireActual<typeof os>('node:os'), 'tmpdir').mockReturnValue(watched);
    try {
      await expect(spawnCognitoLocal({ usernameAttributes: [], startTimeoutMs: 10_000, bin: crash })).rejects.toThrow(
        /exited with 3[^]*boom/,
      );
      expect(tmp).toHaveBeenCalled();
      expect(readdirSync(watched)).toEqual([]);
    } finally {
      tmp.mockRestore();
    }
  });

  it('gives up after startTimeoutMs when the emulator never says it is ready', async () => {
    const silent = standIn('silent', 'setInterval(() => {}, 60000);');
    await expect(spawnCognitoLocal({ usernameAttributes: [], startTimeoutMs: 300, bin: silent })).rejects.toThrow(
      'not ready after 300 ms',
    );
  });

  it(
    'ends the emulator and removes its folder when the test process goes away (its IPC channel closes), ' +
      'however it ends',
    async () => {
      const folder = mkdtempSync(join(tmpdir(), 'cognito-local-'));
      try {
        const child = await startChild(READY, folder, 0, 10_000);
        const exited = once(child, 'exit');
        // What the operating system does to the channel when the parent dies.
        child.disconnect();
        expect(await exited).toEqual([0, null]);
        expect(existsSync(folder)).toBe(false);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  );
});

describe('startCognitoLocal', () => {
  it('refuses malformed options before it starts anything', async () => {
    await expect(startCognitoLocal({ usernameAttributes: ['username' as never] })).rejects.toThrow(
      'usernameAttributes',
    );
    await expect(startCognitoLocal({ customAttributes: ['custom:plan'] })).rejects.toThrow('customAttributes');
  });
});
