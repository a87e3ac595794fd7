import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import { JwtInvalidSignatureError } from 'aws-jwt-verify/error';
import type { Jwks, PenaltyBox } from 'aws-jwt-verify/jwk';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { ResolvedJwtSettings } from '../options/cognito-module-options';
import { PoolJwksCache } from './pool-jwks-cache';

/** @internal aws-jwt-verify's verifier of one pool, as {@link CognitoTokenVerifier} uses it. */
export interface PoolJwtVerifier {
  verify(token: string): Promise<unknown>;
  verifySync(token: string): unknown;
  /** Fetches the JWKS of each issuer (the startup warm-up). */
  hydrate(): Promise<void>;
}

/**
 * @internal The pool's aws-jwt-verify verifier and where its keys come from: the JWKS URI,
 * through {@link PoolJwksCache} (plain http allowed for emulators), fetched again only when a
 * token names an unknown `kid` and `penaltyBox` allows it; and, when `jwt.jwks` is given, those
 * keys in the cache from the start, so that tokens signed with them need no fetch (see
 * {@link withShippedKeys}). `issuers`: the `iss` values accepted (see `expectedIssuers`).
 */
export function createPoolJwtVerifier(
  userPoolId: string,
  settings: ResolvedJwtSettings,
  issuers: readonly string[],
  penaltyBox: PenaltyBox,
): PoolJwtVerifier {
  const { tokenUse, issuer, jwksUri, clientIds: clientId, jwks } = settings;
  // Checked at startup as aws-jwt-verify checks a fetched one (resolveShippedJwks), and copied with only its members.
  const shipped = jwks as unknown as Jwks | undefined;
  let shippedKeys: ShippedKeys | undefined;
  const jwksCache = new PoolJwksCache(penaltyBox, (fetched) => shippedKeys?.replaceBy(fetched));
  if (issuer === undefined) {
    const verifier = CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse }, { jwksCache });
    if (shipped === undefined) return verifier;
    // Under the JWKS URI of both of Cognito's issuer formats.
    shippedKeys = new ShippedKeys(shipped, (keys) => verifier.cacheJwks(keys));
    return withShippedKeys(verifier, shippedKeys, jwksCache, (iss) => `${iss}/.well-known/jwks.json`);
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
  if (shipped === undefined) return verifier;
  // Every spelling shares the one jwksUri, and so the cached keys.
  shippedKeys = new ShippedKeys(shipped, (keys) => issuers.forEach((accepted) => verifier.cacheJwks(keys, accepted)));
  return withShippedKeys(verifier, shippedKeys, jwksCache, () => jwksUri!);
}

/**
 * The shipped JWKS, until the first JWKS fetched replaces it under every issuer: aws-jwt-verify
 * then drops the key objects it made from the shipped keys (`cacheJwks`), which it would keep
 * otherwise, even for a `kid` the pool now serves with other key material.
 */
class ShippedKeys {
  private readonly kids: ReadonlySet<string>;
  /** No JWKS fetched yet: the shipped keys are the pool's as far as this process knows. */
  unconfirmed = true;

  constructor(
    shipped: Jwks,
    private readonly cache: (jwks: Jwks) => void,
  ) {
    this.kids = new Set(shipped.keys.map((key) => String(key.kid)));
    cache(shipped);
  }

  includes(kid: unknown): kid is string {
    return typeof kid === 'string' && this.kids.has(kid);
  }

  replaceBy(fetched: Jwks): void {
    if (!this.unconfirmed) return;
    this.unconfirmed = false;
    this.cache(fetched);
  }
}

/**
 * `verifier`, where a signature that a shipped key refuses before any JWKS was fetched makes one
 * fetch (under the penalty box) and one more check: the pool may serve that `kid` with other key
 * material than the app shipped, and its genuine tokens would get 401 until a fetch for some
 * unknown `kid`. Forged signatures cost at most that one fetch per process (or per back-off while
 * it fails): once a JWKS is fetched, a refused signature is refused.
 */
function withShippedKeys(
  verifier: PoolJwtVerifier,
  shipped: ShippedKeys,
  jwksCache: PoolJwksCache,
  jwksUriOf: (iss: string) => string,
): PoolJwtVerifier {
  return {
    verifySync: (token) => verifier.verifySync(token),
    hydrate: () => verifier.hydrate(),
    async verify(token) {
      const beforeAnyFetch = shipped.unconfirmed;
      try {
        return await verifier.verify(token);
      } catch (error) {
        if (!beforeAnyFetch || !(error instanceof JwtInvalidSignatureError)) throw error;
        const { header, payload } = decomposeUnverifiedJwt(token);
        if (!shipped.includes(header.kid)) throw error;
        // Unless a fetch meanwhile replaced the shipped keys: then the check again is against the pool's.
        if (shipped.unconfirmed) await jwksCache.refetch(jwksUriOf(String(payload.iss)), header.kid);
        return verifier.verify(token);
      }
    },
  };
}
