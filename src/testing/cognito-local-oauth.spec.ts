import { createVerify, generateKeyPairSync } from 'node:crypto';
import { resolveMockIdentityProvider } from './cognito-local-federated.idp';
import { checkedFederated } from './cognito-local-federated.options';
import { clientSettings, oauthClientSettings } from './cognito-local-oauth.options';
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
    expect(oauthClientSettings({ callbackUrls: ['http://localhost/cb'] }, 'Corp')).toMatchObject({
      CallbackURLs: ['http://localhost/cb'],
      SupportedIdentityProviders: ['COGNITO', 'Corp'],
    });
    expect(oauthClientSettings(undefined)).toEqual({});
  });

  it('sets the token validity on the clients with or without oauth, and checks it', () => {
    const short = { AccessTokenValidity: 5, IdTokenValidity: 5 };
    const units = { TokenValidityUnits: { AccessToken: 'seconds', IdToken: 'seconds' } };
    expect(clientSettings(undefined, 5)).toEqual({ ...short, ...units });
    expect(clientSettings({ callbackUrls: [], tokenValiditySeconds: 5 }, undefined)).toMatchObject(short);
    expect(clientSettings({ callbackUrls: [], tokenValiditySeconds: 5 }, 5)).toMatchObject(short);
    expect(clientSettings(undefined, undefined)).toEqual({});
    expect(() => clientSettings(undefined, 0)).toThrow('startCognitoLocal: tokenValiditySeconds must be an integer');
    expect(() => clientSettings(undefined, 1.5)).toThrow(/tokenValiditySeconds/);
    expect(() => clientSettings(undefined, 86_401)).toThrow(/tokenValiditySeconds/);
    expect(() => clientSettings({ callbackUrls: [], tokenValiditySeconds: 0 }, undefined)).toThrow(
      'startCognitoLocal: oauth.tokenValiditySeconds must be an integer',
    );
    expect(() => clientSettings({ callbackUrls: [], tokenValiditySeconds: 5 }, 6)).toThrow(/differ/);
  });

  it('checks oauth.federated, naming the option that is wrong', () => {
    const bad =
      (federated: unknown, usernameAttributes: string[] = []) =>
      () =>
        checkedFederated(federated as Parameters<typeof checkedFederated>[0], usernameAttributes);
    expect(bad(null)).toThrow(/oauth\.federated must be an object/);
    for (const name of ['ab', 'Cor_p', 'two words', 'COGNITO', 'x'.repeat(33), 7])
      expect(bad({ name })).toThrow(/oauth\.federated\.name/);
    for (const users of [[], [{ email: 'a@b.c' }], [{ sub: '' }], [{ sub: 'a', age: 3 }], 'ann'])
      expect(bad({ name: 'Corp', users })).toThrow(/oauth\.federated\.users/);
    expect(bad({ name: 'Corp', attributeMapping: { email: 1 } })).toThrow(/oauth\.federated\.attributeMapping/);
    expect(bad({ name: 'Corp' }, ['email'])).toThrow(/oauth\.federated needs a pool without usernameAttributes/);
    expect(checkedFederated(undefined, ['email'])).toBeUndefined();
    expect(checkedFederated({ name: 'Corp' }, [])).toEqual({
      name: 'Corp',
      users: [{ sub: 'federated-user', email: 'federated-user@idp.example' }],
      attributeMapping: { email: 'email', name: 'name' },
    });
  });

  it('names oauth2-mock-server and its install line when it is missing, and finds it when installed', () => {
    const missing = () => {
      throw Object.assign(new Error('not found'), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => resolveMockIdentityProvider(missing)).toThrow(
      'startCognitoLocal({ oauth: { federated } }) needs the package "oauth2-mock-server" (an optional peer ' +
        'dependency of nestjs-cognito-sync): npm install --save-dev oauth2-mock-server@8',
    );
    expect(resolveMockIdentityProvider()).toMatch(/oauth2-mock-server/);
  });
});
