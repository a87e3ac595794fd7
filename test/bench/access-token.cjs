// The bench's access token, shared by run.cjs and instructions.cjs.
'use strict';
const { randomUUID, sign } = require('node:crypto');

/** An RS256 access token as Cognito would issue it, valid for `lifetime` seconds (Cognito's default: an hour), signed with the stand-in's key. */
function accessToken(privateKey, issuer, clientId, lifetime = 3600) {
  const now = Math.floor(Date.now() / 1000);
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = { sub: randomUUID(), username: 'bench-user', client_id: clientId, token_use: 'access', scope: 'aws.cognito.signin.user.admin' };
  const unsigned = `${part({ alg: 'RS256', kid: 'bench', typ: 'JWT' })}.${part({ ...claims, iss: issuer, iat: now, exp: now + lifetime, jti: randomUUID() })}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), privateKey).toString('base64url')}`;
}

module.exports = { accessToken };
