// The benchmark's Cognito: a wire-level stand-in in its own process that answers
// AdminInitiateAuth at once (or after `delay` ms) and counts what it receives.
// Driven over IPC by run.cjs: { delay }, { count }, { reset }. Also serves a JWKS
// (GET .../.well-known/jwks.json) for the guard figure, and hands run.cjs the
// private key to sign the benchmark's access token with.
'use strict';
const { generateKeyPairSync } = require('node:crypto');
const { createServer } = require('node:http');

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwks = JSON.stringify({
  keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'bench', alg: 'RS256', use: 'sig' }],
});

let delay = 0;
let count = 0;
const answer = JSON.stringify({
  ChallengeParameters: {},
  AuthenticationResult: { AccessToken: 'bench-access', ExpiresIn: 3600, TokenType: 'Bearer', IdToken: 'bench-id' },
});

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url.endsWith('/.well-known/jwks.json')) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(jwks);
    return;
  }
  req.resume();
  req.on('end', () => {
    count += 1;
    const send = () => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'bench' });
      res.end(answer);
    };
    if (delay > 0) setTimeout(send, delay);
    else send();
  });
});
server.keepAliveTimeout = 60_000;

process.on('message', (message) => {
  if ('delay' in message) delay = message.delay;
  if (message.reset) count = 0;
  process.send({ count });
});
process.on('disconnect', () => process.exit(0));
server.listen(0, '127.0.0.1', () =>
  process.send({ port: server.address().port, privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }) }),
);
