// TEMPORARY: replaced by fix/ssess at merge. Only the signatures of the shared design (issue 26
// addendum), so that the managed-login endpoints can inject the class; every method throws.
import { Injectable } from '@nestjs/common';
import type { AuthRequest } from '../auth/auth-request';
import { CognitoSessionAuthenticator } from '../auth/session-authenticator';

/** The tokens Cognito has just issued, which a new session keeps on the server. */
export interface CognitoSessionTokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  username?: string;
}

/** What `GET <path>/session` answers: never a token. Epoch seconds. */
export interface CognitoSessionSummary {
  sub: string;
  username: string;
  email?: string;
  name?: string;
  groups: string[];
  expiresAt: number;
  accessTokenExpiresAt: number;
}

/** What ending a session leaves the caller to do: revoke the refresh token, send the clearing cookie. */
export interface EndedCognitoSession {
  refreshToken?: string;
  username?: string;
  setCookie: string[];
}

const notWired = (): Promise<never> => Promise.reject(new Error('CognitoServerSessions is not wired'));

/** TEMPORARY stub: see the top of this file. */
@Injectable()
export class CognitoServerSessions extends CognitoSessionAuthenticator {
  readonly cookieName: string = '__Host-cognito-session';

  start(_tokens: CognitoSessionTokens, _request: AuthRequest): Promise<string[]> {
    return notWired();
  }

  summaryOf(_request: AuthRequest): Promise<CognitoSessionSummary | undefined> {
    return notWired();
  }

  end(_request: AuthRequest): Promise<EndedCognitoSession> {
    return notWired();
  }

  endAllOf(_sub: string): Promise<void> {
    return notWired();
  }

  issueTicket(_request: AuthRequest): Promise<{ ticket: string; expiresIn: number }> {
    return notWired();
  }

  accessTokenOf(_request: AuthRequest): Promise<string | undefined> {
    return notWired();
  }

  redeemTicket(_ticket: string): Promise<string> {
    return notWired();
  }
}
