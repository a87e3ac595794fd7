import { Injectable, Optional } from '@nestjs/common';
import { CognitoInputError } from '../errors/cognito.errors';
import { CognitoServerSessions } from '../session/cognito-server-sessions';
import { CognitoSessions } from '../users/cognito-sessions';
import { CognitoUserAdmin } from '../users/cognito-user-admin';

/** A Cognito `sub`: a UUID; checked before it goes into a ListUsers filter between quotes. */
const SUB = /^[\w-]{1,128}$/;

/**
 * @internal `CognitoSyncService.globalSignOut` and `signOutEverywhere`: Cognito's AdminUserGlobalSignOut
 * (which takes a username) and, with `session` on, the end of every server-side session of the user
 * (marked by `sub`, which the sessions hold). Sessions are ended first: a failure at Cognito then
 * leaves no session alive on this server (fail closed).
 */
@Injectable()
export class CognitoEverywhereSignOut {
  constructor(
    private readonly sessions: CognitoSessions,
    private readonly users: CognitoUserAdmin,
    @Optional() private readonly serverSessions?: CognitoServerSessions,
  ) {}

  /** By username: with sessions on, the user's `sub` is looked up first (AdminGetUser). */
  async byUsername(username: string): Promise<void> {
    if (this.serverSessions) {
      const { attributes } = await this.users.findUser(username);
      if (attributes.sub !== undefined) await this.serverSessions.endAllOf(attributes.sub);
    }
    await this.sessions.globalSignOut(username);
  }

  /** By `sub` (what a session or a token names): the username is found by ListUsers' `sub` filter. */
  async bySub(sub: string): Promise<void> {
    if (typeof sub !== 'string' || !SUB.test(sub)) throw new CognitoInputError('InvalidParameter', 'sub is malformed');
    await this.serverSessions?.endAllOf(sub);
    for await (const user of this.users.listUsers({ filter: `sub = "${sub}"`, pageSize: 1 })) {
      await this.sessions.globalSignOut(user.username);
      return;
    }
  }
}
