import type { CreateUserPoolClientCommandInput } from '@aws-sdk/client-cognito-identity-provider';

/** Options of `startCognitoLocal({ oauth })`: managed login (the OAuth 2.0 code flow) on both app clients. */
export interface CognitoLocalOAuthOptions {
  /** The clients' callback URLs (`redirect_uri` must be one of them). */
  callbackUrls: string[];
  /** The clients' sign-out URLs (`/logout?logout_uri=` must be one of them). */
  logoutUrls?: string[];
  /**
   * Validity of the access and ID tokens in seconds (default: one hour). AWS allows no less
   * than 5 minutes; the emulator takes a few seconds, for tests of expiry.
   */
  tokenValiditySeconds?: number;
}

/** The managed-login side of a started cognito-local (`startCognitoLocal({ oauth })`). */
export interface CognitoLocalOAuth {
  /** The "Cognito domain": `/oauth2/authorize`, `/oauth2/token`, `/oauth2/revoke`, `/oauth2/userInfo`, `/logout`. */
  domain: string;
  /** The tokens' `iss`; `<issuer>/.well-known/openid-configuration` is the discovery document. */
  issuer: string;
}

/** The app client settings of managed login, checked as the rest of startCognitoLocal's options. */
export function oauthClientSettings(
  oauth: CognitoLocalOAuthOptions | undefined,
): Partial<CreateUserPoolClientCommandInput> {
  if (oauth === undefined) return {};
  const urls = (list: unknown, name: string) => {
    if (!Array.isArray(list) || list.some((url) => typeof url !== 'string' || !URL.canParse(url)))
      throw new TypeError(`startCognitoLocal: oauth.${name} must be an array of absolute URLs`);
    return list as string[];
  };
  const { callbackUrls, logoutUrls = [], tokenValiditySeconds = 3600 } = oauth;
  if (!Number.isInteger(tokenValiditySeconds) || tokenValiditySeconds < 1 || tokenValiditySeconds > 86_400)
    throw new TypeError('startCognitoLocal: oauth.tokenValiditySeconds must be an integer from 1 to 86400');
  return {
    CallbackURLs: urls(callbackUrls, 'callbackUrls'),
    LogoutURLs: urls(logoutUrls, 'logoutUrls'),
    AllowedOAuthFlows: ['code'],
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthScopes: ['openid', 'email', 'profile'],
    SupportedIdentityProviders: ['COGNITO'],
    AccessTokenValidity: tokenValiditySeconds,
    IdTokenValidity: tokenValiditySeconds,
    TokenValidityUnits: { AccessToken: 'seconds', IdToken: 'seconds' },
  };
}
