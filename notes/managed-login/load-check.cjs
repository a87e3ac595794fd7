// Can a CommonJS package load openid-client 6 (ESM-only) on this Node?
// `node notes/managed-login/load-check.cjs` (run with each Node binary).
// Two ways: require() (what tsc's module commonjs makes of `await import()`), and a real
// dynamic import() that tsc cannot rewrite because it sits in a Function body.
'use strict';
const result = { node: process.version, require_module: process.features.require_module ?? false };
try {
  const oidc = require('openid-client');
  result.require = `ok (${typeof oidc.Configuration}, ${typeof oidc.authorizationCodeGrant})`;
} catch (error) {
  result.require = `FAILED ${error.code ?? error.name}: ${String(error.message).split('\n')[0]}`;
}
const nativeImport = new Function('specifier', 'return import(specifier)');
nativeImport('openid-client').then(
  (oidc) => {
    result.nativeImport = `ok (${typeof oidc.Configuration})`;
    console.log(JSON.stringify(result));
  },
  (error) => {
    result.nativeImport = `FAILED ${error.code ?? error.name}: ${String(error.message).split('\n')[0]}`;
    console.log(JSON.stringify(result));
  },
);
