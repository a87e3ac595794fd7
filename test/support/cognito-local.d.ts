// Types of cognito-local.js (plain CommonJS, shared with `npm start` and the NestJS 12 smoke run).
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

export interface RunningCognitoLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export interface DemoPool {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  userPoolId: string;
  clientId: string;
  clientSecret?: string;
}

export interface SignedInUser {
  email: string;
  password: string;
  /** The internal username (a UUID in pools that sign in by email). */
  username: string;
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

export const REGION: string;
export const CREDENTIALS: { accessKeyId: string; secretAccessKey: string };
export function freePort(): Promise<number>;
export function startCognitoLocal(): Promise<RunningCognitoLocal>;
export function adminClient(endpoint: string): CognitoIdentityProviderClient;
export function createDemoPool(
  endpoint: string,
  options?: { secret?: boolean; usernameAttributes?: string[]; email?: string },
): Promise<DemoPool & SignedInUser>;
export function createSignedInUser(pool: DemoPool, email: string): Promise<SignedInUser>;
