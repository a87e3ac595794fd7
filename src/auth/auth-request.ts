/** What the guard reads the token from and leaves the claims on: an HTTP request, or a stand-in with its headers. */
export interface AuthRequest {
  headers?: Record<string, string | string[] | undefined>;
  [key: string]: unknown;
}
