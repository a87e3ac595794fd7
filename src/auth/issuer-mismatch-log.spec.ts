import { IssuerMismatchLog } from './issuer-mismatch-log';

const EXPECTED = ['http://127.0.0.1:9229/local_abc', 'http://localhost:9229/local_abc'];

const setUp = () => {
  const lines: string[] = [];
  let now = 1_000_000;
  const log = new IssuerMismatchLog({ warn: (line: string) => lines.push(line) }, EXPECTED, () => now);
  return { log, lines, advance: (ms: number) => (now += ms) };
};

describe('IssuerMismatchLog', () => {
  it('warns with the received and the expected issuers', () => {
    const { log, lines } = setUp();
    log.report('http://localhost:9230/local_abc');
    expect(lines).toEqual([
      'Token refused: its issuer "http://localhost:9230/local_abc" is not this pool\'s ' +
        '(expected http://127.0.0.1:9229/local_abc or http://localhost:9229/local_abc). ' +
        "If the tokens come from this pool, the module's endpoint (or jwt.issuer) must name the address the tokens do",
    ]);
  });

  it('warns at most once a minute, counting the refusals it left out', () => {
    const { log, lines, advance } = setUp();
    for (let i = 0; i < 100; i++) log.report(`https://evil.example/${i}`);
    expect(lines).toHaveLength(1);
    advance(59_999);
    log.report('https://evil.example/late');
    expect(lines).toHaveLength(1);
    advance(1);
    log.report('https://evil.example/next');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('"https://evil.example/next"');
    expect(lines[1]).toContain('(100 more like it since the last such line, not logged)');
  });

  it.each([
    [
      'a forged log line',
      'https://evil.example\n[Nest] 1  - LOG FAKE LINE\r',
      '"https://evil.example[Nest] 1  - LOG FAKE LINE"',
    ],
    ['ANSI escapes and bidi overrides', 'https://\u001b[31mred\u001b[0m\u202eevil', '"https://[31mred[0mevil"'],
    ['no iss at all', undefined, '(none)'],
    ['an iss that is no string', { nested: true }, '(a object)'],
  ])('quotes the unverified iss safely: %s', (_case, iss, shown) => {
    const { log, lines } = setUp();
    log.report(iss);
    expect(lines[0]).toContain(`its issuer ${shown} is not`);
    for (const character of ['\n', '\r', '\u001b', '\u202e']) expect(lines[0]).not.toContain(character);
  });

  it('cuts a long iss (never a whole token in the log)', () => {
    const { log, lines } = setUp();
    log.report(`https://evil.example/${'x'.repeat(5000)}`);
    expect(lines[0].length).toBeLessThan(600);
    expect(lines[0]).toContain('x...');
  });
});
