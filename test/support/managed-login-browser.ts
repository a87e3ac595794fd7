// The browser of the managed-login e2e specs, played by hand: a cookie jar, and the emulator's login
// form filled in and posted (redirects read, not followed).

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** The browser's cookie jar: name to value. */
export type Jar = Map<string, string>;

/** The jar as a `Cookie` header. */
export const cookieHeader = (jar: Jar) => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');

/** Stores each Set-Cookie in the jar, or removes the cookie when it clears. */
export function keep(jar: Jar, setCookie: string | string[] | undefined): void {
  for (const line of [setCookie ?? []].flat()) {
    const [pair, ...attributes] = line.split(/;\s*/);
    const name = pair.slice(0, pair.indexOf('='));
    if (attributes.some((a) => /^max-age=0$/i.test(a))) jar.delete(name);
    else jar.set(name, pair.slice(name.length + 1));
  }
}

/** Who signs in at the emulator's form, and where Cognito sends the browser back. */
export interface EmulatorLogin {
  /** The emulator's OAuth domain (`local.oauth.domain`). */
  domain: string;
  /** The app's redirect URI. */
  callback: string;
  username: string;
  password: string;
}

/**
 * The browser at Cognito: the form of `authorize`, posted with `override` (another nonce or challenge);
 * answers the code and state Cognito sends back to the callback.
 */
export async function signInAtCognito(
  login: EmulatorLogin,
  authorize: URL,
  override: Record<string, string> = {},
): Promise<{ code: string; state: string }> {
  const page = await fetch(authorize, { redirect: 'manual' });
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('name="password"');
  const fields = {
    ...Object.fromEntries(authorize.searchParams),
    ...override,
    username: login.username,
    password: login.password,
  };
  const posted = await fetch(`${login.domain}/oauth2/authorize`, {
    method: 'POST',
    headers: FORM,
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  expect(posted.status).toBe(302);
  const back = new URL(posted.headers.get('location')!);
  expect(`${back.origin}${back.pathname}`).toBe(login.callback);
  return { code: back.searchParams.get('code')!, state: back.searchParams.get('state')! };
}
