import { JwtWithoutValidKidError, KidNotFoundInJwksError, WaitPeriodNotYetEndedJwkError } from 'aws-jwt-verify/error';
import { findJwkInJwks, type Jwks, type JwkWithKid, type PenaltyBox, SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { DecomposedJwt } from 'aws-jwt-verify/jwt';
import { CognitoJwksFetcher } from './cognito-jwks-fetcher';

/** What `getJwk` throws with no failed fetch behind it: the kid was looked up, or no fetch was allowed. */
const NOT_A_FAILED_FETCH = [KidNotFoundInJwksError, WaitPeriodNotYetEndedJwkError, JwtWithoutValidKidError];

/**
 * @internal aws-jwt-verify's JWKS cache of one pool ({@link CognitoJwksFetcher}), with two additions.
 * A fetch that a token asked for (its `kid` not cached) and that failed (unreachable, not a JWKS)
 * puts the JWKS URI in the penalty box, as aws-jwt-verify does only when a fetched JWKS lacks the
 * `kid`: otherwise, while the URI is down, every made-up `kid` would make a fetch. The warm-up's
 * fetch ({@link getJwks} alone) does not, so that the first request still fetches for itself.
 * And `onFetched` hears of every JWKS fetched.
 */
export class PoolJwksCache extends SimpleJwksCache {
  constructor(
    penaltyBox: PenaltyBox,
    private readonly onFetched: (jwks: Jwks) => void = () => undefined,
  ) {
    super({ fetcher: new CognitoJwksFetcher(), penaltyBox });
  }

  override async getJwks(jwksUri: string): Promise<Jwks> {
    const jwks = await super.getJwks(jwksUri);
    this.onFetched(jwks);
    return jwks;
  }

  override async getJwk(jwksUri: string, decomposedJwt: DecomposedJwt): Promise<JwkWithKid> {
    try {
      return await super.getJwk(jwksUri, decomposedJwt);
    } catch (error) {
      if (!NOT_A_FAILED_FETCH.some((type) => error instanceof type)) {
        this.penaltyBox.registerFailedAttempt(jwksUri, String(decomposedJwt.header.kid));
      }
      throw error;
    }
  }

  /**
   * Fetches the JWKS again for a token whose `kid` is cached (a shipped key that refused its
   * signature), as `getJwk` would for an unknown one: only when the penalty box allows it, and a
   * failed fetch or a JWKS without that `kid` closes the box.
   * @throws WaitPeriodNotYetEndedJwkError, the fetch's error, or KidNotFoundInJwksError
   */
  async refetch(jwksUri: string, kid: string): Promise<void> {
    await this.penaltyBox.wait(jwksUri, kid);
    let jwks: Jwks;
    try {
      jwks = await this.getJwks(jwksUri);
    } catch (error) {
      this.penaltyBox.registerFailedAttempt(jwksUri, kid);
      throw error;
    }
    if (findJwkInJwks(jwks, kid) === undefined) {
      this.penaltyBox.registerFailedAttempt(jwksUri, kid);
      throw new KidNotFoundInJwksError('The JWKS fetched again lacks the kid');
    }
  }
}
