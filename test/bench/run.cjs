// `npm run bench`: the refresh endpoint against what a user writes by hand, on a 2-core
// machine ideally quiet. See docs/benchmark.md. Not part of `npm test`.
//   BENCH_SECONDS (default 2)      length of each throughput run
//   BENCH_ROUNDS (default 15)      rounds over every target, alternating
//   BENCH_RSS_REQUESTS (50000)     requests between the two RSS readings
//   BENCH_CLIENT_SECRET            an app client with a secret (SECRET_HASH on every call)
//   BENCH_INTERLEAVED_SECONDS (60) length of each interleaved run (a route and its baseline on one server)
//   COLD_START_RUNS (20)           runs of each app in the cold-start row (cold-start.cjs; first, on a quiet machine)
//   BENCH_ONLY                     comma-separated words: only the rows whose name holds one (and their
//                                  baselines); the cold start, merge and memory parts are then skipped
//                                  (e.g. BENCH_ONLY=session: the session rows, the bearer guard rows, the trivial routes)
// Prints a table and writes bench-results.json (git-ignored).
'use strict';
const { fork, spawn } = require('node:child_process');
const { once } = require('node:events');
const { writeFileSync } = require('node:fs');
const { Agent, request } = require('node:http');
const { join } = require('node:path');
const { tmpdir } = require('node:os');
const autocannon = require('autocannon');
const { accessToken, sessionTokens } = require('./access-token.cjs');
const { SLICE_MS, interleaved } = require('./interleaved.cjs');
const { measureColdStart, printColdStart } = require('./cold-start.cjs');

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const WARM_UP_SECONDS = 3;
// RSS and heap are read after a full GC at this many evenly spaced points of the RSS run.
const MEMORY_READINGS = 11;
const RSS_REQUESTS = Number(process.env.BENCH_RSS_REQUESTS ?? 50_000);
const CONNECTIONS = 32;
// A target with `interleavedWith` (its baseline's route on the target's own server) is also run
// interleaved with it (interleaved.cjs): that run gives the target's ratio.
const INTERLEAVED_SECONDS = Number(process.env.BENCH_INTERLEAVED_SECONDS ?? 60);
// Each target and its fair baseline: the same work written by hand, on the same adapter. A target
// with `auth: 'session'` sends the Cookie of a server-side session started before the runs, where the
// others send a bearer token; `interleavedAuth` is the credential of its interleaved baseline route.
const ALL_TARGETS = [
  { name: 'bare node:http + SDK', server: 'bare', path: '/auth/refresh' },
  {
    name: 'hand-written controller, Express',
    server: 'hand-express',
    path: '/auth/refresh',
    baseline: 'bare node:http + SDK',
  },
  {
    name: 'module endpoint, Express',
    server: 'module-express',
    path: '/auth/refresh',
    baseline: 'hand-written controller, Express',
    interleavedWith: '/hand/refresh',
  },
  {
    name: 'hand-written controller, Fastify',
    server: 'hand-fastify',
    path: '/auth/refresh',
    baseline: 'bare node:http + SDK',
  },
  {
    name: 'module endpoint, Fastify',
    server: 'module-fastify',
    path: '/auth/refresh',
    baseline: 'hand-written controller, Fastify',
    interleavedWith: '/hand/refresh',
  },
  // sharedRefresh costs a Redis lock, a sealed write and two HKDFs per (distinct) token.
  {
    name: 'module + sharedRefresh, Express',
    server: 'shared-express',
    path: '/auth/refresh',
    baseline: 'module endpoint, Express',
  },
  { name: 'trivial route, Express', server: 'guard-express', path: '/plain' },
  {
    name: 'trivial route + guard, Express',
    server: 'guard-express',
    path: '/guarded',
    baseline: 'trivial route, Express',
    interleavedWith: '/plain',
  },
  // Nest's own cost for any guard (one that returns true), beside the module's guard's.
  {
    name: 'trivial route + no-op guard, Fastify',
    server: 'guard-fastify',
    path: '/allowed',
    baseline: 'trivial route, Fastify',
    interleavedWith: '/plain',
  },
  { name: 'trivial route, Fastify', server: 'guard-fastify', path: '/plain' },
  {
    name: 'trivial route + guard, Fastify',
    server: 'guard-fastify',
    path: '/guarded',
    baseline: 'trivial route, Fastify',
    interleavedWith: '/plain',
  },
  // The same guarded route admitted by a server-side session's cookie (issue #26: >= 0.90 of the
  // bearer row); interleaved with the bearer token on the same route of the same server.
  {
    name: 'trivial route + session (in-memory), Express',
    server: 'session-express',
    path: '/guarded',
    auth: 'session',
    baseline: 'trivial route + guard, Express',
    interleavedWith: '/guarded',
    interleavedAuth: 'bearer',
  },
  {
    name: 'trivial route + session (in-memory), Fastify',
    server: 'session-fastify',
    path: '/guarded',
    auth: 'session',
    baseline: 'trivial route + guard, Fastify',
    interleavedWith: '/guarded',
    interleavedAuth: 'bearer',
  },
  // The sessions in a redis-server: one MGET per request on top; its added p50 is the row's Δp50.
  {
    name: 'trivial route + session (Redis), Express',
    server: 'sessionredis-express',
    path: '/guarded',
    auth: 'session',
    baseline: 'trivial route + session (in-memory), Express',
  },
];
const ONLY = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((word) => word.trim().toLowerCase())
  .filter((word) => word !== '');
/** The rows BENCH_ONLY selects, with their baselines (and theirs), in the table's order. */
function selectTargets() {
  if (ONLY.length === 0) return ALL_TARGETS;
  const chosen = new Set(
    ALL_TARGETS.filter((t) => ONLY.some((word) => t.name.toLowerCase().includes(word))).map((t) => t.name),
  );
  for (let grew = true; grew;) {
    grew = false;
    for (const t of ALL_TARGETS)
      if (chosen.has(t.name) && t.baseline !== undefined && !chosen.has(t.baseline)) grew = chosen.add(t.baseline);
  }
  if (chosen.size === 0) throw new Error(`BENCH_ONLY=${process.env.BENCH_ONLY} names no row`);
  return ALL_TARGETS.filter((t) => chosen.has(t.name));
}
const TARGETS = selectTargets();
// The session rows' access token lives this long (an hour, as Cognito's default): longer than a whole
// run, so that no refresh happens inside the measured loop (checked before each session run).
const SESSION_TOKEN_SECONDS = 3600;
const RESULTS_FILE = join(__dirname, '..', '..', 'bench-results.json');
// With an app client secret every refresh carries a SECRET_HASH, computed from the username.
const REFRESH_FIELDS = process.env.BENCH_CLIENT_SECRET ? { username: 'bench-user' } : {};

/** Forks `file` and resolves with the child and the first message it sends. */
async function start(file, args = []) {
  const child = fork(join(__dirname, file), args, {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [message] = await once(child, 'message');
  return { child, ...message };
}

/** Sends `message` to `child` and resolves with its answer. */
async function ask(child, message) {
  child.send(message);
  const [answer] = await once(child, 'message');
  return answer;
}

/** What the table shows of an autocannon result. */
function summarize(result) {
  return {
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** autocannon against `port`, each request with its own token (identical concurrent tokens would be merged). */
async function load(port, { duration, amount }) {
  let n = 0;
  return summarize(
    await autocannon({
      url: `http://127.0.0.1:${port}/auth/refresh`,
      connections: CONNECTIONS,
      ...(amount ? { amount } : { duration }),
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          setupRequest: (req) => ({
            ...req,
            body: JSON.stringify({ refreshToken: `bench.token.${(n += 1)}`, ...REFRESH_FIELDS }),
          }),
        },
      ],
    }),
  );
}

/** autocannon GETs of `path` with `headers` (a bearer token, or a session's cookie). */
async function loadGet(port, path, headers, duration) {
  return summarize(
    await autocannon({
      url: `http://127.0.0.1:${port}${path}`,
      connections: CONNECTIONS,
      duration,
      headers,
    }),
  );
}

/** POSTs a refresh of `token` through `agent`; resolves with the status. */
function postOn(agent, port, token) {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/auth/refresh',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ refreshToken: token, ...REFRESH_FIELDS }));
  });
}

/** A redis-server for the sharedRefresh target, on a free port, persisting nothing; resolves once it is ready. */
async function startRedis() {
  const { createServer } = require('node:net');
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address();
  probe.close();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { cwd: tmpdir() },
  );
  let output = '';
  await new Promise((resolve, reject) => {
    child.once('error', reject).once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
    child.stdout.on('data', (chunk) => (output += chunk).includes('Ready to accept connections') && resolve());
  });
  child.removeAllListeners('exit');
  return { child, url: `redis://127.0.0.1:${port}` };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The rise over the whole run of the least-squares line through evenly spaced `values`. */
function fittedGrowth(values) {
  const n = values.length;
  const meanX = (n - 1) / 2;
  const meanY = values.reduce((sum, y) => sum + y, 0) / n;
  let num = 0;
  let den = 0;
  values.forEach((y, x) => {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  });
  return (num / den) * (n - 1);
}

/** The refresh endpoint's merge of concurrent refreshes, and its memory over RSS_REQUESTS refreshes. */
async function measureMergeAndMemory(report, servers, standIn) {
  // Merge: 100 concurrent refreshes of one token, the stand-in answering after 100 ms. The
  // 100 connections are opened first, so that the requests arrive together.
  const agent = new Agent({ keepAlive: true, maxSockets: 100 });
  const post = (token) => postOn(agent, servers['module-express'].port, token);
  await Promise.all(Array.from({ length: 100 }, (_, i) => post(`bench.warm.${i}`)));
  await ask(standIn.child, { delay: 100, reset: true });
  const statuses = await Promise.all(Array.from({ length: 100 }, () => post('bench.same.token')));
  const { count } = await ask(standIn.child, { delay: 0 });
  agent.destroy();
  report.merge = { concurrentRefreshes: 100, upstreamCalls: count, allAnswered200: statuses.every((s) => s === 200) };

  // Memory: RSS (and the V8 heap, which tells a leak from allocator slack) over RSS_REQUESTS
  // requests after a warm-up of 5,000, read after a full GC at MEMORY_READINGS evenly spaced
  // points. A single reading moves by tens of MB with V8's and the allocator's sizing (the
  // heap in use does not): the growth is the least-squares line through all readings, over
  // RSS_REQUESTS, and the first and last readings are shown beside it.
  report.rss = [];
  for (const kind of ['module-express', 'module-fastify']) {
    await load(servers[kind].port, { amount: 5_000 });
    const readings = [await ask(servers[kind].child, { rss: true })];
    let non2xx = 0;
    for (let i = 1; i < MEMORY_READINGS; i++) {
      non2xx += (await load(servers[kind].port, { amount: RSS_REQUESTS / (MEMORY_READINGS - 1) })).non2xx;
      readings.push(await ask(servers[kind].child, { rss: true }));
    }
    const mb = (bytes) => Number((bytes / 1024 / 1024).toFixed(1));
    report.rss.push({
      target: kind,
      requests: RSS_REQUESTS,
      rssFirstMb: mb(readings[0].rss),
      rssLastMb: mb(readings.at(-1).rss),
      rssGrowthMb: mb(fittedGrowth(readings.map((r) => r.rss))),
      heapGrowthMb: mb(fittedGrowth(readings.map((r) => r.heapUsed))),
      non2xx,
    });
  }
}

async function main() {
  const standIn = await start('stand-in.cjs');
  const endpoint = `http://127.0.0.1:${standIn.port}`;
  // Cold starts first, before the servers under load exist: each is a whole process of its own.
  const coldStart = ONLY.length === 0 ? await measureColdStart(endpoint, standIn.privateKey) : undefined;
  const servers = {};
  const redis = await startRedis();
  for (const server of new Set(TARGETS.map((t) => t.server))) {
    servers[server] = await start('server.cjs', [
      server,
      endpoint,
      ...(['shared-express', 'sessionredis-express'].includes(server) ? [redis.url] : []),
    ]);
  }
  // Each session server's one session, started once, before any measurement, as the auth endpoints
  // start one after a sign-in (CognitoServerSessions.start with the tokens Cognito issued).
  const sessionTokensEnd = Date.now() + SESSION_TOKEN_SECONDS * 1000;
  const cookies = {};
  for (const server of new Set(TARGETS.filter((t) => t.auth === 'session').map((t) => t.server))) {
    const answer = await ask(servers[server].child, {
      session: sessionTokens(standIn.privateKey, endpoint, SESSION_TOKEN_SECONDS),
    });
    if (answer.cookie === undefined) throw new Error(`${server}: no session started (${answer.error})`);
    cookies[server] = answer.cookie;
  }
  const report = {
    machine: {
      cpus: require('node:os').cpus().length,
      node: process.version,
      loadAverage: require('node:os').loadavg(),
    },
    settings: {
      SECONDS,
      ROUNDS,
      CONNECTIONS,
      clientSecret: Boolean(process.env.BENCH_CLIENT_SECRET),
      only: ONLY.length === 0 ? null : ONLY,
    },
    coldStart,
  };
  try {
    // Throughput: a short warm-up of each, then rounds over every target in turn, each next to
    // its baseline, every other round in reverse order (A B B A: a drift in the machine's load
    // touches a target and its baseline alike).
    const token = accessToken(standIn.privateKey, endpoint);
    // A target's headers: its session's cookie, or the bearer token. A session's access token is never
    // due for a refresh while measured (the stand-in's refresh answer is no JWT: the session would end, 401).
    const headersOf = (server, auth) => {
      if (auth !== 'session') return { authorization: `Bearer ${token}` };
      if (Date.now() > sessionTokensEnd - 120_000) throw new Error('the session rows outlasted their access token');
      return { cookie: cookies[server] };
    };
    // Each run also reads the server's CPU time (user + system) per request: a steadier
    // figure than req/s when the load generator shares the machine's two cores.
    const cpuTime = async (server) => {
      const { user, system } = await ask(server.child, { cpu: true });
      return user + system;
    };
    const run = async (target, seconds) => {
      const server = servers[target.server];
      const before = await cpuTime(server);
      const result =
        target.path === '/auth/refresh'
          ? await load(server.port, { duration: seconds })
          : await loadGet(server.port, target.path, headersOf(target.server, target.auth), seconds);
      return { ...result, cpuPerRequest: ((await cpuTime(server)) - before) / result.requests };
    };
    for (const target of TARGETS) await run(target, WARM_UP_SECONDS);
    const runs = new Map(TARGETS.map((target) => [target.name, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      for (const target of round % 2 === 1 ? TARGETS : [...TARGETS].reverse()) {
        const result = await run(target, SECONDS);
        runs.get(target.name).push(result);
        console.log(
          `round ${round} ${target.name.padEnd(38)} ${result.requestsPerSecond.toFixed(0).padStart(6)} req/s ` +
            `${result.cpuPerRequest.toFixed(0).padStart(5)} µs CPU/req`,
        );
      }
    }
    // A target and its baseline's route on the same server, interleaved SLICE_MS each.
    const interleavedRatios = new Map();
    for (const target of TARGETS) {
      if (target.interleavedWith === undefined) continue;
      const paths = [target.interleavedWith, target.path];
      // The rounds did not warm the hand-written route beside the module's endpoint.
      const settings = { token, refreshFields: REFRESH_FIELDS, connections: CONNECTIONS };
      if (target.auth === 'session') {
        settings.headers = [headersOf(target.server, target.interleavedAuth), headersOf(target.server, target.auth)];
      }
      await interleaved(servers[target.server].port, paths, { ...settings, duration: WARM_UP_SECONDS });
      const [base, mine] = await interleaved(servers[target.server].port, paths, {
        ...settings,
        duration: INTERLEAVED_SECONDS,
      });
      interleavedRatios.set(target.name, {
        ratio: mine.requests / base.requests,
        requests: mine.requests,
        baselineRequests: base.requests,
        non2xx: mine.non2xx + base.non2xx,
      });
      console.log(`interleaved ${target.name.padEnd(38)} ${mine.requests} : ${base.requests} requests`);
    }
    // The method's own noise: the trivial route against itself, interleaved the same way (1 but for noise).
    if (servers['guard-fastify'] !== undefined) {
      const [first, second] = await interleaved(servers['guard-fastify'].port, ['/plain', '/plain'], {
        token,
        connections: CONNECTIONS,
        duration: INTERLEAVED_SECONDS,
      });
      report.control = {
        target: 'trivial route against itself, Fastify, interleaved',
        ratio: Number((second.requests / first.requests).toFixed(3)),
        non2xx: first.non2xx + second.non2xx,
      };
    }
    // The ratio: from the interleaved run where there is one; otherwise the median of the
    // per-round ratios (each round's pair ran back to back).
    report.throughput = TARGETS.map((target) => {
      const mine = runs.get(target.name);
      const base = target.baseline === undefined ? undefined : runs.get(target.baseline);
      const roundsRatio =
        base === undefined
          ? null
          : Number(median(mine.map((r, i) => r.requestsPerSecond / base[i].requestsPerSecond)).toFixed(3));
      const paired = interleavedRatios.get(target.name);
      return {
        target: target.name,
        requestsPerSecond: Math.round(median(mine.map((r) => r.requestsPerSecond))),
        p50: median(mine.map((r) => r.p50)),
        p99: median(mine.map((r) => r.p99)),
        cpuPerRequest: Number(median(mine.map((r) => r.cpuPerRequest)).toFixed(1)),
        baseline: target.baseline ?? null,
        ratio: paired === undefined ? roundsRatio : Number(paired.ratio.toFixed(3)),
        ratioFrom: base === undefined ? null : paired === undefined ? 'rounds' : 'interleaved',
        roundsRatio,
        // What the target adds to the baseline's p50 under the same load: the median of the rounds' differences.
        p50Added: base === undefined ? null : median(mine.map((r, i) => r.p50 - base[i].p50)),
        cpuAdded:
          base === undefined
            ? null
            : Number(median(mine.map((r, i) => r.cpuPerRequest - base[i].cpuPerRequest)).toFixed(1)),
        interleaved: paired ?? null,
        non2xx: mine.reduce((sum, r) => sum + r.non2xx, 0) + (paired?.non2xx ?? 0),
        errors: mine.reduce((sum, r) => sum + r.errors, 0),
      };
    });

    // The merge and memory parts need the module's refresh endpoints: not with BENCH_ONLY.
    if (ONLY.length === 0) await measureMergeAndMemory(report, servers, standIn);
  } finally {
    for (const { child } of [standIn, ...Object.values(servers)]) child.disconnect();
    redis.child.kill();
  }

  console.log(
    [
      `\n${SECONDS} s x ${ROUNDS} alternating rounds at ${CONNECTIONS} connections, medians; CPU = the ` +
        `server's user + system time per request.`,
      `ratio to the baseline: "interleaved" = requests answered in one ${INTERLEAVED_SECONDS} s run ` +
        `switching every ${SLICE_MS} ms between the target and`,
      `its baseline's route on the same server; "rounds" = median of the per-round ratios; "rounds ratio" is ` +
        `shown for every row.`,
    ].join('\n'),
  );
  console.table(
    report.throughput.map((row) => ({
      target: row.target,
      'req/s': row.requestsPerSecond,
      'p50 ms': row.p50,
      'p99 ms': row.p99,
      'CPU µs/req': row.cpuPerRequest,
      ratio: row.ratio ?? '',
      'ratio from': row.ratioFrom ?? '',
      'rounds ratio': row.roundsRatio ?? '',
      'Δp50 ms': row.p50Added ?? '',
      'ΔCPU µs': row.cpuAdded ?? '',
      'to baseline': row.baseline ?? '',
      'non-2xx': row.non2xx,
    })),
  );
  if (report.control !== undefined)
    console.log(`Control: ${report.control.target}: ${report.control.ratio} (non-2xx: ${report.control.non2xx})`);
  if (report.merge !== undefined) {
    console.log(
      `Merge: ${report.merge.concurrentRefreshes} concurrent refreshes of one token -> ` +
        `${report.merge.upstreamCalls} upstream call(s); all answered 200: ${report.merge.allAnswered200}`,
    );
    console.table(report.rss);
  }
  if (report.coldStart !== undefined) printColdStart(report.coldStart);
  else console.log(`BENCH_ONLY=${ONLY.join(',')}: the rows above only (no cold start, merge or memory part).`);
  writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`Written to ${RESULTS_FILE}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
