// Cost of loading openid-client 6 (with oauth4webapi and jose) in a fresh process, against
// loading nothing and against aws-jwt-verify (already a dependency). Each case runs in its own
// child process ROUNDS times; medians of the load time and of the RSS growth are printed.
// `node notes/managed-login/cold-start.cjs [rounds]`
'use strict';
const { execFileSync } = require('node:child_process');

const ROUNDS = Number(process.argv[2] ?? 15);
const CASES = {
  nothing: '',
  "require('aws-jwt-verify')": "require('aws-jwt-verify');",
  "require('openid-client') (require(esm))": "require('openid-client');",
  "import('openid-client')": "await import('openid-client');",
  // The marginal cost in the library, where aws-jwt-verify is loaded anyway.
  "aws-jwt-verify, then require('openid-client')": "require('aws-jwt-verify'); require('openid-client');",
};
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

for (const [name, load] of Object.entries(CASES)) {
  const script =
    `const rss0 = process.memoryUsage().rss; const t0 = process.hrtime.bigint();` +
    `(async () => { ${load} const ms = Number(process.hrtime.bigint() - t0) / 1e6;` +
    `console.log(JSON.stringify({ ms, rssMb: (process.memoryUsage().rss - rss0) / 2 ** 20 })); })();`;
  const runs = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    runs.push(JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: __dirname, encoding: 'utf8' })));
  }
  const ms = median(runs.map((run) => run.ms)).toFixed(1);
  const rss = median(runs.map((run) => run.rssMb)).toFixed(1);
  console.log(`${process.version} ${name}: ${ms} ms, +${rss} MB RSS (median of ${ROUNDS})`);
}
