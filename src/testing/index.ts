// nestjs-cognito-sync/testing: for an app's tests only. Nothing in the main entry
// point imports this folder, so an app that never imports the subpath loads none of it.
export { type CognitoTestKit, type CognitoTestKitOptions, createCognitoTestKit } from './cognito-test-kit';
export type { CognitoTestClaims, CognitoTestClientClaims } from './test-claims';
export {
  type CognitoLocal,
  type CognitoLocalTokens,
  type CognitoLocalUser,
  type StartCognitoLocalOptions,
  startCognitoLocal,
} from './cognito-local';
export type { CognitoLocalFederatedOptions, CognitoLocalFederatedUser } from './cognito-local-federated.options';
export type { CognitoLocalOAuth, CognitoLocalOAuthOptions } from './cognito-local-oauth.options';
export { type CognitoTestSession, signInSession } from './sign-in-session';
export { FakeCognitoSyncService, type FakeCognitoSyncServiceOptions } from './fake-cognito-sync.service';
export type { FakeCognitoUser } from './fake-cognito-pool';
