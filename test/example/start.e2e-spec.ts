// The README's promise: `npm start` serves the endpoints on a local Cognito with server-side
// sessions and managed login, prints curls that sign in (a session cookie, no token) and call a
// guarded route with that cookie, and the demo page's URL, and serves the OpenAPI document with
// the module's endpoints. Runs the example as `npm start` does (Express);
// the page itself is driven in demo-page.e2e-spec.ts.
import { type RunningExample, startExample } from '../support/example-app';
import { rememberSecrets } from '../support/secrets';

const ERRORS = ['400', '401', '403', '413', '415', '429', '500', '502', '503', '504'];

describe('npm start (the example app on cognito-local)', () => {
  let example: RunningExample;

  beforeAll(async () => {
    example = await startExample();
  }, 60000);

  afterAll(() => example?.stop());

  it(
    'prints the demo page, which it serves, and the OpenAPI document, which lists the module endpoints and the ' +
      'app routes',
    async () => {
      const [, page] = /^Demo page: (http:\/\/\S+\/) \(sign in as \S+ \/ \S+\)$/.exec(example.line('Demo page: '))!;
      const html = await fetch(page);
      expect(html.status).toBe(200);
      expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
      // The page is what people copy: a CSP without inline script or style, and never framed.
      const csp = html.headers.get('content-security-policy') ?? '';
      for (const directive of [
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ]) {
        expect(csp.split(/\s*;\s*/)).toContain(directive);
      }
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|script-src|style-src/);
      expect(html.headers.get('x-frame-options')).toBe('DENY');
      const markup = await html.text();
      expect(markup).toContain('<title>nestjs-cognito-sync demo</title>');
      expect(markup).not.toMatch(/<script(?![^>]*\ssrc=)|<style|\sstyle=|\son[a-z]+=/i);
      for (const [asset, type] of [
        ['demo.js', 'text/javascript; charset=utf-8'],
        ['demo.css', 'text/css; charset=utf-8'],
      ]) {
        const res = await fetch(new URL(asset, page));
        expect([res.status, res.headers.get('content-type'), res.headers.get('x-content-type-options')]).toEqual([
          200,
          type,
          'nosniff',
        ]);
      }

      const [, ui, json] = /^OpenAPI: (\S+) \(JSON: (\S+)\)$/.exec(example.line('OpenAPI: '))!;
      expect((await fetch(ui)).headers.get('content-type')).toMatch(/^text\/html/);
      const doc = (await (await fetch(json)).json()) as {
        paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      };
      const statuses = Object.fromEntries(
        Object.entries(doc.paths).map(([path, methods]) => [
          path,
          Object.keys(Object.values(methods)[0].responses).sort(),
        ]),
      );
      expect(statuses).toEqual({
        '/auth/sign-in': ['200', ...ERRORS],
        '/auth/challenge': ['200', ...ERRORS],
        '/auth/refresh': ['200', ...ERRORS],
        '/auth/sign-out': ['204', ...ERRORS],
        '/auth/session': ['200', '401', '404', '503'],
        '/auth/ws-ticket': ['200', '401', '403', '404', '415', '503'],
        '/auth/login': ['302', '400'],
        '/auth/callback': ['302', '400', '401', '503'],
        '/auth/logout': ['303', '403', '503'],
        '/api/profile': ['200', '401'],
        '/api/reports': ['200', '401', '403'],
        '/api/admin': ['200', '401', '403'],
      });
    },
  );

  it(
    'prints curls that sign in (a session cookie, no token in the answer) and call a guarded route with the ' +
      'cookie, and stops the emulator on SIGTERM',
    async () => {
      const [signIn, profile] = example.output.split('\n').filter((line) => line.startsWith('curl '));
      expect(example.line('Managed login: ')).toMatch(
        /^Managed login: http:\/\/\S+\/auth\/login \(Cognito's login page/,
      );
      // The first curl as curl sends it: its URL, headers and body.
      const [, url] = /-X POST (\S+)/.exec(signIn)!;
      const headers = Object.fromEntries(
        [...signIn.matchAll(/-H '([^:]+): ([^']+)'/g)].map(([, name, value]) => [name, value]),
      );
      const [, body] = /-d '(.+)'$/.exec(signIn)!;
      const res = await fetch(url, { method: 'POST', headers, body });
      expect(res.status).toBe(200);
      const answer = await res.text();
      expect(JSON.parse(answer)).toMatchObject({ signedIn: true, session: { username: expect.any(String) } });
      expect(answer).not.toMatch(/eyJ[\w-]+\./);
      // curl's cookie jar keeps the session cookie; the second curl sends it.
      const cookie = res.headers.getSetCookie().find((line) => line.startsWith('cognito-session='))!;
      expect(cookie).toMatch(/; HttpOnly/i);
      rememberSecrets(cookie.split(';')[0].split('=')[1]);
      const [, guarded] = /-b \S+ (\S+)$/.exec(profile)!;
      const me = await fetch(guarded, { headers: { cookie: cookie.split(';')[0] } });
      expect([me.status, await me.json()]).toEqual([200, { username: expect.any(String), groups: ['readers'] }]);

      const [, emulator] = /at (http:\/\/\S+)/.exec(example.output)!;
      expect(await example.stop()).toBe(0);
      await expect(fetch(`${emulator}/health`)).rejects.toThrow();
    },
  );
});
