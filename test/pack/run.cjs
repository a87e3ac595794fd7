// `npm run test:pack`: a pack from a tree without dist/ (a fresh clone, or what npm
// clones for a git install) builds it first (the `prepare` script) and ships it. The
// tree is copied without dist/ and node_modules/; node_modules/ is linked back for tsc.
'use strict';
const { execFileSync } = require('node:child_process');
const { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { basename, join, relative } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const EXPECTED = [
  'package/dist/index.js',
  'package/dist/index.d.ts',
  'package/dist/testing/index.js',
  'package/dist/testing/index.d.ts',
];
const LEFT_OUT = new Set(['.git', 'node_modules', 'dist', 'coverage', '.cognito']);

const started = Date.now();
const scratch = mkdtempSync(join(tmpdir(), 'cognito-fresh-pack-'));
let failed = false;
try {
  const tree = join(scratch, 'tree');
  cpSync(ROOT, tree, {
    recursive: true,
    filter: (source) => !LEFT_OUT.has(basename(source)) || relative(ROOT, source) === '',
  });
  symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'), 'dir');
  if (readdirSync(tree).includes('dist')) throw new Error('pack: the copied tree has a dist/ folder');
  // No --json: the prepare script's output would be mixed into it.
  execFileSync('npm', ['pack', '--loglevel=warn', '--pack-destination', scratch], {
    cwd: tree,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const [tarball] = readdirSync(scratch).filter((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error('pack: npm pack wrote no tarball');
  const files = execFileSync('tar', ['-tzf', join(scratch, tarball)], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  const missing = EXPECTED.filter((file) => !files.includes(file));
  if (missing.length > 0) {
    failed = true;
    console.error(
      `pack: a pack from a tree without dist/ lacks ${missing.join(', ')} (${files.length} files: ${files.join(', ')})`,
    );
  } else {
    console.log(
      `pack: a pack from a tree without dist/ builds it and ships ${files.length} files, dist/index.js among them`,
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
console.log(`pack: ${failed ? 'FAILED' : 'passed'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (failed) process.exitCode = 1;
