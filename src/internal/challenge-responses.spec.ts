import { CognitoInputError } from '../errors/cognito.errors';
import { checkedChallengeResponses } from './challenge-responses';

const refusal = (call: () => unknown) => {
  try {
    call();
  } catch (error) {
    return error as CognitoInputError;
  }
  throw new Error('not refused');
};

describe('checkedChallengeResponses: each challenge takes only its own keys', () => {
  it.each([
    ['SOFTWARE_TOKEN_MFA', { SOFTWARE_TOKEN_MFA_CODE: '123456' }],
    ['SMS_MFA', { SMS_MFA_CODE: '654321' }],
    ['EMAIL_OTP', { EMAIL_OTP_CODE: '12345678' }],
    [
      'NEW_PASSWORD_REQUIRED',
      { NEW_PASSWORD: 'New-passw0rd!', 'userAttributes.name': 'Ann', 'userAttributes.email': 'ann@example.com' },
    ],
  ])('passes the answer of %s', (challenge, responses) => {
    expect(checkedChallengeResponses(challenge, responses)).toEqual(responses);
  });

  it('drops USERNAME and SECRET_HASH: the module sets them', () => {
    expect(
      checkedChallengeResponses('SMS_MFA', { SMS_MFA_CODE: '1', USERNAME: 'mallory', SECRET_HASH: 'forged' }),
    ).toEqual({ SMS_MFA_CODE: '1' });
  });

  it.each([
    [
      'a device key',
      'SOFTWARE_TOKEN_MFA',
      { SOFTWARE_TOKEN_MFA_CODE: '123456', DEVICE_KEY: 'eu-west-1_x' },
      'DEVICE_KEY',
    ],
    [
      "another challenge's answer",
      'SMS_MFA',
      { SMS_MFA_CODE: '123456', SOFTWARE_TOKEN_MFA_CODE: '1' },
      'SOFTWARE_TOKEN_MFA_CODE',
    ],
    [
      'an attribute with an MFA code',
      'EMAIL_OTP',
      { EMAIL_OTP_CODE: '1', 'userAttributes.email': 'eve@example.com' },
      'userAttributes.email',
    ],
    [
      'a custom attribute off the list',
      'NEW_PASSWORD_REQUIRED',
      { NEW_PASSWORD: 'N-passw0rd!', 'userAttributes.custom:role': 'admin' },
      'userAttributes.custom:role',
    ],
    [
      'email_verified',
      'NEW_PASSWORD_REQUIRED',
      { NEW_PASSWORD: 'N-passw0rd!', 'userAttributes.email_verified': 'true' },
      'userAttributes.email_verified',
    ],
    [
      'an attribute without its prefix',
      'NEW_PASSWORD_REQUIRED',
      { NEW_PASSWORD: 'N-passw0rd!', email: 'eve@example.com' },
      'email',
    ],
    ['a prototype key', 'SMS_MFA', JSON.parse('{"SMS_MFA_CODE": "1", "__proto__": "x"}') as object, '__proto__'],
  ])('refuses %s with UnexpectedChallengeResponse naming the key', (_case, challenge, responses, key) => {
    const error = refusal(() => checkedChallengeResponses(challenge, responses));
    expect(error).toBeInstanceOf(CognitoInputError);
    expect(error).toMatchObject({
      code: 'UnexpectedChallengeResponse',
      statusCode: 400,
      message: `responses.${key} is not an answer to ${challenge}`,
    });
  });

  it('does not echo a key that does not look like one', () => {
    const error = refusal(() => checkedChallengeResponses('SMS_MFA', { SMS_MFA_CODE: '1', '<script>': 'x' }));
    expect(error).toMatchObject({
      code: 'UnexpectedChallengeResponse',
      message: 'A key of responses is not an answer to SMS_MFA',
    });
  });

  it("follows the module's attribute allow-list for NEW_PASSWORD_REQUIRED", () => {
    const allowList = { standard: ['name'], custom: ['team'] };
    const responses = {
      NEW_PASSWORD: 'N-passw0rd!',
      'userAttributes.name': 'Ann',
      'userAttributes.custom:team': 'blue',
    };
    expect(checkedChallengeResponses('NEW_PASSWORD_REQUIRED', responses, allowList)).toEqual(responses);
    for (const key of ['userAttributes.email', 'userAttributes.custom:role', 'userAttributes.team']) {
      const error = refusal(() =>
        checkedChallengeResponses('NEW_PASSWORD_REQUIRED', { NEW_PASSWORD: 'N-passw0rd!', [key]: 'x' }, allowList),
      );
      expect(error.code).toBe('UnexpectedChallengeResponse');
    }
  });

  it('still requires the answer, and refuses an unknown challenge', () => {
    expect(refusal(() => checkedChallengeResponses('SMS_MFA', {})).code).toBe('InvalidParameter');
    expect(refusal(() => checkedChallengeResponses('CUSTOM_CHALLENGE', { ANSWER: 'x' })).code).toBe('InvalidParameter');
  });
});
