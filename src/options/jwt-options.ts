// The guard's option types (`jwt`), as given and as resolved at startup: types only,
// re-exported by cognito-module-options.ts beside the module's other option types.

/** Token verification settings of {@link CognitoAuthGuard}. */
export interface CognitoJwtOptions {
  /** Which token the guard accepts: `'access'` (default) or `'id'`. */
  tokenUse?: 'access' | 'id';
  /**
   * The app clients whose tokens the guard accepts (`client_id` of access tokens,
   * `aud` of ID tokens). Default: the module's `clientId` alone. A list replaces it,
   * so name that client too if its users' tokens should still pass:
   * `[clientId, 'ordersServiceClientId']` (machine-to-machine callers).
   */
  clientId?: string | string[];
  /**
   * The tokens' `iss`. Derived by default: `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`
   * on AWS, `<endpoint>/<userPoolId>` when `endpoint` is set (e.g. cognito-local).
   */
  issuer?: string;
  /** Where the signing keys are; default `<issuer>/.well-known/jwks.json` (plain http allowed). */
  jwksUri?: string;
  /** Also read the token from this cookie when there is no `Authorization: Bearer` header. */
  cookie?: string;
  /**
   * Fetch the JWKS while the app starts, so that the first request does not wait for it.
   * `false`: no fetch at startup; the first guarded request fetches it (platforms that bill
   * the boot, e.g. Lambda). Default `true`, or `false` when `jwks` is given.
   */
  warmUp?: boolean;
  /**
   * The pool's JWKS shipped with the app (what `jwksUri` serves): its keys verify tokens
   * with no fetch at startup or on the first request; a token naming a `kid` it lacks
   * still fetches `jwksUri` (key rotation). RSA keys with a `kid`, checked at startup.
   */
  jwks?: CognitoJwks;
}

/**
 * A pool's JSON Web Key Set, as `<issuer>/.well-known/jwks.json` serves it: the option `jwt.jwks`
 * (`JSON.parse` of a saved copy, or a JSON import).
 */
export interface CognitoJwks {
  keys: ReadonlyArray<{
    /** `'RSA'`: Cognito signs its tokens with RS256. */
    kty: string;
    /** The key's id, which a token names in its header. */
    kid: string;
    /** Modulus and exponent, base64url. */
    n: string;
    e: string;
    /** `'RS256'` in Cognito's JWKS. */
    alg?: string;
    /** `'sig'` in Cognito's JWKS. */
    use?: string;
  }>;
}

/** Token verification settings after defaults, as the guard's verifier uses them. */
export interface ResolvedJwtSettings {
  tokenUse: 'access' | 'id';
  /** The app clients whose tokens are accepted: `jwt.clientId`, or the module's `clientId`. */
  clientIds: string[];
  /** Undefined on AWS without overrides: aws-jwt-verify then accepts both of Cognito's issuer formats. */
  issuer?: string;
  jwksUri?: string;
  cookie?: string;
  /** Milliseconds a GetUser answer is reused; undefined when the revocation check is off. */
  revocationCacheMs?: number;
  /** Whether the guard fetches the JWKS at startup: `jwt.warmUp`, by default unless `jwt.jwks` is given. */
  warmUp: boolean;
  /** `jwt.jwks` as checked at startup (a frozen copy of its keys); undefined when not given. */
  jwks?: CognitoJwks;
}
