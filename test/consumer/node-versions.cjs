// `npm run test:node-versions` (after the build; CI runs it after `npm test`): the
// consumer suite (run.cjs) on each Node major the package is tested on besides the
// one running CI. The binaries come from the npm registry's node-<platform>-<arch>
// packages (what the `node` package installs), packed and unpacked into a
// temporary folder: no other download. It asks the registry, so it is not part of
// `npm test`.
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const { mkdirSync, mkdtempSync, readdirSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { delimiter, join } = require('node:path');

const MAJORS = ['22', '24'];
const BINARIES = `node-${process.platform}-${process.arch}`;

const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const scratch = mkdtempSync(join(tmpdir(), 'cognito-node-versions-'));
const failed = [];
try {
  for (const major of MAJORS) {
    const majorStarted = Date.now();
    const node = unpackNode(major);
    const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
    if (!version.startsWith(`v${major}.`)) throw new Error(`${BINARIES}@${major} holds Node ${version}`);
    console.log(`node versions: Node ${version} from ${BINARIES} (${seconds(majorStarted)})`);
    // The PATH puts this node first for everything the run starts (npm pack, tsc, Jest, cognito-local).
    const env = { ...process.env, PATH: `${join(node, '..')}${delimiter}${process.env.PATH}` };
    const run = spawnSync(node, [join(__dirname, 'run.cjs')], { env, stdio: 'inherit' });
    if (run.status !== 0) failed.push(version);
    console.log(
      `node versions: the consumer suite ${run.status === 0 ? 'passed' : 'FAILED'} on Node ${version} ` +
        `(${seconds(majorStarted)})`,
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
console.log(
  `node versions: ${failed.length === 0 ? 'passed' : `FAILED on ${failed.join(', ')}`} in ${seconds(started)}`,
);
if (failed.length > 0) process.exitCode = 1;

/** Packs the newest `<BINARIES>@<major>` from the registry, unpacks it, returns its bin/node. */
function unpackNode(major) {
  const folder = join(scratch, major);
  mkdirSync(folder);
  execFileSync('npm', ['pack', `${BINARIES}@${major}`, '--pack-destination', folder, '--loglevel=warn'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const [tarball] = readdirSync(folder).filter((name) => name.endsWith('.tgz'));
  execFileSync('tar', ['-xzf', join(folder, tarball), '-C', folder, '--strip-components=1']);
  rmSync(join(folder, tarball));
  return join(folder, 'bin', 'node');
}
