import { checkReturnTo, isSameOriginPath, MAX_RETURN_TO_LENGTH } from './return-to';

const REDIRECT_URI = 'https://app.example/auth/callback';

describe('checkReturnTo', () => {
  it.each<[string | string[] | undefined, string]>([
    [undefined, '/'],
    ['', '/'],
    ['/', '/'],
    ['/orders', '/orders'],
    ['/orders/42?tab=items&x=%2F%2Fevil.example#top', '/orders/42?tab=items&x=%2F%2Fevil.example#top'],
    ['/search?q=a%20b', '/search?q=a%20b'],
    ['/a%2Fb', '/a%2Fb'],
    ['/a/./b/../c', '/a/c'],
    ['/%2e%2e/x', '/x'],
    ['/a@evil.example', '/a@evil.example'],
    ['/https://evil.example', '/https://evil.example'],
    ['/?next=//evil.example', '/?next=//evil.example'],
    ['https://app.example', '/'],
    ['https://app.example/orders?x=1#y', '/orders?x=1#y'],
    ['HTTPS://APP.EXAMPLE:443/orders', '/orders'],
  ])('takes %j as %j', (raw, returnTo) => {
    expect(checkReturnTo(raw, REDIRECT_URI)).toEqual({ ok: true, returnTo });
  });

  it.each<string>([
    // Scheme-relative, in every spelling a browser reads as one.
    '//evil.example',
    '//evil.example/path',
    '///evil.example',
    '/%2Fevil.example',
    '/%2fevil.example',
    '%2F%2Fevil.example',
    '/%252Fevil.example',
    '/%5Cevil.example',
    '/%255Cevil.example',
    '%5C%5Cevil.example',
    // Dot segments that resolve to a scheme-relative path.
    '/..//evil.example',
    '/.//evil.example',
    '/%2e%2e//evil.example',
    '/.%2e//evil.example',
    '/a/../..//evil.example',
    // Absolute URLs of another origin, or another scheme.
    'https://evil.example',
    'https://evil.example/https://app.example/',
    'http://app.example/orders',
    'https://app.example:8443/',
    'https://app.example.evil.example/',
    'https://evil.example#@app.example',
    'https:evil.example',
    'https:/evil.example',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'ftp://app.example/',
    'blob:https://app.example/uuid',
  ])('refuses %j as off-site', (raw) => {
    expect(checkReturnTo(raw, REDIRECT_URI)).toEqual({ ok: false, reason: 'off-site' });
  });

  it.each<string>([
    // Backslashes: WHATWG URLs read them as slashes.
    '/\\evil.example',
    '\\\\evil.example',
    '\\/evil.example',
    '/\\/evil.example',
    '/orders\\x',
    // Whitespace and controls a browser strips, or that would split a header.
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r\n/evil.example',
    ' //evil.example',
    '/ /evil.example',
    '/\u0000',
    '/\u007f',
    '/orders%0d%0aSet-Cookie:x=1',
    '/%09/evil.example',
    '/%00',
    '/%250a',
    // Characters beyond ASCII (a look-alike slash, a full-width one) must come percent-encoded.
    '/\u2215\u2215evil.example',
    '/\uff0f\uff0fevil.example',
    '/\u3002evil.example',
    // Not a URL, or broken percent-encoding.
    'orders',
    'evil.example',
    '.',
    '%',
    '/%E0%A4%A',
    '/%zz',
    // Credentials in an absolute URL of the origin (a phishing look).
    'https://user:pass@app.example/',
    'https://app.example@app.example/',
    // Too long for the login cookie.
    `/${'a'.repeat(MAX_RETURN_TO_LENGTH)}`,
  ])('refuses %j as malformed', (raw) => {
    expect(checkReturnTo(raw, REDIRECT_URI)).toEqual({ ok: false, reason: 'malformed' });
  });

  it.each([
    'https://app.example/%2F%2Fevil.example',
    'https://app.example/%5C%5Cevil.example',
    '/%2e%2e/%2fevil.example',
    'https://app.example/x/%2e%2e/%2F/evil.example',
  ])('attack: refuses %s, whose answer a second decoding reads as //evil (the raw form passed the check)', (raw) => {
    expect(checkReturnTo(raw, REDIRECT_URI)).toEqual({ ok: false, reason: 'off-site' });
  });

  it('refuses a repeated parameter: which one is meant is not for it to guess', () => {
    expect(checkReturnTo(['/a', '/b'], REDIRECT_URI)).toEqual({ ok: false, reason: 'malformed' });
    expect(checkReturnTo([], REDIRECT_URI)).toEqual({ ok: false, reason: 'malformed' });
  });

  it("compares an absolute URL with the redirectUri's origin, whatever that is", () => {
    const local = 'http://localhost:3000/auth/callback';
    expect(checkReturnTo('http://localhost:3000/x', local)).toEqual({ ok: true, returnTo: '/x' });
    expect(checkReturnTo('http://localhost:3001/x', local)).toEqual({ ok: false, reason: 'off-site' });
    expect(checkReturnTo('https://localhost:3000/x', local)).toEqual({ ok: false, reason: 'off-site' });
    expect(checkReturnTo('http://127.0.0.1:3000/x', local)).toEqual({ ok: false, reason: 'off-site' });
  });

  it('answers only paths that a browser resolves against the app itself', () => {
    // Whatever was taken, a Location made of the answer stays on the app's origin.
    const inputs = ['/', '/a/./b/../c', '/%2e%2e/x', 'https://app.example/o?x=1#y', '/a@evil.example', '/x?<>"`{}'];
    for (const raw of inputs) {
      const result = checkReturnTo(raw, REDIRECT_URI);
      if (!result.ok) throw new Error(`refused ${raw}`);
      expect(isSameOriginPath(result.returnTo)).toBe(true);
      expect(new URL(result.returnTo, 'https://app.example/some/page').origin).toBe('https://app.example');
    }
  });
});

describe('isSameOriginPath', () => {
  it.each<[string, boolean]>([
    ['/', true],
    ['/a?b#c', true],
    ['', false],
    ['a', false],
    ['//evil.example', false],
    ['/\\evil.example', false],
    ['/a b', false],
    ['/\u00e9', false],
    [`/${'a'.repeat(MAX_RETURN_TO_LENGTH)}`, false],
  ])('%j: %j', (path, expected) => expect(isSameOriginPath(path)).toBe(expected));
});
