// Preloaded by test/optional-peers.spec.ts: makes GraphQL's packages impossible to resolve, as in an
// app that never installed them, and records any attempt to load one.
const Module = require('node:module');

const BLOCKED = [
  'graphql',
  'graphql-ws',
  '@nestjs/graphql',
  '@nestjs/apollo',
  '@nestjs/mercurius',
  'mercurius',
  '@apollo/server',
  '@as-integrations/express5',
];
const attempts = [];
const resolveFilename = Module._resolveFilename;

Module._resolveFilename = function (request, ...rest) {
  if (BLOCKED.some((name) => request === name || request.startsWith(`${name}/`))) {
    attempts.push(request);
    throw Object.assign(new Error(`Cannot find module '${request}'`), { code: 'MODULE_NOT_FOUND' });
  }
  return resolveFilename.call(this, request, ...rest);
};

// For the app to report (a global: the app's sources import it no other way).
globalThis.blockedGraphQL = { BLOCKED, attempts };
