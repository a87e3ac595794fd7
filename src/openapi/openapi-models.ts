import type * as SwaggerPackage from '@nestjs/swagger';
import { CHALLENGE_RESPONSE } from '../internal/input-checks';

/** `@nestjs/swagger` as loaded at run time (an optional peer: this file only names its types). */
export type Swagger = typeof SwaggerPackage;

type PropertyOptions = SwaggerPackage.ApiPropertyOptions;
// The classes only carry OpenAPI metadata; their names are the schemas' names in the document.
type Model = abstract new () => object;

/** The schemas of the token endpoints, as classes that `@nestjs/swagger` turns into components. */
export interface OpenApiModels {
  CognitoErrorBody: Model;
  CognitoTokensResponse: Model;
  CognitoSignInBody: Model;
  CognitoChallengeBody: Model;
  CognitoRefreshBody: Model;
  CognitoSignOutBody: Model;
  CognitoSessionSignInResponse: Model;
  CognitoSessionSummary: Model;
  CognitoWsTicketResponse: Model;
}

const made = new WeakMap<Swagger, OpenApiModels>();

/**
 * The models, made once per loaded `@nestjs/swagger`: one schema per name in the
 * document, however many registrations refer to it. Their properties are those of
 * `CognitoErrorBody` and `RefreshTokensResponse` and of the bodies the endpoints read.
 */
export function openApiModels(swagger: Swagger): OpenApiModels {
  let models = made.get(swagger);
  if (!models) {
    models = makeModels(swagger);
    made.set(swagger, models);
  }
  return models;
}

function makeModels(swagger: Swagger): OpenApiModels {
  const define = (model: Model, properties: Record<string, PropertyOptions>): void => {
    for (const [name, options] of Object.entries(properties))
      swagger.ApiProperty(options)(model.prototype as object, name);
  };
  const text = (description: string, extra: PropertyOptions = {}): PropertyOptions =>
    ({ type: 'string', description, ...extra }) as PropertyOptions;
  const optional = (description: string): PropertyOptions => text(description, { required: false } as PropertyOptions);
  const nullable = (description: string): PropertyOptions => text(description, { nullable: true });

  class CognitoErrorBody {}
  define(CognitoErrorBody, {
    statusCode: { type: 'integer', description: 'The HTTP status', example: 401 },
    error: text('The HTTP reason phrase', { example: 'Unauthorized' }),
    message: text("The module's own words, safe to show: never a token, a secret or Cognito's message", {
      example: 'Invalid refresh token',
    }),
    code: text(
      "One of the module's codes (CsrfCheckFailed, InvalidJson, CognitoUnavailable, ...) or the name of " +
        "Cognito's error",
      {
        example: 'NotAuthorizedException',
      },
    ),
  });

  class CognitoNewDeviceMetadata {}
  define(CognitoNewDeviceMetadata, {
    deviceKey: nullable('The remembered device'),
    deviceGroupKey: nullable("The device's group"),
  });

  class CognitoAuthenticationResult {}
  define(CognitoAuthenticationResult, {
    accessToken: nullable('A JWT for the API (Authorization: Bearer)'),
    expiresIn: {
      type: 'integer',
      nullable: true,
      description: 'Seconds until the access and ID tokens expire',
      example: 3600,
    },
    tokenType: nullable('Bearer'),
    refreshToken: nullable(
      'The refresh token; null in cookie mode (it is in the HttpOnly cookie) and on a refresh that does not rotate it',
    ),
    idToken: nullable("A JWT with the user's attributes"),
    newDeviceMetadata: {
      type: () => CognitoNewDeviceMetadata,
      nullable: true,
      description: 'A new device, when device tracking is on',
    },
  });

  class CognitoTokensResponse {}
  define(CognitoTokensResponse, {
    challengeName: nullable(
      'The challenge Cognito asks for (then `authenticationResult` is null): answer it at `challenge`',
    ),
    session: nullable('The session to send back with the challenge answer'),
    challengeParameters: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: "The challenge's parameters; USER_ID_FOR_SRP is the username for the challenge answer",
    },
    authenticationResult: {
      type: () => CognitoAuthenticationResult,
      nullable: true,
      description: 'The tokens; null while a challenge is pending',
    },
  });

  class CognitoSignInBody {}
  define(CognitoSignInBody, {
    username: text('Username, or email or phone number for a pool that signs in with them'),
    password: text('The password', { format: 'password' }),
  });

  class CognitoChallengeBody {}
  define(CognitoChallengeBody, {
    challengeName: text("The previous answer's `challengeName`", { enum: Object.keys(CHALLENGE_RESPONSE) }),
    session: text("The previous answer's `session`"),
    username: text("The previous answer's `challengeParameters.USER_ID_FOR_SRP`"),
    responses: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: `The answer: ${Object.entries(CHALLENGE_RESPONSE)
        .map(([challenge, response]) => `${response} for ${challenge}`)
        .join(', ')}`,
      example: { SOFTWARE_TOKEN_MFA_CODE: '123456' },
    },
  });

  const token =
    'The refresh token; `refresh_token` is also read (not both). In cookie mode leave it out to use the cookie';
  class CognitoRefreshBody {}
  define(CognitoRefreshBody, {
    refreshToken: optional(token),
    refresh_token: optional('The same as `refreshToken`'),
    username: optional(
      "For an app client with a secret: the user's username (else taken from the cookie or an " +
        'Authorization: Bearer token)',
    ),
    deviceKey: optional('The remembered device the refresh token was issued to'),
  });

  class CognitoSignOutBody {}
  define(CognitoSignOutBody, { refreshToken: optional(token), refresh_token: optional('The same as `refreshToken`') });

  return {
    CognitoErrorBody,
    CognitoTokensResponse,
    CognitoSignInBody,
    CognitoChallengeBody,
    CognitoRefreshBody,
    CognitoSignOutBody,
    ...sessionModels(define),
  };
}

function sessionModels(define: (model: Model, properties: Record<string, PropertyOptions>) => void) {
  const seconds = (description: string) => ({ type: 'integer', description }) as PropertyOptions;
  class CognitoSessionSummary {}
  define(CognitoSessionSummary, {
    sub: { type: 'string', description: "The user's `sub`" },
    username: { type: 'string', description: 'The internal username' },
    email: { type: 'string', required: false, description: "The ID token's email" } as PropertyOptions,
    name: { type: 'string', required: false, description: "The ID token's name" } as PropertyOptions,
    groups: { type: 'array', items: { type: 'string' }, description: "The user's groups" } as PropertyOptions,
    expiresAt: seconds('When the session ends at the latest (epoch seconds)'),
    accessTokenExpiresAt: seconds('When the server-side access token expires (epoch seconds; it refreshes itself)'),
  });
  class CognitoSessionSignInResponse {}
  define(CognitoSessionSignInResponse, {
    signedIn: { type: 'boolean', enum: [true], description: 'Signed in: the session cookie is set' } as PropertyOptions,
    session: { type: () => CognitoSessionSummary, description: 'Who is signed in; never a token' },
  });
  class CognitoWsTicketResponse {}
  define(CognitoWsTicketResponse, {
    ticket: {
      type: 'string',
      description: 'Single use: socket.io `auth.ticket`, `connectionParams.ticket`, `?ticket=`',
    },
    expiresIn: seconds('Seconds the ticket stays valid'),
  });
  return { CognitoSessionSignInResponse, CognitoSessionSummary, CognitoWsTicketResponse };
}
