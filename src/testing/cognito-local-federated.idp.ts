import { type ChildProcess, spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import type { CognitoLocalFederatedUser } from './cognito-local-federated.options';

/** The federated identity provider: oauth2-mock-server in a child process of its own. */
export interface MockIdentityProvider {
  /** Its issuer, `http://127.0.0.1:<port>`: `/authorize`, `/token`, `/jwks`. */
  url: string;
  stop(): Promise<void>;
}

const PACKAGE = 'oauth2-mock-server';
const MISSING =
  `startCognitoLocal({ oauth: { federated } }) needs the package "${PACKAGE}" (an optional peer dependency of ` +
  `nestjs-cognito-sync): npm install --save-dev ${PACKAGE}@8`;

/**
 * Where oauth2-mock-server is, looked up only when `federated` is set: from this package, then from the
 * working directory. `resolve` is replaceable for the test of the missing-package message.
 */
export function resolveMockIdentityProvider(
  resolve: (request: string, options?: { paths?: string[] }) => string = require.resolve,
): string {
  for (const paths of [undefined, [process.cwd()]]) {
    try {
      return resolve(PACKAGE, paths && { paths });
    } catch (error) {
      if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
    }
  }
  throw new Error(MISSING);
}

/**
 * The child (an ES module: the package ships ESM only, which a child process of plain Node imports
 * whatever the test runner's module system): the provider on a free port of 127.0.0.1, the ID token's
 * claims those of the user `login_hint` names (the first without one), and an exit with its parent.
 */
const CHILD = `
const { OAuth2Server } = await import(process.argv[1]);
const { users } = JSON.parse(process.argv[2]);
const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');
await server.start(0, '127.0.0.1');
server.issuer.url = 'http://127.0.0.1:' + server.address().port;
const byCode = new Map();
server.service.on('beforeAuthorizeRedirect', ({ url }, req) => {
  const hint = typeof req.query.login_hint === 'string' ? req.query.login_hint : undefined;
  const user = hint === undefined ? users[0] : users.find((u) => u.sub === hint || u.email === hint);
  const code = url.searchParams.get('code');
  if (!user || !code) {
    url.searchParams.delete('code');
    url.searchParams.set('error', 'access_denied');
    return;
  }
  if (byCode.size >= 1000) byCode.delete(byCode.keys().next().value);
  byCode.set(code, user);
});
server.service.on('beforeTokenSigning', (token, req) => {
  const user = byCode.get(req.body && req.body.code);
  if (user) Object.assign(token.payload, user);
});
server.service.on('beforeResponse', (_response, req) => byCode.delete(req.body && req.body.code));
process.on('disconnect', () => process.exit(0));
process.send({ url: server.issuer.url });
`;

export async function startMockIdentityProvider(
  users: CognitoLocalFederatedUser[],
  timeoutMs: number,
  modulePath: string = resolveMockIdentityProvider(),
): Promise<MockIdentityProvider> {
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', CHILD, pathToFileURL(modulePath).href, JSON.stringify({ users })],
    { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const fail = (reason: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${PACKAGE} did not start (${reason}):\n${output.slice(-2000)}`));
    };
    const timer = setTimeout(() => fail(`not ready after ${timeoutMs} ms`), timeoutMs);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => fail(`exited with ${code}`));
    child.once('error', (error) => fail(error.message));
    child.once('message', (message: { url?: unknown }) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      if (typeof message?.url === 'string') resolve(message.url);
      else fail('no address');
    });
  });
  unref(child);
  const exited = new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
  );
  let stopping: Promise<void> | undefined;
  return {
    url,
    stop: () =>
      (stopping ??= (async () => {
        child.kill('SIGTERM');
        await exited;
      })()),
  };
}

function unref(child: ChildProcess): void {
  child.unref();
  child.channel?.unref();
  child.stderr?.resume();
  (child.stderr as { unref?: () => void } | null)?.unref?.();
}
