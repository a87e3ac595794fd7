// `npm start`: a local Cognito (cognito-local) with a demo pool and user, and an example
// Nest app serving the session endpoints (sign-in, challenge, refresh, sign-out) against
// it, a demo page at / and the OpenAPI document at /docs. With COGNITO_USER_POOL_ID (and
// the other COGNITO_* variables) set, it uses that pool and starts no emulator.
import 'reflect-metadata';
import { AdminAddUserToGroupCommand, CreateGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { adminClient, createDemoPool, startCognitoLocal } from '../test/support/cognito-local';
import { ExampleAppModule } from './app.module';

async function main(): Promise<void> {
  const usePool = Boolean(process.env.COGNITO_USER_POOL_ID);
  const emulator = usePool ? undefined : await startCognitoLocal();
  const demo = emulator ? await createDemoPool(emulator.endpoint, { secret: true }) : undefined;
  if (emulator && demo) {
    // Two groups for the page's guarded routes: the demo user is in one and not the other.
    const cognito = adminClient(emulator.endpoint);
    for (const GroupName of ['readers', 'admins'])
      await cognito.send(new CreateGroupCommand({ UserPoolId: demo.userPoolId, GroupName }));
    await cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId: demo.userPoolId, Username: demo.username, GroupName: 'readers' }),
    );
    cognito.destroy();
    Object.assign(process.env, {
      COGNITO_REGION: demo.region,
      COGNITO_USER_POOL_ID: demo.userPoolId,
      COGNITO_CLIENT_ID: demo.clientId,
      COGNITO_CLIENT_SECRET: demo.clientSecret,
      // No AWS credentials: for an endpoint on this machine the module signs with placeholders.
      COGNITO_ENDPOINT: emulator.endpoint,
      DEMO_USERNAME: demo.email,
      DEMO_PASSWORD: demo.password,
    });
  }

  const app = await NestFactory.create(ExampleAppModule);
  // The module's endpoints are in the document without any setup of their own.
  const config = new DocumentBuilder().setTitle('nestjs-cognito-sync example').addBearerAuth().build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config));
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', 'localhost');
  const url = `${base}/auth/refresh`;

  const stop = async () => {
    await app.close();
    await emulator?.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  // The demo user's token and password are printed on purpose: throwaway ones of a
  // local emulator. With a real pool, nothing secret is ever printed.
  const body = demo
    ? { refreshToken: demo.refreshToken, username: demo.username }
    : { refreshToken: '<refresh token>', username: '<username>' };
  process.stdout.write(
    [
      '',
      emulator
        ? `cognito-local (demo pool ${demo!.userPoolId}, user ${demo!.email}) at ${emulator.endpoint}`
        : `Using pool ${process.env.COGNITO_USER_POOL_ID}`,
      `Demo page: ${base}/` + (demo ? ` (sign in as ${demo.email} / ${demo.password})` : ''),
      `OpenAPI: ${base}/docs (JSON: ${base}/docs-json)`,
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
