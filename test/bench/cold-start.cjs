// The cold-start row of `npm run bench` (alone: `npm run bench:cold-start`): each run is a
// fresh `node` process of one app (cold-start-app.cjs), timed from its spawn to the first 200
// answer of its guarded route to a valid access token, the client retrying the connection
// until the app listens; then its peak RSS (VmHWM, read from /proc: Linux only). Three apps,
// the same stand-in's JWKS for all: a hand-written aws-jwt-verify guard, the module's guard
// alone, and the module's guard with its refresh endpoint. See docs/benchmark.md.
//   COLD_START_RUNS (default 20)   runs of each app, alternating (A B C, B C A, C A B, ...); about 1 s a round
'use strict';
const { fork, spawn } = require('node:child_process');
const { generateKeyPairSync } = require('node:crypto');
const { once } = require('node:events');
const { readFileSync } = require('node:fs');
const { request } = require('node:http');
const { createServer } = require('node:net');
const { join } = require('node:path');
const { setTimeout: delay } = require('node:timers/promises');
const { accessToken } = require('./access-token.cjs');

const RUNS = Number(process.env.COLD_START_RUNS ?? 20);
const APP_FILE = join(__dirname, 'cold-start-app.cjs');
// Fine enough for boots of hundreds of ms; a refused connection on loopback costs microseconds.
const POLL_MS = 2;
const RUN_TIMEOUT_MS = 60_000;
// The targets (#29), for the guard-only app against the hand-written one.
const MAX_TIME_RATIO = 1.15;
const MAX_RSS_DIFFERENCE_MB = 5;
const APPS = [
  { kind: 'hand', name: 'hand-written aws-jwt-verify guard' },
  { kind: 'guard', name: 'module, guard only', targets: true },
  { kind: 'refresh', name: 'module, guard + refresh endpoint' },
];

/** A port nothing listens on now (the app listens on it: the harness polls it). */
async function freePort() {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** GET /guarded on `port` with `token` (if any) as a bearer token, or a POST of `body` to `path`: its status. */
function send(port, { token, path = '/guarded', body } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: body === undefined ? 'GET' : 'POST',
        agent: false,
        headers: {
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.setTimeout(RUN_TIMEOUT_MS, () => req.destroy(new Error('no answer')));
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** The peak resident set of a live process, in MB (its VmHWM). */
function peakRssMb(pid) {
  const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1];
  return Number(kb) / 1024;
}

/**
 * One cold start of `app`: spawn, poll until the guarded route answers, read the peak RSS,
 * kill. `check`, run once per app before the measured runs, also has the app refuse a token
 * signed with another key and a request without one (401): its guard really verifies; and
 * the refresh app answer a refresh (200, from the stand-in): its endpoint is there.
 */
async function coldStart(app, endpoint, tokens, check = false) {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [APP_FILE, app.kind, String(port), endpoint], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = once(child, 'exit');
  let gone = false;
  const markGone = () => (gone = true);
  exited.then(markGone, markGone);
  try {
    let status;
    for (;;) {
      if (gone) throw new Error(`${app.name} exited before answering: ${stderr}`);
      try {
        status = await send(port, { token: tokens.valid });
        break;
      } catch (error) {
        if (error.code !== 'ECONNREFUSED') throw error;
        if (Number(process.hrtime.bigint() - started) / 1e6 > RUN_TIMEOUT_MS)
          throw new Error(`${app.name} did not listen within ${RUN_TIMEOUT_MS} ms: ${stderr}`, { cause: error });
        await delay(POLL_MS);
      }
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const rssMb = peakRssMb(child.pid);
    if (status !== 200) throw new Error(`${app.name} answered ${status} to a valid token: ${stderr}`);
    if (check) {
      for (const [what, token] of [
        ['a token signed with another key', tokens.foreign],
        ['no token', undefined],
      ]) {
        const refused = await send(port, { token });
        if (refused !== 401) throw new Error(`${app.name} answered ${refused} to ${what}, not 401`);
      }
      if (app.kind === 'refresh') {
        const refreshed = await send(port, { path: '/auth/refresh', body: { refreshToken: 'bench.cold.start' } });
        if (refreshed !== 200) throw new Error(`${app.name} answered ${refreshed} to a refresh, not 200`);
      }
    }
    return { ms, rssMb };
  } finally {
    if (!gone) child.kill('SIGKILL');
    await exited;
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
const round = (value, digits = 1) => Number(value.toFixed(digits));

/**
 * The cold-start row against the stand-in at `endpoint` (whose key signs the tokens): a checked,
 * unmeasured start of each app (it also warms the file cache), then RUNS rounds over the three,
 * each round starting one further along. Resolves with the report's `coldStart` part.
 */
async function measureColdStart(endpoint, privateKey, { log = console.log } = {}) {
  const tokens = {
    valid: accessToken(privateKey, endpoint),
    foreign: accessToken(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, endpoint),
  };
  for (const app of APPS) await coldStart(app, endpoint, tokens, true);
  const runs = new Map(APPS.map((app) => [app.kind, []]));
  const startedAt = Date.now();
  for (let r = 0; r < RUNS; r++) {
    const order = APPS.map((_, i) => APPS[(i + r) % APPS.length]);
    for (const app of order) {
      const run = await coldStart(app, endpoint, tokens);
      runs.get(app.kind).push(run);
      log(`cold start ${r + 1} ${app.name.padEnd(34)} ${run.ms.toFixed(0).padStart(6)} ms ${run.rssMb.toFixed(1)} MB`);
    }
  }
  const medians = new Map(
    APPS.map((app) => {
      const mine = runs.get(app.kind);
      return [app.kind, { ms: median(mine.map((r) => r.ms)), rssMb: median(mine.map((r) => r.rssMb)) }];
    }),
  );
  const hand = medians.get('hand');
  const rows = APPS.map((app) => {
    const mine = runs.get(app.kind);
    const { ms, rssMb } = medians.get(app.kind);
    // Also the median of the per-round ratios: a round's runs are a second or so apart.
    const handRuns = runs.get('hand');
    const baseline =
      app.kind === 'hand'
        ? {}
        : {
            timeRatio: round(ms / hand.ms, 3),
            roundsTimeRatio: round(median(mine.map((r, i) => r.ms / handRuns[i].ms)), 3),
            rssDifferenceMb: round(rssMb - hand.rssMb),
          };
    const targets = app.targets
      ? {
          timeTarget: `<= ${MAX_TIME_RATIO}`,
          timeMet: baseline.timeRatio <= MAX_TIME_RATIO,
          rssTarget: `<= +${MAX_RSS_DIFFERENCE_MB} MB`,
          rssMet: baseline.rssDifferenceMb <= MAX_RSS_DIFFERENCE_MB,
        }
      : {};
    return {
      app: app.name,
      ms: Math.round(ms),
      minMs: Math.round(Math.min(...mine.map((r) => r.ms))),
      maxMs: Math.round(Math.max(...mine.map((r) => r.ms))),
      rssMb: round(rssMb),
      ...baseline,
      ...targets,
      runs: mine.map((r) => ({ ms: round(r.ms), rssMb: round(r.rssMb) })),
    };
  });
  return { runsPerApp: RUNS, seconds: Math.round((Date.now() - startedAt) / 1000), rows };
}

/** Prints the cold-start table, like the bench's others. */
function printColdStart(coldStart) {
  console.log(
    [
      `\nCold start: ${coldStart.runsPerApp} runs of each app, alternating, medians; time = spawn of \`node\` to ` +
        'the first 200 of a guarded route, peak RSS = its VmHWM then;',
      '"time / hand" = ratio of the medians, "rounds ratio" = median of the per-round ratios.',
    ].join('\n'),
  );
  const met = (value) => (value === undefined ? '' : value ? 'yes' : 'NO');
  console.table(
    coldStart.rows.map((row) => ({
      app: row.app,
      'first answer ms': row.ms,
      'min-max ms': `${row.minMs}-${row.maxMs}`,
      'peak RSS MB': row.rssMb,
      'time / hand': row.timeRatio ?? '',
      'rounds ratio': row.roundsTimeRatio ?? '',
      'RSS - hand MB': row.rssDifferenceMb ?? '',
      target: row.timeTarget === undefined ? '' : `${row.timeTarget}, ${row.rssTarget}`,
      'time met': met(row.timeMet),
      'RSS met': met(row.rssMet),
    })),
  );
}

module.exports = { measureColdStart, printColdStart };

// Alone: the stand-in (for its JWKS) and the row, printed; bench-results.json is `npm run bench`'s.
if (require.main === module) {
  (async () => {
    const standIn = fork(join(__dirname, 'stand-in.cjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    try {
      const [{ port, privateKey }] = await once(standIn, 'message');
      const startedAt = Date.now();
      printColdStart(await measureColdStart(`http://127.0.0.1:${port}`, privateKey));
      console.log(`Took ${Math.round((Date.now() - startedAt) / 1000)} s.`);
    } finally {
      standIn.disconnect();
    }
  })().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
