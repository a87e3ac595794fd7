/** Injection token of the module's `CognitoIdentityProviderClient`. */
export const COGNITO_CLIENT = 'COGNITO:CLIENT';

/** Injection token of the module options as checked and completed at startup ({@link ResolvedCognitoOptions}). */
export const COGNITO_MODULE_OPTIONS = 'COGNITO:MODULE_OPTIONS';

/**
 * @internal Present (true) when a registration calls Cognito on its own (its endpoints): its client
 * is created, and the SDK loaded, at boot rather than on the first request.
 */
export const COGNITO_CLIENT_AT_BOOT = 'COGNITO:CLIENT_AT_BOOT';

/**
 * @internal The endpoints' body-error answers (`CognitoBodyErrors`), which `CognitoModule.configure()`
 * installs: a string, so that a registration without endpoints never loads their class.
 */
export const COGNITO_BODY_ERRORS = 'COGNITO:BODY_ERROR_ANSWERS';

/** @internal Injection token of the options as given to `forRoot`/`forRootAsync`, before checks and defaults. */
export const COGNITO_RAW_OPTIONS = 'COGNITO:RAW_OPTIONS';

/** Default route of the optional refresh endpoint. */
export const DEFAULT_REFRESH_PATH = 'auth/refresh';
/** Where `authController` serves its endpoints by default. */
export const DEFAULT_AUTH_PATH = 'auth';

/**
 * Longest refresh token accepted. Cognito's are about 1.8 KB; anything far
 * beyond that is refused before a network call.
 */
export const MAX_REFRESH_TOKEN_LENGTH = 8192;

/** Cognito's own limit on a username. */
export const MAX_USERNAME_LENGTH = 128;

/** Metadata key of {@link Public}. */
export const COGNITO_PUBLIC = 'COGNITO:PUBLIC';

/** Metadata key of {@link CognitoGroups}. */
export const COGNITO_GROUPS = 'COGNITO:GROUPS';

/** Metadata key of {@link CognitoScopes}. */
export const COGNITO_SCOPES = 'COGNITO:SCOPES';

/**
 * @internal The decorators that only {@link CognitoAuthGuard} enforces, by metadata
 * key: a route or resolver with one and no guard fails the startup.
 */
export const GUARD_CHECKED_DECORATORS = [
  [COGNITO_GROUPS, '@CognitoGroups'],
  [COGNITO_SCOPES, '@CognitoScopes'],
] as const;

/** Metadata key of {@link CognitoPool}. */
export const COGNITO_POOL = 'COGNITO:POOL';

/** Where {@link CognitoAuthGuard} leaves the verified claims on the request (`request.user`, as Passport does). */
export const COGNITO_REQUEST_USER = 'user';

/**
 * Default deadline of one Cognito call, retries included. Cognito answers in
 * tens of milliseconds, and three attempts with the SDK's backoff fit well
 * inside 5 s; it is also shorter than the usual proxy and client timeouts
 * (30 to 60 s), so the app answers 504 itself instead of a proxy cutting it off.
 */
export const DEFAULT_TIMEOUT_MS = 5000;

/** Default number of attempts per Cognito call: the SDK's standard retry mode. */
export const DEFAULT_MAX_ATTEMPTS = 3;
