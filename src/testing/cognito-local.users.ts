import {
  AdminAddUserToGroupCommand,
  type CognitoIdentityProviderClient,
  CreateGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
/** A user of the local pool. */
export interface CognitoLocalUser {
  /** What the user signs in with: a username, or the email (phone number) when the pool signs in by it. */
  username: string;
  /** Set as permanent: the user is CONFIRMED and signs in at once. */
  password: string;
  /** Created in the pool when missing; they appear in the tokens' `cognito:groups`. */
  groups?: string[];
  /** Cognito attribute names and values: `email`, `name`, `custom:plan` (declared in `customAttributes`). */
  attributes?: Record<string, string>;
}

/** Creates each group once, when a user first needs it. */
export class GroupMaker {
  private readonly made = new Map<string, Promise<unknown>>();

  constructor(
    private readonly admin: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async add(username: string, group: string): Promise<void> {
    let made = this.made.get(group);
    if (made === undefined) {
      made = this.admin
        .send(new CreateGroupCommand({ UserPoolId: this.userPoolId, GroupName: group }))
        .catch((error: Error) => {
          if (error.name !== 'GroupExistsException') throw error;
        });
      this.made.set(group, made);
    }
    await made;
    await this.admin.send(
      new AdminAddUserToGroupCommand({ UserPoolId: this.userPoolId, Username: username, GroupName: group }),
    );
  }
}

export function checkedUser(user: CognitoLocalUser): CognitoLocalUser {
  const { username, password, groups, attributes } = user ?? ({} as CognitoLocalUser);
  if (typeof username !== 'string' || username === '')
    throw new TypeError('createUser: username must be a non-empty string');
  if (typeof password !== 'string' || password === '')
    throw new TypeError('createUser: password must be a non-empty string');
  if (
    groups !== undefined &&
    (!Array.isArray(groups) || groups.some((group) => typeof group !== 'string' || group === ''))
  ) {
    throw new TypeError('createUser: groups must be an array of group names');
  }
  if (
    attributes !== undefined &&
    (typeof attributes !== 'object' ||
      attributes === null ||
      Object.values(attributes).some((v) => typeof v !== 'string'))
  ) {
    throw new TypeError('createUser: attributes must be a record of strings, e.g. { email: "ann@example.com" }');
  }
  return user;
}
