/** A user of the federated identity provider: the claims of the ID token it issues for them. */
export interface CognitoLocalFederatedUser {
  /** The provider's subject: the Cognito user is `<name>_<sub>`, as Cognito names federated users. */
  sub: string;
  /** Any other claims (`email`, `name`, ...), mapped to Cognito attributes by `attributeMapping`. */
  [claim: string]: string;
}

/**
 * One federated OIDC identity provider (`identity_provider=<name>` on `/oauth2/authorize`), served by
 * `oauth2-mock-server` (an optional peer dependency: install it as a dev dependency) in a child process.
 */
export interface CognitoLocalFederatedOptions {
  /** The provider's name in the pool, as `identity_provider` names it (3 to 32 characters, no `_`). */
  name: string;
  /**
   * Who may sign in there; the authorize request's `login_hint` picks one by `sub` or `email`, else the
   * first signs in. Default: one user, `{ sub: 'federated-user', email: 'federated-user@idp.example' }`.
   */
  users?: CognitoLocalFederatedUser[];
  /** Cognito attribute to the provider's claim, written at each sign-in; default `{ email: 'email', name: 'name' }`. */
  attributeMapping?: Record<string, string>;
}

export interface CheckedFederatedOptions {
  name: string;
  users: CognitoLocalFederatedUser[];
  attributeMapping: Record<string, string>;
}

const DEFAULT_USER: CognitoLocalFederatedUser = { sub: 'federated-user', email: 'federated-user@idp.example' };
const isStringRecord = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((v) => typeof v === 'string');

/** Checks `oauth.federated`, naming the option that is wrong (a TypeError, as startCognitoLocal's other checks). */
export function checkedFederated(
  federated: CognitoLocalFederatedOptions | undefined,
  usernameAttributes: string[],
): CheckedFederatedOptions | undefined {
  if (federated === undefined) return undefined;
  const fail = (message: string) => new TypeError(`startCognitoLocal: oauth.federated${message}`);
  if (typeof federated !== 'object' || federated === null) throw fail(' must be an object { name, users? }');
  const { name, users = [DEFAULT_USER], attributeMapping = { email: 'email', name: 'name' } } = federated;
  // Cognito's provider names: 3 to 32 characters; `_` would make `<name>_<sub>` ambiguous; COGNITO is the pool.
  if (typeof name !== 'string' || !/^[^_\s]{3,32}$/.test(name) || name === 'COGNITO')
    throw fail('.name must be 3 to 32 characters without "_" or spaces, and not COGNITO');
  if (
    !Array.isArray(users) ||
    users.length === 0 ||
    users.some((user) => !isStringRecord(user) || typeof user.sub !== 'string' || user.sub === '')
  )
    throw fail('.users must be a non-empty array of claims (strings), each with a non-empty sub');
  if (!isStringRecord(attributeMapping)) throw fail('.attributeMapping must be a record of strings');
  // The emulator names users by email in such pools (a UUID username), where Cognito would say <name>_<sub>.
  if (usernameAttributes.length > 0) throw fail(' needs a pool without usernameAttributes');
  return { name, users: users.map((user) => ({ ...user })), attributeMapping: { ...attributeMapping } };
}
