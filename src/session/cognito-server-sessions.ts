// TEMPORARY: replaced by fix/ssess at merge
// A stub with the API of the shared design (issue 26 addendum), so that the session endpoints compile
// against it; every method refuses. The real class stores, seals and refreshes the sessions.
import { Injectable } from '@nestjs/common';
import type { AuthRequest } from '../auth/auth-request';
import { CognitoSessionAuthenticator } from '../auth/session-authenticator';
import { CognitoConfigurationError } from '../errors/cognito.errors';

/** Who is signed in, as `GET <path>/session` answers it: never a token. Times in epoch seconds. */
export interface CognitoSessionSummary {
  sub: string;
  username: string;
  email?: string;
  name?: string;
  groups: string[];
  expiresAt: number;
  accessTokenExpiresAt: number;
}

/** The tokens Cognito has just issued, that a new session keeps. */
export interface CognitoSessionTokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  /** The internal username a refresh's SECRET_HASH is computed over (an app client with a secret). */
  username?: string;
}

const notWired = () => new CognitoConfigurationError('session: not wired');

@Injectable()
export class CognitoServerSessions extends CognitoSessionAuthenticator {
  readonly cookieName: string = '__Host-cognito-session';

  start(tokens: CognitoSessionTokens, request: AuthRequest): Promise<string[]> {
    void tokens;
    void request;
    return Promise.reject(notWired());
  }

  summaryOf(request: AuthRequest): Promise<CognitoSessionSummary | undefined> {
    void request;
    return Promise.reject(notWired());
  }

  end(request: AuthRequest): Promise<{ refreshToken?: string; username?: string; setCookie: string[] }> {
    void request;
    return Promise.reject(notWired());
  }

  endAllOf(sub: string): Promise<void> {
    void sub;
    return Promise.reject(notWired());
  }

  issueTicket(request: AuthRequest): Promise<{ ticket: string; expiresIn: number }> {
    void request;
    return Promise.reject(notWired());
  }

  accessTokenOf(request: AuthRequest): Promise<string | undefined> {
    void request;
    return Promise.reject(notWired());
  }

  redeemTicket(ticket: string): Promise<string> {
    void ticket;
    return Promise.reject(notWired());
  }
}
