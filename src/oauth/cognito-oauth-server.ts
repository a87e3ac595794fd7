import type { ServerMetadata } from 'openid-client';
import type { ResolvedCognitoOptions, ResolvedManagedLogin } from '../options/cognito-module-options';

/**
 * The managed login's authorization server as openid-client takes it, built from `managedLogin.domain`
 * and the pool's issuer rather than discovered: no request at boot, and the same code for AWS and an
 * emulator (cognito-local's own discovery document has no endpoints and a fixed address). The
 * endpoints are on the domain (Cognito's OAuth 2.0 endpoints); the issuer and its keys are the pool's.
 * No `end_session_endpoint`: Cognito's `/logout` is not OIDC logout (see {@link cognitoLogoutUrl}).
 */
export function cognitoOAuthServer(options: ResolvedCognitoOptions, login: ResolvedManagedLogin): ServerMetadata {
  const { region, userPoolId, jwtSettings } = options;
  // The tokens' `iss`, exactly: the guard's issuer when set or derived (an emulator), else the AWS pool's.
  const issuer = jwtSettings.issuer ?? `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
  const { domain } = login;
  return {
    issuer,
    authorization_endpoint: `${domain}/oauth2/authorize`,
    token_endpoint: `${domain}/oauth2/token`,
    revocation_endpoint: `${domain}/oauth2/revoke`,
    userinfo_endpoint: `${domain}/oauth2/userInfo`,
    jwks_uri: jwtSettings.jwksUri ?? `${issuer.replace(/\/+$/, '')}/.well-known/jwks.json`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic'],
    id_token_signing_alg_values_supported: ['RS256'],
  };
}

/**
 * Where to send the browser to end Cognito's own session after the app's: `<domain>/logout` with
 * `client_id` and `logout_uri` (one of the app client's sign-out URLs), Cognito's own form, not OIDC
 * RP-initiated logout. Never an `id_token_hint`: a token in a URL ends up in history and access logs.
 */
export function cognitoLogoutUrl(login: ResolvedManagedLogin, clientId: string): string {
  const url = new URL('/logout', login.domain);
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('logout_uri', login.logoutUri);
  return url.href;
}
