// With @nestjs/swagger installed, the app's own SwaggerModule document lists the module's
// endpoints: request bodies, the tokens answer, the cookie and CSRF header in cookie mode,
// and every error status with the module's error body. Checked over HTTP (GET /docs-json)
// on Express and Fastify, and against the endpoints' real answers (cognito-local).
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { CognitoModule } from '../../src';
import { ADAPTERS, createApp, http } from '../support/bootstrap';
import type { SignedInUser } from '../support/cognito-local';
import { rememberSecrets } from '../support/secrets';
import { type CognitoTarget, localTarget } from '../support/target';

const ERRORS = ['400', '401', '403', '413', '415', '429', '500', '502', '503', '504'];
const ROUTES = ['sign-in', 'challenge', 'refresh', 'sign-out'];
/** Served in session mode only (404 without it), documented on every authController registration. */
const SESSION_ROUTES = ['session', 'ws-ticket'];
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

interface Operation {
  operationId: string;
  description?: string;
  tags: string[];
  parameters: Array<{ name: string; in: string; required?: boolean }>;
  requestBody: { required: boolean; content: { 'application/json': { schema: unknown } } };
  responses: Record<
    string,
    { description: string; headers?: Record<string, unknown>; content?: { 'application/json': MediaType } }
  >;
}
interface MediaType {
  schema: unknown;
  examples?: Record<
    string,
    { summary: string; value: { statusCode: number; error: string; message: string; code: string } }
  >;
}
interface Schema {
  properties: Record<string, { allOf?: unknown[] }>;
  required: string[];
}
interface Document {
  paths: Record<string, { post?: Operation; get?: Operation }>;
  components: { schemas: Record<string, Schema> };
}

describe.each(ADAPTERS)('the OpenAPI document with @nestjs/swagger installed (cognito-local), on %s', (adapter) => {
  let target: CognitoTarget;
  let user: SignedInUser;
  let app: INestApplication;
  let doc: Document;
  beforeAll(async () => {
    target = await localTarget({ secret: true });
    user = target.user as SignedInUser;
    rememberSecrets(user.password);
    // Two registrations: the auth endpoints in cookie mode, and a named pool's refresh endpoint in body mode.
    app = await createApp(
      adapter,
      {
        imports: [
          CognitoModule.forRoot({ ...target.options, authController: { cookie: {} } }),
          CognitoModule.forRoot({ ...target.options, name: 'staff', refreshController: true }),
        ],
      },
      (app) =>
        SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, new DocumentBuilder().build()), {
          ui: false,
        }),
    );
    doc = (await http(app).get('/docs-json').expect(200)).body as Document;
  });
  afterAll(() => app.close());

  const operation = (path: string) => (doc.paths[path].post ?? doc.paths[path].get)!;
  /** The codes the document lists for a route's status: its examples' keys. */
  const codesOf = (path: string, status: number | string) =>
    Object.keys(operation(path).responses[String(status)].content!['application/json'].examples ?? {});

  it(
    'gives each error status its own examples, one per code it lists, each a body of that status; the ' +
      'description lists the same codes',
    () => {
      const paths = [...ROUTES.map((route) => `/auth/${route}`), '/auth/staff/refresh'];
      const firstExamples = new Set<string>();
      for (const path of paths) {
        for (const status of ERRORS) {
          const response = operation(path).responses[status];
          const examples = Object.entries(response.content!['application/json'].examples ?? {});
          expect(examples.length).toBeGreaterThan(0);
          for (const [code, { summary, value }] of examples) {
            expect(value).toEqual({
              statusCode: Number(status),
              error: expect.any(String),
              message: expect.any(String),
              code,
            });
            expect(summary).toBe(`${status} ${code}`);
          }
          expect(response.description).toMatch(new RegExp(`Codes: ${examples.map(([code]) => code).join(', ')}$`));
          firstExamples.add(JSON.stringify(examples[0][1].value));
        }
      }
      // No two statuses share an example (today's document showed one 401 body for all of them).
      expect(firstExamples.size).toBeGreaterThanOrEqual(ERRORS.length);
      expect(codesOf('/auth/refresh', 401)).toEqual(['NotAuthorizedException', 'RefreshTokenMissing']);
      expect(codesOf('/auth/staff/refresh', 401)).toEqual(['NotAuthorizedException']);
      expect(codesOf('/auth/refresh', 403)[0]).toBe('CsrfCheckFailed');
      expect(codesOf('/auth/staff/refresh', 403)).toEqual(['ForbiddenException']);
      expect(codesOf('/auth/challenge', 400)[0]).toBe('UnexpectedChallengeResponse');
      expect(codesOf('/auth/sign-in', 401)).toEqual(['NotAuthorizedException']);
      expect(
        operation('/auth/sign-in').responses['401'].content!['application/json'].examples!.NotAuthorizedException.value
          .message,
      ).toBe('Incorrect username or password');
    },
  );

  it(
    'lists sign-in, challenge, refresh and sign-out with their 200 (204) answer and every error status, each ' +
      'with the error body',
    () => {
      expect(Object.keys(doc.paths)).toEqual([
        ...[...ROUTES, ...SESSION_ROUTES].map((route) => `/auth/${route}`),
        '/auth/staff/refresh',
      ]);
      for (const route of ROUTES) {
        const { responses, tags } = operation(`/auth/${route}`);
        const success = route === 'sign-out' ? '204' : '200';
        expect(Object.keys(responses).sort()).toEqual([success, ...ERRORS].sort());
        if (route === 'refresh')
          expect(responses['200'].content!['application/json'].schema).toEqual(ref('CognitoTokensResponse'));
        // Sign-in and challenge: the tokens, or in session mode `{ signedIn, session }`.
        if (route === 'sign-in' || route === 'challenge')
          expect(responses['200'].content!['application/json'].schema).toEqual({
            oneOf: [ref('CognitoTokensResponse'), ref('CognitoSessionSignInResponse')],
          });
        for (const status of ERRORS)
          expect(responses[status].content!['application/json'].schema).toEqual(ref('CognitoErrorBody'));
        expect(responses['200' in responses ? '200' : '204'].headers).toHaveProperty('Set-Cookie');
        expect(responses['429'].headers).toHaveProperty('Retry-After');
        expect(tags).toEqual(['auth']);
      }
      expect(operation('/auth/sign-in').responses['401'].description).toMatch(/^Incorrect username or password/);
    },
  );

  it('describes the request bodies, and in cookie mode the cookie and the CSRF header of refresh and sign-out', () => {
    const bodies = {
      'sign-in': 'CognitoSignInBody',
      challenge: 'CognitoChallengeBody',
      refresh: 'CognitoRefreshBody',
      'sign-out': 'CognitoSignOutBody',
    };
    for (const [route, model] of Object.entries(bodies)) {
      expect(operation(`/auth/${route}`).requestBody.content['application/json'].schema).toEqual(ref(model));
    }
    const { schemas } = doc.components;
    expect(schemas.CognitoSignInBody.required).toEqual(['username', 'password']);
    expect(schemas.CognitoChallengeBody.required).toEqual(['challengeName', 'session', 'username', 'responses']);
    expect(Object.keys(schemas.CognitoRefreshBody.properties)).toEqual([
      'refreshToken',
      'refresh_token',
      'username',
      'deviceKey',
    ]);
    expect(schemas.CognitoRefreshBody.required ?? []).toEqual([]);
    for (const route of ['refresh', 'sign-out']) {
      const { parameters, requestBody, responses } = operation(`/auth/${route}`);
      expect(parameters).toEqual([
        expect.objectContaining({ name: 'cognito_refresh_token', in: 'cookie', required: false }),
        expect.objectContaining({ name: 'x-requested-with', in: 'header', required: false }),
      ]);
      expect(requestBody.required).toBe(false);
      expect(responses['403'].description).toMatch(/CsrfCheckFailed/);
    }
    expect(operation('/auth/sign-in').parameters).toEqual([]);
    expect(operation('/auth/sign-in').requestBody.required).toBe(true);
  });

  it('describes the session-mode routes: GET session and POST ws-ticket, their answers and codes', () => {
    const session = doc.paths['/auth/session'].get!;
    expect(session.operationId).toBe('cognitoSession');
    expect(session.requestBody).toBeUndefined();
    expect(Object.keys(session.responses)).toEqual(['200', '401', '404', '503']);
    expect(session.responses['200'].content!['application/json'].schema).toEqual(ref('CognitoSessionSummary'));
    expect(session.responses['200'].headers).toHaveProperty('Cache-Control');
    expect(codesOf('/auth/session', 401)).toEqual(['SessionInvalid', 'SessionExpired']);
    expect(codesOf('/auth/session', 503)).toEqual(['SessionStoreUnavailable']);
    const ticket = doc.paths['/auth/ws-ticket'].post!;
    expect(Object.keys(ticket.responses)).toEqual(['200', '401', '403', '404', '415', '503']);
    expect(ticket.responses['200'].content!['application/json'].schema).toEqual(ref('CognitoWsTicketResponse'));
    expect(codesOf('/auth/ws-ticket', 403)).toEqual(['CsrfCheckFailed']);
    expect(ticket.parameters).toEqual([expect.objectContaining({ name: 'x-requested-with', in: 'header' })]);
    const { schemas } = doc.components;
    expect(Object.keys(schemas.CognitoSessionSignInResponse.properties)).toEqual(['signedIn', 'session']);
    expect(schemas.CognitoSessionSummary.required).toEqual([
      'sub',
      'username',
      'groups',
      'expiresAt',
      'accessTokenExpiresAt',
    ]);
    expect(Object.keys(schemas.CognitoWsTicketResponse.properties)).toEqual(['ticket', 'expiresIn']);
    expect(codesOf('/auth/sign-out', 503)).toContain('SessionStoreUnavailable');
    expect(operation('/auth/refresh').description).toMatch(/Not served in session mode \(404\)/);
  });

  it('describes each registration by its own options, under operation ids unique in the document', () => {
    const staff = operation('/auth/staff/refresh');
    expect(staff).toMatchObject({
      operationId: 'cognitoStaffRefresh',
      tags: ['auth/staff'],
      parameters: [],
      requestBody: { required: true },
    });
    expect(staff.responses['403'].description).not.toMatch(/CsrfCheckFailed/);
    expect(staff.responses['200'].headers).not.toHaveProperty('Set-Cookie');
    const ids = Object.keys(doc.paths).map((path) => operation(path).operationId);
    expect(ids).toEqual([
      'cognitoSignIn',
      'cognitoChallenge',
      'cognitoRefresh',
      'cognitoSignOut',
      'cognitoSession',
      'cognitoWsTicket',
      'cognitoStaffRefresh',
    ]);
  });

  it(
    'documents what the endpoints answer: a sign-in, and ' + 'refusals by the framework, the CSRF check and Cognito',
    async () => {
      const { schemas } = doc.components;
      const signedIn = await http(app)
        .post('/auth/sign-in')
        .send({ username: user.email, password: user.password })
        .expect(200);
      const result = signedIn.body.authenticationResult;
      rememberSecrets(result.accessToken, result.idToken);
      expect(Object.keys(signedIn.body)).toEqual(Object.keys(schemas.CognitoTokensResponse.properties));
      expect(Object.keys(result)).toEqual(Object.keys(schemas.CognitoAuthenticationResult.properties));
      expect(schemas.CognitoTokensResponse.properties.authenticationResult.allOf).toEqual([
        ref('CognitoAuthenticationResult'),
      ]);

      const refusals = [
        ['sign-in', await http(app).post('/auth/sign-in').send({ username: user.email, password: 'wrong password' })],
        ['sign-in', await http(app).post('/auth/sign-in').set('Content-Type', 'text/plain').send('hello')],
        [
          'sign-in',
          await http(app).post('/auth/sign-in').set('Content-Type', 'application/json').send('{"username": '),
        ],
        ['challenge', await http(app).post('/auth/challenge').send({ challengeName: 'SMS_MFA' })],
        ['refresh', await http(app).post('/auth/refresh').set('Cookie', 'cognito_refresh_token=abc.def.ghi')],
        ['sign-out', await http(app).post('/auth/sign-out').set('Cookie', 'cognito_refresh_token=abc.def.ghi')],
        ['refresh', await http(app).post('/auth/refresh').set('x-requested-with', 'fetch')],
        [
          'challenge',
          await http(app)
            .post('/auth/challenge')
            .send({
              challengeName: 'SMS_MFA',
              session: 'session',
              username: 'ann',
              responses: { SMS_MFA_CODE: '123456', DEVICE_KEY: 'd' },
            }),
        ],
      ] as const;
      expect(refusals.map(([, res]) => res.status)).toEqual([401, 415, 400, 400, 403, 403, 401, 400]);
      for (const [route, res] of refusals) {
        expect(Object.keys(operation(`/auth/${route}`).responses)).toContain(String(res.status));
        // The code answered is one the document lists for that status.
        expect(codesOf(`/auth/${route}`, res.status)).toContain(res.body.code);
        expect(Object.keys(res.body)).toEqual(schemas.CognitoErrorBody.required);
        expect(Object.keys(schemas.CognitoErrorBody.properties)).toEqual(schemas.CognitoErrorBody.required);
      }
    },
  );
});
