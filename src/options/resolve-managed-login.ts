import { CognitoConfigurationError } from '../errors/cognito.errors';
import { isLoopbackUrl } from './loopback-url';
import { assertKnownKeys, MANAGED_LOGIN_KEYS } from './option-keys';
import type { CognitoModuleOptions } from './cognito-module-options';
import type { ResolvedManagedLogin } from './managed-login-options';

/** The scopes a managed login asks for unless `managedLogin.scopes` says otherwise. */
export const DEFAULT_MANAGED_LOGIN_SCOPES: readonly string[] = Object.freeze([
  'openid',
  'email',
  'profile',
  'aws.cognito.signin.user.admin',
]);

/** The scope without which Cognito refuses an access token on its user APIs (GetUser, ...). */
export const COGNITO_ADMIN_SCOPE = 'aws.cognito.signin.user.admin';

/** RFC 6749 §3.3 scope-token: printable ASCII but space, `"` and `\`. Cognito allows 50 per app client. */
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/;
const MAX_SCOPES = 50;
/** Cognito's ProviderName: 1 to 32 characters, none of them a space or control character. */
const PROVIDER_NAME = /^[^\s\p{Cc}]{1,32}$/u;
const MAX_PROVIDERS = 50;

/** What the rest of the module settles at startup and managed login depends on. */
export interface ManagedLoginContext {
  /** Whether this registration serves `authController`, whose routes the login's endpoints join. */
  authController: boolean;
  /** Whether `revocationCheck` is on (then each access token goes to GetUser). */
  revocationCheck: boolean;
}

/**
 * Checks `managedLogin` at startup and applies its defaults, so that a redirect Cognito would refuse,
 * plain http to a remote host or a scope missing for a feature that is on fails the boot with a
 * message that names the option, instead of failing on a user's first login.
 */
export function resolveManagedLogin(
  options: CognitoModuleOptions,
  { authController, revocationCheck }: ManagedLoginContext,
): ResolvedManagedLogin | undefined {
  const option = options.managedLogin;
  if (option === undefined) return undefined;
  if (typeof option !== 'object' || option === null || Array.isArray(option)) {
    throw new CognitoConfigurationError(
      'managedLogin must be an object: { domain, redirectUri, logoutUri, scopes?, identityProviders? }',
    );
  }
  assertKnownKeys('managedLogin', option, MANAGED_LOGIN_KEYS);
  if (!authController) {
    throw new CognitoConfigurationError(
      'managedLogin needs authController: its login, callback and logout endpoints are served under its path',
    );
  }
  if (options.session === undefined) {
    throw new CognitoConfigurationError(
      'managedLogin needs session: the tokens stay on the server, the browser gets only the session cookie ' +
        '(session.secret also seals the login-state cookie)',
    );
  }
  if (options.clientSecret === undefined) {
    throw new CognitoConfigurationError(
      'managedLogin needs clientSecret: the server exchanges the code as a confidential app client ' +
        '(an app client with a secret)',
    );
  }
  const scopes = scopeList(option.scopes);
  if (revocationCheck && !scopes.includes(COGNITO_ADMIN_SCOPE)) {
    throw new CognitoConfigurationError(
      `managedLogin.scopes must include "${COGNITO_ADMIN_SCOPE}" with revocationCheck on: ` +
        'without it Cognito refuses GetUser with the access token, so every signed-in request would be refused',
    );
  }
  return {
    domain: domainOrigin(option.domain),
    redirectUri: absoluteUrl('managedLogin.redirectUri', option.redirectUri, 'https://app.example.com/auth/callback'),
    logoutUri: absoluteUrl('managedLogin.logoutUri', option.logoutUri, 'https://app.example.com/signed-out'),
    scopes,
    identityProviders: providerList(option.identityProviders),
  };
}

/** `domain`: an origin (https, or http on this machine), without a trailing slash. */
function domainOrigin(value: unknown): string {
  const hint = 'e.g. "https://my-app.auth.eu-west-1.amazoncognito.com"';
  const url = parsedUrl('managedLogin.domain', value, hint);
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new CognitoConfigurationError(
      `managedLogin.domain must be the domain alone, without a path, query or credentials, ` +
        `got ${JSON.stringify(value)} (${hint})`,
    );
  }
  return url.origin;
}

/** `redirectUri`, `logoutUri`: absolute (https, or http on this machine), no fragment (RFC 6749 §3.1.2). */
function absoluteUrl(name: string, value: unknown, example: string): string {
  const url = parsedUrl(name, value, `an absolute URL such as "${example}"`);
  if (url.hash !== '' || (value as string).includes('#')) {
    throw new CognitoConfigurationError(`${name} must not have a fragment (#...), got ${JSON.stringify(value)}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new CognitoConfigurationError(`${name} must not carry credentials`);
  }
  // As given: Cognito compares it character for character with the app client's registered URLs.
  return value as string;
}

function parsedUrl(name: string, value: unknown, hint: string): URL {
  if (value === undefined || value === null || value === '') {
    throw new CognitoConfigurationError(`${name} is required (${hint})`);
  }
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new CognitoConfigurationError(`${name} must be an https URL, got ${JSON.stringify(value)} (${hint})`);
  }
  if (url.protocol === 'http:' && !isLoopbackUrl(url.href)) {
    throw new CognitoConfigurationError(
      `${name} must use https (plain http only on this machine, e.g. an emulator), got ${JSON.stringify(value)}`,
    );
  }
  return url;
}

function scopeList(value: unknown): string[] {
  if (value === undefined) return [...DEFAULT_MANAGED_LOGIN_SCOPES];
  const scopes = nameList('managedLogin.scopes', value, MAX_SCOPES, SCOPE, 'a scope such as "openid"');
  if (!scopes.includes('openid')) {
    throw new CognitoConfigurationError(
      'managedLogin.scopes must include "openid": without it Cognito issues no ID token, which the login verifies',
    );
  }
  return scopes;
}

function providerList(value: unknown): string[] {
  if (value === undefined) return [];
  return nameList(
    'managedLogin.identityProviders',
    value,
    MAX_PROVIDERS,
    PROVIDER_NAME,
    "a provider's name in the pool",
  );
}

/** A list of names, each matching `pattern`, duplicates dropped (order kept). */
function nameList(name: string, value: unknown, max: number, pattern: RegExp, hint: string): string[] {
  if (!Array.isArray(value) || value.length > max) {
    throw new CognitoConfigurationError(`${name} must be a list of at most ${max} names (${hint})`);
  }
  for (const item of value as unknown[]) {
    if (typeof item !== 'string' || !pattern.test(item)) {
      throw new CognitoConfigurationError(`${name} has an invalid entry ${JSON.stringify(item)} (${hint})`);
    }
  }
  return [...new Set(value as string[])];
}
