// `npm run test:consumer` (after the build): a fresh NestJS 11 app that installed the
// packed package runs its own Jest suite with nestjs-cognito-sync/testing. Its code is
// type-checked first as a `nest new` app (nodenext) and as an older CommonJS app (node10,
// which reads the subpath's types from typesVersions). The suite runs with a temporary
// folder of its own as TMPDIR: afterwards no emulator folder may be left in it, and no
// process may still carry it in its environment. Then the test files the docs show run as
// pasted, in a fresh app extracted from the docs (docs-tests.cjs).
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const { mkdtempSync, readdirSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { installPackedPackage } = require('../support/packed-package.cjs');
const { runDocsTests } = require('./docs-tests.cjs');

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const bin = (request) => require.resolve(request, { paths: [__dirname] });
const lib = installPackedPackage(__dirname);
console.log(`consumer: packed package installed, on Node ${process.version} (${elapsed()})`);
const runTmp = mkdtempSync(join(tmpdir(), 'consumer-run-'));
let failed;
try {
  for (const config of ['tsconfig.json', 'tsconfig.node10.json']) {
    execFileSync(process.execPath, [bin('typescript/bin/tsc'), '-p', join(__dirname, config), '--noEmit'], {
      stdio: 'inherit',
    });
  }
  console.log(`consumer: the app type-checks against the packed declarations, nodenext and node10 (${elapsed()})`);
  // The SDK's notice about Node 20 would be printed by every test file.
  const env = {
    ...process.env,
    TMPDIR: runTmp,
    TMP: runTmp,
    TEMP: runTmp,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const jest = spawnSync(process.execPath, [bin('jest/bin/jest'), '--config', join(__dirname, 'jest.config.js')], {
    cwd: __dirname,
    env,
    stdio: 'inherit',
  });
  failed = jest.status !== 0;
  console.log(`consumer: the app's suite ${failed ? 'FAILED' : 'passed'} (${elapsed()})`);
  const docs = runDocsTests({ jest: bin('jest/bin/jest'), env });
  console.log(`consumer: the docs' test files ${docs ? 'passed' : 'FAILED'} (${elapsed()})`);
  failed ||= !docs;
  const folders = readdirSync(runTmp).filter((name) => name.startsWith('cognito-local-'));
  const processes = processesWith(`TMPDIR=${runTmp}`);
  if (folders.length > 0 || (processes ?? []).length > 0) {
    failed = true;
    console.error(
      `consumer: left behind ${folders.length} emulator folder(s) and ${processes.length} process(es): ` +
        `${processes.join(', ')}`,
    );
  } else {
    console.log(
      `consumer: nothing left behind (no emulator folder, ` +
        `${processes === null ? 'process check needs /proc' : 'no process'})`,
    );
  }
} finally {
  rmSync(lib, { recursive: true, force: true });
  rmSync(runTmp, { recursive: true, force: true });
}
console.log(`consumer: ${failed ? 'FAILED' : 'passed'} in ${elapsed()}`);
if (failed) process.exitCode = 1;

/** Processes whose environment has `entry` (Linux: /proc); null where there is no /proc. */
function processesWith(entry) {
  let pids;
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  return pids.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(entry);
    } catch {
      return false; // gone meanwhile, or another user's
    }
  });
}
