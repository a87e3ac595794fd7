import type { CognitoIdentityProviderClientConfig } from '@aws-sdk/client-cognito-identity-provider';
import type { CognitoRefreshCookieOptions } from './cognito-refresh.cookie';
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
  /** Anything else for the SDK client: `maxAttempts`, `retryMode`, `requestHandler`, ... */
  clientConfig?: Omit<CognitoIdentityProviderClientConfig, 'region' | 'endpoint' | 'credentials'>;
}

/** Options of the optional refresh endpoint. */
export interface CognitoRefreshControllerOptions {
  /** Route of the endpoint; default `auth/refresh`. */
  path?: string;
  /**
   * Browser mode: read the refresh token from this `HttpOnly` cookie when the body
   * has none, write a rotated one back to it, clear it on a 401, and never put the
   * refresh token in the JSON answer.
   */
  cookie?: CognitoRefreshCookieOptions;
  /** With `cookie`: the header a cookie-borne refresh must carry (CSRF defence); default `x-requested-with`. */
  csrfHeader?: string;
  /** With `cookie`: the only `Origin`s a cookie-borne refresh may come from. */
  allowedOrigins?: string[];
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

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
