// `npm run bench`: the refresh endpoint against the bare SDK, on a 2-core machine
// ideally quiet. See README ("Benchmark"). Not part of `npm test`.
//   BENCH_SECONDS (default 10)     length of each throughput run
//   BENCH_ROUNDS (default 3)       rounds of (bare, express, fastify), alternating
//   BENCH_RSS_REQUESTS (50000)     requests between the two RSS readings
// Prints a table and writes bench-results.json (git-ignored).
'use strict';
const { fork, spawn } = require('node:child_process');
const { randomUUID, sign } = require('node:crypto');
const { once } = require('node:events');
const { writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { Agent, request } = require('node:http');
const { join } = require('node:path');
const autocannon = require('autocannon');

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RSS_REQUESTS = Number(process.env.BENCH_RSS_REQUESTS ?? 50_000);
const CONNECTIONS = 32;
const TARGETS = ['bare', 'express', 'fastify', 'shared'];
const LABELS = {
  bare: '(a) bare node:http + SDK',
  express: '(b) refresh endpoint, express',
  fastify: '(c) refresh endpoint, fastify',
  shared: '(d) refresh endpoint, express, sharedRefresh (Redis)',
};
// The same pool and client as server.cjs.
const USER_POOL_ID = 'eu-west-1_Bench1';
const CLIENT_ID = 'benchclient123';
const RESULTS_FILE = join(__dirname, '..', '..', 'bench-results.json');

/** Forks `file` and resolves with the child and the first message it sends. */
async function start(file, args = []) {
  const child = fork(join(__dirname, file), args, { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [message] = await once(child, 'message');
  return { child, ...message };
}

/** A redis-server for the `shared` target, on a free port, persisting nothing; resolves once it is ready. */
async function startRedis() {
  const { createServer } = require('node:net');
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address();
  probe.close();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { cwd: tmpdir() });
  let output = '';
  await new Promise((resolve, reject) => {
    child.once('error', reject).once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
    child.stdout.on('data', (chunk) => (output += chunk).includes('Ready to accept connections') && resolve());
  });
  child.removeAllListeners('exit');
  return { child, url: `redis://127.0.0.1:${port}` };
}

/** Sends `message` to `child` and resolves with its answer. */
async function ask(child, message) {
  child.send(message);
  const [answer] = await once(child, 'message');
  return answer;
}

/** autocannon against `port`, each request with its own token (identical concurrent tokens would be merged). */
async function load(port, { duration, amount }) {
  let n = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/auth/refresh`,
    connections: CONNECTIONS,
    ...(amount ? { amount } : { duration }),
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ refreshToken: `bench.token.${(n += 1)}` }) }),
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** autocannon GETs of `path` with a bearer token. */
async function loadGet(port, path, token, duration) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${path}`,
    connections: CONNECTIONS,
    duration,
    headers: { authorization: `Bearer ${token}` },
  });
  return { requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx };
}

/** An RS256 access token as Cognito would issue it, signed with the stand-in's key. */
function accessToken(privateKey, issuer, clientId) {
  const now = Math.floor(Date.now() / 1000);
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = { sub: randomUUID(), username: 'bench-user', client_id: clientId, token_use: 'access', scope: 'aws.cognito.signin.user.admin' };
  const unsigned = `${part({ alg: 'RS256', kid: 'bench', typ: 'JWT' })}.${part({ ...claims, iss: issuer, iat: now, exp: now + 3600, jti: randomUUID() })}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), privateKey).toString('base64url')}`;
}

/** POSTs a refresh of `token` through `agent`; resolves with the status. */
function postOn(agent, port, token) {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/auth/refresh', method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ refreshToken: token }));
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const standIn = await start('stand-in.cjs');
  const endpoint = `http://127.0.0.1:${standIn.port}`;
  const redis = await startRedis();
  const servers = {};
  for (const kind of [...TARGETS, 'guard']) servers[kind] = await start('server.cjs', [kind, endpoint, ...(kind === 'shared' ? [redis.url] : [])]);
  const report = { machine: { cpus: require('node:os').cpus().length, node: process.version }, settings: { SECONDS, ROUNDS, CONNECTIONS } };
  try {
    // Throughput: short warm-up, then alternating rounds.
    for (const kind of TARGETS) await load(servers[kind].port, { duration: 1 });
    const runs = Object.fromEntries(TARGETS.map((kind) => [kind, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      for (const kind of TARGETS) {
        const run = await load(servers[kind].port, { duration: SECONDS });
        runs[kind].push(run);
        console.log(`round ${round} ${kind.padEnd(8)} ${run.requestsPerSecond.toFixed(0)} req/s`);
      }
    }
    const floor = median(runs.bare.map((r) => r.requestsPerSecond));
    report.throughput = TARGETS.map((kind) => {
      const rps = median(runs[kind].map((r) => r.requestsPerSecond));
      return {
        target: LABELS[kind],
        requestsPerSecond: Math.round(rps),
        p50: median(runs[kind].map((r) => r.p50)),
        p99: median(runs[kind].map((r) => r.p99)),
        ratioToBare: Number((rps / floor).toFixed(3)),
        non2xx: runs[kind].reduce((sum, r) => sum + r.non2xx, 0),
        errors: runs[kind].reduce((sum, r) => sum + r.errors, 0),
      };
    });

    // sharedRefresh costs a Redis lock, a sealed write and two HKDFs per (distinct) token: (d) against (b).
    const express = median(runs.express.map((r) => r.requestsPerSecond));
    report.sharedRefresh = { ratioToExpress: Number((median(runs.shared.map((r) => r.requestsPerSecond)) / express).toFixed(3)) };

    // Merge: 100 concurrent refreshes of one token, the stand-in answering after 100 ms. The
    // 100 connections are opened first, so that the requests arrive together.
    const agent = new Agent({ keepAlive: true, maxSockets: 100 });
    const post = (token) => postOn(agent, servers.express.port, token);
    await Promise.all(Array.from({ length: 100 }, (_, i) => post(`bench.warm.${i}`)));
    await ask(standIn.child, { delay: 100, reset: true });
    const statuses = await Promise.all(Array.from({ length: 100 }, () => post('bench.same.token')));
    const { count } = await ask(standIn.child, { delay: 0 });
    agent.destroy();
    report.merge = { concurrentRefreshes: 100, upstreamCalls: count, allAnswered200: statuses.every((s) => s === 200) };

    // Guard: the same trivial route with and without CognitoAuthGuard, one valid token, alternating.
    const token = accessToken(standIn.privateKey, `${endpoint}/${USER_POOL_ID}`, CLIENT_ID);
    const guardRuns = { plain: [], guarded: [] };
    for (const path of ['/plain', '/guarded']) await loadGet(servers.guard.port, path, token, 1);
    for (let round = 1; round <= ROUNDS; round++) {
      for (const path of ['/plain', '/guarded']) {
        const run = await loadGet(servers.guard.port, path, token, SECONDS);
        guardRuns[path.slice(1)].push(run);
        console.log(`round ${round} ${path.padEnd(9)} ${run.requestsPerSecond.toFixed(0)} req/s`);
      }
    }
    const plain = median(guardRuns.plain.map((r) => r.requestsPerSecond));
    const guarded = median(guardRuns.guarded.map((r) => r.requestsPerSecond));
    report.guard = {
      plainRequestsPerSecond: Math.round(plain),
      guardedRequestsPerSecond: Math.round(guarded),
      ratio: Number((guarded / plain).toFixed(3)),
      non2xx: [...guardRuns.plain, ...guardRuns.guarded].reduce((sum, r) => sum + r.non2xx, 0),
    };

    // Memory: RSS (and the V8 heap, which tells a leak from allocator slack) before and after
    // RSS_REQUESTS requests, each reading after a warm-up of 5,000 requests and a full GC.
    report.rss = [];
    for (const kind of ['express', 'fastify']) {
      await load(servers[kind].port, { amount: 5_000 });
      const before = await ask(servers[kind].child, { rss: true });
      const run = await load(servers[kind].port, { amount: RSS_REQUESTS });
      const after = await ask(servers[kind].child, { rss: true });
      const mb = (bytes) => Number((bytes / 1024 / 1024).toFixed(1));
      report.rss.push({
        target: kind,
        requests: RSS_REQUESTS,
        rssBeforeMb: mb(before.rss),
        rssAfterMb: mb(after.rss),
        rssGrowthMb: mb(after.rss - before.rss),
        heapGrowthMb: mb(after.heapUsed - before.heapUsed),
        non2xx: run.non2xx,
      });
    }
  } finally {
    for (const { child } of [standIn, ...Object.values(servers)]) child.disconnect();
    redis.child.kill();
  }

  console.log(`\nRefresh endpoint vs bare SDK: ${SECONDS} s x ${ROUNDS} rounds at ${CONNECTIONS} connections, medians`);
  console.table(
    report.throughput.map((row) => ({
      target: row.target,
      'req/s': row.requestsPerSecond,
      'p50 ms': row.p50,
      'p99 ms': row.p99,
      'ratio to (a)': row.ratioToBare,
      'non-2xx': row.non2xx,
    })),
  );
  console.log(`sharedRefresh: (d) / (b) = ${report.sharedRefresh.ratioToExpress} (every request a distinct token)`);
  console.log(`Merge: ${report.merge.concurrentRefreshes} concurrent refreshes of one token -> ${report.merge.upstreamCalls} upstream call(s)`);
  const { guard } = report;
  console.log(
    `Guard: trivial route ${guard.plainRequestsPerSecond} req/s, guarded ${guard.guardedRequestsPerSecond} req/s: ratio ${guard.ratio} (non-2xx ${guard.non2xx})`,
  );
  console.table(report.rss);
  writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`Written to ${RESULTS_FILE}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
