// The WebSocket packages are optional peers: an HTTP-only app installs none of them
// and loads none of their code. Proven in a process of its own (test/support/no-websockets-app.ts)
// where they cannot be resolved, as in an app that never installed them.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

describe(
  'an HTTP-only app without @nestjs/websockets, @nestjs/platform-socket.io, @nestjs/platform-ws, socket.io or ' + 'ws',
  () => {
    it(
      'boots with authGuard: true, answers through the guard, and never asks for them (only NestJS itself looks ' +
        'for @nestjs/websockets)',
      async () => {
        const { stdout } = await promisify(execFile)(
          process.execPath,
          [
            '-r',
            './test/support/block-packages.cjs',
            '-r',
            'ts-node/register/transpile-only',
            'test/support/no-websockets-app.ts',
          ],
          {
            cwd: `${__dirname}/../../..`,
            env: {
              ...process.env,
              NODE_NO_WARNINGS: '1',
              BLOCKED_PACKAGES: '@nestjs/websockets,@nestjs/platform-socket.io,@nestjs/platform-ws,socket.io,ws',
            },
          },
        );
        const result = JSON.parse(stdout.trim().split('\n').pop()!);
        expect(result).toEqual({
          statuses: [200, 401],
          body: { username: 'ann' },
          // @nestjs/core tries `@nestjs/websockets/socket-module` in every app, and copes without it.
          askedBy: ['node_modules/@nestjs/core/nest-application.js'],
          askedByThePackage: [],
          loaded: [],
        });
      },
      60000,
    );
  },
);
