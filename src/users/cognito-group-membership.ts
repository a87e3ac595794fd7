import type {
  AdminListGroupsForUserCommandOutput,
  ListUsersInGroupCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { COGNITO_MODULE_OPTIONS } from '../options/constants';
import type { CognitoOperation } from '../errors/cognito.errors';
import {
  checkedGroupName,
  checkedPageSize,
  checkedUsername,
  type ListUsersInGroupOptions,
} from '../internal/input-checks';
import type { ResolvedCognitoOptions } from '../options/cognito-module-options';
import { type CognitoUserRecord, toCognitoUser } from './user-record';
import { CognitoCaller, type CognitoCommandBuilder, type CognitoSdk } from '../internal/cognito-api';

/** Cognito's largest page of AdminListGroupsForUser. */
const GROUPS_PAGE = 60;

/**
 * @internal The group membership of `CognitoSyncService` (documented there): each
 * method one Cognito admin call (one per page for the lists).
 */
@Injectable()
export class CognitoGroupMembership {
  /** The facade's name: the log lines are the service's. */
  private readonly logger = new Logger('CognitoSyncService');

  constructor(
    private readonly caller: CognitoCaller,
    @Inject(COGNITO_MODULE_OPTIONS) private readonly options: ResolvedCognitoOptions,
  ) {}

  async addUserToGroup(username: string, group: string): Promise<void> {
    await this.send('addUserToGroup', (sdk) => new sdk.AdminAddUserToGroupCommand(this.membership(username, group)));
  }

  async removeUserFromGroup(username: string, group: string): Promise<void> {
    await this.send(
      'removeUserFromGroup',
      (sdk) => new sdk.AdminRemoveUserFromGroupCommand(this.membership(username, group)),
    );
  }

  /** Every page, by NextToken, before it returns: a user is in at most 10,000 groups, usually a few. */
  async listGroupsForUser(username: string): Promise<string[]> {
    const input = { UserPoolId: this.options.userPoolId, Username: checkedUsername(username), Limit: GROUPS_PAGE };
    const names: string[] = [];
    let token: string | undefined;
    do {
      const command = (sdk: CognitoSdk) => new sdk.AdminListGroupsForUserCommand({ ...input, NextToken: token });
      const page = await this.send<AdminListGroupsForUserCommandOutput>('listGroupsForUser', command);
      for (const group of page.Groups ?? []) if (group.GroupName !== undefined) names.push(group.GroupName);
      token = page.NextToken;
    } while (token);
    return names;
  }

  /** Pages go through this module's own call handling, one by NextToken as the loop asks for them. */
  async *listUsersInGroup(group: string, options: ListUsersInGroupOptions = {}): AsyncIterable<CognitoUserRecord> {
    const input = {
      UserPoolId: this.options.userPoolId,
      GroupName: checkedGroupName(group),
      Limit: checkedPageSize(options?.pageSize),
    };
    let token: string | undefined;
    do {
      const page = await this.send<ListUsersInGroupCommandOutput>(
        'listUsersInGroup',
        (sdk) => new sdk.ListUsersInGroupCommand({ ...input, NextToken: token }),
      );
      for (const user of page.Users ?? []) yield toCognitoUser(user);
      token = page.NextToken;
    } while (token);
  }

  private membership(username: string, group: string): { UserPoolId: string; Username: string; GroupName: string } {
    return {
      UserPoolId: this.options.userPoolId,
      Username: checkedUsername(username),
      GroupName: checkedGroupName(group),
    };
  }

  private send<Output>(operation: CognitoOperation, build: CognitoCommandBuilder) {
    return this.caller.send<Output>(operation, build, { logger: this.logger });
  }
}
