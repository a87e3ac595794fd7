import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/** The example app of `npm start`, running as `npm start` runs it, with what it printed. */
export interface RunningExample {
  output: string;
  /** The printed line that starts with `prefix`; fails when there is none. */
  line(prefix: string): string;
  /**
   * SIGTERM, as Ctrl-C in a terminal: the app stops its emulator, then exits. Resolves with
   * the exit code (at once when it has exited already). Never SIGKILL: the emulator would outlive it.
   */
  stop(): Promise<number | null>;
}

/**
 * Runs example/main.ts on a free port with its own cognito-local, and waits for its printout. `env`
 * adds variables (e.g. `DEMO_TOKEN_VALIDITY_SECONDS`, the emulator's token validity).
 */
export async function startExample(env: Record<string, string> = {}): Promise<RunningExample> {
  const child: ChildProcess = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'example/main.ts'], {
    env: { ...process.env, PORT: '0', COGNITO_USER_POOL_ID: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.resume();
  let output = '';
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Ctrl-C stops')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
  return {
    output,
    line(prefix) {
      const found = output.split('\n').find((line) => line.startsWith(prefix));
      if (found === undefined) throw new Error(`npm start printed no line starting with "${prefix}":\n${output}`);
      return found;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return (await exited)[0] as number | null;
    },
  };
}
