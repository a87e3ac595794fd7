// The bench's pool, app client and access token, shared by run.cjs and instructions.cjs.
'use strict';
const { randomBytes, randomUUID, sign } = require('node:crypto');

// The pool and app client the bench's servers are configured with (server.cjs).
const USER_POOL_ID = 'eu-west-1_Bench1';
const CLIENT_ID = 'benchclient123';

/**
 * An RS256 access token as Cognito would issue it for the bench's pool on the stand-in at
 * `endpoint`, valid for `lifetime` seconds (Cognito's default: an hour), signed with the stand-in's key.
 */
function accessToken(privateKey, endpoint, lifetime = 3600, sub = randomUUID()) {
  const claims = {
    sub,
    username: 'bench-user',
    client_id: CLIENT_ID,
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
  };
  return signed(claims, privateKey, endpoint, lifetime);
}

/**
 * The three tokens a sign-in answers, for a server-side session (the sessions rows): the access
 * token above, an ID token of the same user, and an opaque refresh token of the length Cognito's
 * (an encrypted JWT of about 1,800 characters) has, so that the sealed record is as large as a real one.
 */
function sessionTokens(privateKey, endpoint, lifetime = 3600) {
  const sub = randomUUID();
  const idClaims = {
    sub,
    'cognito:username': 'bench-user',
    aud: CLIENT_ID,
    token_use: 'id',
    auth_time: Math.floor(Date.now() / 1000),
    email: 'bench-user@example.com',
    email_verified: true,
  };
  return {
    accessToken: accessToken(privateKey, endpoint, lifetime, sub),
    idToken: signed(idClaims, privateKey, endpoint, lifetime),
    refreshToken: `eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.${randomBytes(1300).toString('base64url')}`,
  };
}

/** `claims` as an RS256 JWT of the bench's pool, valid for `lifetime` seconds from now. */
function signed(claims, privateKey, endpoint, lifetime) {
  const now = Math.floor(Date.now() / 1000);
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const payload = { ...claims, iss: `${endpoint}/${USER_POOL_ID}`, iat: now, exp: now + lifetime, jti: randomUUID() };
  const unsigned = `${part({ alg: 'RS256', kid: 'bench', typ: 'JWT' })}.${part(payload)}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), privateKey).toString('base64url')}`;
}

module.exports = { CLIENT_ID, USER_POOL_ID, accessToken, sessionTokens };
