import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { type CognitoModuleOptions, CognitoSyncService } from '../../src';
import { resolveCognitoOptions } from '../../src/options/resolve-options';
import { CognitoCaller } from '../../src/internal/cognito-api';
import { CognitoTokenRefresher } from '../../src/refresh/token-refresher';
import { CognitoSharedRefresh } from '../../src/refresh/shared-refresh';
import { CognitoUserAdmin } from '../../src/users/cognito-user-admin';
import { CognitoGroupMembership } from '../../src/users/cognito-group-membership';
import { CognitoPasswords } from '../../src/users/cognito-passwords';
import { CognitoEverywhereSignOut } from '../../src/service/everywhere-sign-out';
import { CognitoSessions } from '../../src/users/cognito-sessions';

/** A `CognitoSyncService` on `client`, wired as the module wires it, for unit specs without Nest's injector. */
export function cognitoServiceFor(
  client: CognitoIdentityProviderClient,
  options: CognitoModuleOptions,
): CognitoSyncService {
  const resolved = resolveCognitoOptions(options);
  const caller = new CognitoCaller(client, resolved);
  const users = new CognitoUserAdmin(caller, resolved);
  const sessions = new CognitoSessions(caller, resolved);
  return new CognitoSyncService(
    new CognitoTokenRefresher(caller, resolved, new CognitoSharedRefresh(resolved)),
    users,
    sessions,
    new CognitoGroupMembership(caller, resolved),
    new CognitoPasswords(caller, resolved),
    new CognitoEverywhereSignOut(sessions, users),
  );
}
