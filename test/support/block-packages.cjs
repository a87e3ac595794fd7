// Makes packages impossible to resolve in this process, as in an app that never installed
// them (this repository has them as dev dependencies, and up the tree Node would find them),
// and records who asked for them in globalThis.blockedRequests ({ request, from }).
// Preloaded (`node -r`) with BLOCKED_PACKAGES=name,name..., or `blockPackages(names)` before
// the package under test loads.
'use strict';
const Module = require('node:module');

/** Blocks `names` and their subpaths; returns the record of requests for them. */
function blockPackages(names) {
  const asked = (globalThis.blockedRequests ??= []);
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, ...rest) {
    if (names.some((name) => request === name || request.startsWith(`${name}/`))) {
      asked.push({ request, from: (parent && parent.filename) || '' });
      throw Object.assign(new Error(`Cannot find module '${request}'`), { code: 'MODULE_NOT_FOUND' });
    }
    return resolve.call(this, request, parent, ...rest);
  };
  return asked;
}

if (process.env.BLOCKED_PACKAGES) blockPackages(process.env.BLOCKED_PACKAGES.split(','));

module.exports = { blockPackages };
