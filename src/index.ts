// The public API of nestjs-cognito-sync, name by name: anything not listed here is internal
// and may change in any release (the package's `exports` map closes deep imports).
// The testing kit is the subpath `nestjs-cognito-sync/testing`.

// The module and its options
export { CognitoModule } from './cognito.module';
export type { CognitoModuleAsyncOptions, CognitoOptionsFactory } from './cognito.module-definition';
export type {
  CognitoAttributeAllowList,
  CognitoJwtOptions,
  CognitoModuleExtras,
  CognitoModuleOptions,
  CognitoRefreshControllerOptions,
  CognitoRefreshCookieOptions,
  ResolvedCognitoOptions,
  ResolvedJwtSettings,
} from './options/cognito-module-options';
export { STANDARD_ATTRIBUTES } from './options/attributes';
export { COGNITO_CLIENT, COGNITO_MODULE_OPTIONS, DEFAULT_MAX_ATTEMPTS, DEFAULT_TIMEOUT_MS } from './cognito.constants';
export { cognitoOptionsFromConfig } from './cognito.config';
export {
  getCognitoClientToken,
  getCognitoHealthIndicatorToken,
  getCognitoOptionsToken,
  getCognitoRefreshCookiesToken,
  getCognitoServiceToken,
  getCognitoVerifierToken,
  InjectCognito,
} from './cognito.tokens';

// The service
export { CognitoSyncService } from './cognito-sync.service';
export type { CreateUserOptions, ListUsersOptions, RefreshTokensOptions } from './cognito-input';
export { type CognitoAttributeSource, type CognitoUserRecord, toCognitoAttributes, toCognitoUser } from './cognito-user';
export { fingerprint, secretHash } from './cognito.hashing';

// The refresh endpoint and its cookie
export { CognitoRefreshController, type RefreshTokensResponse, toRefreshTokensResponse } from './cognito-refresh.controller';
export { CognitoRefreshCookies } from './cognito-refresh-cookies';
export { type ResolvedRefreshCookie, resolveRefreshCookie, serializeRefreshCookie } from './cognito-cookies';

// The guard
export { CognitoAuthGuard } from './cognito-auth.guard';
export { CognitoGroups, CognitoPool, CognitoUser, Public } from './cognito-auth.decorators';
export { type CognitoClaims, CognitoTokenVerifier, type CognitoVerifyOptions } from './cognito-jwt.verifier';

// Errors
export {
  CognitoBadResponseError,
  CognitoConfigurationError,
  CognitoCsrfError,
  CognitoInputError,
  CognitoMisconfiguredError,
  type CognitoOperation,
  CognitoSyncError,
  CognitoTimeoutError,
  CognitoUnavailableError,
  operationOf,
} from './cognito.errors';
export { CognitoAuthError, CognitoAuthUnavailableError, CognitoForbiddenError, CognitoUnauthorizedError } from './cognito-auth.errors';
export type { CognitoErrorBody, CognitoErrorCode, CognitoModuleErrorCode } from './errors/error-body';
export { isCognitoError } from './errors/is-cognito-error';
export { type CognitoHttpError, toCognitoHttpError } from './cognito-http-error';
export { CognitoExceptionFilter } from './cognito-exception.filter';

// Health
export { type CognitoHealthResult, CognitoHealthIndicator } from './cognito-health.indicator';
