// The bench's pool, app client and access token, shared by run.cjs and instructions.cjs.
'use strict';
const { randomUUID, sign } = require('node:crypto');

// The pool and app client the bench's servers are configured with (server.cjs).
const USER_POOL_ID = 'eu-west-1_Bench1';
const CLIENT_ID = 'benchclient123';

/**
 * An RS256 access token as Cognito would issue it for the bench's pool on the stand-in at
 * `endpoint`, valid for `lifetime` seconds (Cognito's default: an hour), signed with the stand-in's key.
 */
function accessToken(privateKey, endpoint, lifetime = 3600) {
  const now = Math.floor(Date.now() / 1000);
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = {
    sub: randomUUID(),
    username: 'bench-user',
    client_id: CLIENT_ID,
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
  };
  const payload = { ...claims, iss: `${endpoint}/${USER_POOL_ID}`, iat: now, exp: now + lifetime, jti: randomUUID() };
  const unsigned = `${part({ alg: 'RS256', kid: 'bench', typ: 'JWT' })}.${part(payload)}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), privateKey).toString('base64url')}`;
}

module.exports = { CLIENT_ID, USER_POOL_ID, accessToken };
