// Group membership at the SDK boundary (aws-sdk-client-mock): the exact requests, for
// what cognito-local cannot show (pages by NextToken). No emulator involved.
import { cognitoServiceFor } from '../../test/support/service';
import {
  AdminAddUserToGroupCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  CognitoIdentityProviderClient,
  ListUsersInGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { CognitoInputError } from '../errors/cognito.errors';
import { options, withSecret } from '../../test/support/sdk-fixtures';
import type { CognitoSyncService } from '../service/cognito-sync.service';

const client = new CognitoIdentityProviderClient({ region: 'eu-west-1' });
const cognito = mockClient(client);
const inputs = (command: Parameters<typeof cognito.commandCalls>[0]) =>
  cognito.commandCalls(command).map((call) => call.args[0].input);
const user = (Username: string) => ({
  Username,
  Attributes: [{ Name: 'email', Value: `${Username}@example.com` }],
  Enabled: true,
});
const collect = async <T>(items: AsyncIterable<T>) => {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
};

beforeEach(() => cognito.reset());

describe('groups (at the SDK boundary)', () => {
  it('adds and removes a member with the pool, the user and the group', async () => {
    cognito.on(AdminAddUserToGroupCommand).resolves({});
    cognito.on(AdminRemoveUserFromGroupCommand).resolves({});
    const service = cognitoServiceFor(client, options);
    await service.addUserToGroup('ann', 'admins');
    await service.removeUserFromGroup('ann', 'admins');
    const membership = { UserPoolId: 'eu-west-1_Pool1', Username: 'ann', GroupName: 'admins' };
    expect(inputs(AdminAddUserToGroupCommand)).toEqual([membership]);
    expect(inputs(AdminRemoveUserFromGroupCommand)).toEqual([membership]);
  });

  it('listGroupsForUser reads every page by NextToken', async () => {
    cognito
      .on(AdminListGroupsForUserCommand)
      .resolvesOnce({ Groups: [{ GroupName: 'admins' }, { GroupName: 'staff' }], NextToken: 'page-2' })
      .resolvesOnce({ Groups: [{ GroupName: 'beta' }] });
    await expect(cognitoServiceFor(client, options).listGroupsForUser('ann')).resolves.toEqual([
      'admins',
      'staff',
      'beta',
    ]);
    expect(inputs(AdminListGroupsForUserCommand)).toEqual([
      { UserPoolId: 'eu-west-1_Pool1', Username: 'ann', Limit: 60, NextToken: undefined },
      { UserPoolId: 'eu-west-1_Pool1', Username: 'ann', Limit: 60, NextToken: 'page-2' },
    ]);
  });

  it('listUsersInGroup pages by NextToken with the page size, only as far as the loop reads', async () => {
    cognito
      .on(ListUsersInGroupCommand)
      .resolvesOnce({ Users: [user('ann'), user('bob')], NextToken: 'page-2' })
      .resolvesOnce({ Users: [user('cy')], NextToken: 'page-3' })
      .resolvesOnce({ Users: [user('di')] });
    const service = cognitoServiceFor(client, options);
    const names = (await collect(service.listUsersInGroup('admins', { pageSize: 2 }))).map((record) => record.username);
    expect(names).toEqual(['ann', 'bob', 'cy', 'di']);
    expect(
      inputs(ListUsersInGroupCommand).map(({ Limit, NextToken, GroupName }) => [GroupName, Limit, NextToken]),
    ).toEqual([
      ['admins', 2, undefined],
      ['admins', 2, 'page-2'],
      ['admins', 2, 'page-3'],
    ]);

    cognito.reset();
    cognito.on(ListUsersInGroupCommand).resolves({ Users: [user('ann'), user('bob')], NextToken: 'page-2' });
    for await (const first of service.listUsersInGroup('admins')) {
      expect(first.username).toBe('ann');
      break;
    }
    expect(inputs(ListUsersInGroupCommand)).toEqual([
      { UserPoolId: 'eu-west-1_Pool1', GroupName: 'admins', Limit: undefined, NextToken: undefined },
    ]);
  });
});

describe('input checks, before any call', () => {
  const bad: Array<[string, (s: CognitoSyncService) => Promise<unknown>]> = [
    ['a group name with a space', (s) => s.addUserToGroup('ann', 'two words')],
    ['a group name over 128 characters', (s) => s.removeUserFromGroup('ann', 'g'.repeat(129))],
    ['listGroupsForUser without a username', (s) => s.listGroupsForUser(undefined as never)],
    ['listUsersInGroup with an empty group', (s) => collect(s.listUsersInGroup(''))],
    ['listUsersInGroup with a page of 61', (s) => collect(s.listUsersInGroup('admins', { pageSize: 61 }))],
  ];
  it.each(bad)('refuses %s with a CognitoInputError, no call made', async (_label, call) => {
    await expect(call(cognitoServiceFor(client, withSecret))).rejects.toBeInstanceOf(CognitoInputError);
    expect(cognito.calls()).toHaveLength(0);
  });
});
