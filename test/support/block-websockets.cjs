// Preloaded (`node -r`) by websockets-optional.e2e-spec.ts: the WebSocket packages cannot be
// resolved, as in an app that never installed them; who asked for them is kept in
// globalThis.blockedRequests ({ request, from }) for test/support/no-websockets-app.ts to print.
'use strict';
const Module = require('node:module');

const BLOCKED = /^(@nestjs\/(websockets|platform-socket\.io|platform-ws)|socket\.io|ws)(\/|$)/;
const asked = (globalThis.blockedRequests = []);
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (BLOCKED.test(request)) {
    asked.push({ request, from: (parent && parent.filename) || '' });
    throw Object.assign(new Error(`Cannot find module '${request}'`), { code: 'MODULE_NOT_FOUND' });
  }
  return resolve.call(this, request, parent, ...rest);
};
