import type { CognitoIdentityProviderClientConfig } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoConfigurationError } from './cognito.errors';

/** How the module reaches one user pool and one app client. */
export interface CognitoModuleOptions {
  /** AWS region of the pool, e.g. `eu-west-1`. */
  region: string;
  /** The pool's id, e.g. `eu-west-1_AbCdEf123`. */
  userPoolId: string;
  /** The app client's id. */
  clientId: string;
  /** The app client's secret, when it has one: every call then carries a SECRET_HASH. */
  clientSecret?: string;
  /** Another endpoint than AWS's, e.g. a local emulator such as cognito-local. */
  endpoint?: string;
  /** AWS credentials; by default the SDK's credential chain (environment, profile, role). */
  credentials?: CognitoIdentityProviderClientConfig['credentials'];
  /**
   * Deadline of each Cognito call in milliseconds, the SDK's retries included;
   * a missed deadline answers 504. Default 5000 (see `DEFAULT_TIMEOUT_MS`).
   */
  timeoutMs?: number;
  /**
   * Attempts per Cognito call (1 = no retry). The SDK's standard retry mode
   * retries throttling and transient faults only, never an invalid token. Default 3.
   */
  maxAttempts?: number;
  /** Anything else for the SDK client: `retryMode`, `requestHandler`, ... */
  clientConfig?: Omit<CognitoIdentityProviderClientConfig, 'region' | 'endpoint' | 'credentials'>;
}

/** Options of the optional refresh endpoint. */
export interface CognitoRefreshControllerOptions {
  /** Route of the endpoint; default `auth/refresh`. */
  path?: string;
}

/**
 * Options that shape the module itself, accepted by `forRoot` and `forRootAsync` alike.
 */
export interface CognitoModuleExtras {
  /** Register the module globally; default `true`. */
  isGlobal?: boolean;
  /** Register {@link CognitoExceptionFilter} app-wide; default `true`. */
  exceptionFilter?: boolean;
  /** Serve `POST /auth/refresh` (or `path`); default `false`. */
  refreshController?: boolean | CognitoRefreshControllerOptions;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const USER_POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
const CLIENT_ID = /^[\w+]+$/;
/** Longer than any sensible wait for an answer to a user's request. */
const MAX_TIMEOUT_MS = 120_000;
const MAX_ATTEMPTS = 10;

/**
 * Checks options at startup, so that a typo fails the boot with a message that
 * names the option instead of failing the first user's request.
 */
export function validateCognitoOptions(options: CognitoModuleOptions | undefined): CognitoModuleOptions {
  if (!options || typeof options !== 'object') throw new CognitoConfigurationError('options are required');
  const { region, userPoolId, clientId, clientSecret, endpoint } = options;
  const local = endpoint !== undefined;
  requireString('region', region, local ? /^[\w-]+$/ : REGION, 'e.g. "eu-west-1"');
  requireString('userPoolId', userPoolId, USER_POOL_ID, 'e.g. "eu-west-1_AbCdEf123"', 55);
  requireString('clientId', clientId, CLIENT_ID, 'the app client id from the Cognito console', 128);
  if (!local && !userPoolId.startsWith(`${region}_`)) {
    throw new CognitoConfigurationError(`userPoolId "${userPoolId}" is not a pool of region "${region}"`);
  }
  if (clientSecret !== undefined && (typeof clientSecret !== 'string' || clientSecret === '')) {
    throw new CognitoConfigurationError('clientSecret must be a non-empty string when given');
  }
  requireInteger('timeoutMs', options.timeoutMs, 1, MAX_TIMEOUT_MS);
  requireInteger('maxAttempts', options.maxAttempts, 1, MAX_ATTEMPTS);
  if (local && !isHttpUrl(endpoint)) {
    throw new CognitoConfigurationError(`endpoint must be an http(s) URL, got ${JSON.stringify(endpoint)}`);
  }
  return options;
}

function requireString(name: string, value: unknown, pattern: RegExp, hint: string, max = 64): asserts value is string {
  if (value === undefined || value === null || value === '') {
    throw new CognitoConfigurationError(`${name} is required (${hint})`);
  }
  if (typeof value !== 'string' || value.length > max || !pattern.test(value)) {
    throw new CognitoConfigurationError(`${name} is malformed: ${JSON.stringify(value)} (${hint})`);
  }
}

/** Optional integer options: absent, or a whole number in range. */
function requireInteger(name: string, value: unknown, min: number, max: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new CognitoConfigurationError(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
