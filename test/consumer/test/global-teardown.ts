import type { CognitoLocal } from 'nestjs-cognito-sync/testing';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { cognitoLocal?: CognitoLocal }).cognitoLocal?.close();
}
