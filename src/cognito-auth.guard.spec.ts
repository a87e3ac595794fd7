import { inAnyGroup, readCookie } from './cognito-auth.guard';
import { CognitoGroups } from './cognito-auth.decorators';

describe('inAnyGroup', () => {
  it('needs any one of the groups, compared exactly (Cognito groups are case-sensitive)', () => {
    expect(inAnyGroup(['Editors'], ['Admins', 'Editors'])).toBe(true);
    expect(inAnyGroup(['admins'], ['Admins'])).toBe(false);
    expect(inAnyGroup(['Admins '], ['Admins'])).toBe(false);
    expect(inAnyGroup(undefined, ['Admins'])).toBe(false);
    expect(inAnyGroup('Admins', ['Admins'])).toBe(false);
  });
});

describe('readCookie', () => {
  it.each<[string | string[] | undefined, string | undefined]>([
    ['a=1; token=abc.def.ghi; b=2', 'abc.def.ghi'],
    ['token=abc', 'abc'],
    ['token="abc"', 'abc'],
    ['token=a%2Eb', 'a.b'],
    [['a=1', 'token=x.y'], 'x.y'],
    ['xtoken=abc; tokenx=def', undefined],
    ['token=', undefined],
    ['token=%E0%A4%A', undefined],
    [undefined, undefined],
  ])('reads %j as %j', (header, expected) => {
    expect(readCookie(header, 'token')).toBe(expected);
  });
});

describe('@CognitoGroups', () => {
  it('refuses to be used without a group name', () => {
    expect(() => CognitoGroups()).toThrow('at least one');
    expect(() => CognitoGroups('')).toThrow('at least one');
  });
});
