// The claims of a verified Cognito token, as the guard hands them out (`@CognitoUser()`,
// `request.user`): what Cognito always sets, typed, and every other claim still readable.
// Plain types of this package's own (no aws-jwt-verify types in the declarations).

/** A claim's value: whatever JSON can hold. */
export type CognitoClaimValue =
  string | number | boolean | null | CognitoClaimValue[] | { [key: string]: CognitoClaimValue };

/** What every token of a user pool carries. */
export interface CognitoCommonClaims {
  /** The user's id in the pool (a UUID); the app client's id in a client-credentials token. */
  sub: string;
  /** The pool: `https://cognito-idp.<region>.amazonaws.com/<userPoolId>` on AWS. */
  iss: string;
  /** Expiry, in seconds since 1970. */
  exp: number;
  /** Issued at, in seconds since 1970. */
  iat: number;
  /** When the user signed in, in seconds since 1970 (refreshed tokens keep it). */
  auth_time: number;
  jti: string;
  /** The id of the sign-in the token descends from: what revoking the refresh token ends. */
  origin_jti: string;
  event_id: string;
  /** The user's groups; absent when the user is in none. */
  'cognito:groups'?: string[];
  /** Any other claim (custom attributes, claims added by a pre-token-generation trigger...). */
  [claim: string]: CognitoClaimValue | undefined;
}

/**
 * An access token's claims (`jwt.tokenUse: 'access'`, the default). A client-credentials
 * token (machine to machine) has no user: no `username`, `auth_time`, `origin_jti` or
 * `event_id`, and its `sub` is the app client's id.
 */
export interface CognitoAccessTokenClaims extends CognitoCommonClaims {
  token_use: 'access';
  /** The app client the token was issued to. */
  client_id: string;
  /** The user's username in the pool (for a pool that signs in by email, the internal one, a UUID). */
  username: string;
  /** Space-separated OAuth scopes, e.g. `aws.cognito.signin.user.admin`. */
  scope: string;
  version?: number;
  device_key?: string;
}

/** An ID token's claims (`jwt.tokenUse: 'id'`): the user's attributes, as the app client may read them. */
export interface CognitoIdTokenClaims extends CognitoCommonClaims {
  token_use: 'id';
  /** The app client the token was issued to. */
  aud: string;
  /** The user's username in the pool. */
  'cognito:username': string;
  email?: string;
  email_verified?: boolean;
  phone_number?: string;
  phone_number_verified?: boolean;
  at_hash?: string;
  nonce?: string;
}

/**
 * The verified claims of a Cognito access or ID token: narrow by `token_use` to read the
 * claims of one kind (`if (claims.token_use === 'access') claims.username`).
 */
export type CognitoClaims = CognitoAccessTokenClaims | CognitoIdTokenClaims;
