import { resolveCognitoOptions } from '../options/resolve-options';
import type { CognitoCaller } from '../internal/cognito-api';
import { CognitoUnauthorizedError } from '../errors/cognito-auth.errors';
import { CognitoTokenVerifier } from './cognito-token-verifier';
import { expectedIssuers, loopbackSpellings, precheckJwt } from './jwt-precheck';

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** An unsigned token: the pre-check looks at nothing a signature protects. */
const unsigned = (payload: Record<string, unknown>) => `${part({ alg: 'RS256', kid: 'key-1' })}.${part(payload)}.c2ln`;
const exp = Math.floor(Date.now() / 1000) + 3600;

describe('expectedIssuers', () => {
  it("is the configured issuer, or on AWS both of Cognito's issuer formats", () => {
    expect(expectedIssuers('local_abc', 'https://auth.example.com/local_abc')).toEqual([
      'https://auth.example.com/local_abc',
    ]);
    expect(expectedIssuers('eu-west-1_abc', undefined)).toEqual([
      'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
      'https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
    ]);
  });
});

describe('loopbackSpellings (an emulator on this machine)', () => {
  it.each([
    [
      'http://127.0.0.1:9229/local_abc',
      ['http://127.0.0.1:9229/local_abc', 'http://localhost:9229/local_abc', 'http://[::1]:9229/local_abc'],
    ],
    [
      'http://localhost:9229/local_abc',
      ['http://localhost:9229/local_abc', 'http://127.0.0.1:9229/local_abc', 'http://[::1]:9229/local_abc'],
    ],
    [
      'https://[::1]/local_abc',
      ['https://[::1]/local_abc', 'https://localhost/local_abc', 'https://127.0.0.1/local_abc'],
    ],
  ])('accepts %s in each loopback spelling, same scheme, port and path', (issuer, spellings) => {
    expect(loopbackSpellings(issuer)).toEqual(spellings);
    expect(expectedIssuers('local_abc', issuer)).toEqual(spellings);
  });

  it.each([
    'https://auth.example.com/local_abc',
    'http://localhost.example.com:9229/local_abc',
    'http://127.0.0.2:9229/local_abc',
    'http://10.0.0.1:9229/local_abc',
  ])('leaves %s as it is', (issuer) => {
    expect(loopbackSpellings(issuer)).toEqual([issuer]);
  });

  it('never accepts another port or scheme of the same host', () => {
    const issuers = expectedIssuers('local_abc', 'http://127.0.0.1:9229/local_abc');
    for (const iss of [
      'http://localhost:9230/local_abc',
      'https://localhost:9229/local_abc',
      'http://localhost:9229/local_other',
    ]) {
      expect(() => precheckJwt(unsigned({ iss, exp }), issuers)).toThrow('not issued by this user pool');
    }
    expect(() => precheckJwt(unsigned({ iss: 'http://localhost:9229/local_abc', exp }), issuers)).not.toThrow();
  });
});

describe('precheckJwt', () => {
  const issuers = ['https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc'];

  it('lets a token of an expected issuer with an exp through', () => {
    expect(() => precheckJwt(unsigned({ iss: issuers[0], exp }), issuers)).not.toThrow();
  });

  it.each([
    [
      'another issuer',
      { iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_other', exp },
      'not issued by this user pool',
    ],
    ['a prefix of the issuer', { iss: issuers[0].slice(0, -1), exp }, 'not issued by this user pool'],
    ['no issuer', { exp }, 'not issued by this user pool'],
    ['no exp', { iss: issuers[0] }, 'no expiry'],
  ])('refuses a token with %s (401 TokenInvalid)', (_case, payload, message) => {
    let error: unknown;
    try {
      precheckJwt(unsigned(payload), issuers);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(CognitoUnauthorizedError);
    expect(error).toMatchObject({ code: 'TokenInvalid', message: expect.stringContaining(message) });
  });
});

describe('precheckJwt: who hears of a foreign issuer', () => {
  const issuers = ['https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc'];

  it('passes the received iss to onForeignIssuer, and only for a refused issuer', () => {
    const heard: unknown[] = [];
    expect(() =>
      precheckJwt(unsigned({ iss: 'http://localhost:9229/x', exp }), issuers, (iss) => heard.push(iss)),
    ).toThrow();
    expect(() => precheckJwt(unsigned({ exp }), issuers, (iss) => heard.push(iss))).toThrow();
    precheckJwt(unsigned({ iss: issuers[0], exp }), issuers, (iss) => heard.push(iss));
    expect(heard).toEqual(['http://localhost:9229/x', undefined]);
  });
});

describe('precheckJwt on the spelling of the signature', () => {
  const issuers = ['https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc'];
  const signedPart = `${part({ alg: 'RS256', kid: 'key-1' })}.${part({ iss: issuers[0], exp })}`;
  // "si" is c2k in canonical base64url; c2l, c2m ... decode to the same two bytes.
  it.each([['c2k'], ['c2ln'], ['AAAA']])('lets the canonical signature %j through', (signature) => {
    expect(() => precheckJwt(`${signedPart}.${signature}`, issuers)).not.toThrow();
  });

  it.each([
    ['padding', 'c2k='],
    ['double padding', 'c2k=='],
    ['unused bits set in the last character', 'c2l'],
    ['unused bits set, and padding', 'c2l='],
    ['a dangling character', 'c2lnA'],
  ])('refuses %s (401 TokenInvalid): one signature, one spelling', (_case, signature) => {
    expect(() => precheckJwt(`${signedPart}.${signature}`, issuers)).toThrow(
      expect.objectContaining({ code: 'TokenInvalid', message: 'The token signature is not in canonical base64url' }),
    );
  });
});

describe('CognitoTokenVerifier on AWS (no issuer override)', () => {
  const claims = { token_use: 'access', client_id: 'client1', sub: 'sub-1', exp };
  const verifierOf = () => {
    const verifier = new CognitoTokenVerifier(
      resolveCognitoOptions({ region: 'eu-west-1', userPoolId: 'eu-west-1_abc', clientId: 'client1' }),
      {} as CognitoCaller,
    );
    const inner = (verifier as unknown as { verifier: { verify(token: string): Promise<unknown> } }).verifier;
    return { verifier, verify: jest.spyOn(inner, 'verify') };
  };

  it('refuses a forged 10 KB issuer before aws-jwt-verify sees the token', async () => {
    const { verifier, verify } = verifierOf();
    const forged = unsigned({ ...claims, iss: `https://cognito-idp.eu-west-1.amazonaws.com/${'x'.repeat(10_000)}` });
    await expect(verifier.verify(forged)).rejects.toMatchObject({ status: 401, code: 'TokenInvalid' });
    expect(verify).not.toHaveBeenCalled();
  });

  it.each([
    'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
    'https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
  ])('hands a token of %s to aws-jwt-verify', async (iss) => {
    const { verifier, verify } = verifierOf();
    verify.mockResolvedValue({ ...claims, iss });
    await expect(verifier.verify(unsigned({ ...claims, iss }))).resolves.toMatchObject({ iss });
    expect(verify).toHaveBeenCalledTimes(1);
  });
});
