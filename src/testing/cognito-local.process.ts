import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A cognito-local process in a temporary folder of its own. */
export interface CognitoLocalProcess {
  endpoint: string;
  /** The folder it keeps its data in; removed by `stop()`. */
  folder: string;
  pid: number;
  stop(): Promise<void>;
}

const PACKAGE = 'cognito-local';
const MISSING =
  `startCognitoLocal() needs the package "${PACKAGE}" (an optional peer dependency of nestjs-cognito-sync): ` +
  `npm install --save-dev ${PACKAGE}@5.3.0`;

/**
 * Where cognito-local's start script is, looked up only when an emulator is asked
 * for: from this package (an app's node_modules), then from the working directory.
 * `resolve` is replaceable for the test of the missing-package message.
 */
export function resolveCognitoLocal(
  resolve: (request: string, options?: { paths?: string[] }) => string = require.resolve,
): string {
  for (const paths of [undefined, [process.cwd()]]) {
    try {
      return resolve(`${PACKAGE}/lib/bin/start.js`, paths && { paths });
    } catch (error) {
      if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
    }
  }
  throw new Error(MISSING);
}

/**
 * Runs cognito-local's start script (argv[1]) in its folder (argv[2]), and exits as
 * soon as its parent does, removing the folder: the IPC channel closes when the test
 * process ends, however it ends (even SIGKILL, or a Jest worker whose `exit` listeners
 * never run), so that no emulator or folder outlives it.
 */
const CHILD = `process.on('disconnect', () => {
  try {
    process.chdir(require('node:os').tmpdir());
    require('node:fs').rmSync(process.argv[2], { recursive: true, force: true });
  } finally {
    process.exit(0);
  }
});
require(process.argv[1]);`;

/** A port that was free a moment ago: cognito-local needs it before it starts, since it is also its tokens' issuer. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts cognito-local on a free port of 127.0.0.1 in a fresh temporary folder, with
 * plain usernames unless `usernameAttributes` says otherwise. Retries on another
 * port when the free one was taken in the meantime.
 */
export async function spawnCognitoLocal(options: {
  usernameAttributes: string[];
  startTimeoutMs: number;
  bin?: string;
  /** The tokens' issuer domain (default: its own address), e.g. the OAuth front's. */
  issuerDomain?: string;
}): Promise<CognitoLocalProcess> {
  const bin = options.bin ?? resolveCognitoLocal();
  const folder = mkdtempSync(join(tmpdir(), 'cognito-local-'));
  try {
    mkdirSync(join(folder, '.cognito'));
    // Its pools sign in by email unless the defaults say otherwise; CreateUserPool's own list is merged over them.
    writeFileSync(
      join(folder, '.cognito', 'config.json'),
      JSON.stringify({
        UserPoolDefaults: { UsernameAttributes: options.usernameAttributes },
        ...(options.issuerDomain ? { TokenConfig: { IssuerDomain: options.issuerDomain } } : {}),
      }),
    );
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      try {
        const child = await startChild(bin, folder, port, options.startTimeoutMs);
        return { endpoint: `http://127.0.0.1:${port}`, folder, pid: child.pid!, stop: stopper(child, folder) };
      } catch (error) {
        if (attempt >= 3 || !/EADDRINUSE/.test((error as Error).message)) throw error;
      }
    }
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}

/** Resolves once cognito-local says it is listening; its output is read only for that (and for a failure's message). */
export function startChild(bin: string, folder: string, port: number, timeoutMs: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', CHILD, bin, folder], {
    cwd: folder,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (reason: string) => {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`cognito-local did not start (${reason}):\n${output.slice(-2000)}`));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes('Cognito Local running on')) return;
      cleanup();
      // Drained and unref'd: a test that forgets stop() still ends, and the child with it.
      child.stdout!.resume();
      child.stderr!.resume();
      unref(child);
      resolve(child);
    };
    const onExit = (code: number | null) => fail(`exited with ${code}`);
    const timer = setTimeout(() => fail(`not ready after ${timeoutMs} ms`), timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stderr!.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    const onError = (error: Error) => fail(error.message);
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

function unref(child: ChildProcess): void {
  child.unref();
  child.channel?.unref();
  for (const stream of [child.stdout, child.stderr] as Array<{ unref?: () => void } | null>) stream?.unref?.();
}

function stopper(child: ChildProcess, folder: string): () => Promise<void> {
  const exited = new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
  );
  const onExit = () => {
    child.kill('SIGKILL');
    rmSync(folder, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  let stopping: Promise<void> | undefined;
  return () =>
    (stopping ??= (async () => {
      process.removeListener('exit', onExit);
      // Held again until it has exited, so that the folder is removed before the test process may end.
      child.ref();
      child.kill('SIGTERM');
      await exited;
      rmSync(folder, { recursive: true, force: true });
    })());
}
