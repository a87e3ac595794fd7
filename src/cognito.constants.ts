/** Injection token of the module's `CognitoIdentityProviderClient`. */
export const COGNITO_CLIENT = 'COGNITO:CLIENT';

/** Injection token of the resolved {@link CognitoModuleOptions}. */
export const COGNITO_MODULE_OPTIONS = 'COGNITO:MODULE_OPTIONS';

/** Default route of the optional refresh endpoint. */
export const DEFAULT_REFRESH_PATH = 'auth/refresh';

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
