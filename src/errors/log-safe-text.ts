/**
 * What the module passes on from a failed Cognito call is text the other end chose:
 * the SDK takes an error's `name` from the answer's `__type`, its `code` field or the
 * `x-amzn-errortype` header, and the request id from `x-amzn-requestid`. Cognito, a
 * proxy in front of it or a stand-in could put markup, a token the request carried or
 * a line break there. Only values of the expected shape reach an answer or a log line.
 */
const ERROR_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;
const REQUEST_ID = /^[\w-]{1,64}$/;

/** @internal `name` when it has the shape of an error name (Cognito's are `SomethingException`), else undefined. */
export function errorNameOrUndefined(name: unknown): string | undefined {
  return typeof name === 'string' && ERROR_NAME.test(name) ? name : undefined;
}

/** @internal An error's name for a log line: the name, or `UnknownError` when it does not look like one. */
export function loggedErrorName(name: unknown): string {
  return errorNameOrUndefined(name) ?? 'UnknownError';
}

/** @internal The request id of a failed call (the SDK's `$metadata.requestId`) for a log line, or `-`. */
export function loggedRequestId(error: unknown): string {
  const requestId = (error as { $metadata?: { requestId?: unknown } } | undefined)?.$metadata?.requestId;
  return typeof requestId === 'string' && REQUEST_ID.test(requestId) ? requestId : '-';
}

/** Longer than any issuer, URL or name a log line quotes; far shorter than a token (so none is ever logged whole). */
const MAX_QUOTED_LENGTH = 200;

/**
 * @internal Text nobody vouches for (a claim of a token not verified yet), quoted for a
 * log line: control and format characters (line breaks, ANSI escapes, bidi overrides)
 * removed, cut to {@link MAX_QUOTED_LENGTH} characters, in JSON quotes. Anything but a
 * string is named by its type.
 */
export function quotedUntrustedText(value: unknown): string {
  if (typeof value !== 'string')
    return value === undefined ? '(none)' : `(a ${value === null ? 'null' : typeof value})`;
  const clean = value.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '');
  return JSON.stringify(clean.length > MAX_QUOTED_LENGTH ? `${clean.slice(0, MAX_QUOTED_LENGTH)}...` : clean);
}
