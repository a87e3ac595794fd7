import { CognitoConfigurationError } from '../errors/cognito.errors';
import { deriveKey } from '../internal/sealed-box';
import { isLoopbackUrl } from '../options/loopback-url';

/**
 * @internal How login-state cookies are written and read, fixed at startup: any instance with
 * the same secrets and `redirectUri` finishes a login another one started.
 */
export interface LoginStateCookieSettings {
  /** The cookies' names up to the state's hash: `__Host-cognito-login.`, `cognito-login.` when not `Secure`. */
  readonly namePrefix: string;
  /** Off only when `redirectUri` is plain http on this machine (a browser drops a `Secure` cookie there). */
  readonly secure: boolean;
  /** One AES-256-GCM key per secret, in the order given: the first seals, all open (rotation). */
  readonly keys: readonly Buffer[];
  /** How long a login may take, from `GET <path>/login` to the callback. */
  readonly maxAgeSeconds: number;
  /** How many login cookies a browser keeps at once: a new login clears the oldest beyond that. */
  readonly maxCookies: number;
}

export interface LoginStateCookieOptions {
  /** `managedLogin.redirectUri`: https, or http on a loopback host. */
  redirectUri: string;
  /** `session.secret`: one secret, or a list whose first seals and all of which open. */
  secrets: string | readonly string[];
  /** Default 600 (10 minutes: time to sign in, with MFA, at an identity provider). */
  maxAgeSeconds?: number;
  /** Default 5 (a few tabs logging in at once). */
  maxCookies?: number;
}

/** HKDF's salt: login state, format 1. Another use of the same secret (the session) gets other keys. */
export const LOGIN_STATE_SALT = 'nestjs-cognito-sync/login-state/v1';
export const MIN_SECRET_LENGTH = 32;

/** The settings from `options`, checked: a bad one throws `CognitoConfigurationError` naming it. */
export function resolveLoginStateCookie(options: LoginStateCookieOptions): LoginStateCookieSettings {
  const secrets: readonly unknown[] = typeof options.secrets === 'string' ? [options.secrets] : options.secrets;
  if (
    !Array.isArray(secrets) ||
    secrets.length === 0 ||
    !secrets.every((secret) => typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH)
  ) {
    throw new CognitoConfigurationError(
      `session.secret must be a string of at least ${MIN_SECRET_LENGTH} characters, or a non-empty list of them ` +
        '(the first seals, every one opens: add a new one first to rotate)',
    );
  }
  let url: URL;
  try {
    url = new URL(options.redirectUri);
  } catch {
    throw new CognitoConfigurationError('managedLogin.redirectUri must be an absolute URL');
  }
  const loopbackHttp = url.protocol === 'http:' && isLoopbackUrl(url.href);
  if (url.protocol !== 'https:' && !loopbackHttp) {
    throw new CognitoConfigurationError('managedLogin.redirectUri must be https (http only on localhost or 127.0.0.1)');
  }
  const maxAgeSeconds = options.maxAgeSeconds ?? 600;
  const maxCookies = options.maxCookies ?? 5;
  if (!Number.isInteger(maxAgeSeconds) || maxAgeSeconds < 30 || maxAgeSeconds > 3600) {
    throw new CognitoConfigurationError('the login state maxAgeSeconds must be an integer from 30 to 3600');
  }
  if (!Number.isInteger(maxCookies) || maxCookies < 1 || maxCookies > 20) {
    throw new CognitoConfigurationError('the login state maxCookies must be an integer from 1 to 20');
  }
  return {
    // A `__Host-` cookie needs `Secure`, and then no sibling subdomain can set or shadow it.
    namePrefix: loopbackHttp ? 'cognito-login.' : '__Host-cognito-login.',
    secure: !loopbackHttp,
    keys: (secrets as string[]).map((secret) => deriveKey(secret, LOGIN_STATE_SALT, 'sealing key')),
    maxAgeSeconds,
    maxCookies,
  };
}
