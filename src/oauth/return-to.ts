/**
 * Where a managed login sends the browser back to: a page of the app's own origin, never
 * another site (an open redirect would let a link on the app's domain lead off it).
 */

/** Why a `returnTo` was refused: `malformed` (not a URL this accepts), `off-site` (another origin). */
export type ReturnToRefusal = 'malformed' | 'off-site';

export type ReturnToResult = { ok: true; returnTo: string } | { ok: false; reason: ReturnToRefusal };

/** Longer than any page a login returns to; a bound on what the login cookie carries. */
export const MAX_RETURN_TO_LENGTH = 2048;
/**
 * Printable ASCII without the space: a browser strips tabs and newlines anywhere in a URL and
 * control characters and spaces at its ends, so `/\t/evil.example` would become `//evil.example`;
 * a page's address with other characters is sent percent-encoded.
 */
const PRINTABLE = /^[\x21-\x7e]*$/;
/** How many rounds of percent-decoding are checked (a proxy or an app that decodes twice). */
const DECODE_ROUNDS = 3;

/**
 * `raw` (the `returnTo` of `GET <path>/login`) as a path of the app's origin (`redirectUri`'s):
 * `/` when absent or empty; a path that starts with a single `/`; or an absolute `http(s)` URL
 * of exactly that origin, without credentials. The answer is the normalised path, query and
 * fragment as the URL parser reads them, so a `Location` made from it is the page checked here
 * (dot segments resolved: `/..//evil.example` reads as `//evil.example` and is refused).
 */
export function checkReturnTo(raw: string | readonly string[] | undefined, redirectUri: string): ReturnToResult {
  if (raw === undefined || raw === '') return { ok: true, returnTo: '/' };
  // A repeated parameter: which one is meant is not for this to guess.
  if (typeof raw !== 'string') return refused('malformed');
  if (raw.length > MAX_RETURN_TO_LENGTH || !PRINTABLE.test(raw) || raw.includes('\\')) return refused('malformed');
  const rawRefusal = decodedRefusal(raw);
  if (rawRefusal) return refused(rawRefusal);
  const origin = new URL(redirectUri).origin;
  let url: URL;
  if (raw.startsWith('/')) {
    url = new URL(raw, origin);
  } else {
    if (!URL.canParse(raw)) return refused('malformed');
    url = new URL(raw);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return refused('off-site');
    if (url.username !== '' || url.password !== '') return refused('malformed');
  }
  if (url.origin !== origin) return refused('off-site');
  const returnTo = url.pathname + url.search + url.hash;
  // Dot segments resolved can start it with `//` (`/..//evil.example`); encoding can lengthen it.
  if (!isSameOriginPath(returnTo)) return refused('off-site');
  // The answer checked as the raw value was: an absolute URL's path, or dot segments resolved
  // (`/%2e%2e/%2fevil.example` answers `/%2fevil.example`), can decode to `//evil.example` too.
  const answerRefusal = decodedRefusal(returnTo);
  return answerRefusal ? refused(answerRefusal) : { ok: true, returnTo };
}

/**
 * What a proxy or an app that decodes `text` again would see must still be a path of this origin,
 * without a control character (a decoded CR LF would split a Location header).
 */
function decodedRefusal(text: string): ReturnToRefusal | undefined {
  const decoded = decodings(text);
  if (decoded === undefined) return 'malformed';
  for (const form of decoded) {
    if (hasControlCharacter(form)) return 'malformed';
    if (/^[/\\]{2}/.test(form)) return 'off-site';
  }
  return undefined;
}

/** `raw` and each of its percent-decodings in turn, undefined if one is not valid percent-encoding. */
function decodings(raw: string): string[] | undefined {
  const forms = [raw];
  for (let round = 0; round < DECODE_ROUNDS && forms[forms.length - 1].includes('%'); round++) {
    try {
      forms.push(decodeURIComponent(forms[forms.length - 1]));
    } catch {
      return undefined;
    }
  }
  return forms;
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function refused(reason: ReturnToRefusal): ReturnToResult {
  return { ok: false, reason };
}

/**
 * Whether `path` is what {@link checkReturnTo} answers: a path of the app's origin (one leading `/`,
 * printable ASCII, no backslash), short enough for the login cookie.
 */
export function isSameOriginPath(path: string): boolean {
  return (
    path.length <= MAX_RETURN_TO_LENGTH &&
    path.startsWith('/') &&
    !path.startsWith('//') &&
    !path.includes('\\') &&
    PRINTABLE.test(path)
  );
}
