import type { Type } from '@nestjs/common';
import type { CognitoErrorCode } from '../errors/error-body';
import { loadSwagger, ownHandler } from './cognito-openapi';
import { errorDescription, errorExamples, type ErrorAnswer } from './openapi-error-answers';
import { openApiModels, type Swagger } from './openapi-models';

/** The managed-login routes, by handler name. */
export type ManagedLoginRoute = 'login' | 'callback' | 'logout';
export const MANAGED_LOGIN_ROUTES: readonly ManagedLoginRoute[] = ['login', 'callback', 'logout'];

type Headers = Record<string, { description: string; schema: { type: string } }>;
const NO_STORE: Headers = { 'Cache-Control': { description: 'no-store, on every answer', schema: { type: 'string' } } };
const UNAVAILABLE: ErrorAnswer = {
  status: 503,
  description: 'Cognito could not be reached',
  codes: [['CognitoUnavailable', 'Cognito could not be reached to finish the login']],
};
const NOT_FOUND = 'Without managedLogin in the module options every managed-login route answers 404.';

const ROUTES: Record<
  ManagedLoginRoute,
  { summary: string; description: string; status: number; redirect: string; errors: ErrorAnswer[] }
> = {
  login: {
    summary: 'Start a managed login (Cognito hosted pages)',
    description:
      "Redirects to Cognito's /oauth2/authorize (code flow, PKCE S256, state, nonce), the login state in a " +
      `sealed HttpOnly cookie. ${NOT_FOUND}`,
    status: 302,
    redirect: "Cognito's /oauth2/authorize",
    errors: [
      error(400, 'A returnTo of another site or an unknown identity provider', [
        ['ReturnToRefused', 'returnTo is refused (off-site): give a path of this site'],
        ['UnknownIdentityProvider', 'provider is not one of the configured identity providers'],
      ]),
    ],
  },
  callback: {
    summary: 'Finish a managed login (Cognito redirects here)',
    description:
      'Checks the state, exchanges the code, verifies the ID token and its nonce, starts a server-side ' +
      'session and redirects to returnTo with the session cookie. A login cancelled at Cognito (`error=`) ' +
      `redirects to returnTo with loginError=<code>. ${NOT_FOUND}`,
    status: 302,
    redirect: 'returnTo (a path of this site), with loginError=<code> when the login was cancelled',
    errors: [
      error(400, 'No valid login state for this browser', [
        ['LoginStateInvalid', 'The login state is missing: start the login again'],
      ]),
      error(401, 'Cognito refused the code, or the ID token or its nonce did not verify', [
        ['LoginFailed', 'The login could not be completed: sign in again'],
      ]),
      UNAVAILABLE,
    ],
  },
  logout: {
    summary: 'Sign out of the session and of Cognito (a form post)',
    description:
      "Ends the session, revokes its refresh token at Cognito, clears the cookie and redirects to Cognito's " +
      '/logout, which returns to managedLogin.logoutUri. The Origin must be an allowed one (authController.' +
      "allowedOrigins, default managedLogin.redirectUri's origin); without an Origin the CSRF header is " +
      `required. ${NOT_FOUND}`,
    status: 303,
    redirect: "Cognito's /logout?client_id&logout_uri",
    errors: [
      error(403, 'A cross-site logout', [['CsrfCheckFailed', 'This origin may not sign out']]),
      error(503, 'The session store could not be reached', [
        ['SessionStoreUnavailable', 'The session store is unavailable'],
      ]),
    ],
  },
};

function error(status: number, description: string, codes: Array<[CognitoErrorCode, string]>): ErrorAnswer {
  return { status, description, codes };
}

/**
 * With `@nestjs/swagger` installed, describes the managed-login routes of `controller` (one
 * registration's): the redirect each answers, its query, and its error answers. Without it, nothing.
 */
export function documentManagedLoginEndpoints(
  controller: Type,
  doc: { name?: string; csrfHeader: string },
  load: () => Swagger | undefined = loadSwagger,
): void {
  const swagger = load();
  if (!swagger) return;
  const models = openApiModels(swagger);
  const { ApiExtraModels, ApiHeader, ApiOperation, ApiQuery, ApiResponse, ApiTags } = swagger;
  ApiTags(doc.name === undefined ? 'auth' : `auth/${doc.name}`)(controller);
  ApiExtraModels(models.CognitoErrorBody)(controller);
  for (const route of MANAGED_LOGIN_ROUTES) {
    const handler = ownHandler(controller, route);
    const { summary, description, status, redirect, errors } = ROUTES[route];
    const decorators: MethodDecorator[] = [
      ApiOperation({ summary, description, operationId: operationId(route, doc.name) }),
      ApiResponse({
        status,
        description: `Redirect to ${redirect}`,
        headers: {
          ...NO_STORE,
          Location: { description: redirect, schema: { type: 'string' } },
          'Set-Cookie': { description: 'The login state, session or clearing cookies', schema: { type: 'string' } },
        },
      }),
      ...errors.map((answer) =>
        ApiResponse({
          status: answer.status,
          description: errorDescription(answer),
          type: models.CognitoErrorBody,
          headers: NO_STORE,
          examples: errorExamples(answer),
        }),
      ),
    ];
    if (route === 'login') {
      decorators.push(
        ApiQuery({ name: 'returnTo', required: false, description: 'A path of this site to return to (default /)' }),
        ApiQuery({ name: 'provider', required: false, description: 'One of managedLogin.identityProviders' }),
      );
    }
    if (route === 'callback') {
      for (const name of ['code', 'state', 'error'])
        decorators.push(ApiQuery({ name, required: false, description: `Set by Cognito: ${name}` }));
    }
    if (route === 'logout') {
      decorators.push(
        ApiHeader({ name: doc.csrfHeader, required: false, description: 'Required when the request has no Origin' }),
      );
    }
    for (const decorator of decorators) decorator(controller.prototype, route, handler);
  }
}

/** `cognitoManagedLogin`, or `cognitoStaffManagedLogin` for the pool named `staff`. */
function operationId(route: ManagedLoginRoute, name: string | undefined): string {
  const pool = (name ?? '')
    .split(/[-_]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return `cognito${pool}Managed${route.charAt(0).toUpperCase()}${route.slice(1)}`;
}
