import { CognitoInputError } from '../errors/cognito.errors';
import { changedAttributes, toCognitoAttributes, toCognitoUser } from './user-record';
import { STANDARD_ATTRIBUTES } from '../options/attributes';

describe('toCognitoAttributes', () => {
  it('passes standard names as they are, prefixes custom ones, drops the rest, null and undefined', () => {
    const row = {
      id: 7,
      email: 'ann@example.com',
      name: null,
      nickname: undefined,
      plan: 'pro',
      password: 'x',
      createdAt: new Date(),
    };
    expect(toCognitoAttributes(row, { custom: ['plan'] })).toEqual([
      { Name: 'email', Value: 'ann@example.com' },
      { Name: 'custom:plan', Value: 'pro' },
    ]);
  });

  it('turns numbers and booleans into strings', () => {
    expect(
      toCognitoAttributes({ email_verified: true, updated_at: 1700000000, seats: 3 }, { custom: ['seats'] }),
    ).toEqual([
      { Name: 'email_verified', Value: 'true' },
      { Name: 'updated_at', Value: '1700000000' },
      { Name: 'custom:seats', Value: '3' },
    ]);
  });

  it('accepts custom names with or without the custom: prefix, in the list and in the source', () => {
    expect(toCognitoAttributes({ 'custom:plan': 'pro', tier: 'gold' }, { custom: ['plan', 'custom:tier'] })).toEqual([
      { Name: 'custom:plan', Value: 'pro' },
      { Name: 'custom:tier', Value: 'gold' },
    ]);
  });

  it('by default allows every writable standard attribute and no custom one', () => {
    const all = Object.fromEntries(STANDARD_ATTRIBUTES.map((name) => [name, 'v']));
    expect(toCognitoAttributes({ ...all, sub: 'x', plan: 'pro', 'custom:plan': 'pro' }).map((a) => a.Name)).toEqual(
      STANDARD_ATTRIBUTES,
    );
  });

  it('sends only what a narrowed standard list names', () => {
    expect(toCognitoAttributes({ email: 'a@b.c', name: 'Ann' }, { standard: ['name'] })).toEqual([
      { Name: 'name', Value: 'Ann' },
    ]);
  });

  it('refuses an allowed attribute of another type, naming it but not its value', () => {
    const convert = () => toCognitoAttributes({ birthdate: new Date('2000-01-02') });
    expect(convert).toThrow(CognitoInputError);
    expect(convert).toThrow('Attribute "birthdate" must be a string, a number or a boolean');
  });

  it.each([[undefined], [null]])('gives no attributes for %p', (source) => {
    expect(toCognitoAttributes(source as unknown as object)).toEqual([]);
  });

  it('refuses an array', () => {
    expect(() => toCognitoAttributes(['email'])).toThrow(CognitoInputError);
  });
});

describe('toCognitoUser', () => {
  const created = new Date('2024-01-01T00:00:00Z');
  const modified = new Date('2024-02-01T00:00:00Z');

  it("maps AdminGetUser's response, custom names without their prefix", () => {
    expect(
      toCognitoUser({
        Username: 'u-1',
        UserAttributes: [
          { Name: 'sub', Value: 'u-1' },
          { Name: 'email', Value: 'ann@example.com' },
          { Name: 'custom:plan', Value: 'pro' },
        ],
        Enabled: false,
        UserStatus: 'CONFIRMED',
        UserCreateDate: created,
        UserLastModifiedDate: modified,
      }),
    ).toEqual({
      username: 'u-1',
      enabled: false,
      status: 'CONFIRMED',
      createdAt: created,
      updatedAt: modified,
      attributes: { sub: 'u-1', email: 'ann@example.com', plan: 'pro' },
    });
  });

  it("maps UserType (AdminCreateUser, ListUsers) and GetUser's response, leaving out what Cognito did not send", () => {
    expect(toCognitoUser({ Username: 'u-2', Attributes: [{ Name: 'email', Value: 'b@c.d' }], Enabled: true })).toEqual({
      username: 'u-2',
      enabled: true,
      attributes: { email: 'b@c.d' },
    });
    expect(toCognitoUser({ Username: 'u-3', UserAttributes: [] })).toEqual({ username: 'u-3', attributes: {} });
  });
});

describe('changedAttributes', () => {
  const user = { username: 'u', attributes: { email: 'a@b.c', plan: 'free' } };

  it('keeps only the attributes whose value differs, custom ones compared without their prefix', () => {
    expect(
      changedAttributes(user, [
        { Name: 'email', Value: 'a@b.c' },
        { Name: 'custom:plan', Value: 'pro' },
        { Name: 'name', Value: 'Ann' },
      ]),
    ).toEqual([
      { Name: 'custom:plan', Value: 'pro' },
      { Name: 'name', Value: 'Ann' },
    ]);
  });

  it('is empty when nothing differs', () => {
    expect(
      changedAttributes(user, [
        { Name: 'email', Value: 'a@b.c' },
        { Name: 'custom:plan', Value: 'free' },
      ]),
    ).toEqual([]);
  });
});
