import { Inject } from '@nestjs/common';
import { COGNITO_CLIENT, COGNITO_MODULE_OPTIONS } from './constants';
import { CognitoHealthIndicator } from '../health/cognito-health.indicator';
import { CognitoTokenVerifier } from '../auth/cognito-token-verifier';
import { CognitoRefreshCookies } from '../endpoints/cognito-refresh-cookies';
import { CognitoSyncService } from '../service/cognito-sync.service';

/**
 * Injection tokens of one pool's registration. The unnamed (default) registration
 * uses the classes and constants themselves; `CognitoModule.forRoot({ name: 'staff' })`
 * exports its own under namespaced tokens, so that several pools live side by side.
 */
export function getCognitoServiceToken(name?: string): string | typeof CognitoSyncService {
  return name === undefined ? CognitoSyncService : `COGNITO:SERVICE:${name}`;
}

/** The token of a registration's `CognitoIdentityProviderClient`. */
export function getCognitoClientToken(name?: string): string {
  return name === undefined ? COGNITO_CLIENT : `COGNITO:CLIENT:${name}`;
}

/** The token of a registration's resolved options. */
export function getCognitoOptionsToken(name?: string): string {
  return name === undefined ? COGNITO_MODULE_OPTIONS : `COGNITO:MODULE_OPTIONS:${name}`;
}

/** The token of a registration's {@link CognitoTokenVerifier}. */
export function getCognitoVerifierToken(name?: string): string | typeof CognitoTokenVerifier {
  return name === undefined ? CognitoTokenVerifier : `COGNITO:VERIFIER:${name}`;
}

/** The token of a registration's {@link CognitoHealthIndicator}. */
export function getCognitoHealthIndicatorToken(name?: string): string | typeof CognitoHealthIndicator {
  return name === undefined ? CognitoHealthIndicator : `COGNITO:HEALTH:${name}`;
}

/** The token of a registration's {@link CognitoRefreshCookies} (cookie mode only). */
export function getCognitoRefreshCookiesToken(name?: string): string | typeof CognitoRefreshCookies {
  return name === undefined ? CognitoRefreshCookies : `COGNITO:REFRESH_COOKIES:${name}`;
}

/**
 * Injects the {@link CognitoSyncService} of the registration named `name`, or of
 * the default one: `constructor(@InjectCognito('staff') private readonly staff: CognitoSyncService)`.
 */
export const InjectCognito = (name?: string): PropertyDecorator & ParameterDecorator => Inject(getCognitoServiceToken(name));
