import { ConflictException, Injectable } from '@nestjs/common';
import { CognitoSyncService, type CognitoUserRecord } from 'nestjs-cognito-sync';

/** The app's own logic over the pool: what its tests assert on, with a fake in place of Cognito. */
@Injectable()
export class AccountsService {
  constructor(private readonly cognito: CognitoSyncService) {}

  /** Invites a new member; an email already in the pool is a conflict, not a crash. */
  async invite(email: string): Promise<CognitoUserRecord> {
    try {
      return await this.cognito.createUser(email, { email, email_verified: true });
    } catch (error) {
      if ((error as Error).name === 'UsernameExistsException')
        throw new ConflictException(`${email} is already a member`);
      throw error;
    }
  }

  /** The members whose email starts with `prefix`. */
  async search(prefix: string): Promise<string[]> {
    const found: string[] = [];
    for await (const user of this.cognito.listUsers({ filter: `email ^= "${prefix.replace(/"/g, '\\"')}"` }))
      found.push(user.attributes.email);
    return found;
  }

  /** Locks a member out: no sign-in and no refresh from now on. */
  async suspend(username: string): Promise<void> {
    await this.cognito.disableUser(username);
  }
}
