// The managed-login option types (`managedLogin`), as given and as resolved at startup: types only,
// re-exported by cognito-module-options.ts beside the module's other option types.

/**
 * Sign-in through Cognito's managed login pages (the hosted UI), the OAuth 2.0 code flow done by
 * the server with the client secret. A module option rather than a setting of `authController`:
 * its URLs and the secret differ per environment, so they come from the same place as the other
 * module options (a `forRootAsync` factory reading the app's config), while `authController`,
 * which serves the endpoints, stays a static module setting and is required with it.
 */
export interface CognitoManagedLoginOptions {
  /**
   * The user pool's domain, e.g. `https://my-app.auth.eu-west-1.amazoncognito.com` or a custom
   * domain such as `https://auth.example.com`: https, or http on this machine (an emulator).
   */
  domain: string;
  /**
   * Where Cognito sends the browser back with the code (the login's callback endpoint): an absolute
   * URL listed among the app client's callback URLs; https, or http on this machine.
   */
  redirectUri: string;
  /**
   * Where Cognito's `/logout` sends the browser after sign-out: an absolute URL listed among
   * the app client's sign-out URLs; https, or http on this machine.
   */
  logoutUri: string;
  /**
   * The scopes asked for; default `openid email profile aws.cognito.signin.user.admin`
   * (`DEFAULT_MANAGED_LOGIN_SCOPES`). `openid` is required; `aws.cognito.signin.user.admin`
   * too with `revocationCheck` (without it Cognito refuses `GetUser` with the access token).
   */
  scopes?: string[];
  /**
   * The identity providers a login may go straight to (`<path>/login?provider=<name>`), by their
   * names in the pool, e.g. `['Google', 'MyCompanySAML']`. Default: none (Cognito's own page).
   */
  identityProviders?: string[];
}

/** @internal `managedLogin` as checked at startup, defaults applied. */
export interface ResolvedManagedLogin {
  /** The domain's origin, without a trailing slash. */
  domain: string;
  redirectUri: string;
  logoutUri: string;
  /** Deduplicated, in the order given. */
  scopes: string[];
  identityProviders: string[];
}
