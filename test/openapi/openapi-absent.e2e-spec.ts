// @nestjs/swagger is an optional peer: an app that does not install it boots and serves
// the endpoints, and loads none of it. The app runs in a child process where the package
// cannot be resolved (test/support/block-packages.cjs), against the suite's cognito-local;
// the same app with the package resolvable shows that the check sees a load.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { ADAPTERS, type AdapterName } from '../support/bootstrap';
import { rememberSecrets } from '../support/secrets';
import { type CognitoTarget, localTarget } from '../support/target';
import type { SignedInUser } from '../support/cognito-local';

interface Started {
  child: ChildProcess;
  url: string;
  swagger: string[];
}

async function startHttpOnlyApp(target: CognitoTarget, adapter: AdapterName, hideSwagger: boolean): Promise<Started> {
  const preload = hideSwagger ? ['-r', './test/support/block-packages.cjs'] : [];
  const child = spawn(
    process.execPath,
    [...preload, '-r', 'ts-node/register/transpile-only', 'test/support/no-swagger-app.ts'],
    {
      env: {
        ...process.env,
        HTTP_ONLY_APP_OPTIONS: JSON.stringify(target.options),
        HTTP_ONLY_APP_ADAPTER: adapter,
        ...(hideSwagger ? { BLOCKED_PACKAGES: '@nestjs/swagger' } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  let errors = '';
  child.stderr!.on('data', (chunk) => (errors += chunk));
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      if (output.includes('\n')) resolve(output.split('\n')[0]);
    });
    child.once('exit', (code) => reject(new Error(`the HTTP-only app exited with ${code}:\n${errors}`)));
  });
  return { child, ...(JSON.parse(line) as { url: string; swagger: string[] }) };
}

async function stop({ child }: Started): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

describe('an HTTP-only app without @nestjs/swagger installed (cognito-local)', () => {
  let target: CognitoTarget;
  let user: SignedInUser;
  const started: Started[] = [];
  beforeAll(async () => {
    target = await localTarget({ secret: true });
    user = target.user as SignedInUser;
    rememberSecrets(user.password);
  });
  afterAll(() => {
    for (const { child } of started) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it.each(ADAPTERS)(
    'boots on %s, signs in and refuses as usual, and loads no file of @nestjs/swagger',
    async (adapter) => {
      const app = await startHttpOnlyApp(target, adapter, true);
      started.push(app);
      expect(app.swagger).toEqual([]);
      const post = (body: unknown) =>
        fetch(`${app.url}/auth/sign-in`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const signedIn = await post({ username: user.email, password: user.password });
      expect(signedIn.status).toBe(200);
      const answer = (await signedIn.json()) as {
        authenticationResult: { accessToken: string; idToken: string; refreshToken: null };
      };
      rememberSecrets(answer.authenticationResult.accessToken, answer.authenticationResult.idToken);
      expect(answer.authenticationResult.refreshToken).toBeNull();
      expect(signedIn.headers.get('set-cookie')).toMatch(
        /^cognito_refresh_token=.+; HttpOnly; Secure; SameSite=Strict$/,
      );
      const refused = await post({ username: user.email, password: 'wrong password' });
      expect(refused.status).toBe(401);
      expect(await refused.json()).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'Incorrect username or password',
        code: 'NotAuthorizedException',
      });
      await stop(app);
    },
    60000,
  );

  it('loads @nestjs/swagger when it can be resolved (the check above can see a load), on express', async () => {
    const app = await startHttpOnlyApp(target, 'express', false);
    started.push(app);
    expect(app.swagger).toEqual(
      expect.arrayContaining([expect.stringMatching(/@nestjs[/\\]swagger[/\\]dist[/\\]index\.js$/)]),
    );
    await stop(app);
  }, 60000);
});
