// What a user's Jest (ts-jest, CommonJS, as this repo runs it) sees when the library loads
// openid-client 6 lazily. Run by jest-check.sh with several configs; each case prints its outcome
// and asserts nothing about it, so one run reports every way at once.
const outcomes: Record<string, string> = {};

async function attempt(name: string, load: () => Promise<{ Configuration?: unknown }>): Promise<void> {
  try {
    const oidc = await load();
    outcomes[name] = `ok (${typeof oidc.Configuration})`;
  } catch (error) {
    const { code, name: errorName, message } = error as { code?: string; name?: string; message?: string };
    outcomes[name] = `FAILED ${code ?? errorName}: ${String(message).split('\n')[0].slice(0, 140)}`;
  }
}

test('loading openid-client under Jest', async () => {
  // tsc (module commonjs) turns this into require('openid-client').
  await attempt('import() compiled by ts-jest', () => import('openid-client'));
  // A dynamic import that survives compilation.
  const nativeImport = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<never>;
  await attempt('new Function import()', () => nativeImport('openid-client'));
  process.stdout.write(`${JSON.stringify({ node: process.version, jest: process.env.JEST_LABEL, outcomes })}\n`);
  expect(Object.keys(outcomes)).toHaveLength(2);
});
