// The server-side session option types (`session`), as given and as resolved at startup: types only,
// re-exported by cognito-module-options.ts beside the module's other option types.

/**
 * Server-side sessions (token-handler mode): the browser holds only an opaque `HttpOnly` session
 * cookie; the tokens stay on the server, sealed with a key derived from `secret`. Used by managed
 * login and by the password sign-in and challenge endpoints of `authController`.
 */
export interface CognitoSessionOptions {
  /**
   * At least 32 characters, or a list of them: the first seals, every one opens, so that a new
   * secret put first rotates without signing anyone out. Also seals managed login's state cookie.
   */
  secret: string | string[];
  /**
   * Where sessions live: a Keyv on `@keyv/redis` (e.g. `createKeyv(url)`, the same kind of store as
   * `sharedRefresh`) to share them across instances. Default: in this process's memory, bounded by
   * `maxSessions` (the oldest is dropped first).
   */
  store?: object;
  /**
   * The cookie: `name` defaults to `__Host-cognito-session` (`cognito-session` without `Secure`).
   * `secure` defaults to true, and to false only when `managedLogin.redirectUri` is plain http to this
   * machine; set it to false for a plain-http development app without managed login (a `__Host-` name
   * needs `Secure`).
   */
  cookie?: { name?: string; secure?: boolean };
  /** A session ends after this long without a request. Default 86400 (a day). */
  idleSeconds?: number;
  /** A session ends this long after sign-in, whatever happens. Default 604800 (a week). */
  absoluteSeconds?: number;
  /** The in-memory store's bound (ignored with `store`). Default 10000. */
  maxSessions?: number;
}

/** @internal `session` as checked at startup, defaults applied. */
export interface ResolvedSession {
  /** Non-empty; each at least 32 characters. */
  secrets: string[];
  /** The Redis adapter under `store`, or `undefined` for the in-memory store. */
  store: object | undefined;
  cookieName: string;
  /** Whether the cookie gets `Secure` (false only for plain http to this machine). */
  secure: boolean;
  idleMs: number;
  absoluteMs: number;
  maxSessions: number;
}
