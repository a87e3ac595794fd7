/**
 * Whether `url` names this machine: `localhost` (or a name under `.localhost`), 127.0.0.0/8 or
 * `[::1]`, in any spelling the URL parser folds into those (`LOCALHOST`, `127.1`, `0x7f000001`).
 * An emulator there is never AWS. Anything else, or no URL, is not.
 */
export function isLoopbackUrl(url: string | undefined): boolean {
  if (url === undefined) return false;
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}
