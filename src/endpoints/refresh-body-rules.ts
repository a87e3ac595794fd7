import type { IncomingHttpHeaders } from 'node:http';
import type { HttpAdapterHost } from '@nestjs/core';
import { CognitoSyncError } from '../errors/cognito.errors';

/**
 * @internal What the refresh endpoint accepts as a body, the same on both adapters
 * whether the adapter refuses a body before the controller runs
 * ({@link CognitoBodyErrors}) or the controller does: UTF-8 JSON (RFC 8259), with no
 * content coding left undecoded.
 */
const UTF8_JSON = /^application\/json\s*(;\s*charset="?utf-8"?\s*)?$/i;

/** @internal Whether the request declares UTF-8 JSON. */
export function isUtf8Json(headers: IncomingHttpHeaders): boolean {
  return UTF8_JSON.test(headers['content-type'] ?? '');
}

/** @internal The request's content coding, lower-case; none declared (or an empty header) is `identity`. */
export function contentCodingOf(headers: IncomingHttpHeaders): string {
  const coding = String(headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  return coding === '' ? 'identity' : coding;
}

export const unsupportedContentEncoding = () =>
  new CognitoSyncError(
    'The body could not be decoded; send it without Content-Encoding',
    'UnsupportedContentEncoding',
    415,
  );

export const unsupportedMediaType = () =>
  new CognitoSyncError('The body must be UTF-8 JSON (Content-Type: application/json)', 'UnsupportedMediaType', 415);

/**
 * @internal The controller's refusal of a body the adapter handed over, or undefined.
 * A content coding first: Express's JSON parser decodes gzip, deflate and br (and
 * refuses the others before the controller), so on Express an encoded UTF-8 JSON body
 * arrives decoded; nothing decodes one on Fastify, nor a body of another type on
 * Express, and such a body is refused rather than read as if it were not encoded.
 * Then the content type. A request without a body (a cookie-borne refresh) passes.
 */
export function refusedBody(headers: IncomingHttpHeaders, adapter: string): CognitoSyncError | undefined {
  const hasBody = Number(headers['content-length'] ?? 0) > 0 || headers['transfer-encoding'] !== undefined;
  if (!hasBody) return undefined;
  const json = isUtf8Json(headers);
  const decoded = adapter === 'express' && json;
  if (contentCodingOf(headers) !== 'identity' && !decoded) return unsupportedContentEncoding();
  return json ? undefined : unsupportedMediaType();
}

/**
 * @internal Token answers are never cached (RFC 6749, section 5.1): every answer of
 * the endpoint, its errors and the adapter's refusals of a body included.
 */
export function setNoStore(httpAdapter: HttpAdapterHost['httpAdapter'], response: unknown): void {
  httpAdapter.setHeader(response, 'Cache-Control', 'no-store');
  httpAdapter.setHeader(response, 'Pragma', 'no-cache');
}
