import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import { type Jwks, type PenaltyBox, SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { ResolvedJwtSettings } from '../options/cognito-module-options';
import { CognitoJwksFetcher } from './cognito-jwks-fetcher';

/** @internal aws-jwt-verify's verifier of one pool, as {@link CognitoTokenVerifier} uses it. */
export interface PoolJwtVerifier {
  verify(token: string): Promise<unknown>;
  verifySync(token: string): unknown;
  /** Fetches the JWKS of each issuer (the startup warm-up). */
  hydrate(): Promise<void>;
}

/**
 * @internal The pool's aws-jwt-verify verifier and where its keys come from: the JWKS URI,
 * through {@link CognitoJwksFetcher} (plain http allowed for emulators), fetched again only
 * when a token names an unknown `kid` and `penaltyBox` allows it; and, when `jwt.jwks` is
 * given, those keys in the cache from the start, so that tokens signed with them need no fetch.
 * `issuers`: the `iss` values accepted (see `expectedIssuers`).
 */
export function createPoolJwtVerifier(
  userPoolId: string,
  settings: ResolvedJwtSettings,
  issuers: readonly string[],
  penaltyBox: PenaltyBox,
): PoolJwtVerifier {
  const { tokenUse, issuer, jwksUri, clientIds: clientId, jwks } = settings;
  const jwksCache = new SimpleJwksCache({ fetcher: new CognitoJwksFetcher(), penaltyBox });
  // Checked at startup as aws-jwt-verify checks a fetched one (resolveShippedJwks), and copied with only its members.
  const shipped = jwks as unknown as Jwks | undefined;
  if (issuer === undefined) {
    const verifier = CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse }, { jwksCache });
    // Under the JWKS URI of both of Cognito's issuer formats.
    if (shipped !== undefined) verifier.cacheJwks(shipped);
    return verifier;
  }
  // A custom issuer (an emulator's, in each loopback spelling, or an explicit jwksUri): the same
  // Cognito checks as CognitoJwtVerifier (token_use, client_id or aud), after the signature.
  const verifier = JwtVerifier.create(
    issuers.map((accepted) => ({
      issuer: accepted,
      jwksUri,
      audience: null,
      customJwtCheck: ({ payload }: { payload: JwtPayload }) =>
        validateCognitoJwtFields(payload, { tokenUse, clientId }),
    })),
    { jwksCache },
  );
  // Every spelling shares the one jwksUri, and so the cached keys.
  if (shipped !== undefined) for (const accepted of issuers) verifier.cacheJwks(shipped, accepted);
  return verifier;
}
