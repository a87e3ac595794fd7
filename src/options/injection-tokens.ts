import { COGNITO_CLIENT, COGNITO_MODULE_OPTIONS } from './constants';

/**
 * Injection tokens of one pool's registration. The unnamed (default) registration
 * uses the classes and constants themselves; `CognitoModule.forRoot({ name: 'staff' })`
 * exports its own under namespaced tokens (`COGNITO:<ROLE>:<name>`), so that several pools
 * live side by side. The tokens whose default is a class are defined beside that class:
 * getCognitoServiceToken and InjectCognito (service/), getCognitoVerifierToken (auth/),
 * getCognitoHealthIndicatorToken (health/), getCognitoRefreshCookiesToken (endpoints/).
 */

/** The token of a registration's `CognitoIdentityProviderClient`. */
export function getCognitoClientToken(name?: string): string {
  return name === undefined ? COGNITO_CLIENT : `COGNITO:CLIENT:${name}`;
}

/** The token of a registration's resolved options. */
export function getCognitoOptionsToken(name?: string): string {
  return name === undefined ? COGNITO_MODULE_OPTIONS : `COGNITO:MODULE_OPTIONS:${name}`;
}
