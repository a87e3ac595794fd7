import { createVerify, generateKeyPairSync } from 'node:crypto';
import { oauthClientSettings } from './cognito-local-oauth.options';
import { BoundedMap, cognitoLocalSigningKey, jwtPayload, resigned } from './cognito-local-oauth.tokens';
import { resolveCognitoLocal } from './cognito-local.process';

describe('the OAuth front of cognito-local: its parts', () => {
  it('keeps at most `capacity` flows, the oldest going first, each taken once', () => {
    const map = new BoundedMap<string>(2, 60_000);
    map.set('a', '1');
    map.set('b', '2');
    map.set('c', '3');
    expect(map.size).toBe(2);
    expect(map.take('a')).toBeUndefined();
    expect(map.take('b')).toBe('2');
    expect(map.take('b')).toBeUndefined();
  });

  it('forgets a flow after its time', () => {
    jest.useFakeTimers({ now: 0 });
    try {
      const map = new BoundedMap<string>(10, 1000);
      map.set('a', '1');
      jest.setSystemTime(1001);
      expect(map.take('a')).toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });

  it('re-signs a token with the extra claims, RS256 with kid CognitoLocal', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const original = `e30.${Buffer.from(JSON.stringify({ sub: 'x', iss: 'i' })).toString('base64url')}.sig`;
    const token = resigned(original, { nonce: 'n-1' }, pem);
    const [header, payload, signature] = token.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({
      alg: 'RS256',
      typ: 'JWT',
      kid: 'CognitoLocal',
    });
    expect(jwtPayload(token)).toEqual({ sub: 'x', iss: 'i', nonce: 'n-1' });
    const valid = createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(publicKey, signature, 'base64url');
    expect(valid).toBe(true);
  });

  it("reads cognito-local's signing key from its package", () => {
    expect(cognitoLocalSigningKey(resolveCognitoLocal())).toMatch(/^-----BEGIN (RSA )?PRIVATE KEY-----/);
  });

  it('checks the oauth options, naming the one that is wrong', () => {
    expect(() => oauthClientSettings({ callbackUrls: ['/relative'] })).toThrow(/oauth\.callbackUrls/);
    expect(() => oauthClientSettings({ callbackUrls: [], logoutUrls: [3 as unknown as string] })).toThrow(
      /oauth\.logoutUrls/,
    );
    expect(() => oauthClientSettings({ callbackUrls: [], tokenValiditySeconds: 0 })).toThrow(/tokenValiditySeconds/);
    expect(oauthClientSettings({ callbackUrls: ['http://localhost/cb'], tokenValiditySeconds: 5 })).toMatchObject({
      CallbackURLs: ['http://localhost/cb'],
      AccessTokenValidity: 5,
      TokenValidityUnits: { AccessToken: 'seconds', IdToken: 'seconds' },
    });
    expect(oauthClientSettings(undefined)).toEqual({});
  });
});
