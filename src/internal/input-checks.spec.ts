import { createUserExtras } from './input-checks';

const attributes = (...names: string[]) =>
  names.map((Name) => ({ Name, Value: Name === 'email' ? 'ann@example.com' : '+15555550100' }));

describe("createUserExtras: the invitation's delivery mediums", () => {
  it.each<[string, string[], string[] | undefined]>([
    ['an email', ['email'], ['EMAIL']],
    ['a phone number', ['phone_number'], ['SMS']],
    ['both', ['email', 'phone_number'], ['EMAIL', 'SMS']],
    ["neither (Cognito's own default then applies)", ['name'], undefined],
  ])('default to where the attributes sent allow: %s', (_case, names, mediums) => {
    expect(createUserExtras({}, attributes(...names)).DesiredDeliveryMediums).toEqual(mediums);
  });

  it('ignore an attribute sent empty', () => {
    expect(createUserExtras({}, [{ Name: 'email', Value: '' }]).DesiredDeliveryMediums).toBeUndefined();
  });

  it('are the ones given, when given', () => {
    expect(createUserExtras({ deliveryMediums: ['SMS'] }, attributes('email')).DesiredDeliveryMediums).toEqual(['SMS']);
  });

  it('have no default when the invitation is suppressed', () => {
    expect(createUserExtras({ suppressInvitation: true }, attributes('email', 'phone_number'))).toEqual({
      TemporaryPassword: undefined,
      MessageAction: 'SUPPRESS',
      DesiredDeliveryMediums: undefined,
    });
  });
});
