import { fingerprint, secretHash } from './hashing';

describe('secretHash', () => {
  it('is Base64(HMAC_SHA256(secret, username + clientId)), as openssl computes it', () => {
    // printf '<username><clientId>' | openssl dgst -sha256 -hmac '<secret>' -binary | base64
    expect(secretHash('the-client-secret', '9f1c2d3e-0000-4000-8000-1234567890ab', 'client123')).toBe(
      'eqWiYzw6z0GhphwymsomlPVz54io8yDNePmESofSOco=',
    );
  });

  it('depends on the username: an email alias gives another hash', () => {
    expect(secretHash('s', 'user@example.com', 'c')).not.toBe(secretHash('s', '9f1c2d3e', 'c'));
  });
});

describe('fingerprint', () => {
  it('is the first 8 hex digits of the SHA-256', () => {
    // printf 'some.refresh.token' | sha256sum | cut -c1-8
    expect(fingerprint('some.refresh.token')).toBe('c72ffdbd');
  });
});
