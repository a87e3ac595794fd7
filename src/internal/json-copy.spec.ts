import { copyJson } from './json-copy';

describe('copyJson', () => {
  it('copies nested objects and arrays, sharing nothing with the original', () => {
    const original = {
      sub: 'u1',
      'cognito:groups': ['a', 'b'],
      address: { formatted: 'x', lines: [{ n: 1 }] },
      exp: 5,
      ok: true,
      none: null,
    };
    const copy = copyJson(original);
    expect(copy).toEqual(original);
    expect(copy).not.toBe(original);
    expect(copy['cognito:groups']).not.toBe(original['cognito:groups']);
    expect(copy.address.lines[0]).not.toBe(original.address.lines[0]);
    copy['cognito:groups'].push('admins');
    copy.address.lines[0].n = 2;
    expect(original['cognito:groups']).toEqual(['a', 'b']);
    expect(original.address.lines[0].n).toBe(1);
  });

  it('keeps a "__proto__" claim an own property, as JSON.parse does, without touching the prototype', () => {
    const parsed = JSON.parse('{"__proto__":{"admin":true},"sub":"u1"}') as Record<string, unknown>;
    const copy = copyJson(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as { admin?: unknown }).admin).toBeUndefined();
    expect(Object.keys(copy)).toEqual(['__proto__', 'sub']);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(parsed));
  });

  it('copies own properties only, whatever has been made enumerable on Object.prototype', () => {
    const polluted = Object.prototype as Record<string, unknown>;
    polluted.injected = { admin: true };
    try {
      const copy = copyJson({ sub: 'u1', nested: { a: 1 } });
      expect(Object.hasOwn(copy, 'injected')).toBe(false);
      expect(Object.hasOwn(copy.nested, 'injected')).toBe(false);
    } finally {
      delete polluted.injected;
    }
  });

  it('copies a "__proto__" claim holding an object as a copy, still an own property', () => {
    const parsed = JSON.parse('{"__proto__":{"admin":true},"sub":"u1"}') as Record<string, unknown>;
    const copy = copyJson(parsed);
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toEqual({ admin: true });
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).not.toBe(
      Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value,
    );
  });

  it('refuses data nested deeper than 64 levels with a RangeError, before the stack would overflow', () => {
    const nested = (depth: number): unknown => (depth === 0 ? 'x' : [nested(depth - 1)]);
    expect(copyJson(nested(63))).toEqual(nested(63));
    expect(() => copyJson(nested(65))).toThrow(RangeError);
    expect(() => copyJson(JSON.parse(`${'['.repeat(5000)}${']'.repeat(5000)}`))).toThrow(RangeError);
  });

  it('returns primitives as they are', () => {
    expect(copyJson('s')).toBe('s');
    expect(copyJson(1)).toBe(1);
    expect(copyJson(null)).toBeNull();
  });
});
