// Run by websockets-optional.e2e-spec.ts in a process of its own, where the WebSocket
// packages cannot be resolved (block-packages.cjs), as in an app that never installed
// them: an HTTP app with `authGuard: true` boots, answers through the guard, and prints
// what asked for them.
import 'reflect-metadata';
import { join } from 'node:path';
import { Controller, Get } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CognitoModule, CognitoUser } from '../../src';
import { createCognitoTestKit } from '../../src/testing';

/** Filled by block-packages.cjs, preloaded. */
const asked = (globalThis as unknown as { blockedRequests: Array<{ request: string; from: string }> }).blockedRequests;

@Controller('me')
class MeController {
  @Get()
  me(@CognitoUser('username') username: string) {
    return { username };
  }
}

async function main(): Promise<void> {
  const kit = await createCognitoTestKit();
  const app = await NestFactory.create(
    {
      module: class AppModule {},
      imports: [CognitoModule.forRoot({ ...kit.moduleOptions, authGuard: true })],
      controllers: [MeController],
    },
    { logger: false },
  );
  await app.listen(0, '127.0.0.1');
  const url = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/me`;
  const withToken = await fetch(url, { headers: { authorization: `Bearer ${kit.accessToken({ username: 'ann' })}` } });
  const without = await fetch(url);
  const root = join(__dirname, '..', '..');
  const loaded = Object.keys(require.cache).filter((path) =>
    /node_modules[\\/](@nestjs[\\/](websockets|platform-socket\.io|platform-ws)|socket\.io|ws)[\\/]/.test(path),
  );
  await app.close();
  await kit.close();
  const ours = asked.filter(({ from }) => from.startsWith(join(root, 'src')));
  process.stdout.write(
    `${JSON.stringify({
      statuses: [withToken.status, without.status],
      body: await withToken.json(),
      askedBy: [...new Set(asked.map(({ from }) => from.slice(root.length + 1)))],
      askedByThePackage: ours.map(({ request }) => request),
      loaded,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
