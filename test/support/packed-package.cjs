// Packs this package as `npm publish` would and unpacks the tarball where an app's
// `npm install` puts it, so that the app's imports resolve to the packed files and
// the package's own imports to the app's dependencies. Shared by the NestJS 12 smoke
// run (test/nest12) and the consumer suite (test/consumer).
'use strict';
const { execFileSync } = require('node:child_process');
const { mkdirSync, mkdtempSync, rmSync, symlinkSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

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
    // The package's own dependencies resolve to the versions it was tested with, as npm
    // nests them when the app has another major (NestJS 12's Express brings cookie 0.7);
    // its peers (NestJS, rxjs) resolve to the app's.
    for (const dependency of Object.keys(require(join(lib, 'package.json')).dependencies ?? {})) {
      mkdirSync(join(lib, 'node_modules', dependency, '..'), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules', dependency), join(lib, 'node_modules', dependency), 'dir');
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return lib;
}

module.exports = { installPackedPackage };
