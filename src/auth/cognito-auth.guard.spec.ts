import { inAnyGroup } from './cognito-auth.guard';
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

describe('@CognitoGroups', () => {
  it('refuses to be used without a group name', () => {
    expect(() => CognitoGroups()).toThrow('at least one');
    expect(() => CognitoGroups('')).toThrow('at least one');
  });
});
