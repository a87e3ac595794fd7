// How the module calls Cognito: the SDK client it builds, and the caller every feature sends through.
export { CognitoCaller, type CognitoSendOptions } from './cognito-caller';
export { createCognitoClient } from './cognito-client';
export { emulatorCredentialsFallback, isLoopbackEndpoint } from './emulator-credentials';
