// `npm start`: a local Cognito (cognito-local behind the testing kit's managed-login front, with a
// federated OIDC provider) with a demo pool and user, and an example Nest app serving the session
// endpoints against it with server-side sessions: password sign-in, managed login, the session's
// summary and sign-out under /auth, the browser holding only an HttpOnly session cookie. A demo page
// at / and the OpenAPI document at /docs. With COGNITO_USER_POOL_ID (and the other COGNITO_*
// variables; COGNITO_DOMAIN for managed login) set, it uses that pool and starts no emulator.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { type CognitoLocal, startCognitoLocal } from '../src/testing';
import { freePort } from '../test/support/cognito-local';
import { ExampleAppModule } from './app.module';

const DEMO_EMAIL = 'demo@example.com';
const DEMO_PASSWORD = 'Demo-passw0rd!';
const FEDERATED_PROVIDER = 'DemoIdP';

async function main(): Promise<void> {
  // The app's own URL is known before it starts: the pool's callback and sign-out URLs name it.
  const port = Number(process.env.PORT ?? 3000) || (await freePort());
  const base = `http://127.0.0.1:${port}`;
  process.env.DEMO_APP_URL = base;
  const usePool = Boolean(process.env.COGNITO_USER_POOL_ID);
  // Short-lived access tokens (30 s by default) show the server refreshing them: the page never sees one.
  const validity = Number(process.env.DEMO_TOKEN_VALIDITY_SECONDS ?? 30);
  const emulator: CognitoLocal | undefined = usePool
    ? undefined
    : await startCognitoLocal({
        // The demo user is in the group readers and not admins: the page's guarded routes show both.
        users: [
          {
            username: DEMO_EMAIL,
            password: DEMO_PASSWORD,
            groups: ['readers'],
            attributes: { email: DEMO_EMAIL, email_verified: 'true', name: 'Demo User' },
          },
        ],
        oauth: {
          callbackUrls: [`${base}/auth/callback`],
          logoutUrls: [`${base}/`],
          federated: {
            name: FEDERATED_PROVIDER,
            users: [{ sub: 'ada', email: 'ada@idp.example', name: 'Ada (DemoIdP)' }],
          },
        },
        tokenValiditySeconds: validity,
      });
  if (emulator) {
    const { region, userPoolId, clientId, clientSecret, endpoint } = emulator.moduleOptions;
    Object.assign(process.env, {
      COGNITO_REGION: region,
      COGNITO_USER_POOL_ID: userPoolId,
      COGNITO_CLIENT_ID: clientId,
      COGNITO_CLIENT_SECRET: clientSecret,
      // No AWS credentials: for an endpoint on this machine the module signs with placeholders.
      COGNITO_ENDPOINT: endpoint,
      COGNITO_DOMAIN: emulator.oauth!.domain,
      COGNITO_IDENTITY_PROVIDERS: FEDERATED_PROVIDER,
      DEMO_USERNAME: DEMO_EMAIL,
      DEMO_PASSWORD,
    });
  }

  const app = await NestFactory.create(ExampleAppModule);
  // The module's endpoints are in the document without any setup of their own.
  const config = new DocumentBuilder().setTitle('nestjs-cognito-sync example').addBearerAuth().build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config));
  await app.listen(port, '127.0.0.1');

  const stop = async () => {
    await app.close();
    await emulator?.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  // The demo user's password is printed on purpose: a throwaway one of a local emulator. No token,
  // no client secret, no session secret is ever printed.
  const domain = process.env.COGNITO_DOMAIN;
  const credentials = emulator
    ? { username: DEMO_EMAIL, password: DEMO_PASSWORD }
    : { username: '<username>', password: '<password>' };
  process.stdout.write(
    [
      '',
      emulator
        ? `cognito-local (demo pool ${emulator.moduleOptions.userPoolId}, user ${DEMO_EMAIL}) at ${domain}`
        : `Using pool ${process.env.COGNITO_USER_POOL_ID}`,
      `Demo page: ${base}/` + (emulator ? ` (sign in as ${DEMO_EMAIL} / ${DEMO_PASSWORD})` : ''),
      domain
        ? `Managed login: ${base}/auth/login (Cognito's login page at ${domain}` +
          (emulator ? `; or ${base}/auth/login?provider=${FEDERATED_PROVIDER}, a federated OIDC provider)` : ')')
        : 'Managed login: off (set COGNITO_DOMAIN)',
      ...(emulator
        ? [`Access tokens live ${validity} s: the server refreshes them, the browser never holds one.`]
        : []),
      `OpenAPI: ${base}/docs (JSON: ${base}/docs-json)`,
      '',
      'Try it (a server-side session: curl keeps only its cookie, in demo-cookies.txt):',
      `curl -s -c demo-cookies.txt -X POST ${base}/auth/sign-in -H 'content-type: application/json' ` +
        `-H 'origin: ${base}' -d '${JSON.stringify(credentials)}'`,
      `curl -s -b demo-cookies.txt ${base}/api/profile`,
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
