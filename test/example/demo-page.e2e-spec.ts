// The demo page of `npm start`, driven in headless Chromium as a person would use it: managed login
// through the emulator's login form back to the app, signed in with a server-side session; no token
// anywhere the page's JavaScript can reach, nor in any answer the browser received; the guarded routes
// served with the session cookie; an access token of a few seconds refreshed by the server; logout
// through Cognito's /logout back to logoutUri, the old session cookie refused afterwards. Then the
// password sign-in, in session mode too. The page's Content-Security-Policy holds throughout.
// DEMO_SCREENSHOT=docs/demo.png writes the README's screenshot (nothing is written otherwise).
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { type RunningExample, startExample } from '../support/example-app';
import { rememberSecrets } from '../support/secrets';

/** A JWT (or a JWE: five parts) anywhere in a text: three or more base64url parts, the first a JSON header. */
const JWT = /eyJ[\w-]+\.[\w-]*\.[\w-]+/;
/** The emulator's access tokens live this long (set through the testing kit by the example). */
const TOKEN_SECONDS = 5;

interface SessionSummary {
  sub: string;
  username: string;
  email?: string;
  groups: string[];
  expiresAt: number;
  accessTokenExpiresAt: number;
}

/** Every answer a page receives, through the DevTools protocol: status, headers and body (redirects included). */
class ResponseRecorder {
  readonly answers: Array<{ url: string; status: number; headers: string; body?: string }> = [];
  readonly unread: string[] = [];
  private readonly pending = new Map<string, { url: string; status: number; headers: string }>();
  private readonly reads: Array<Promise<void>> = [];

  static async attach(page: Page): Promise<ResponseRecorder> {
    const recorder = new ResponseRecorder();
    const cdp = await page.context().newCDPSession(page);
    recorder.listen(cdp);
    await cdp.send('Network.enable');
    return recorder;
  }

  private listen(cdp: CDPSession): void {
    // A redirect has no body: its status and headers (Location, Set-Cookie) come with the next request.
    cdp.on('Network.requestWillBeSent', ({ redirectResponse }) => {
      if (redirectResponse)
        this.answers.push({
          url: redirectResponse.url,
          status: redirectResponse.status,
          headers: JSON.stringify(redirectResponse.headers),
        });
    });
    cdp.on('Network.responseReceived', ({ requestId, response }) => {
      this.pending.set(requestId, {
        url: response.url,
        status: response.status,
        headers: JSON.stringify(response.headers),
      });
    });
    cdp.on('Network.responseReceivedExtraInfo', ({ headers }) => {
      // The raw headers, Set-Cookie included (the ones above leave it out).
      this.answers.push({ url: '(raw headers)', status: 0, headers: JSON.stringify(headers) });
    });
    cdp.on('Network.loadingFinished', ({ requestId }) => {
      const answer = this.pending.get(requestId);
      if (!answer) return;
      this.pending.delete(requestId);
      this.reads.push(
        cdp.send('Network.getResponseBody', { requestId }).then(
          ({ body, base64Encoded }) => {
            this.answers.push({ ...answer, body: base64Encoded ? Buffer.from(body, 'base64').toString() : body });
          },
          () => {
            this.unread.push(answer.url);
          },
        ),
      );
    });
  }

  /** Every body read so far (awaits the reads under way). */
  async settled(): Promise<this> {
    await Promise.all(this.reads);
    return this;
  }

  bodiesOf(path: string): string[] {
    return this.answers
      .filter(({ url }) => url.includes(path) && url !== '(raw headers)')
      .map(({ body }) => body ?? '');
  }
}

describe('the demo page of npm start (example app on cognito-local, Express), in headless Chromium', () => {
  let example: RunningExample;
  let browser: Browser;
  let base: string;
  let domain: string;
  let email: string;
  let password: string;
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  const cspViolations: string[] = [];

  /** A fresh browser profile's page, with the CSP, console and error watches. */
  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Chromium reports a CSP violation both ways: a console error and the page's event.
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${message.text()} ${message.location().url}`);
    });
    await page.exposeFunction('reportCspViolation', (text: string) => cspViolations.push(text));
    // A string: the page's code runs in the browser, and this project's types have no DOM.
    await page.addInitScript(
      "document.addEventListener('securitypolicyviolation', (event) => " +
        "reportCspViolation(event.violatedDirective + ' ' + event.blockedURI))",
    );
    return { context, page };
  }

  beforeAll(async () => {
    // Chromium first: without it the test fails at once, saying how to install it.
    browser = await launchChromium();
    example = await startExample({ DEMO_TOKEN_VALIDITY_SECONDS: String(TOKEN_SECONDS) });
    [, base, email, password] = /^Demo page: (\S+)\/ \(sign in as (\S+) \/ (\S+)\)$/.exec(example.line('Demo page: '))!;
    [, domain] = /Cognito's login page at (http:\/\/[^\s;)]+)/.exec(example.line('Managed login: '))!;
  }, 90000);

  afterAll(async () => {
    await browser?.close();
    await example?.stop();
  });

  afterEach(() => {
    const errors = { pageErrors: pageErrors.splice(0), cspViolations: cspViolations.splice(0) };
    const logged = consoleErrors.splice(0);
    expect(errors).toEqual({ pageErrors: [], cspViolations: [] });
    // The browser logs each 4xx answer the page gets (the 401 of a signed-out page, the 403), and the 404 of
    // the favicon the emulator's login form (which names none) makes it ask for: nothing else.
    expect(
      logged.filter(
        (message) =>
          !/^Failed to load resource: the server responded with a status of 40[13] /.test(message) &&
          message !==
            `Failed to load resource: the server responded with a status of 404 (Not Found) ${domain}/favicon.ico`,
      ),
    ).toEqual([]);
  });

  const text = (page: Page, selector: string) => page.locator(selector).innerText();
  /** Clicks a route's button and waits for its row to show `status` (the page then reads its session again). */
  const call = async (page: Page, route: string, status: number) => {
    const sessionRead = page.waitForResponse((response) => response.url().endsWith('/auth/session'));
    await page.getByRole('button', { name: `GET ${route}` }).click();
    await page.locator(`tr[data-route="${route}"] .badge`, { hasText: new RegExp(`^${status}$`) }).waitFor();
    await sessionRead;
    return page.locator(`tr[data-route="${route}"]`).innerText();
  };
  /** What the page's JavaScript can reach of this origin's storage. */
  const storage = (page: Page) =>
    page.evaluate(
      '({ cookie: document.cookie, local: JSON.stringify({ ...localStorage }), ' +
        'session: JSON.stringify({ ...sessionStorage }) })',
    ) as Promise<{ cookie: string; local: string; session: string }>;
  const summaryOf = async (page: Page) =>
    (await page.evaluate(
      "fetch('/auth/session', { credentials: 'same-origin' }).then((res) => res.json())",
    )) as SessionSummary;

  it(
    'managed login through the emulator: signed in, no token in the page or any answer, guarded routes by the ' +
      'session, a refresh on the server after expiry, logout through /logout, the old cookie refused',
    async () => {
      const { context, page } = await newPage();
      const recorder = await ResponseRecorder.attach(page);
      const visited: string[] = [];
      page.on('request', (request) => {
        if (request.isNavigationRequest()) visited.push(request.url());
      });
      await page.goto(`${base}/`);
      await page.getByText('Demo user:').waitFor();
      expect(await text(page, '#status')).toBe('Signed out');
      expect(await text(page, '#no-token')).toMatch(/^This page's JavaScript holds no token/);
      // The emulator offers a federated provider: its button is there too.
      expect(await page.getByRole('link', { name: 'Sign in with DemoIdP' }).getAttribute('href')).toBe(
        '/auth/login?provider=DemoIdP',
      );

      // Through the emulator's login form (another origin) and back to the app, signed in.
      await page.getByRole('link', { name: 'Sign in with managed login' }).click();
      await page.waitForURL((url) => url.origin === domain && url.pathname === '/oauth2/authorize');
      await page.getByLabel('Username').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${base}/`);
      await page.getByText('Signed in as').waitFor();
      expect(await text(page, '#status')).toBe(`Signed in as ${email} · groups: readers`);
      expect(visited.map((url) => new URL(url).pathname)).toEqual([
        '/',
        '/auth/login',
        '/oauth2/authorize',
        '/oauth2/authorize',
        '/auth/callback',
        '/',
      ]);
      const [cookie] = (await context.cookies(base)).filter(({ name }) => name === 'cognito-session');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      rememberSecrets(cookie.value);

      // The guarded routes answer with the session cookie alone.
      expect(await call(page, '/api/profile', 200)).toMatch(/^\/api\/profile\s+200\s+.*"groups":\["readers"\]/);
      expect(await call(page, '/api/reports', 200)).toMatch(/^\/api\/reports\s+200\s/);
      expect(await call(page, '/api/admin', 403)).toMatch(/^\/api\/admin\s+403\s+GroupRequired$/);

      // The access token expires (its own exp, as the session says): the next request is served after a
      // refresh on the server, and the session then says a later expiry.
      const before = await summaryOf(page);
      expect(before.accessTokenExpiresAt - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(TOKEN_SECONDS);
      // A function, not a string: the page's CSP refuses eval.
      await page.waitForFunction((exp) => Date.now() / 1000 > exp + 1, before.accessTokenExpiresAt, {
        timeout: (TOKEN_SECONDS + 5) * 1000,
      });
      expect(await call(page, '/api/profile', 200)).toMatch(/^\/api\/profile\s+200\s/);
      await page.getByText('The server refreshed the access token').waitFor();
      const after = await summaryOf(page);
      expect(after.accessTokenExpiresAt).toBeGreaterThan(before.accessTokenExpiresAt);
      expect(after).toMatchObject({ sub: before.sub, username: before.username, groups: ['readers'] });

      // Nothing the page's JavaScript can reach holds a token, nor did any answer it received.
      const reachable = await storage(page);
      expect(reachable).toEqual({ cookie: '', local: '{}', session: '{}' });
      expect(await text(page, '#document-cookie')).toBe('""');
      await recorder.settled();
      expect(recorder.bodiesOf('/auth/session').length).toBeGreaterThan(2);
      expect(recorder.bodiesOf('/auth/session')[1]).toContain(`"email":"${email}"`);
      expect(recorder.unread).toEqual([]);
      const leaks = recorder.answers.filter(({ headers, body }) => JWT.test(headers) || JWT.test(body ?? ''));
      expect(leaks.map(({ url, status }) => `${status} ${url}`)).toEqual([]);

      if (process.env.DEMO_SCREENSHOT) await page.screenshot({ path: process.env.DEMO_SCREENSHOT, fullPage: true });

      // Logout: a top-level form post, through Cognito's /logout, back to logoutUri (the page, signed out).
      visited.length = 0;
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${base}/`);
      await page.locator('#status', { hasText: /^Signed out$/ }).waitFor();
      expect(visited.map((url) => new URL(url)).map(({ origin, pathname }) => origin + pathname)).toEqual([
        `${base}/auth/logout`,
        `${domain}/logout`,
        `${base}/`,
      ]);
      const logout = new URL(visited[1]);
      expect(logout.searchParams.get('logout_uri')).toBe(`${base}/`);
      expect(logout.searchParams.get('client_id')).toEqual(expect.any(String));
      expect((await context.cookies(base)).filter(({ name }) => name === 'cognito-session')).toEqual([]);

      // The old session cookie, sent again, is refused.
      const replayed = await fetch(`${base}/api/profile`, { headers: { cookie: `${cookie.name}=${cookie.value}` } });
      expect(replayed.status).toBe(401);
      expect(await replayed.json()).toMatchObject({ code: 'SessionInvalid' });
      await context.close();
    },
    90000,
  );

  it("the federated provider's button: through the emulator's OIDC provider, back signed in as its user", async () => {
    const { context, page } = await newPage();
    await page.goto(`${base}/`);
    await page.getByRole('link', { name: 'Sign in with DemoIdP' }).click();
    // The provider signs its one user in at once (no form): Cognito's group of the provider's users.
    await page.locator('#status', { hasText: /^Signed in as ada@idp\.example · groups: \S+_DemoIdP$/ }).waitFor();
    expect(page.url()).toBe(`${base}/`);
    expect(await storage(page)).toEqual({ cookie: '', local: '{}', session: '{}' });
    expect(await call(page, '/api/profile', 200)).toMatch(/^\/api\/profile\s+200\s+.*"username":"DemoIdP_ada"/);
    expect(await call(page, '/api/reports', 403)).toMatch(/^\/api\/reports\s+403\s+GroupRequired$/);
    await context.close();
  }, 60000);

  it('password sign-in in session mode: the session cookie and its summary, no token in the answer', async () => {
    const { context, page } = await newPage();
    await page.goto(`${base}/`);
    await page.getByText('Demo user:').waitFor();
    expect(await text(page, '#credentials')).toContain(`Demo user: ${email} · password ${password}`);
    expect(await page.getByLabel('Username').inputValue()).toBe(email);

    // Signed out, the guarded route wants a token or a session.
    expect(await call(page, '/api/profile', 401)).toMatch(/^\/api\/profile\s+401\s+TokenMissing$/);

    const signInAnswer = page.waitForResponse((response) => response.url().endsWith('/auth/sign-in'));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('Signed in as').waitFor();
    const answer = await (await signInAnswer).text();
    expect(JSON.parse(answer)).toMatchObject({ signedIn: true, session: { email, groups: ['readers'] } });
    expect(answer).not.toMatch(JWT);
    expect(await text(page, '#status')).toBe(`Signed in as ${email} · groups: readers`);
    expect(await storage(page)).toEqual({ cookie: '', local: '{}', session: '{}' });
    expect(await call(page, '/api/profile', 200)).toMatch(/^\/api\/profile\s+200\s+.*"groups":\["readers"\]/);

    // Sign-out (the same form: through /auth/logout and Cognito's /logout) ends the session.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${base}/`);
    await page.locator('#status', { hasText: /^Signed out$/ }).waitFor();
    expect(await call(page, '/api/profile', 401)).toMatch(/^\/api\/profile\s+401\s+TokenMissing$/);
    await context.close();
  }, 60000);
});
