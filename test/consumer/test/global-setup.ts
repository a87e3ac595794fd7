// The README's globalSetup recipe: one cognito-local for the whole e2e run, its module
// options handed to the test files through the environment (Jest copies it to each worker).
import { startCognitoLocal } from 'nestjs-cognito-sync/testing';

export default async function globalSetup(): Promise<void> {
  const local = await startCognitoLocal({
    users: [{ username: 'carol', password: 'Carol-passw0rd!', groups: ['Auditors'] }],
  });
  process.env.COGNITO_TEST_OPTIONS = JSON.stringify(local.moduleOptions);
  (globalThis as { cognitoLocal?: typeof local }).cognitoLocal = local;
}
