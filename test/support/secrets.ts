import { appendFileSync } from 'node:fs';

/**
 * Records values that must never appear in a log line (tokens, client secrets,
 * SECRET_HASHes). globalTeardown scans everything the suite printed for them.
 */
export function rememberSecrets(...values: Array<string | undefined>): void {
  const file = process.env.TEST_SECRETS_FILE;
  if (!file) return;
  const lines = values.filter((value): value is string => typeof value === 'string' && value.length >= 8);
  if (lines.length > 0) appendFileSync(file, lines.map((value) => JSON.stringify(value)).join('\n') + '\n');
}
