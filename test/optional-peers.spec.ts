// GraphQL's packages are optional peers: an HTTP-only app that never installed them must boot and
// answer without loading any of their code. A child process where they cannot be resolved runs
// such an app from the sources (test/http-only/main.ts), with the app-wide guard and filter.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './support/cognito-local';

describe('an HTTP-only app where graphql and @nestjs/graphql cannot be resolved', () => {
  it('boots, guards and answers, and loads none of their code', async () => {
    // The packages are installed here (dev dependencies): only the block keeps them out.
    expect(() => require.resolve('graphql')).not.toThrow();
    expect(() => require.resolve('@nestjs/graphql')).not.toThrow();
    const dir = join(__dirname, 'http-only');
    const blocked = [
      'graphql',
      'graphql-ws',
      '@nestjs/graphql',
      '@nestjs/apollo',
      '@nestjs/mercurius',
      'mercurius',
      '@apollo/server',
      '@as-integrations/express5',
    ];
    const child = spawnSync(
      process.execPath,
      [
        '--no-warnings',
        '-r',
        join(__dirname, 'support', 'block-packages.cjs'),
        '-r',
        'ts-node/register/transpile-only',
        join(dir, 'main.ts'),
        String(await freePort()),
      ],
      // --no-warnings: the AWS SDK's notice about Node 20 (see CONTRIBUTING.md) is not this test's business.
      {
        cwd: join(__dirname, '..'),
        env: { ...process.env, BLOCKED_PACKAGES: blocked.join(',') },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const result = JSON.parse(child.stdout.trim().split('\n').pop()!);
    expect(result).toEqual({
      me: [
        401,
        { statusCode: 401, error: 'Unauthorized', message: 'A bearer token is required', code: 'TokenMissing' },
      ],
      open: [200, { open: true, user: null }],
      tried: [],
      loaded: [],
      blockWorks: true,
    });
  });
});
