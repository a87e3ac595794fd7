// An HTTP-only app with the module, app-wide guard and filter on, run by test/optional-peers.spec.ts
// in a child process where GraphQL's packages cannot be resolved (support/block-packages.cjs). Prints one
// JSON line: what it answered, what it tried to load, and whether the block works at all.
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CognitoModule, CognitoUser, Public } from '../../src';

const BLOCKED = process.env.BLOCKED_PACKAGES!.split(',');
const asked = (globalThis as unknown as { blockedRequests: Array<{ request: string }> }).blockedRequests;

@Controller('probe')
class ProbeController {
  @Get('me')
  me(@CognitoUser('username') username: string) {
    return { username };
  }

  @Public()
  @Get('open')
  open(@CognitoUser() user: unknown) {
    return { open: true, user: user ?? null };
  }
}

@Module({
  imports: [
    CognitoModule.forRoot({
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_AbCdEf123',
      clientId: '1h57kf5cpq17m0eml12EXAMPLE',
      authGuard: true,
      // Nothing listens there: the startup fetch fails (logged), and these requests need no keys.
      jwt: { jwksUri: `http://127.0.0.1:${process.argv[2]}/.well-known/jwks.json` },
    }),
  ],
  controllers: [ProbeController],
})
class AppModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  const me = await fetch(`${base}/probe/me`);
  const open = await fetch(`${base}/probe/open`, { headers: { Authorization: 'Bearer not-a-jwt' } });
  await app.close();
  const blockWorks = BLOCKED.every((name) => {
    try {
      require.resolve(name);
      return false;
    } catch {
      return true;
    }
  });
  const loaded = Object.keys(require.cache).filter((file) =>
    /[\\/]node_modules[\\/](graphql|graphql-ws|mercurius|@nestjs[\\/](graphql|apollo|mercurius)|@apollo)[\\/]/.test(
      file,
    ),
  );
  // require.resolve above was blocked too: only what the app tried before it counts.
  const tried = asked.slice(0, asked.length - BLOCKED.length).map(({ request }) => request);
  console.log(
    JSON.stringify({
      me: [me.status, await me.json()],
      open: [open.status, await open.json()],
      tried,
      loaded,
      blockWorks,
    }),
  );
}

void main();
