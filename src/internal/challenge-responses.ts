import { CognitoInputError } from '../errors/cognito.errors';
import { CUSTOM_PREFIX, STANDARD_ATTRIBUTES, withoutCustomPrefix } from '../options/attributes';
import type { CognitoAttributeAllowList } from '../options/cognito-module-options';
import {
  CHALLENGE_RESPONSE,
  checkedCode,
  checkedSecret,
  checkedString,
  type CognitoChallengeName,
} from './input-checks';

/** Set by the module itself: a caller's value is dropped. */
const SET_BY_THE_MODULE = new Set(['USERNAME', 'SECRET_HASH']);
const USER_ATTRIBUTE = 'userAttributes.';
/** A user does not verify their own address by answering a challenge, whatever the allow-list says. */
const NEVER_FROM_A_CHALLENGE = new Set(['email_verified', 'phone_number_verified']);
/** A key echoed in a refusal only when it looks like one. */
const PRINTABLE_KEY = /^[\w.:-]{1,128}$/;

/**
 * The ChallengeResponses of `challengeName`, checked before any call. Each challenge
 * takes only its own answer (Cognito's ChallengeResponses: `SMS_MFA_CODE`,
 * `SOFTWARE_TOKEN_MFA_CODE`, `EMAIL_OTP_CODE`, `NEW_PASSWORD`), which is required;
 * NEW_PASSWORD_REQUIRED also takes `userAttributes.<name>` for the attributes the
 * module's allow-list (`attributes`) lets be written, except the `*_verified` ones.
 * Any other key (`DEVICE_KEY`, an attribute off the list) is refused with
 * `UnexpectedChallengeResponse`. USERNAME and SECRET_HASH are the module's to set.
 */
export function checkedChallengeResponses(
  challengeName: unknown,
  responses: unknown,
  attributes: CognitoAttributeAllowList = {},
): Record<string, string> {
  if (typeof challengeName !== 'string' || !Object.hasOwn(CHALLENGE_RESPONSE, challengeName)) {
    throw new CognitoInputError(
      'InvalidParameter',
      `challengeName must be one of ${Object.keys(CHALLENGE_RESPONSE).join(', ')}`,
    );
  }
  if (typeof responses !== 'object' || responses === null || Array.isArray(responses)) {
    throw new CognitoInputError('InvalidParameter', 'responses must be an object of strings');
  }
  const challenge = challengeName as CognitoChallengeName;
  const answer = CHALLENGE_RESPONSE[challenge];
  const checked: Record<string, string> = {};
  for (const [name, value] of Object.entries(responses)) {
    if (SET_BY_THE_MODULE.has(name)) continue;
    if (name !== answer && !(challenge === 'NEW_PASSWORD_REQUIRED' && isWritableAttribute(name, attributes))) {
      const shown = PRINTABLE_KEY.test(name) ? `responses.${name}` : 'A key of responses';
      throw new CognitoInputError('UnexpectedChallengeResponse', `${shown} is not an answer to ${challenge}`);
    }
    checked[name] = checkedString(`responses.${name}`, value, 2048);
  }
  checked[answer] =
    answer === 'NEW_PASSWORD' ? checkedSecret(answer, checked[answer]) : checkedCode(answer, checked[answer]);
  return checked;
}

/**
 * `userAttributes.<name>` for an attribute of the allow-list:
 * a standard one by its name, a custom one as `custom:<name>`.
 */
function isWritableAttribute(key: string, allowList: CognitoAttributeAllowList): boolean {
  if (!key.startsWith(USER_ATTRIBUTE)) return false;
  const attribute = key.slice(USER_ATTRIBUTE.length);
  if (attribute.startsWith(CUSTOM_PREFIX))
    return (allowList.custom ?? []).map(withoutCustomPrefix).includes(withoutCustomPrefix(attribute));
  return (allowList.standard ?? STANDARD_ATTRIBUTES).includes(attribute) && !NEVER_FROM_A_CHALLENGE.has(attribute);
}
