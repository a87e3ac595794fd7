import { FetchError, NonRetryableFetchError } from 'aws-jwt-verify/error';
import { type Fetcher, SimpleFetcher } from 'aws-jwt-verify/https';

/** Same limits as aws-jwt-verify's own fetcher (socket idle 1.5 s, response 3 s). */
const HTTP_TIMEOUT_MS = 3000;

/**
 * Fetches a JWKS for aws-jwt-verify's cache. `https:` URIs go through
 * aws-jwt-verify's own {@link SimpleFetcher} (its timeouts and one retry);
 * `http:` URIs, which that fetcher refuses, are for local emulators such as
 * cognito-local and use Node's `fetch`. Failures are aws-jwt-verify's
 * {@link FetchError}s either way, so the guard can answer 503 for both.
 */
export class CognitoJwksFetcher implements Fetcher {
  private readonly https = new SimpleFetcher();

  async fetch(uri: string, requestOptions?: Record<string, unknown>, data?: ArrayBuffer): Promise<ArrayBuffer> {
    if (!uri.startsWith('http:')) return this.https.fetch(uri, requestOptions, data);
    let response: Response;
    try {
      response = await fetch(uri, { signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
    } catch (error) {
      throw new FetchError(uri, (error as Error).cause ?? (error as Error).message);
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new NonRetryableFetchError(uri, `Status code is ${response.status}, expected 200`);
    }
    return response.arrayBuffer();
  }
}
