// How the module calls Cognito: the SDK client it builds, and the caller every feature sends through.
export { CognitoCaller, type CognitoCommandBuilder, type CognitoSendOptions } from './cognito-caller';
export type { CognitoSdk } from '../../sdk/cognito-sdk';
export { lazyCognitoClient } from './lazy-cognito-client';
export { createCognitoClient } from './cognito-client';
export { emulatorCredentialsFallback, isLoopbackEndpoint } from './emulator-credentials';
