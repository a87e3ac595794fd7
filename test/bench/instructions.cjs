// `npm run bench:instructions`: what the guard adds to a request, counted in instructions
// rather than timed. valgrind's callgrind counts every instruction the server process runs
// (all its threads, user space only), the same count however busy the machine is, where the
// throughput of one route on this VM moves by ±10% from one run to the next. See docs/benchmark.md.
//   INSTRUCTIONS_REQUESTS (10000)  requests in each block of one route
//   INSTRUCTIONS_ROUNDS (5)        rounds over the three routes, every other one reversed
//   INSTRUCTIONS_ADAPTERS (fastify) the servers to count (at once): fastify, express, or fastify,express
//   INSTRUCTIONS_CYCLES=1          also simulate caches and branches, and print KCachegrind's cycle
//                                  estimate (instructions + 10 x L1 and branch misses + 100 x LL misses); twice as slow
// Needs valgrind (Debian: apt-get install valgrind), under which a server runs some 50 times
// slower: about 10 minutes for Fastify; Express, whose trivial route runs eight times the
// instructions, about an hour.
'use strict';
const { execFile, fork, spawn, spawnSync } = require('node:child_process');
const { once } = require('node:events');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { promisify } = require('node:util');
const autocannon = require('autocannon');
const { accessToken } = require('./access-token.cjs');

const execFileAsync = promisify(execFile);

const REQUESTS = Number(process.env.INSTRUCTIONS_REQUESTS ?? 10_000);
const ROUNDS = Number(process.env.INSTRUCTIONS_ROUNDS ?? 5);
// Enough for V8 to have optimized the routes' code before anything is counted.
const WARM_UP_REQUESTS = 20_000;
const CONNECTIONS = 32;
const ROUTES = ['plain', 'guarded', 'allowed'];
const ADAPTERS = (process.env.INSTRUCTIONS_ADAPTERS ?? 'fastify').split(',');
const CYCLES = process.env.INSTRUCTIONS_CYCLES === '1';
const SIMULATION = CYCLES ? ['--cache-sim=yes', '--branch-sim=yes'] : [];

/** What a callgrind dump counted, per request: instructions (`Ir`) and, when simulated, the cycle estimate. */
function perRequestOf(dump, requests) {
  const events = /^events: (.+)$/m.exec(dump)[1].split(' ');
  const totals = /^summary: (.+)$/m.exec(dump)[1].split(' ').map(Number);
  const e = Object.fromEntries(events.map((name, i) => [name, totals[i] / requests]));
  // KCachegrind's cycle estimate, from the simulated misses.
  const cycles = CYCLES
    ? e.Ir + 10 * (e.Bcm + e.Bim + e.I1mr + e.D1mr + e.D1mw) + 100 * (e.ILmr + e.DLmr + e.DLmw)
    : undefined;
  return { instructions: e.Ir, cycles };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
const thousands = (value) => Math.round(value).toLocaleString('en-US');

/** The first message `child` sends; rejects if it exits before sending one (a crash at startup). */
async function firstMessage(child, name) {
  const exited = once(child, 'exit').then(([code, signal]) => {
    throw new Error(`${name} exited before it was ready (${signal ?? code})`);
  });
  const [message] = await Promise.race([once(child, 'message'), exited]);
  exited.catch(() => {});
  return message;
}

/** `count` GETs of `path` with the bearer token, 32 at a time; throws on any answer but 2xx. */
async function load(port, path, token, count) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/${path}`,
    connections: CONNECTIONS,
    amount: count,
    timeout: 120,
    headers: { authorization: `Bearer ${token}` },
  });
  if (result.non2xx || result.errors || result.timeouts)
    throw new Error(`/${path}: ${result.non2xx} non-2xx answers, ${result.errors + result.timeouts} errors`);
}

/** The server of `guard-<adapter>` under callgrind; resolves with its instructions per request, by route and round. */
async function count(adapter, endpoint, token, dir) {
  const out = join(dir, adapter);
  const server = spawn(
    'valgrind',
    [
      '-q',
      '--tool=callgrind',
      ...SIMULATION,
      `--callgrind-out-file=${out}.%p`,
      'node',
      join(__dirname, 'server.cjs'),
      `guard-${adapter}`,
      endpoint,
    ],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  try {
    const { port } = await firstMessage(server, `the ${adapter} server under valgrind`);
    // callgrind_control exits with 0 even when it reached no process: its "OK." says it did.
    const control = async (flag) => {
      const { stdout } = await execFileAsync('callgrind_control', [flag, String(server.pid)]);
      if (!stdout.includes('OK.')) throw new Error(`callgrind_control ${flag}: ${stdout.trim()}`);
    };
    // In turns, so that the code the routes share has seen all three before anything is counted.
    for (let pass = 0; pass < 2; pass++)
      for (const route of ROUTES) await load(port, route, token, WARM_UP_REQUESTS / 2);
    const counts = Object.fromEntries(ROUTES.map((route) => [route, []]));
    let dumps = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      for (const route of round % 2 === 1 ? ROUTES : [...ROUTES].reverse()) {
        // Counting from zero, the block, then a dump of what the block ran (callgrind_control waits for it).
        await control('--zero');
        await load(port, route, token, REQUESTS);
        await control('--dump');
        const perRequest = perRequestOf(readFileSync(`${out}.${server.pid}.${(dumps += 1)}`, 'utf8'), REQUESTS);
        counts[route].push(perRequest);
        const cycles = CYCLES ? `, ${thousands(perRequest.cycles)} cycles (estimated)` : '';
        console.log(
          `${adapter.padEnd(7)} round ${round} ${route.padEnd(7)} ${thousands(perRequest.instructions)} ` +
            `instructions${cycles} per request`,
        );
      }
    }
    return counts;
  } finally {
    // callgrind writes its last file as the server exits: the folder goes after that.
    if (server.exitCode === null && server.signalCode === null) {
      server.kill();
      await once(server, 'exit');
    }
  }
}

async function main() {
  if (spawnSync('valgrind', ['--version']).error)
    throw new Error('valgrind is not installed (Debian: apt-get install valgrind)');
  const unknown = ADAPTERS.filter((adapter) => adapter !== 'fastify' && adapter !== 'express');
  if (unknown.length > 0)
    throw new Error(`INSTRUCTIONS_ADAPTERS: unknown adapter ${unknown.join(', ')} (fastify, express)`);
  const standIn = fork(join(__dirname, 'stand-in.cjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const dir = mkdtempSync(join(tmpdir(), 'bench-instructions-'));
  try {
    const { port, privateKey } = await firstMessage(standIn, 'the stand-in');
    const endpoint = `http://127.0.0.1:${port}`;
    // Valid for the whole run (Express under valgrind takes about an hour), so that no request is refused as expired.
    const token = accessToken(privateKey, endpoint, 24 * 3600);
    const results = await Promise.all(ADAPTERS.map((adapter) => count(adapter, endpoint, token, dir)));
    console.log(
      `\nPer request in the server, medians of ${ROUNDS} blocks of ${REQUESTS}; the ratio is the trivial ` +
        `route's count over the route's, the throughput ratio if that count were all a request cost:`,
    );
    ADAPTERS.forEach((adapter, i) => {
      for (const measure of CYCLES ? ['instructions', 'cycles'] : ['instructions']) {
        const of = (route) => median(results[i][route].map((counted) => counted[measure]));
        for (const route of ROUTES) {
          const added = of(route) - of('plain');
          const ratio =
            route === 'plain'
              ? ''
              : `  ratio ${(of('plain') / of(route)).toFixed(3)} ` +
                `(${added < 0 ? '-' : '+'}${thousands(Math.abs(added))})`;
          console.log(
            `  ${adapter.padEnd(7)} ${measure.padEnd(12)} /${route.padEnd(7)} ` +
              `${thousands(of(route)).padStart(7)}${ratio}`,
          );
        }
      }
    });
  } finally {
    standIn.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  // Now: a server still counting for another adapter ends with this process (server.cjs exits on disconnect).
  process.exit(1);
});
