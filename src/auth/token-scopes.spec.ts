import { hasEveryScope, isClientCredentialsToken, isScopeName, scopesOf } from './token-scopes';

const machine = { token_use: 'access', sub: 'svc1client', client_id: 'svc1client', scope: 'orders/read orders/write' };

describe('scopesOf', () => {
  it('splits the scope claim on single spaces', () => {
    expect(scopesOf(machine)).toEqual(['orders/read', 'orders/write']);
    expect(scopesOf({ token_use: 'access', scope: 'a  b ' })).toEqual(['a', 'b']);
  });

  it.each([
    ['no scope claim (an ID token)', { token_use: 'id' }],
    ['an ID token with a scope claim (a Lambda may add one)', { token_use: 'id', scope: 'orders/read' }],
    ['a token of no known use', { scope: 'orders/read' }],
    ['an array', { token_use: 'access', scope: ['orders/read'] }],
    ['a number', { token_use: 'access', scope: 42 }],
    ['null', { token_use: 'access', scope: null }],
    ['an empty string', { token_use: 'access', scope: '' }],
  ])('grants nothing for %s', (_case, claims) => {
    expect(scopesOf(claims)).toEqual([]);
  });
});

describe('hasEveryScope', () => {
  it('needs every required scope, compared exactly', () => {
    expect(hasEveryScope(machine, ['orders/read'])).toBe(true);
    expect(hasEveryScope(machine, ['orders/write', 'orders/read'])).toBe(true);
    expect(hasEveryScope(machine, ['orders/read', 'orders/delete'])).toBe(false);
    expect(hasEveryScope(machine, ['Orders/read'])).toBe(false);
    expect(hasEveryScope(machine, ['orders'])).toBe(false);
    expect(hasEveryScope(machine, ['orders/read orders/write'])).toBe(false);
  });

  it('does not split on other whitespace: a tab-joined claim is one unknown scope', () => {
    expect(hasEveryScope({ token_use: 'access', scope: 'orders/read\torders/write' }, ['orders/read'])).toBe(false);
  });

  it('never matches a token without scopes', () => {
    expect(hasEveryScope({ token_use: 'id', aud: 'client1' }, ['orders/read'])).toBe(false);
    expect(hasEveryScope({ token_use: 'id', scope: 'orders/read' }, ['orders/read'])).toBe(false);
    expect(hasEveryScope({ token_use: 'access', scope: ['orders/read'] }, ['orders/read'])).toBe(false);
  });
});

describe('isClientCredentialsToken', () => {
  it('is an access token without username whose subject is its own app client', () => {
    expect(isClientCredentialsToken(machine)).toBe(true);
  });

  it.each([
    ['a user access token', { ...machine, sub: 'a-user-sub', username: 'alice' }],
    ['an access token with a username, even one whose sub is the client', { ...machine, username: 'alice' }],
    ['an access token without username whose sub is not the client', { ...machine, sub: 'a-user-sub' }],
    ['an access token without client_id', { token_use: 'access', sub: undefined }],
    ['an ID token', { ...machine, token_use: 'id' }],
  ])('is not %s', (_case, claims) => {
    expect(isClientCredentialsToken(claims)).toBe(false);
  });
});

describe('isScopeName', () => {
  it('takes a non-empty name without whitespace', () => {
    expect(isScopeName('orders/read')).toBe(true);
    expect(isScopeName('https://api.example.com/orders.read')).toBe(true);
    for (const name of ['', 'orders read', ' orders/read', 'orders/read\n', 42, undefined])
      expect(isScopeName(name)).toBe(false);
  });
});
