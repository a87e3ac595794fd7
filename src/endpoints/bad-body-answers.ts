import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { type ArgumentsHost, applyDecorators, Injectable, type OnModuleInit, SetMetadata } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import parseurl from 'parseurl';
import { CognitoSyncError } from '../errors/cognito.errors';
import { CognitoExceptionFilter } from './cognito-exception.filter';
import {
  contentCodingOf,
  isUtf8Json,
  setNoStore,
  unsupportedContentEncoding,
  unsupportedMediaType,
} from './refresh-body-rules';

/** Marks the module's routes, whose body errors the module answers itself. */
const BODY_ERRORS = 'COGNITO:BODY_ERRORS';
/** The key of platform-fastify's `@RouteConfig()`: Fastify hands the route config to the request. */
const FASTIFY_ROUTE_CONFIG = '__fastify_route_config__';
const INSTALLED = Symbol('cognito.bodyErrors');

/** body-parser's and raw-body's refusals of a body (http-errors `type`); other errors pass by. */
const EXPRESS_BODY_ERRORS = new Set([
  'entity.too.large',
  'entity.parse.failed',
  'charset.unsupported',
  'encoding.unsupported',
  'request.size.invalid',
  'parameters.too.many',
  'querystring.parse.rangeError',
]);
const JSON_SYNTAX = new Set(['entity.parse.failed', 'FST_ERR_CTP_INVALID_JSON_BODY', 'FST_ERR_CTP_EMPTY_JSON_BODY']);

interface BodyError {
  status?: number;
  statusCode?: number;
  type?: unknown;
  code?: unknown;
  errno?: unknown;
}

/**
 * Put on a route handler of the module: when the framework refuses the request's
 * body before the handler runs (too large, not JSON, an unknown charset or content
 * coding), the answer is the module's error body instead of the framework's.
 * Nest copies a handler's metadata to the function it registers (Express) and
 * passes `@RouteConfig` on to the route (Fastify), which is how the route is known.
 */
export function AnswerBodyErrors(): MethodDecorator {
  return applyDecorators(SetMetadata(BODY_ERRORS, true), SetMetadata(FASTIFY_ROUTE_CONFIG, { [BODY_ERRORS]: true }));
}

/**
 * The error the refresh endpoint answers for a framework's refusal of the body, or
 * `undefined` when `error` is not one. The checks go in the endpoint's own order,
 * so that both adapters answer a request alike whichever refused it first.
 */
export function bodyErrorAnswer(error: unknown, headers: IncomingHttpHeaders): CognitoSyncError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode, type, code, errno } = error as BodyError;
  const httpStatus = statusCode ?? status ?? 0;
  const encoded = contentCodingOf(headers) !== 'identity';
  const fromFramework =
    (typeof type === 'string' && EXPRESS_BODY_ERRORS.has(type)) ||
    (typeof code === 'string' && code.startsWith('FST_ERR_CTP_')) ||
    // body-parser passes zlib's errors on as they are, with a 400
    (encoded && typeof errno === 'number');
  if (!fromFramework || httpStatus < 400 || httpStatus >= 500) return undefined;
  // Fastify does not decode a content coding at all; Express may fail to.
  if (encoded) return unsupportedContentEncoding();
  if (!isUtf8Json(headers)) return unsupportedMediaType();
  if (httpStatus === 413) return new CognitoSyncError('The body is too large', 'PayloadTooLarge', 413);
  if (JSON_SYNTAX.has(String(type ?? code)))
    return new CognitoSyncError('The body is not valid JSON', 'InvalidJson', 400);
  return new CognitoSyncError('The body could not be read', 'InvalidRequestBody', 400);
}

/** What the module reads of a request that failed before routing: the same on both adapters' raw requests. */
interface RawRequest {
  headers: IncomingHttpHeaders;
  method?: string;
  url?: string;
  routeOptions?: { config?: Record<string, unknown> };
}

type ErrorHandler = (error: unknown, request: RawRequest, response: unknown, next?: unknown) => unknown;

/**
 * Body errors happen before the module's handlers run, so the controller's filter
 * never sees them: they go to the error handler the framework has for the route.
 *
 * - Fastify: the module's routes get a route-level error handler of their own (Fastify's
 *   `onRoute` hook, added before Nest declares any route: {@link beforeRoutes}). It
 *   answers body errors and passes every other error on to the app's handler. A root
 *   handler is no place for it: a plugin that awaits its registration during init
 *   (Mercurius) makes the routes take Fastify's default handler before Nest sets its own.
 * - Express: Nest installs an error middleware after the routes once the modules'
 *   `onModuleInit` ran; it is wrapped there, so that the module answers the body errors of
 *   its own routes and every other error reaches Nest's handler exactly as before.
 */
@Injectable()
export class CognitoBodyErrors implements OnModuleInit {
  private readonly filter: CognitoExceptionFilter;

  constructor(private readonly adapterHost: HttpAdapterHost) {
    this.filter = new CognitoExceptionFilter(adapterHost);
  }

  /** Called by the module's `configure`, which Nest runs before it declares the routes. */
  beforeRoutes(): void {
    const adapter = this.installOnce('fastify');
    if (adapter === undefined) return;
    const fastify = adapter.getInstance<{ addHook(name: 'onRoute', hook: (route: FastifyRoute) => void): unknown }>();
    fastify.addHook('onRoute', (route) => {
      if (route.config?.[BODY_ERRORS] !== true) return;
      const own = route.errorHandler;
      const answering = this.answering(adapter, () => true);
      route.errorHandler = function (this: unknown, error, request, reply) {
        // Thrown on: Fastify hands an error its route's handler throws to the app's handler.
        return answering(error, request, reply, (unanswered: unknown) => {
          if (own) return own.call(this, unanswered, request, reply);
          throw unanswered;
        });
      };
    });
  }

  onModuleInit(): void {
    const adapter = this.installOnce('express');
    if (adapter === undefined) return;
    const isModuleRoute = expressModuleRoutes(adapter.getInstance());
    const setErrorHandler = adapter.setErrorHandler;
    const answering = this.answering(adapter, isModuleRoute);
    adapter.setErrorHandler = function (this: unknown, handler: ErrorHandler, prefix?: string) {
      // Four parameters: Express tells an error handler by its arity.
      const wrapped: ErrorHandler = (error, request, response, next) =>
        answering(error, request, response, () => handler(error, request, response, next), next);
      return setErrorHandler.call(this, wrapped, prefix);
    };
  }

  /** The adapter when it is of `type` and the module's answers are not installed on it yet (a second pool). */
  private installOnce(type: string): (Adapter & { [INSTALLED]?: true }) | undefined {
    const adapter = this.adapterHost.httpAdapter as (Adapter & { [INSTALLED]?: true }) | undefined;
    // No HTTP server (a standalone context), another adapter, or a second registration of the module.
    if (!adapter || adapter.getType() !== type || adapter[INSTALLED]) return undefined;
    adapter[INSTALLED] = true;
    return adapter;
  }

  /** Answers a body error of a module route with the module's body; anything else goes to `otherwise`. */
  private answering(adapter: Adapter, isModuleRoute: (request: RawRequest) => boolean) {
    return (
      error: unknown,
      request: RawRequest,
      response: unknown,
      otherwise: (error: unknown) => unknown,
      next?: unknown,
    ): unknown => {
      const answer = isModuleRoute(request) ? bodyErrorAnswer(error, request.headers) : undefined;
      if (answer === undefined || adapter.isHeadersSent(response)) return otherwise(error);
      // The endpoint's answers are never cached, these ones included.
      setNoStore(adapter, response);
      this.filter.catch(answer, httpHost(request, response, next));
      return undefined;
    };
  }
}

type Adapter = HttpAdapterHost['httpAdapter'];

/** What the `onRoute` hook reads and writes of a route's options. */
interface FastifyRoute {
  config?: Record<string, unknown>;
  errorHandler?: (this: unknown, error: unknown, request: RawRequest, reply: unknown) => unknown;
}

interface ExpressLayer {
  route?: { methods?: Record<string, boolean>; stack?: Array<{ handle?: unknown }> };
  match?: (path: string) => unknown;
}

/**
 * Express parses the body before routing, so the request is matched here against
 * the routes whose handler carries the marker (read once, after all are registered),
 * with the path Express's router matches: `parseurl`'s pathname of `req.url`, so that
 * an absolute-form target (`POST http://host/auth/refresh`) or a `#fragment` finds the
 * route as the router does.
 *
 * Why the router's stack (`app.router`, public in Express 5; its layers are the router
 * package's): Nest's own ExpressAdapter reads the same stack, and rebuilding Nest's paths
 * here instead would miss `RouterModule` prefixes, URI versioning and prefix exclusions.
 * A change of its shape fails the body-error e2e specs on Express and the NestJS 12 run.
 */
function expressModuleRoutes(app: { router?: { stack?: ExpressLayer[] } }): (request: RawRequest) => boolean {
  let layers: ExpressLayer[] | undefined;
  return (request) => {
    layers ??= (app.router?.stack ?? []).filter((layer) =>
      layer.route?.stack?.some(
        ({ handle }) => typeof handle === 'function' && Reflect.getMetadata(BODY_ERRORS, handle) === true,
      ),
    );
    const method = (request.method ?? '').toLowerCase();
    let path: string | null | undefined;
    try {
      path = parseurl(request as IncomingMessage)?.pathname;
    } catch {
      return false; // the router gives up on such a request too
    }
    if (typeof path !== 'string') return false;
    return layers.some((layer) => {
      try {
        return Boolean(layer.route?.methods?.[method] && layer.match?.(path));
      } catch {
        return false; // a path that does not decode matches no route either
      }
    });
  };
}

function httpHost(request: unknown, response: unknown, next: unknown): ArgumentsHost {
  const args = [request, response, next];
  return {
    getType: () => 'http',
    getArgs: () => args,
    getArgByIndex: (index: number) => args[index],
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response, getNext: () => next }),
  } as unknown as ArgumentsHost;
}
