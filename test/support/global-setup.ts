import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCognitoLocal } from './cognito-local';

/** Starts one cognito-local for the suite; each test file makes its own pools in it. */
export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cognito-sync-test-'));
  process.env.TEST_LOG_FILE = join(dir, 'log.txt');
  process.env.TEST_SECRETS_FILE = join(dir, 'secrets.jsonl');
  writeFileSync(process.env.TEST_LOG_FILE, '');
  writeFileSync(process.env.TEST_SECRETS_FILE, '');
  const emulator = await startCognitoLocal();
  process.env.COGNITO_LOCAL_ENDPOINT = emulator.endpoint;
  (globalThis as { cognitoLocal?: typeof emulator }).cognitoLocal = emulator;
}
