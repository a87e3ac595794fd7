// The public API of nestjs-cognito-sync, name by name: anything not listed here is internal
// and may change in any release (the package's `exports` map closes deep imports).
// The testing kit is the subpath `nestjs-cognito-sync/testing`.

// The module and its options
export { CognitoModule } from './cognito.module';
export type { CognitoModuleAsyncOptions, CognitoOptionsFactory } from './cognito.module-definition';
export type {
  CognitoAttributeAllowList,
  CognitoAuthControllerOptions,
  CognitoJwks,
  CognitoJwtOptions,
  CognitoManagedLoginOptions,
  CognitoModuleExtras,
  CognitoModuleOptions,
  CognitoRefreshControllerOptions,
  CognitoRefreshCookieOptions,
  CognitoSessionOptions,
  CognitoSharedRefreshOptions,
  CognitoSharedStore,
} from './options/cognito-module-options';
export { STANDARD_ATTRIBUTES } from './options/attributes';
export { COGNITO_CLIENT, COGNITO_MODULE_OPTIONS } from './options/constants';
export { type CognitoConfigReader, cognitoOptionsFromConfig } from './options/options-from-config';
export { getCognitoClientToken, getCognitoOptionsToken } from './options/injection-tokens';

// The service
export { CognitoSyncService, getCognitoServiceToken, InjectCognito } from './service/cognito-sync.service';
export type {
  CognitoChallengeName,
  CreateUserOptions,
  ListUsersInGroupOptions,
  ListUsersOptions,
  RefreshTokensOptions,
} from './internal/input-checks';
export type { CognitoAttributeSource, CognitoUserRecord } from './users/user-record';

// The refresh endpoint's answer and its cookie (the endpoints
// themselves are options: refreshController, authController)
export { type RefreshTokensResponse, toRefreshTokensResponse } from './endpoints/tokens-response';
export { CognitoRefreshCookies, getCognitoRefreshCookiesToken } from './endpoints/cognito-refresh-cookies';
export { type ResolvedRefreshCookie, resolveRefreshCookie, serializeRefreshCookie } from './endpoints/refresh-cookie';

// The guard
export { CognitoAuthGuard } from './auth/cognito-auth.guard';
export {
  CognitoAccessToken,
  CognitoGroups,
  CognitoPool,
  CognitoScopes,
  CognitoUser,
  Public,
} from './auth/cognito-auth.decorators';
export { CognitoSessionAuthenticator } from './auth/session-authenticator';
export { CognitoServerSessions } from './session/cognito-server-sessions';
export type {
  CognitoSessionEnd,
  CognitoSessionStart,
  CognitoSessionSummary,
  CognitoSessionTokens,
} from './session/session-summary';
export {
  CognitoTokenVerifier,
  type CognitoVerifyOptions,
  getCognitoVerifierToken,
} from './auth/cognito-token-verifier';
export type {
  CognitoAccessTokenClaims,
  CognitoClaims,
  CognitoClaimValue,
  CognitoCommonClaims,
  CognitoIdTokenClaims,
} from './auth/cognito-claims';

// GraphQL (loads neither graphql nor @nestjs/graphql)
export { CognitoGraphQLError, type CognitoGraphQLErrorExtensions } from './errors/cognito-graphql-error';
export {
  type CognitoGraphQLWsConnection,
  type CognitoGraphQLWsOptions,
  cognitoGraphQLWsOnConnect,
} from './auth/graphql/cognito-graphql-ws';
export {
  type CognitoMercuriusSocket,
  type CognitoMercuriusSubscription,
  type CognitoMercuriusSubscriptionOptions,
  cognitoMercuriusSubscription,
} from './auth/graphql/cognito-mercurius';

// WebSockets (@nestjs/websockets is an optional peer: nothing here loads it)
export { type CognitoHandshakeOptions, withCognitoHandshake } from './auth/websockets/with-cognito-handshake';
export type { CognitoWsRefusal } from './errors/ws-refusal';

// Errors
export {
  CognitoBadResponseError,
  CognitoConfigurationError,
  CognitoCsrfError,
  CognitoInputError,
  CognitoMisconfiguredError,
  CognitoSyncError,
  CognitoTimeoutError,
  CognitoUnavailableError,
} from './errors/cognito.errors';
export {
  CognitoAuthError,
  CognitoAuthUnavailableError,
  CognitoForbiddenError,
  CognitoUnauthorizedError,
} from './errors/cognito-auth.errors';
export type { CognitoErrorBody, CognitoErrorCode, CognitoModuleErrorCode } from './errors/error-body';
export { isCognitoError } from './errors/is-cognito-error';
export { type CognitoHttpError, toCognitoHttpError } from './errors/cognito-http-error';
export { CognitoExceptionFilter } from './endpoints/cognito-exception.filter';

// Health
export {
  type CognitoHealthResult,
  CognitoHealthIndicator,
  getCognitoHealthIndicatorToken,
} from './health/cognito-health.indicator';
