// TypeScript 7 (this folder's) type-checks consumer.ts against the packed package:
// a consumer on TS 7 must compile our declarations, though we build with TS 5.9.
'use strict';
const { execFileSync } = require('node:child_process');
const { rmSync } = require('node:fs');
const { join } = require('node:path');
const { LIB, installPackedPackage } = require('./scenario.cjs');

installPackedPackage();
try {
  const manifest = require.resolve('typescript/package.json', { paths: [__dirname] });
  const { version, bin } = require(manifest);
  const tsc = join(manifest, '..', bin.tsc);
  execFileSync(process.execPath, [tsc, '-p', join(__dirname, 'tsconfig.consumer.json')], { stdio: 'inherit' });
  console.log(
    `TypeScript ${version}: the packed declarations compile in a strict NestJS 12 consumer (1 passed, 0 failed)`,
  );
} finally {
  rmSync(LIB, { recursive: true, force: true });
}
