import type { CreateUserPoolClientCommandInput } from '@aws-sdk/client-cognito-identity-provider';
import type { CognitoLocalFederatedOptions } from './cognito-local-federated.options';

/** Options of `startCognitoLocal({ oauth })`: managed login (the OAuth 2.0 code flow) on both app clients. */
export interface CognitoLocalOAuthOptions {
  /** The clients' callback URLs (`redirect_uri` must be one of them). */
  callbackUrls: string[];
  /** The clients' sign-out URLs (`/logout?logout_uri=` must be one of them). */
  logoutUrls?: string[];
  /**
   * Validity of the access and ID tokens in seconds (default: cognito-local's 24 hours); the same as
   * `startCognitoLocal({ tokenValiditySeconds })`, which applies to every sign-in path.
   */
  tokenValiditySeconds?: number;
  /** One federated OIDC identity provider, `identity_provider=<name>` on `/oauth2/authorize`. */
  federated?: CognitoLocalFederatedOptions;
}

/** The managed-login side of a started cognito-local (`startCognitoLocal({ oauth })`). */
export interface CognitoLocalOAuth {
  /** The "Cognito domain": `/oauth2/authorize`, `/oauth2/token`, `/oauth2/revoke`, `/oauth2/userInfo`, `/logout`. */
  domain: string;
  /** The tokens' `iss`; `<issuer>/.well-known/openid-configuration` is the discovery document. */
  issuer: string;
  /** Set with `oauth.federated`: the provider's name in the pool and its own issuer (the mock server). */
  federated?: { name: string; issuer: string };
}

/**
 * The app clients' settings: token validity (every sign-in path: cognito-local 5.3.0 signs the tokens of
 * AdminInitiateAuth, InitiateAuth, refresh and the code flow with the client's validity) and managed login.
 */
export function clientSettings(
  oauth: CognitoLocalOAuthOptions | undefined,
  tokenValiditySeconds: number | undefined,
  federatedName?: string,
): Partial<CreateUserPoolClientCommandInput> {
  const validity = tokenValiditySeconds ?? oauth?.tokenValiditySeconds;
  if (
    tokenValiditySeconds !== undefined &&
    oauth?.tokenValiditySeconds !== undefined &&
    oauth.tokenValiditySeconds !== tokenValiditySeconds
  )
    throw new TypeError('startCognitoLocal: tokenValiditySeconds and oauth.tokenValiditySeconds differ; give one');
  const name = tokenValiditySeconds !== undefined ? 'tokenValiditySeconds' : 'oauth.tokenValiditySeconds';
  if (validity !== undefined && (!Number.isInteger(validity) || validity < 1 || validity > 86_400))
    throw new TypeError(`startCognitoLocal: ${name} must be an integer from 1 to 86400`);
  return {
    ...(validity === undefined
      ? {}
      : {
          AccessTokenValidity: validity,
          IdTokenValidity: validity,
          TokenValidityUnits: { AccessToken: 'seconds', IdToken: 'seconds' },
        }),
    ...oauthClientSettings(oauth, federatedName),
  };
}

/** The app client settings of managed login, checked as the rest of startCognitoLocal's options. */
export function oauthClientSettings(
  oauth: CognitoLocalOAuthOptions | undefined,
  federatedName?: string,
): Partial<CreateUserPoolClientCommandInput> {
  if (oauth === undefined) return {};
  const urls = (list: unknown, name: string) => {
    if (!Array.isArray(list) || list.some((url) => typeof url !== 'string' || !URL.canParse(url)))
      throw new TypeError(`startCognitoLocal: oauth.${name} must be an array of absolute URLs`);
    return list as string[];
  };
  const { callbackUrls, logoutUrls = [] } = oauth;
  return {
    CallbackURLs: urls(callbackUrls, 'callbackUrls'),
    LogoutURLs: urls(logoutUrls, 'logoutUrls'),
    AllowedOAuthFlows: ['code'],
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthScopes: ['openid', 'email', 'profile'],
    SupportedIdentityProviders: ['COGNITO', ...(federatedName ? [federatedName] : [])],
  };
}
