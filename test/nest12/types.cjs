// TypeScript 7 (this folder's) type-checks consumer.ts against the packed package:
// a consumer on TS 7 must compile our declarations, though we build with TS 5.9.
// Then the Lambda recipe (example/lambda.ts, as docs/serverless.md shows it) as an ESM app's
// module (.mts under nodenext), where a CommonJS package's default export is not its function.
'use strict';
const { execFileSync } = require('node:child_process');
const { readFileSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { LIB, installPackedPackage } = require('./scenario.cjs');

const LAMBDA = join(__dirname, 'lambda-recipe.mts');
const LAMBDA_CONFIG = join(__dirname, 'tsconfig.lambda-recipe.json');

installPackedPackage();
try {
  const manifest = require.resolve('typescript/package.json', { paths: [__dirname] });
  const { version, bin } = require(manifest);
  const tsc = join(manifest, '..', bin.tsc);
  execFileSync(process.execPath, [tsc, '-p', join(__dirname, 'tsconfig.consumer.json')], { stdio: 'inherit' });
  const recipe = readFileSync(join(__dirname, '..', '..', 'example', 'lambda.ts'), 'utf8');
  writeFileSync(LAMBDA, recipe.replace("from '../src'", "from 'nestjs-cognito-sync'"));
  writeFileSync(LAMBDA_CONFIG, JSON.stringify({ extends: './tsconfig.consumer.json', files: ['lambda-recipe.mts'] }));
  execFileSync(process.execPath, [tsc, '-p', LAMBDA_CONFIG], { stdio: 'inherit' });
  console.log(
    `TypeScript ${version}: the packed declarations compile in a strict NestJS 12 consumer, and the Lambda ` +
      'recipe as an ESM module (2 passed, 0 failed)',
  );
} finally {
  for (const path of [LIB, LAMBDA, LAMBDA_CONFIG]) rmSync(path, { recursive: true, force: true });
}
