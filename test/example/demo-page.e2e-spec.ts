// The demo page of `npm start`, driven in headless Chromium as a person would use it:
// sign in as the demo user shown on the page, read the claims and the countdown, call the
// guarded routes, refresh through the cookie, sign out and see the refresh fail and the
// signed-out session's access token still pass until it expires. The page's
// Content-Security-Policy holds throughout: no violation, no console error.
// DEMO_SCREENSHOT=docs/demo.png writes the README's screenshot (nothing is written otherwise).
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { type RunningExample, startExample } from '../support/example-app';

describe('the demo page of npm start (example app on cognito-local, Express), in headless Chromium', () => {
  let example: RunningExample;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  const cspViolations: string[] = [];

  beforeAll(async () => {
    // Chromium first: without it the test fails at once, saying how to install it.
    browser = await launchChromium();
    example = await startExample();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Chromium reports a CSP violation both ways: a console error and the page's event.
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.exposeFunction('reportCspViolation', (text: string) => cspViolations.push(text));
    // A string: the page's code runs in the browser, and this project's types have no DOM.
    await page.addInitScript(
      "document.addEventListener('securitypolicyviolation', (event) => " +
        "reportCspViolation(event.violatedDirective + ' ' + event.blockedURI))",
    );
  }, 90000);

  afterAll(async () => {
    await browser?.close();
    await example?.stop();
  });

  const text = (selector: string) => page.locator(selector).innerText();
  const routeResult = (route: string) => page.locator(`tr[data-route="${route}"]`).innerText();
  /** Clicks a route's button and waits for its row to show `status`. */
  const call = async (route: string, status: number) => {
    await page.getByRole('button', { name: `GET ${route}` }).click();
    await page.locator(`tr[data-route="${route}"] .badge`, { hasText: new RegExp(`^${status}$`) }).waitFor();
    return routeResult(route);
  };
  const refreshCookie = async () =>
    (await page.context().cookies()).find(({ name }) => name === 'cognito_refresh_token');

  it(
    'signs in, shows claims and a live countdown, calls ' + 'guarded routes, refreshes through the cookie, signs out',
    async () => {
      const [, url, email, password] = /^Demo page: (\S+) \(sign in as (\S+) \/ (\S+)\)$/.exec(
        example.line('Demo page: '),
      )!;
      await page.goto(url);

      // The demo user's credentials are on the page, and in the form.
      await page.getByText('Demo user:').waitFor();
      expect(await text('#credentials')).toContain(`Demo user: ${email} · password ${password}`);
      expect(await page.getByLabel('Username').inputValue()).toBe(email);
      expect(await text('#status')).toBe('Signed out');

      // Signed out, the guarded route wants a token.
      expect(await call('/api/profile', 401)).toMatch(/^\/api\/profile\s+401\s+TokenMissing$/);

      const signInAnswer = page.waitForResponse((response) => response.url().endsWith('/auth/sign-in'));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('Signed in as').waitFor();
      // The JSON the page's JavaScript gets has no refresh token: it is in the cookie only.
      expect(
        ((await (await signInAnswer).json()) as { authenticationResult: { refreshToken: unknown } })
          .authenticationResult.refreshToken,
      ).toBeNull();
      expect(await text('#status')).toBe(`Signed in as ${email} · groups: readers`);
      expect(await text('#access-claims')).toMatch(/token_use\s+access/);
      expect(await text('#access-claims')).toMatch(/cognito:groups\s+readers/);
      expect(await text('#id-claims')).toMatch(new RegExp(`email\\s+${email}`));

      // The countdown is the access token's expiry, and it counts down.
      const countdown = await text('#countdown');
      expect(countdown).toMatch(/^(\d+:)?\d\d:\d\d$/);
      await page.locator('#countdown', { hasNotText: countdown }).waitFor();

      // The refresh token is in an HttpOnly cookie for /auth that the page cannot read.
      expect(await text('#document-cookie')).toBe('""');
      expect(await refreshCookie()).toMatchObject({ path: '/auth', httpOnly: true, sameSite: 'Strict' });

      expect(await call('/api/profile', 200)).toMatch(/^\/api\/profile\s+200\s+.*"groups":\["readers"\]/);
      expect(await call('/api/reports', 200)).toMatch(/^\/api\/reports\s+200\s/);
      expect(await call('/api/admin', 403)).toMatch(/^\/api\/admin\s+403\s+GroupRequired$/);

      const jti = await page.locator('#access-claims tr', { hasText: 'jti' }).innerText();
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.getByText('Refreshed at').waitFor();
      expect(await page.locator('#access-claims tr', { hasText: 'jti' }).innerText()).not.toBe(jti);
      expect(await text('#log tr:first-child')).toMatch(/POST \/auth\/refresh\s+200/);

      if (process.env.DEMO_SCREENSHOT) await page.screenshot({ path: process.env.DEMO_SCREENSHOT, fullPage: true });

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByText('Signed out:').waitFor();
      expect(await text('#status')).toBe('Signed out');
      expect(await refreshCookie()).toBeUndefined();

      // The table is re-run with the signed-out session's access token: it still passes (no
      // revocationCheck in the example), and the page says so and until when.
      await page.locator('#after-sign-out', { hasText: 'still works' }).waitFor();
      expect(await text('#after-sign-out')).toMatch(
        /^After sign-out, the access token of that session still works until it expires \(.+\).*revocationCheck/,
      );
      expect(await routeResult('/api/profile')).toMatch(
        /^\/api\/profile\s+200\s+.*"groups":\["readers"\].* · the signed-out session's access token$/,
      );
      expect(await routeResult('/api/reports')).toMatch(/^\/api\/reports\s+200\s/);
      expect(await routeResult('/api/admin')).toMatch(/^\/api\/admin\s+403\s+GroupRequired/);

      // The cookie is gone: the refresh fails, and the guarded route wants a token.
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.getByText('Refresh failed').waitFor();
      expect(await text('#session-result')).toMatch(/^Refresh failed: 401 RefreshTokenMissing/);
      expect(await call('/api/profile', 401)).toMatch(/^\/api\/profile\s+401\s+TokenMissing$/);

      expect(pageErrors).toEqual([]);
      expect(cspViolations).toEqual([]);
      // The browser logs each 4xx answer the page gets (the 400, 401 and 403 above): nothing else.
      expect(
        consoleErrors.filter(
          (message) => !/^Failed to load resource: the server responded with a status of 40[013] /.test(message),
        ),
      ).toEqual([]);
    },
    60000,
  );
});
