// The README's promise: `npm start` serves the endpoint on a local Cognito and
// prints a curl that answers 200 with new tokens. Runs the example as `npm start` does.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

describe('npm start (the example app on cognito-local)', () => {
  let child: ChildProcess;
  let output = '';

  beforeAll(async () => {
    child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'test/example/main.ts'], {
      env: { ...process.env, PORT: '0', COGNITO_USER_POOL_ID: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr!.resume();
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk) => {
        output += chunk;
        if (output.includes('Ctrl-C stops')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
    });
  }, 60000);

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('prints a curl whose request answers 200 with new tokens, and stops the emulator on SIGTERM', async () => {
    const curl = output.split('\n').find((line) => line.startsWith('curl '))!;
    const [, url] = /POST (\S+)/.exec(curl)!;
    const [, body] = /-d '(.+)'$/.exec(curl)!;
    const [, emulator] = /at (http:\/\/\S+)/.exec(output)!;
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(200);
    const json = (await res.json()) as { authenticationResult: unknown };
    expect(json.authenticationResult).toMatchObject({ accessToken: expect.any(String), idToken: expect.any(String) });

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    expect((await exited)[0]).toBe(0);
    await expect(fetch(`${emulator}/health`)).rejects.toThrow();
  });
});
