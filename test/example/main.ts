// `npm start`: a local Cognito (cognito-local) with a demo pool and user, and an
// example Nest app serving POST /auth/refresh against it. With COGNITO_USER_POOL_ID
// (and the other COGNITO_* variables) set, it uses that pool and starts no emulator.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { createDemoPool, startCognitoLocal } from '../support/cognito-local';
import { ExampleAppModule } from './app.module';

async function main(): Promise<void> {
  const usePool = Boolean(process.env.COGNITO_USER_POOL_ID);
  const emulator = usePool ? undefined : await startCognitoLocal();
  const demo = emulator ? await createDemoPool(emulator.endpoint, { secret: true }) : undefined;
  if (emulator && demo) {
    Object.assign(process.env, {
      COGNITO_REGION: demo.region,
      COGNITO_USER_POOL_ID: demo.userPoolId,
      COGNITO_CLIENT_ID: demo.clientId,
      COGNITO_CLIENT_SECRET: demo.clientSecret,
      // No AWS credentials: for an endpoint on this machine the module signs with placeholders.
      COGNITO_ENDPOINT: emulator.endpoint,
    });
  }

  const app = await NestFactory.create(ExampleAppModule);
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
  const url = `${(await app.getUrl()).replace('[::1]', 'localhost')}/auth/refresh`;

  const stop = async () => {
    await app.close();
    await emulator?.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  // The demo user's token is printed on purpose: it is a throwaway token of a
  // local emulator. With a real pool, nothing secret is ever printed.
  const body = demo ? { refreshToken: demo.refreshToken, username: demo.username } : { refreshToken: '<refresh token>', username: '<username>' };
  process.stdout.write(
    [
      '',
      emulator
        ? `cognito-local (demo pool ${demo!.userPoolId}, user ${demo!.email}) at ${emulator.endpoint}`
        : `Using pool ${process.env.COGNITO_USER_POOL_ID}`,
      `Refresh endpoint: POST ${url}`,
      '',
      'Try it:',
      `curl -s -X POST ${url} -H 'content-type: application/json' -d '${JSON.stringify(body)}'`,
      '',
      'Ctrl-C stops the app' + (emulator ? ' and the emulator.' : '.'),
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
