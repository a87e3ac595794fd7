import type { ClientAuth, Configuration } from 'openid-client';
import { CognitoConfigurationError } from '../errors/cognito.errors';
import { isLoopbackUrl } from '../options/loopback-url';
import type { ResolvedCognitoOptions } from '../options/cognito-module-options';
import { cognitoOAuthServer } from './cognito-oauth-server';
import type { OpenIdClientModule } from './openid-client-loader';

/**
 * openid-client's configuration of the managed login: the hand-built server ({@link cognitoOAuthServer}),
 * the app client authenticated by HTTP Basic with its secret, and plain http allowed only when every
 * URL the server calls is on this machine (an emulator). `client` is the loaded package
 * ({@link loadOpenIdClient}): this file imports only its types, so it never loads it.
 */
export function managedLoginConfiguration(client: OpenIdClientModule, options: ResolvedCognitoOptions): Configuration {
  const { clientId, clientSecret, managedLoginSettings: login } = options;
  // Checked at startup (resolveManagedLogin); a guard against wiring the client without the option.
  if (login === undefined || clientSecret === undefined) {
    throw new CognitoConfigurationError('managedLogin and clientSecret are needed for the managed login client');
  }
  const server = cognitoOAuthServer(options, login);
  const config = new client.Configuration(
    server,
    clientId,
    { client_secret: clientSecret },
    basicWithClientId(client.ClientSecretBasic(clientSecret)),
  );
  if (plainHttpAllowed(server)) client.allowInsecureRequests(config);
  return config;
}

/**
 * HTTP Basic, as the issue asks (openid-client would default to the secret in the body), plus
 * `client_id` in the body: AWS's own examples send it, and cognito-local reads it only from there.
 */
function basicWithClientId(basic: ClientAuth): ClientAuth {
  return (server, client, body, headers) => {
    basic(server, client, body, headers);
    body.set('client_id', client.client_id);
  };
}

/**
 * Whether openid-client may call plain http: only when each http URL it may call is a loopback one.
 * A remote http URL (here only the JWKS, through `endpoint` or `jwt.jwksUri`: `managedLogin.domain`
 * is checked at startup) fails the boot rather than sending the client secret or trusting keys in clear.
 */
function plainHttpAllowed(server: ReturnType<typeof cognitoOAuthServer>): boolean {
  const urls = [server.token_endpoint, server.revocation_endpoint, server.userinfo_endpoint, server.jwks_uri];
  const plain = urls.filter((url): url is string => url !== undefined && new URL(url).protocol === 'http:');
  const remote = plain.find((url) => !isLoopbackUrl(url));
  if (remote !== undefined) {
    throw new CognitoConfigurationError(
      `managedLogin calls ${JSON.stringify(remote)} over plain http on another machine: use https ` +
        '(plain http only for an emulator on this machine)',
    );
  }
  return plain.length > 0;
}
