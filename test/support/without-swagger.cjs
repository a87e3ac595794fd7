// Makes `@nestjs/swagger` unresolvable in this process, as in an app that does not install
// it (this repository has it as a dev dependency, and up the tree Node would find it).
// Preload it (`node -r`) or require it before the package under test.
'use strict';
const Module = require('node:module');

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === '@nestjs/swagger' || request.startsWith('@nestjs/swagger/')) {
    throw Object.assign(new Error(`Cannot find module '${request}'`), { code: 'MODULE_NOT_FOUND' });
  }
  return resolveFilename.call(this, request, ...rest);
};
