/** What `GET <path>/session` answers about the signed-in user: never a token. Times in epoch seconds. */
export interface CognitoSessionSummary {
  sub: string;
  username: string;
  email?: string;
  name?: string;
  /** The user's groups (`cognito:groups` of the access token), empty when none. */
  groups: string[];
  /** When the session ends at the latest (idle or absolute limit, whichever comes first). */
  expiresAt: number;
  /** When the current access token expires (the server refreshes it before then). */
  accessTokenExpiresAt: number;
}

/** The tokens Cognito has just issued, which `CognitoServerSessions.start` keeps on the server. */
export interface CognitoSessionTokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  /** The username Cognito knows the user by (for SECRET_HASH on refresh); default: the access token's. */
  username?: string;
}

/** What `CognitoServerSessions.end` answers: what the caller revokes, and the clearing `Set-Cookie`. */
export interface CognitoSessionEnd {
  refreshToken?: string;
  username?: string;
  setCookie: string[];
}

/** What `CognitoServerSessions.startWithSummary` answers: the `Set-Cookie` values and the new session's summary. */
export interface CognitoSessionStart {
  setCookie: string[];
  session: CognitoSessionSummary;
}
