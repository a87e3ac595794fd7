// `npm run test:cold-start` (in `npm test`, after the build): an app that only checks tokens
// loads no module of the AWS SDK (issue 29). Each case is a fresh `node` process of an app that
// loads NestJS and this package by its name, as a user's app does: NestJS 11 (this repository's,
// the built package) and NestJS 12 (test/nest12's, the packed package unpacked there), each as a
// CommonJS app (require.cache is checked) and an ESM app (require.cache, and the URLs its loader
// hooks saw: esm-loads.mjs). Two processes per app (scenario.cjs): the guard-only app, whose
// first service call at the end is a control, and a control that loads the SDK at boot: a check
// that saw nothing fails them. This process serves the apps' JWKS on a free port, so that the
// default warm-up at app.init() is the path tested.
'use strict';
const { spawn } = require('node:child_process');
const { generateKeyPairSync, randomUUID, sign } = require('node:crypto');
const { once } = require('node:events');
const { rmSync } = require('node:fs');
const { createServer } = require('node:http');
const { join } = require('node:path');
const { installPackedPackage } = require('../support/packed-package.cjs');
const { USERNAME } = require('./scenario.cjs');

const NEST12 = join(__dirname, '..', 'nest12');
const ESM_LOADS = ['--import', join(__dirname, 'esm-loads.mjs')];
// As test/nest12's smoke run: up the tree Node would find the root's @nestjs/swagger, made for NestJS 11.
const NO_SWAGGER = ['--require', join(__dirname, '..', 'support', 'block-packages.cjs')];
// Each app runs the guard-only scenario and one of the two controls (each control on both NestJS majors and both styles).
const APPS = [
  { label: 'NestJS 11, CommonJS', args: [join(__dirname, 'app.cjs')], control: 'refresh-endpoint' },
  { label: 'NestJS 11, ESM', args: [...ESM_LOADS, join(__dirname, 'app.mjs')], control: 'revocation-check' },
  { label: 'NestJS 12, CommonJS', args: [...NO_SWAGGER, join(NEST12, 'cold-start.cjs')], control: 'revocation-check' },
  {
    label: 'NestJS 12, ESM',
    args: [...NO_SWAGGER, ...ESM_LOADS, join(NEST12, 'cold-start.mjs')],
    control: 'refresh-endpoint',
  },
];
const CLIENT_ID = 'coldstartclient';
// Two at a time (the machines that run this have two cores or more); a run takes about a second.
const PARALLEL = 2;
const RUN_TIMEOUT_MS = 30_000;

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwks = JSON.stringify({
  keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'cold', alg: 'RS256', use: 'sig' }],
});

/** An access token of `userPoolId` as Cognito issues it (for the issuer the module derives from `endpoint`). */
function accessToken(endpoint, userPoolId) {
  const now = Math.floor(Date.now() / 1000);
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const payload = {
    sub: randomUUID(),
    username: USERNAME,
    client_id: CLIENT_ID,
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    iss: `${endpoint}/${userPoolId}`,
    iat: now,
    exp: now + 600,
    jti: randomUUID(),
  };
  const unsigned = `${part({ alg: 'RS256', kid: 'cold', typ: 'JWT' })}.${part(payload)}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), privateKey).toString('base64url')}`;
}

/**
 * The pools' endpoint: each pool's JWKS (GET /<pool>/.well-known/jwks.json, counted per pool;
 * GET /jwks-fetches/<pool> tells the count), and a 400 to anything else (a Cognito call).
 */
function startServer() {
  const fetches = new Map();
  const server = createServer((req, res) => {
    const jwksOf = /^\/([\w-]+)\/\.well-known\/jwks\.json$/.exec(req.url);
    const countOf = /^\/jwks-fetches\/([\w-]+)$/.exec(req.url);
    req.resume();
    if (req.method === 'GET' && jwksOf) {
      fetches.set(jwksOf[1], (fetches.get(jwksOf[1]) ?? 0) + 1);
      res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
    } else if (req.method === 'GET' && countOf) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(String(fetches.get(countOf[1]) ?? 0));
    } else {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: 'InvalidParameterException', message: 'no Cognito here' }));
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** One app in a fresh process: resolves with its exit code and output; killed past RUN_TIMEOUT_MS. */
async function runApp(app, scenario, endpoint, index) {
  const userPoolId = `eu-west-1_Cold${index}`;
  const child = spawn(process.execPath, [...app.args, scenario], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      COLD_START_ENDPOINT: endpoint,
      COLD_START_USER_POOL_ID: userPoolId,
      COLD_START_CLIENT_ID: CLIENT_ID,
      COLD_START_TOKEN: accessToken(endpoint, userPoolId),
      BLOCKED_PACKAGES: '@nestjs/swagger',
      AWS_ACCESS_KEY_ID: 'cold-start',
      AWS_SECRET_ACCESS_KEY: 'cold-start',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const timer = setTimeout(() => {
    output += `\n  FAIL  still running after ${RUN_TIMEOUT_MS} ms: killed`;
    child.kill('SIGKILL');
  }, RUN_TIMEOUT_MS);
  const [code, signal] = await once(child, 'exit');
  clearTimeout(timer);
  return { label: `${app.label}, ${scenario}`, code: code ?? signal, output: output.trimEnd() };
}

async function main() {
  const started = Date.now();
  const server = await startServer();
  const endpoint = `http://127.0.0.1:${server.address().port}`;
  // Builds dist/ first when a source is newer (packed-package.cjs): the NestJS 11 apps load it too.
  const lib = installPackedPackage(NEST12);
  const runs = APPS.flatMap((app) => ['guard-only', app.control].map((scenario) => ({ app, scenario })));
  const outcomes = [];
  try {
    let next = 0;
    const worker = async () => {
      while (next < runs.length) {
        const index = next++;
        outcomes[index] = await runApp(runs[index].app, runs[index].scenario, endpoint, index);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
  } finally {
    rmSync(lib, { recursive: true, force: true });
    server.closeAllConnections();
    server.close();
  }
  const failed = outcomes.filter((outcome) => outcome.code !== 0);
  for (const outcome of outcomes) console.log(outcome.output);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`cold start: ${outcomes.length - failed.length} of ${outcomes.length} apps passed in ${seconds} s`);
  for (const outcome of failed) console.log(`  FAILED: ${outcome.label} (exit ${outcome.code})`);
  if (failed.length > 0) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
