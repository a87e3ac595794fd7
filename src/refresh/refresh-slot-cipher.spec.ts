import { seal, sealedSlot, unseal } from './refresh-slot-cipher';

const TOKEN = 'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.sealed-result-spec-token';
const CONTEXT = ['eu-west-1_AbCdEf123', 'client123', 'ann', null, null];
const plain = (key: string) => key;

describe('sealed refresh results', () => {
  it('names a slot by a hash that holds neither the token nor the context, under the store prefix', () => {
    const slot = sealedSlot(TOKEN, CONTEXT, (key) => `app::${key}`);
    expect(slot.name).toMatch(/^app::cognito-sync:refresh:[\w-]{43}$/);
    for (const part of [TOKEN, ...TOKEN.split('.'), 'ann', 'client123']) expect(slot.name).not.toContain(part);
    expect(slot.key).toHaveLength(32);
    expect(slot.name).not.toContain(slot.key.toString('base64url'));
  });

  it('gives the same slot for the same call, another for another token, username, device or client', () => {
    const name = (token: string, context: unknown[]) => sealedSlot(token, context, plain).name;
    const names = [
      name(TOKEN, CONTEXT),
      name(`${TOKEN}x`, CONTEXT),
      name(TOKEN, ['eu-west-1_AbCdEf123', 'client123', 'bob', null, null]),
      name(TOKEN, ['eu-west-1_AbCdEf123', 'client123', 'ann', 'device', null]),
      name(TOKEN, ['eu-west-1_AbCdEf123', 'client456', 'ann', null, null]),
    ];
    expect(name(TOKEN, CONTEXT)).toBe(names[0]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('seals a result that only the same slot opens, with a fresh IV each time', () => {
    const slot = sealedSlot(TOKEN, CONTEXT, plain);
    const payload = {
      ok: { AuthenticationResult: { AccessToken: 'access-token-text', RefreshToken: 'refresh-token-text' } },
    };
    const sealed = seal(slot, payload);
    expect(sealed).toMatch(/^v1\.[\w-]+$/);
    expect(sealed).not.toContain('access-token-text');
    expect(seal(slot, payload)).not.toBe(sealed);
    expect(unseal(slot, sealed)).toEqual(payload);
    expect(unseal(sealedSlot(`${TOKEN}x`, CONTEXT, plain), sealed)).toBeUndefined();
    // The same key under another name (the value moved to another slot) does not open either.
    expect(unseal({ ...slot, name: `${slot.name}x` }, sealed)).toBeUndefined();
  });

  it.each([
    ['a tampered byte', (sealed: string) => `${sealed.slice(0, -2)}${sealed.endsWith('AA') ? 'BB' : 'AA'}`],
    ['another format', () => 'v2.AAAA'],
    ['a truncated value', () => 'v1.AAAA'],
    ['plain text', () => 'pending'],
  ])('refuses %s', (_what, change) => {
    const slot = sealedSlot(TOKEN, CONTEXT, plain);
    expect(unseal(slot, change(seal(slot, { ok: 1 })))).toBeUndefined();
  });
});
