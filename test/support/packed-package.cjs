// Packs this package as `npm publish` would and unpacks the tarball where an app's
// `npm install` puts it, so that the app's imports resolve to the packed files and
// the package's own imports to the app's dependencies. Shared by the NestJS 12 smoke
// run (test/nest12) and the consumer suite (test/consumer).
'use strict';
const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } = require('node:fs');
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
    const [{ filename }] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', folder], { cwd: ROOT, encoding: 'utf8' }));
    rmSync(lib, { recursive: true, force: true });
    mkdirSync(lib, { recursive: true });
    execFileSync('tar', ['-xzf', join(folder, filename), '-C', lib, '--strip-components=1']);
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

module.exports = { installPackedPackage };
