// Packs this package as `npm publish` would and unpacks the tarball where an app's
// `npm install` puts it, so that the app's imports resolve to the packed files and
// the package's own imports to the app's dependencies. Shared by the NestJS 12 smoke
// run (test/nest12), the consumer suite (test/consumer) and the install-line check
// (test/install-lines).
'use strict';
const { execFileSync } = require('node:child_process');
const {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
} = require('node:fs');
const { tmpdir } = require('node:os');
const { dirname, join } = require('node:path');

const ROOT = join(__dirname, '..', '..');

/**
 * Unpacks the packed package into `<appFolder>/node_modules/nestjs-cognito-sync`.
 * @param {string} appFolder
 * @returns {string} the folder it was unpacked to
 */
function installPackedPackage(appFolder) {
  const lib = join(appFolder, 'node_modules', 'nestjs-cognito-sync');
  const folder = mkdtempSync(join(tmpdir(), 'cognito-pack-'));
  try {
    const tarball = packPackage(folder);
    rmSync(lib, { recursive: true, force: true });
    mkdirSync(lib, { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', lib, '--strip-components=1']);
    // A dependency that the app resolves to another copy than the one the package was
    // tested with (NestJS 12's Express brings cookie 0.7) is nested beside the package,
    // as npm does for a version conflict; the others, and the peers, are the app's.
    for (const dependency of Object.keys(require(join(lib, 'package.json')).dependencies ?? {})) {
      const tested = realpathSync(join(ROOT, 'node_modules', dependency));
      if (resolvedFrom(appFolder, dependency) === tested) continue;
      mkdirSync(join(lib, 'node_modules', dependency, '..'), { recursive: true });
      symlinkSync(tested, join(lib, 'node_modules', dependency), 'dir');
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return lib;
}

/**
 * Packs the package into `destination` as `npm publish` would and returns the
 * tarball's path. The `prepare` script would build on every pack (and print into
 * `--json`'s output), so the pack runs without scripts, after a build of its own
 * only when dist/ is missing or older than a source: `npm test` has just built.
 * @param {string} destination
 * @returns {string}
 */
function packPackage(destination) {
  if (!builtFromCurrentSources())
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const [{ filename }] = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], {
      cwd: ROOT,
      encoding: 'utf8',
    }),
  );
  return join(destination, filename);
}

/** Whether dist/index.js is newer than every file the build reads. */
function builtFromCurrentSources() {
  const built = join(ROOT, 'dist', 'index.js');
  if (!existsSync(built)) return false;
  const inputs = [
    join(ROOT, 'package.json'),
    join(ROOT, 'tsconfig.json'),
    join(ROOT, 'tsconfig.build.json'),
    ...filesUnder(join(ROOT, 'src')),
  ];
  const builtAt = statSync(built).mtimeMs;
  return inputs.every((file) => statSync(file).mtimeMs <= builtAt);
}

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/**
 * The folder `dependency` resolves to from `appFolder`, or undefined: the first
 * `node_modules/<dependency>` up the tree, as Node looks (a package's exports map
 * may not let `<dependency>/package.json` be resolved).
 */
function resolvedFrom(appFolder, dependency) {
  for (let dir = appFolder; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', dependency);
    if (existsSync(candidate)) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

module.exports = { ROOT, installPackedPackage, packPackage };
