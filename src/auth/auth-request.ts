/** What the guard reads the token from and leaves the claims on: an HTTP request, or a stand-in with its headers. */
export interface AuthRequest {
  headers?: Record<string, string | string[] | undefined>;
  /** Every header as received, names and values alternating (Node's `rawHeaders`). */
  rawHeaders?: unknown[];
  /** Fastify's request: Node's request underneath. */
  raw?: { rawHeaders?: unknown[] };
  [key: string]: unknown;
  [key: symbol]: unknown;
}

/**
 * @internal Where the guard leaves the token it admitted a request with, beside the claims, for
 * `@CognitoAccessToken()`: a symbol, so that no JSON of the request carries it.
 */
export const COGNITO_REQUEST_TOKEN = Symbol('nestjs-cognito-sync: admitted token');
