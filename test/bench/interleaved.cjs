// Two routes of one server measured in the same stretch of time: one autocannon run whose
// requests switch between them every SLICE_MS. On this machine a route's throughput moves
// between regimes lasting half a second to two seconds (docs/benchmark.md); two routes taking turns
// every 100 ms meet the same regimes, where two runs back to back do not.
'use strict';
const autocannon = require('autocannon');

const SLICE_MS = 100;

/**
 * One autocannon run against `port` whose requests go to `paths[0]` and `paths[1]` in turn,
 * SLICE_MS each (by the time each request is sent): GETs with `token` as a bearer token, or
 * refreshes (POSTs, each with its own refresh token and `refreshFields`, such as the username
 * an app client with a secret needs) when the paths are refresh endpoints. Resolves
 * with the count of answers, and of non-2xx answers, of each of the two. `headers`, when given, are
 * each path's own request headers instead of the bearer token (a session cookie on one, say: then
 * the two paths may be the same route). Each connection has
 * one request in flight, so its context carries the slot of the answer it waits for.
 */
async function interleaved(port, paths, { token, refreshFields, duration, connections, headers }) {
  const counts = paths.map(() => ({ requests: 0, non2xx: 0 }));
  const refresh = paths[0].endsWith('/refresh');
  let n = 0;
  let startedAt;
  await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration,
    headers: refresh
      ? { 'content-type': 'application/json' }
      : headers === undefined
        ? { authorization: `Bearer ${token}` }
        : {},
    requests: [
      {
        method: refresh ? 'POST' : 'GET',
        setupRequest: (req, context) => {
          startedAt ??= Date.now();
          context.slot = Math.floor((Date.now() - startedAt) / SLICE_MS) % paths.length;
          const body = refresh
            ? { body: JSON.stringify({ refreshToken: `bench.interleaved.${(n += 1)}`, ...refreshFields }) }
            : {};
          const own = headers === undefined ? {} : { headers: headers[context.slot] };
          return { ...req, ...body, ...own, path: paths[context.slot] };
        },
        onResponse: (status, _body, context) => {
          counts[context.slot].requests += 1;
          if (status < 200 || status > 299) counts[context.slot].non2xx += 1;
        },
      },
    ],
  });
  return counts;
}

module.exports = { SLICE_MS, interleaved };
