import { deriveKey, sealJson, unsealJson } from './sealed-box';

const KEY = deriveKey('sealed-box-spec-secret', 'spec/salt', 'sealing key');

describe('sealed box', () => {
  it('derives a 256-bit key per secret, salt and label', () => {
    expect(KEY).toHaveLength(32);
    expect(deriveKey('sealed-box-spec-secret', 'spec/salt', 'sealing key')).toEqual(KEY);
    const others = [
      deriveKey('sealed-box-spec-secret2', 'spec/salt', 'sealing key'),
      deriveKey('sealed-box-spec-secret', 'spec/salt2', 'sealing key'),
      deriveKey('sealed-box-spec-secret', 'spec/salt', 'another label'),
    ];
    for (const other of others) expect(other.equals(KEY)).toBe(false);
  });

  it('opens what it sealed only under the same key and context, with a fresh IV each time', () => {
    const sealed = sealJson(KEY, 'context', { a: 'secret text', n: 1 });
    expect(sealed).toMatch(/^v1\.[\w-]+$/);
    expect(sealed).not.toContain('secret');
    expect(sealJson(KEY, 'context', { a: 'secret text', n: 1 })).not.toBe(sealed);
    expect(unsealJson(KEY, 'context', sealed)).toEqual({ a: 'secret text', n: 1 });
    expect(unsealJson(KEY, 'context2', sealed)).toBeUndefined();
    expect(unsealJson(deriveKey('x', 'spec/salt', 'sealing key'), 'context', sealed)).toBeUndefined();
  });

  it.each(['', 'v1.', 'v1.AAAA', 'v2.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'garbage'])('refuses %j', (value) => {
    expect(unsealJson(KEY, 'context', value)).toBeUndefined();
  });

  it('refuses a value with any byte changed or cut short', () => {
    const sealed = sealJson(KEY, 'context', 'payload');
    const bytes = Buffer.from(sealed.slice(3), 'base64url');
    for (let i = 0; i < bytes.length; i++) {
      const changed = Buffer.from(bytes);
      changed[i] ^= 1;
      expect(unsealJson(KEY, 'context', `v1.${changed.toString('base64url')}`)).toBeUndefined();
    }
    expect(unsealJson(KEY, 'context', `v1.${bytes.subarray(0, -1).toString('base64url')}`)).toBeUndefined();
  });
});
