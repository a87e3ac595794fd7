export * from './cognito.constants';
export * from './cognito.config';
export {
  CognitoBadResponseError,
  CognitoConfigurationError,
  CognitoInputError,
  CognitoMisconfiguredError,
  CognitoSyncError,
  CognitoTimeoutError,
  CognitoUnavailableError,
  operationOf,
} from './cognito.errors';
export * from './cognito-exception.filter';
export * from './cognito-health.indicator';
export { toCognitoHttpError, type CognitoHttpError } from './cognito-http-error';
export { fingerprint, secretHash } from './cognito.hashing';
export * from './cognito.module';
export type { CognitoModuleAsyncOptions, CognitoOptionsFactory } from './cognito.module-definition';
export type {
  CognitoJwtOptions,
  CognitoModuleExtras,
  CognitoModuleOptions,
  CognitoRefreshControllerOptions,
} from './cognito.options';
export {
  CognitoCsrfError,
  type CognitoRefreshCookieOptions,
  type ResolvedRefreshCookie,
  resolveRefreshCookie,
  serializeRefreshCookie,
} from './cognito-cookies';
export { CognitoRefreshCookies } from './cognito-refresh-cookies';
export { CognitoRefreshController, type RefreshTokensResponse, toRefreshTokensResponse } from './cognito-refresh.controller';
export * from './cognito-sync.service';
export * from './cognito-auth.decorators';
export * from './cognito-auth.errors';
export { CognitoAuthGuard } from './cognito-auth.guard';
export { CognitoTokenVerifier, type CognitoClaims, type CognitoVerifyOptions } from './cognito-jwt.verifier';
export {
  type CognitoAttributeAllowList,
  type CognitoAttributeSource,
  STANDARD_ATTRIBUTES,
  toCognitoAttributes,
  toCognitoUser,
} from './cognito-user';
export type { CreateUserOptions, ListUsersOptions, RefreshTokensOptions } from './cognito-input';
export * from './cognito.tokens';
