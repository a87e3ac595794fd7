// The benchmark's Cognito: a wire-level stand-in in its own process that answers
// AdminInitiateAuth at once (or after `delay` ms) and counts what it receives.
// Driven over IPC by run.cjs: { delay }, { count }, { reset }.
'use strict';
const { createServer } = require('node:http');

let delay = 0;
let count = 0;
const answer = JSON.stringify({
  ChallengeParameters: {},
  AuthenticationResult: { AccessToken: 'bench-access', ExpiresIn: 3600, TokenType: 'Bearer', IdToken: 'bench-id' },
});

const server = createServer((req, res) => {
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
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
