import { generateKeyPairSync } from 'node:crypto';
import { CognitoConfigurationError } from '../errors/cognito.errors';
import type { CognitoModuleOptions } from './cognito-module-options';
import { resolveJwtSettings } from './resolve-options';
import { resolveShippedJwks } from './shipped-jwks';

const valid: CognitoModuleOptions = {
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_AbCdEf123',
  clientId: '1h57kf5cpq17m0eml12EXAMPLE',
};

/** A JWK as Cognito's JWKS serves it (an RSA public key of `bits`), with `kid`. */
function rsaJwk(
  kid: string,
  bits = 2048,
): { kty: string; kid: string; n: string; e: string; [member: string]: string } {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const { kty, n, e } = publicKey.export({ format: 'jwk' }) as Record<string, string>;
  return { kty, n, e, kid, alg: 'RS256', use: 'sig' };
}

describe('jwt.jwks (a JWKS shipped with the app)', () => {
  const first = rsaJwk('key-1');
  const second = rsaJwk('key-2');

  it('takes a JWKS as Cognito serves it, as a frozen copy of what a verifier reads', () => {
    const given = { keys: [{ ...first, x5c: 'certificate' }, second] };
    const shipped = resolveShippedJwks(given)!;
    expect(shipped).toEqual({ keys: [first, second] });
    expect(Object.isFrozen(shipped.keys)).toBe(true);
    expect(Object.isFrozen(shipped.keys[0])).toBe(true);
    given.keys[0].kid = 'changed later';
    expect(shipped.keys[0].kid).toBe('key-1');
    const { alg: _alg, use: _use, ...bare } = first;
    expect(resolveShippedJwks({ keys: [bare] })).toEqual({ keys: [bare] });
  });

  it('is off when not given', () => {
    expect(resolveShippedJwks(undefined)).toBeUndefined();
  });

  const privateJwk = (): Record<string, string> => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return { ...(privateKey.export({ format: 'jwk' }) as Record<string, string>), kid: 'key-1' };
  };
  const ecJwk = (): Record<string, string> => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    return { ...(publicKey.export({ format: 'jwk' }) as Record<string, string>), kid: 'key-1' };
  };

  it.each<[string, () => unknown, string]>([
    ['a JWKS without keys', () => ({ keys: [] }), 'jwt.jwks must be a JWKS with at least one key'],
    ['a key list alone', () => [first], 'jwt.jwks must be a JWKS with at least one key'],
    ['a misspelt keys member', () => ({ key: [first] }), 'jwt.jwks must be a JWKS with at least one key'],
    ['null', () => null, 'jwt.jwks must be a JWKS with at least one key'],
    ['a key that is not an object', () => ({ keys: [first, 'key-2'] }), 'jwt.jwks.keys[1] must be an object'],
    ['an EC key', () => ({ keys: [ecJwk()] }), 'jwt.jwks.keys[0].kty must be "RSA"'],
    ['a key without kty', () => ({ keys: [{ ...first, kty: undefined }] }), 'jwt.jwks.keys[0].kty must be "RSA"'],
    ['a kid that is not a string', () => ({ keys: [{ ...first, kid: 1 }] }), 'jwt.jwks.keys[0].kid must be a string'],
    ['a key without kid', () => ({ keys: [{ ...first, kid: undefined }] }), 'jwt.jwks.keys[0].kid is required'],
    ['an empty kid', () => ({ keys: [{ ...first, kid: '' }] }), 'jwt.jwks.keys[0].kid is required'],
    ['two keys of one kid', () => ({ keys: [first, { ...second, kid: 'key-1' }] }), 'jwt.jwks.keys[1].kid repeats'],
    ['an encryption key', () => ({ keys: [{ ...first, use: 'enc' }] }), 'jwt.jwks.keys[0].use must be "sig"'],
    ['an HMAC algorithm', () => ({ keys: [{ ...first, alg: 'HS256' }] }), 'jwt.jwks.keys[0].alg must be one of RS256'],
    ['a key without modulus', () => ({ keys: [{ ...first, n: undefined }] }), 'jwt.jwks.keys[0].n is required'],
    ['a modulus not in base64url', () => ({ keys: [{ ...first, n: 'a+b/c=' }] }), 'jwt.jwks.keys[0].n is required'],
    ['an exponent that is a number', () => ({ keys: [{ ...first, e: 65537 }] }), 'jwt.jwks.keys[0].e must be a string'],
    [
      'a cut modulus',
      () => ({ keys: [{ ...first, n: first.n.slice(0, 40) }] }),
      'jwt.jwks.keys[0] is not an RSA public key of 2048 bits or more',
    ],
    ['a 1024-bit key', () => ({ keys: [rsaJwk('short', 1024)] }), 'jwt.jwks.keys[0] is not an RSA public key of 2048'],
    ['a private key', () => ({ keys: [privateJwk()] }), 'jwt.jwks.keys[0] has "d": a private key'],
  ])('refuses %s at startup, naming the option', (_case, jwks, message) => {
    const resolving = () => resolveJwtSettings({ ...valid, jwt: { jwks: jwks() as never } });
    expect(resolving).toThrow(CognitoConfigurationError);
    expect(resolving).toThrow(message);
  });

  it('never quotes a key member in its messages (a private key shipped by mistake)', () => {
    const key = privateJwk();
    const messageOf = (jwks: unknown): string => {
      try {
        resolveShippedJwks(jwks);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('not refused');
    };
    for (const jwks of [{ keys: [key] }, { keys: [{ ...key, d: undefined, n: `${key.d}!` }] }]) {
      const message = messageOf(jwks);
      expect(message).toContain('jwt.jwks.keys[0]');
      expect(message).not.toContain(key.d.slice(0, 16));
      expect(message).not.toContain(key.n.slice(0, 16));
    }
  });
});

describe("jwt.jwks with cognito-local's signing key (its private key ships on npm)", () => {
  /* eslint-disable-next-line @typescript-eslint/no-require-imports -- the emulator's package (dev dependency) */
  const emulatorJwk = (require('cognito-local/lib/keys/cognitoLocal.public.json') as { jwk: Record<string, string> })
    .jwk;
  const local = { ...valid, region: 'local', userPoolId: 'local_5W35r53T' };
  const withKeys =
    (options: CognitoModuleOptions, ...keys: unknown[]) =>
    () =>
      resolveJwtSettings({ ...options, jwt: { ...options.jwt, jwks: { keys } as never } });

  it.each<[string, CognitoModuleOptions, unknown[], string]>([
    ['as served, for a pool on AWS', valid, [rsaJwk('key-1'), emulatorJwk], 'jwt.jwks.keys[1] is cognito-local'],
    ['under another kid', valid, [{ ...emulatorJwk, kid: 'renamed' }], 'jwt.jwks.keys[0] is cognito-local'],
    ['with leading zero bytes in n', valid, [{ ...emulatorJwk, kid: 'padded', n: `AAAA${emulatorJwk.n}` }], 'keys[0]'],
    ['its kid on another key', valid, [rsaJwk('CognitoLocal')], 'jwt.jwks.keys[0] is cognito-local'],
    [
      'with an explicit jwksUri',
      { ...valid, jwt: { jwksUri: 'https://keys.example.com/jwks.json' } },
      [emulatorJwk],
      'is',
    ],
    [
      'for an endpoint on this machine but an issuer on AWS',
      {
        ...local,
        endpoint: 'http://127.0.0.1:9229',
        jwt: { issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/x_1' },
      },
      [emulatorJwk],
      'jwt.jwks.keys[0] is cognito-local',
    ],
    ['for an emulator on another host', { ...local, endpoint: 'http://cognito-local:9229' }, [emulatorJwk], 'keys[0]'],
    [
      'for an issuer of an unparsable host',
      { ...local, jwt: { issuer: 'http://localhost.:9229/p' } },
      [emulatorJwk],
      'is',
    ],
  ])('refuses it %s, naming the key', (_case, options, keys, message) => {
    expect(withKeys(options, ...keys)).toThrow(CognitoConfigurationError);
    expect(withKeys(options, ...keys)).toThrow(message);
    expect(withKeys(options, ...keys)).toThrow('whose private key is public');
  });

  it.each<[string, CognitoModuleOptions]>([
    ['endpoint http://127.0.0.1:9229', { ...local, endpoint: 'http://127.0.0.1:9229' }],
    ['endpoint http://localhost:9229/', { ...local, endpoint: 'http://localhost:9229/' }],
    ['endpoint http://[::1]:9229', { ...local, endpoint: 'http://[::1]:9229' }],
    ['jwt.issuer http://localhost:9229/...', { ...local, jwt: { issuer: 'http://localhost:9229/local_5W35r53T' } }],
    ['jwt.issuer http://127.1:9229/...', { ...local, jwt: { issuer: 'http://127.1:9229/local_5W35r53T' } }],
  ])('takes it for an emulator on this machine (%s)', (_case, options) => {
    expect(withKeys(options, emulatorJwk)()).toMatchObject({ jwks: { keys: [{ kid: 'CognitoLocal' }] } });
  });
});

describe('jwt.warmUp', () => {
  const jwks = { keys: [rsaJwk('key-1')] };

  it('fetches at startup by default, not when jwks is shipped, and as told when given', () => {
    expect(resolveJwtSettings(valid)).toMatchObject({ warmUp: true, jwks: undefined });
    expect(resolveJwtSettings({ ...valid, jwt: { warmUp: false } })).toMatchObject({ warmUp: false });
    expect(resolveJwtSettings({ ...valid, jwt: { jwks } })).toMatchObject({ warmUp: false, jwks });
    expect(resolveJwtSettings({ ...valid, jwt: { jwks, warmUp: true } })).toMatchObject({ warmUp: true, jwks });
  });

  it.each([
    ['a string', 'false'],
    ['a number', 0],
    ['null', null],
  ])('refuses %s, naming the option', (_case, value) => {
    const resolving = () => resolveJwtSettings({ ...valid, jwt: { warmUp: value as never } });
    expect(resolving).toThrow(CognitoConfigurationError);
    expect(resolving).toThrow(`jwt.warmUp must be true or false, got ${JSON.stringify(value)}`);
  });

  it('suggests jwt.warmUp for a misspelling', () => {
    expect(() => resolveJwtSettings({ ...valid, jwt: { warmup: false } as never })).toThrow(
      'jwt.warmup is not an option: did you mean jwt.warmUp?',
    );
  });
});
