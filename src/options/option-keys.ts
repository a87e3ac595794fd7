import type { ConfigurableModuleAsyncOptions } from '@nestjs/common';
import { CognitoConfigurationError } from '../errors/cognito.errors';
import { nearestName } from './nearest-name';
import type {
  CognitoAttributeAllowList,
  CognitoAuthControllerOptions,
  CognitoJwtOptions,
  CognitoManagedLoginOptions,
  CognitoModuleExtras,
  CognitoModuleOptions,
  CognitoRefreshControllerOptions,
  CognitoRefreshCookieOptions,
  CognitoSessionOptions,
  CognitoSharedRefreshOptions,
} from './cognito-module-options';

// The keys each of the module's option objects takes, one map per object: `satisfies`
// fails the build when the map and the interface differ by a key, so a new option
// cannot be forgotten here and a misspelt one is refused at boot (an option this
// version does not have must not be accepted without a word: `authGaurd: true` would
// leave every route open). Objects handed to other libraries (`clientConfig`,
// `credentials`, `sharedRefresh.store`) are theirs to check and stay open; so does
// `jwt.jwks`, a JWKS (checked in shipped-jwks.ts), whose members RFC 7517 leaves open.

type KeyMap<T> = Record<keyof T, true>;
type RevocationCheckObject = Exclude<CognitoModuleOptions['revocationCheck'], boolean | undefined>;
type AsyncOptions = ConfigurableModuleAsyncOptions<CognitoModuleOptions, 'createCognitoOptions'>;

const keysOf = (map: Record<string, true>): readonly string[] => Object.freeze(Object.keys(map));

export const MODULE_OPTION_KEYS = keysOf({
  region: true,
  userPoolId: true,
  clientId: true,
  clientSecret: true,
  endpoint: true,
  credentials: true,
  refreshFlow: true,
  timeoutMs: true,
  maxAttempts: true,
  clientConfig: true,
  attributes: true,
  jwt: true,
  revocationCheck: true,
  sharedRefresh: true,
  managedLogin: true,
  session: true,
} satisfies KeyMap<CognitoModuleOptions>);

export const MODULE_EXTRAS_KEYS = keysOf({
  name: true,
  isGlobal: true,
  exceptionFilter: true,
  refreshController: true,
  authController: true,
  authGuard: true,
} satisfies KeyMap<CognitoModuleExtras>);

/** What `forRootAsync` itself takes besides the extras (NestJS's `ConfigurableModuleAsyncOptions`). */
export const ASYNC_OPTION_KEYS = keysOf({
  imports: true,
  useFactory: true,
  useClass: true,
  useExisting: true,
  inject: true,
  provideInjectionTokensFrom: true,
} satisfies KeyMap<AsyncOptions>);

export const JWT_OPTION_KEYS = keysOf({
  tokenUse: true,
  clientId: true,
  issuer: true,
  jwksUri: true,
  cookie: true,
  warmUp: true,
  jwks: true,
} satisfies KeyMap<CognitoJwtOptions>);

export const REVOCATION_CHECK_KEYS = keysOf({ cacheSeconds: true } satisfies KeyMap<RevocationCheckObject>);

export const ATTRIBUTES_KEYS = keysOf({ standard: true, custom: true } satisfies KeyMap<CognitoAttributeAllowList>);

export const SHARED_REFRESH_KEYS = keysOf({
  store: true,
  windowSeconds: true,
} satisfies KeyMap<CognitoSharedRefreshOptions>);

export const SESSION_KEYS = keysOf({
  secret: true,
  store: true,
  cookie: true,
  idleSeconds: true,
  absoluteSeconds: true,
  maxSessions: true,
} satisfies KeyMap<CognitoSessionOptions>);

export const SESSION_COOKIE_KEYS = keysOf({
  name: true,
  secure: true,
} satisfies KeyMap<NonNullable<CognitoSessionOptions['cookie']>>);

export const MANAGED_LOGIN_KEYS = keysOf({
  domain: true,
  redirectUri: true,
  logoutUri: true,
  scopes: true,
  identityProviders: true,
} satisfies KeyMap<CognitoManagedLoginOptions>);

export const REFRESH_CONTROLLER_KEYS = keysOf({
  path: true,
  cookie: true,
  csrfHeader: true,
  allowedOrigins: true,
} satisfies KeyMap<CognitoRefreshControllerOptions>);

export const AUTH_CONTROLLER_KEYS = keysOf({
  path: true,
  cookie: true,
  csrfHeader: true,
  allowedOrigins: true,
} satisfies KeyMap<CognitoAuthControllerOptions>);

export const COOKIE_KEYS = keysOf({
  name: true,
  path: true,
  domain: true,
  sameSite: true,
  secure: true,
  maxAgeSeconds: true,
  keys: true,
  acceptUnsigned: true,
} satisfies KeyMap<CognitoRefreshCookieOptions>);

/**
 * Refuses any key of `value` not in `known`, naming it with its path (`jwt.cokie`) and
 * the known key it most likely meant. `misplaced` may explain a key that belongs elsewhere;
 * `alsoSuggest` adds names to suggest from (without accepting them).
 */
export function assertKnownKeys(
  path: string,
  value: object,
  known: readonly string[],
  {
    misplaced,
    alsoSuggest = [],
  }: { misplaced?: (key: string) => string | undefined; alsoSuggest?: readonly string[] } = {},
): void {
  for (const key of optionNamesOf(value)) {
    if (known.includes(key)) continue;
    const elsewhere = misplaced?.(key);
    if (elsewhere !== undefined) throw new CognitoConfigurationError(elsewhere);
    const names = [...known, ...alsoSuggest];
    const nearest = nearestName(key, names);
    // The list only where there is no guess: a list without the name just suggested reads as a contradiction.
    const hint = nearest === undefined ? ` (known: ${names.join(', ')})` : `: did you mean ${pathOf(path, nearest)}?`;
    throw new CognitoConfigurationError(`${pathOf(path, shown(key))} is not an option${hint}`);
  }
}

/**
 * `forRootAsync`'s own object: NestJS's keys and the module's extras. A module option
 * there would be ignored (the factory's result is what counts), so it is refused too.
 */
export function validateAsyncOptionKeys(options: unknown): void {
  if (typeof options !== 'object' || options === null)
    throw new CognitoConfigurationError('forRootAsync needs an object: { useFactory, inject, ... }');
  assertKnownKeys('', options, [...ASYNC_OPTION_KEYS, ...MODULE_EXTRAS_KEYS], {
    misplaced: (key) =>
      MODULE_OPTION_KEYS.includes(key)
        ? `${key} is an option of the factory's result: return it from useFactory (or createCognitoOptions), ` +
          'not beside it'
        : undefined,
    alsoSuggest: MODULE_OPTION_KEYS,
  });
}

/**
 * Checks the top level of the options that reach the providers: `forRoot`'s without its extras, or a factory's result.
 */
export function assertModuleOptionKeys(options: object): void {
  assertKnownKeys('', options, MODULE_OPTION_KEYS, {
    // forRoot strips the extras before this point, so only a factory's result can carry one, where NestJS ignores it.
    misplaced: (key) =>
      MODULE_EXTRAS_KEYS.includes(key)
        ? `${key} is a module setting, not an option of the factory's result: give it to forRootAsync beside useFactory`
        : undefined,
    alsoSuggest: MODULE_EXTRAS_KEYS,
  });
}

/**
 * The names `value` gives options by: its own keys and, for an instance of a class (a config
 * class, say), the getters and values its prototypes add, which a read of the option finds as
 * well; not `Object.prototype`'s, not methods or `constructor`.
 */
function optionNamesOf(value: object): string[] {
  const names = new Set(Object.keys(value));
  if (Array.isArray(value)) return [...names];
  for (
    let proto: unknown = Object.getPrototypeOf(value);
    proto !== null && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const [name, property] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
      const accessor = property.get !== undefined || property.set !== undefined;
      if (name !== 'constructor' && (accessor || typeof property.value !== 'function')) names.add(name);
    }
  }
  return [...names];
}

function pathOf(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** A key as the message shows it: as written when it looks like a name, quoted (and cut) otherwise. */
function shown(key: string): string {
  return /^[\w$:-]{1,64}$/.test(key) ? key : JSON.stringify(key.slice(0, 64));
}
