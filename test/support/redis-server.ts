import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingPrerequisite } from './prerequisites';

/** A port the system says is free right now (redis-server cannot listen on port 0 and tell). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A real redis-server (Debian's package; `.ci/run` installs it) for one spec: on a
 * free port, in a temporary folder, persisting nothing, with expiry events on
 * (so that a test awaits a key's expiry instead of sleeping). {@link stop} and
 * {@link start} stop and start it again on the same port, as an outage would.
 */
export class RedisServer {
  private process?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'cognito-sync-redis-'));
  port = 0;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    if (this.port === 0) this.port = await freePort();
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--save',
      '',
      '--appendonly',
      'no',
    ];
    const child = spawn('redis-server', [...args, '--notify-keyspace-events', 'Ex'], {
      // process.env as the test sees it (under Jest, the sandbox's copy, which a test may change).
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.process = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const exited = (code: number | null) =>
        reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`));
      child.once('exit', exited);
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'ENOENT'
            ? new Error(missingPrerequisite('This test starts a redis-server, and there is none on the PATH'))
            : error,
        ),
      );
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          child.off('exit', exited);
          resolve();
        }
      });
    });
    child.stdout!.resume();
    child.stderr!.resume();
    return this;
  }

  /** Stops the server (SIGTERM) and resolves once it has exited. */
  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }

  /** Stops the server and removes its folder. */
  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
