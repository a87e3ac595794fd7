import { readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { startCognitoLocal } from './cognito-local';

/**
 * Stops cognito-local, then proves the log hygiene promise: no token, client
 * secret or SECRET_HASH that the suite handled appears in anything it printed.
 */
export default async function globalTeardown(globalConfig: {
  testNamePattern?: string;
  testPathPatterns?: { patterns?: unknown[] };
}): Promise<void> {
  const emulator = (globalThis as { cognitoLocal?: Awaited<ReturnType<typeof startCognitoLocal>> }).cognitoLocal;
  await emulator?.stop();
  const logFile = process.env.TEST_LOG_FILE!;
  const log = readFileSync(logFile, 'utf8');
  const secrets = [...new Set(readFileSync(process.env.TEST_SECRETS_FILE!, 'utf8').split('\n').filter(Boolean))].map(
    (line) => JSON.parse(line) as string,
  );
  rmSync(dirname(logFile), { recursive: true, force: true });
  const lines = log.split('\n').length;
  // The capture must have seen the module's own log lines, or this check proves nothing
  // (a filtered run may not reach one).
  const filtered = Boolean(globalConfig.testNamePattern) || (globalConfig.testPathPatterns?.patterns?.length ?? 0) > 0;
  if (!filtered && !log.includes('AdminInitiateAuth failed: NotAuthorizedException')) {
    throw new Error(`Log hygiene: the log capture saw none of the module's warnings (${lines} lines)`);
  }
  const leaks = secrets.filter((secret) => log.includes(secret));
  console.log(
    `\nLog hygiene: ${lines} log lines scanned for ${secrets.length} tokens, secrets and hashes: ` +
      `${leaks.length} leaked`,
  );
  if (leaks.length > 0) {
    throw new Error(`Log hygiene: ${leaks.length} secret value(s) appeared in the suite's log output`);
  }
}
