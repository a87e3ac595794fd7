import type { Type } from '@nestjs/common';
import { errorAnswers, errorDescription, errorExamples, type TokenRoute } from './openapi-error-answers';
import { openApiModels, type OpenApiModels, type Swagger } from './openapi-models';

export type { TokenRoute } from './openapi-error-answers';

const PACKAGE = '@nestjs/swagger';

/** What the document says of one registration's endpoints. */
export interface TokenEndpointsDoc {
  /** The registration's `name`: in the tag (`auth`, `auth/<name>`) and the operation ids (unique in a document). */
  name?: string;
  /** Cookie mode: the cookie's name. */
  cookieName?: string;
  csrfHeader: string;
  /** Cookie mode with `allowedOrigins`: sign-in and challenge check the Origin. */
  checksOrigin?: boolean;
}

/**
 * `@nestjs/swagger` when the app has it (an optional peer), else undefined. Looked up
 * when the module is registered, never imported at the top: an app without it loads
 * none of it. Installed but failing to load is an error, not a reason to go without.
 * `resolve` and `load` are replaceable for the tests of a missing package.
 */
export function loadSwagger(
  resolve: (request: string) => string = require.resolve,
  load: (path: string) => unknown = require,
): Swagger | undefined {
  let path: string;
  try {
    path = resolve(PACKAGE);
  } catch (error) {
    if ((error as { code?: string }).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
  return load(path) as Swagger;
}

/**
 * With `@nestjs/swagger` installed, describes `controller`'s routes for
 * `SwaggerModule.createDocument`: bodies, the tokens answer, the cookie and the CSRF
 * header in cookie mode, and every error status with the module's error body. The
 * routes get handlers of this class's own first (the same code, the same Nest
 * metadata): the inherited ones are shared by every registration, whose cookies and
 * operation ids differ. Without `@nestjs/swagger`, nothing happens.
 */
export function documentTokenEndpoints(
  controller: Type,
  routes: readonly TokenRoute[],
  doc: TokenEndpointsDoc,
  load: () => Swagger | undefined = loadSwagger,
): void {
  const swagger = load();
  if (!swagger) return;
  const models = openApiModels(swagger);
  swagger.ApiTags(doc.name === undefined ? 'auth' : `auth/${doc.name}`)(controller);
  swagger.ApiExtraModels(
    models.CognitoErrorBody,
    models.CognitoTokensResponse,
    models.CognitoSessionSignInResponse,
  )(controller);
  for (const route of routes) {
    const handler = ownHandler(controller, route);
    for (const decorator of routeDecorators(swagger, models, route, doc))
      decorator(controller.prototype, route, handler);
  }
}

/**
 * Overrides the inherited handler `route` with one of `controller`'s
 * own that calls it (`super`), with a copy of its metadata. Also used for the managed-login routes.
 * @internal
 */
export function ownHandler(controller: Type, route: string): PropertyDescriptor {
  type Handlers = Record<string, (...args: unknown[]) => unknown>;
  const prototype = controller.prototype as Handlers;
  const parent = Object.getPrototypeOf(prototype) as Handlers;
  const inherited = parent[route];
  const own = {
    [route](this: unknown, ...args: unknown[]) {
      return parent[route].apply(this, args);
    },
  }[route];
  for (const key of Reflect.getMetadataKeys(inherited))
    Reflect.defineMetadata(key, Reflect.getMetadata(key, inherited), own);
  const descriptor = { value: own, writable: true, enumerable: false, configurable: true };
  Object.defineProperty(prototype, route, descriptor);
  return descriptor;
}

const SESSION_MODE =
  ' In session mode (the `session` option) a sign-in answers `{ signedIn: true, session }` and sets the HttpOnly ' +
  'session cookie: no token in the body (a challenge is answered as without it).';

const SUMMARIES: Record<TokenRoute, [string, string]> = {
  signIn: [
    'Sign in with a username and password',
    'AdminInitiateAuth (ADMIN_USER_PASSWORD_AUTH). 200 with the tokens, or with a challenge to answer.' + SESSION_MODE,
  ],
  challenge: [
    'Answer a sign-in challenge',
    'AdminRespondToAuthChallenge. 200 with the tokens, or with the next challenge.' + SESSION_MODE,
  ],
  refresh: [
    'Get new tokens for a refresh token',
    'The refresh token from the body or, in cookie mode, from the cookie. Not served in session mode (404): ' +
      'a session refreshes itself on the server.',
  ],
  signOut: [
    'Sign out: revoke the refresh token',
    'RevokeToken. 204 also when there is nothing (left) to revoke. In session mode: ends the session named by ' +
      'its cookie (the CSRF header or an allowed Origin required), revokes its refresh token, clears the cookie.',
  ],
  session: [
    'Who is signed in (session mode)',
    "The session's user: claims a page needs, groups, expiry; never a token. Session mode only (404 without it).",
  ],
  wsTicket: [
    'A WebSocket connection ticket (session mode)',
    'Single use, valid `expiresIn` seconds: a WebSocket handshake never authenticates by cookie. The CSRF header ' +
      'or an allowed Origin is required. Session mode only (404 without it).',
  ],
};

function routeDecorators(
  swagger: Swagger,
  models: OpenApiModels,
  route: TokenRoute,
  doc: TokenEndpointsDoc,
): MethodDecorator[] {
  const { ApiBody, ApiHeader, ApiOperation, ApiParam, ApiResponse } = swagger;
  const cookieMode = doc.cookieName !== undefined;
  const readsCookie = cookieMode && (route === 'refresh' || route === 'signOut');
  const [summary, description] = SUMMARIES[route];
  type Headers = Record<string, { description: string; schema: { type: string } }>;
  const noStore: Headers = {
    'Cache-Control': { description: 'no-store, on every answer', schema: { type: 'string' } },
  };
  const setCookie: Headers = cookieMode
    ? {
        'Set-Cookie': {
          description: route === 'signOut' ? 'Clears the refresh cookie' : 'The HttpOnly refresh cookie',
          schema: { type: 'string' },
        },
      }
    : {};
  const body = BODIES[route];
  const decorators: MethodDecorator[] = [
    ApiOperation({ summary, description, operationId: operationId(route, doc.name) }),
    ...(body ? [ApiBody({ type: body(models), required: !readsCookie })] : []),
    successAnswer(swagger, models, route, cookieMode, { ...noStore, ...setCookie }),
  ];
  if (route === 'wsTicket')
    decorators.push(
      ApiHeader({
        name: doc.csrfHeader,
        required: false,
        description: 'Required (any value) unless an allowed Origin',
      }),
    );
  if (readsCookie) {
    const option = {
      name: doc.cookieName!,
      required: false,
      schema: { type: 'string' },
      description: 'The refresh cookie, read when the body has no token',
    };
    // ApiParam takes `in` from its options: the cookie is a parameter in the cookie,
    // which ApiCookieAuth cannot say without a scheme in the app's DocumentBuilder.
    decorators.push(ApiParam({ ...option, in: 'cookie' } as Parameters<typeof ApiParam>[0]));
    decorators.push(
      ApiHeader({
        name: doc.csrfHeader,
        required: false,
        description: 'Required (any value) when the refresh token comes from the cookie',
      }),
    );
  }
  const mode = {
    readsCookie,
    cookieMode,
    checksOrigin: Boolean(doc.checksOrigin) && !readsCookie,
    csrfHeader: doc.csrfHeader,
  };
  for (const answer of errorAnswers(route, mode)) {
    const { status } = answer;
    const headers =
      status === 429 || status === 503
        ? { ...noStore, 'Retry-After': { description: 'Seconds', schema: { type: 'integer' } } }
        : noStore;
    // Each status its own examples, one per code it can carry: the shared schema's example is a 401's.
    decorators.push(
      ApiResponse({
        status,
        description: errorDescription(answer),
        type: models.CognitoErrorBody,
        headers,
        examples: errorExamples(answer),
      }),
    );
  }
  return decorators;
}

/** The 200 (204) answer of `route`. */
function successAnswer(
  swagger: Swagger,
  models: OpenApiModels,
  route: TokenRoute,
  cookieMode: boolean,
  headers: Record<string, { description: string; schema: { type: string } }>,
): MethodDecorator {
  const { ApiResponse } = swagger;
  const tokens = cookieMode ? 'The tokens; `refreshToken` is null, the token is in the HttpOnly cookie' : 'The tokens';
  switch (route) {
    case 'signOut':
      return ApiResponse({ status: 204, description: 'Signed out', headers });
    case 'session':
      return ApiResponse({ status: 200, description: 'The session', type: models.CognitoSessionSummary, headers });
    case 'wsTicket':
      return ApiResponse({ status: 200, description: 'The ticket', type: models.CognitoWsTicketResponse, headers });
    case 'refresh':
      return ApiResponse({ status: 200, description: tokens, type: models.CognitoTokensResponse, headers });
    default: {
      // Sign-in and challenge: which of the two depends on `session`, a module option known only at runtime.
      const oneOf = [models.CognitoTokensResponse, models.CognitoSessionSignInResponse].map((model) => ({
        $ref: swagger.getSchemaPath(model as never),
      }));
      const description = `${tokens}; in session mode \`{ signedIn, session }\` and the session cookie instead`;
      return ApiResponse({ status: 200, description, schema: { oneOf }, headers });
    }
  }
}

const BODIES: Partial<Record<TokenRoute, (models: OpenApiModels) => OpenApiModels[keyof OpenApiModels]>> = {
  signIn: (models) => models.CognitoSignInBody,
  challenge: (models) => models.CognitoChallengeBody,
  refresh: (models) => models.CognitoRefreshBody,
  signOut: (models) => models.CognitoSignOutBody,
};

/** `cognitoSignIn`, or `cognitoStaffSignIn` for the pool named `staff`. */
function operationId(route: TokenRoute, name: string | undefined): string {
  const pool = (name ?? '')
    .split(/[-_]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return `cognito${pool}${route.charAt(0).toUpperCase()}${route.slice(1)}`;
}
