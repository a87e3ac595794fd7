/** What the guard reads the token from and leaves the claims on: an HTTP request, or a stand-in with its headers. */
export interface AuthRequest {
  headers?: Record<string, string | string[] | undefined>;
  /** Every header as received, names and values alternating (Node's `rawHeaders`). */
  rawHeaders?: unknown[];
  /** Fastify's request: Node's request underneath. */
  raw?: { rawHeaders?: unknown[] };
  [key: string]: unknown;
}
