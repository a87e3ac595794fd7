import { parseCookie } from 'cookie';

/**
 * @internal One cookie's value from a `Cookie` header (RFC 6265 syntax; no
 * cookie-parser needed on either adapter), undefined when absent or empty; the
 * first of several: callers that must not guess check {@link countCookies} first.
 */
export function readCookie(header: string | string[] | undefined, name: string): string | undefined {
  const value = parseCookie(joinCookieHeader(header), { decode: decodeValue })[name];
  return value === '' ? undefined : value;
}

/**
 * @internal How many pairs of a `Cookie` header are named `name` (the parser keeps
 * only the first). More than one means a cookie tossed in from a sibling subdomain
 * or a path of its own, say: which one the browser sent first says nothing about
 * which one is genuine. Names are trimmed of any whitespace, so that this counts at
 * least every pair the parser could read as `name`.
 */
export function countCookies(header: string | string[] | undefined, name: string): number {
  return joinCookieHeader(header)
    .split(';')
    .filter((pair) => pair.includes('=') && pair.slice(0, pair.indexOf('=')).trim() === name).length;
}

/**
 * @internal The distinct names of a `Cookie` header's pairs that start with `prefix`, in the
 * order sent (trimmed as {@link countCookies} trims them), at most `limit` of them.
 */
export function cookieNamesWithPrefix(header: string | string[] | undefined, prefix: string, limit: number): string[] {
  const names = new Set<string>();
  for (const pair of joinCookieHeader(header).split(';')) {
    if (names.size >= limit) break;
    const name = pair.includes('=') ? pair.slice(0, pair.indexOf('=')).trim() : '';
    if (name.startsWith(prefix) && name.length > prefix.length) names.add(name);
  }
  return [...names];
}

/** Node joins repeated `Cookie` lines with `; `; an array is joined the same way. */
function joinCookieHeader(header: string | string[] | undefined): string {
  return Array.isArray(header) ? header.join('; ') : (header ?? '');
}

/** A quoted value is unquoted (RFC 6265); malformed percent-encoding reads as no value. */
function decodeValue(raw: string): string | undefined {
  const value = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
