// The made-up pool, app client, user and values that the SDK-boundary specs (aws-sdk-client-mock)
// share, with the SECRET_HASH that Cognito would expect for them.
import type { CognitoModuleOptions } from '../../src';

export const options: CognitoModuleOptions = {
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_Pool1',
  clientId: 'client123',
};
export const withSecret: CognitoModuleOptions = { ...options, clientSecret: 'the-client-secret' };
export const USERNAME = '9f1c2d3e-0000-4000-8000-1234567890ab';
/** `printf '<USERNAME>client123' | openssl dgst -sha256 -hmac 'the-client-secret' -binary | base64` */
export const EXPECTED_HASH = 'eqWiYzw6z0GhphwymsomlPVz54io8yDNePmESofSOco=';
export const SESSION = 'AYABeChallengeSession';
export const ACCESS_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln';
