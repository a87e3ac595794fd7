import type { CognitoServerSessions } from '../session/cognito-server-sessions';
import type { CognitoSessions } from '../users/cognito-sessions';
import type { CognitoUserAdmin } from '../users/cognito-user-admin';
import type { CognitoUserRecord } from '../users/user-record';
import { CognitoEverywhereSignOut } from './everywhere-sign-out';

const alice = { username: 'alice', attributes: { sub: 'sub-1' } } as unknown as CognitoUserRecord;

function setup(withSessions: boolean) {
  const calls: string[] = [];
  const sessions = { globalSignOut: jest.fn(async (name: string) => void calls.push(`global:${name}`)) };
  const users = {
    findUser: jest.fn(async () => alice),
    listUsers: jest.fn(async function* (options: { filter?: string }) {
      calls.push(`list:${options.filter}`);
      yield alice;
    }),
  };
  const serverSessions = { endAllOf: jest.fn(async (sub: string) => void calls.push(`end:${sub}`)) };
  const signOut = new CognitoEverywhereSignOut(
    sessions as unknown as CognitoSessions,
    users as unknown as CognitoUserAdmin,
    withSessions ? (serverSessions as unknown as CognitoServerSessions) : undefined,
  );
  return { signOut, calls, users };
}

describe('CognitoEverywhereSignOut', () => {
  it('by username: the sessions of its sub end first, then AdminUserGlobalSignOut', async () => {
    const { signOut, calls } = setup(true);
    await signOut.byUsername('alice');
    expect(calls).toEqual(['end:sub-1', 'global:alice']);
  });

  it('by username without sessions: only AdminUserGlobalSignOut, no lookup', async () => {
    const { signOut, calls, users } = setup(false);
    await signOut.byUsername('alice');
    expect(calls).toEqual(['global:alice']);
    expect(users.findUser).not.toHaveBeenCalled();
  });

  it('by sub: the sessions end, the username is found by the sub filter, then AdminUserGlobalSignOut', async () => {
    const { signOut, calls } = setup(true);
    await signOut.bySub('sub-1');
    expect(calls).toEqual(['end:sub-1', 'list:sub = "sub-1"', 'global:alice']);
  });

  it('refuses a sub that could break out of the filter', async () => {
    const { signOut, calls } = setup(true);
    await expect(signOut.bySub('x" or username = "y')).rejects.toMatchObject({ code: 'InvalidParameter' });
    expect(calls).toEqual([]);
  });
});
