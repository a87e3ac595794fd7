import {
  CognitoBadResponseError,
  CognitoMisconfiguredError,
  CognitoSyncError,
  CognitoTimeoutError,
  CognitoUnavailableError,
  operationOf,
  sentDeviceKey,
  sentSecretHash,
  tagOperation,
} from '../errors/cognito.errors';
import { cognitoSdk } from '../sdk/cognito-sdk';

/**
 * @internal The outcome of a shared refresh as it travels, sealed, between instances:
 * Cognito's answer, or the failure, rebuilt on the other side as the same class with
 * the same tags, so that every instance maps it as usual (the same status and body).
 */
export type SharedOutcome = { ok: unknown } | { failed: SharedFailure };

interface SharedFailure {
  /** `module`: one of this module's fault errors; `cognito`: Cognito's own; `other`: anything else. */
  kind: 'module' | 'cognito' | 'other';
  name: string;
  message: string;
  fault?: string;
  status?: number;
  requestId?: string;
  operation?: string;
  secretHash: boolean;
  deviceKey: boolean;
}

/** The module's errors a Cognito call can end in, by name. */
const MODULE_FAULTS: Record<string, (message: string) => CognitoSyncError> = {
  CognitoTimeoutError: (message) => new CognitoTimeoutError(message),
  CognitoUnavailableError: (message) => new CognitoUnavailableError(message),
  CognitoBadResponseError: (message) => new CognitoBadResponseError(message),
  CognitoMisconfiguredError: (message) => new CognitoMisconfiguredError(message),
};

export function sharedFailure(error: unknown): SharedOutcome {
  const {
    name = 'Error',
    message = '',
    $fault,
    $metadata,
  } = (error ?? {}) as {
    name?: string;
    message?: string;
    $fault?: string;
    $metadata?: { httpStatusCode?: number; requestId?: string };
  };
  const kind =
    error instanceof CognitoSyncError && name in MODULE_FAULTS ? 'module' : $fault === undefined ? 'other' : 'cognito';
  return {
    failed: {
      kind,
      name: String(name),
      message: String(message),
      ...(kind === 'cognito'
        ? { fault: $fault, status: $metadata?.httpStatusCode, requestId: $metadata?.requestId }
        : {}),
      operation: operationOf(error),
      secretHash: sentSecretHash(error),
      deviceKey: sentDeviceKey(error),
    },
  };
}

/** The error another instance's call ended in, as that instance threw it. */
export function rebuiltFailure(failure: SharedFailure): Error {
  const { kind, name, message, fault, status, requestId } = failure;
  let error: Error;
  if (kind === 'module' && Object.hasOwn(MODULE_FAULTS, name)) {
    error = MODULE_FAULTS[name](message);
  } else if (kind === 'cognito') {
    const $metadata = { httpStatusCode: status, requestId };
    const sdk = cognitoSdk();
    // The SDK's own class for the name (NotAuthorizedException, ...), so that `instanceof` holds as usual.
    const known = (sdk as Record<string, unknown>)[name];
    error =
      typeof known === 'function' && known.prototype instanceof sdk.CognitoIdentityProviderServiceException
        ? new (known as new (options: object) => Error)({ message, $metadata })
        : new sdk.CognitoIdentityProviderServiceException({
            name,
            $fault: fault === 'server' ? 'server' : 'client',
            message,
            $metadata,
          });
  } else {
    error = new Error(message);
    error.name = name;
  }
  tagOperation(error, (failure.operation as never) ?? 'refreshTokens', {
    secretHash: failure.secretHash,
    deviceKey: failure.deviceKey,
  });
  return error;
}

/** What Cognito answers for a refresh token that was revoked: a token signed out here is refused alike. */
export function signedOutError(): Error {
  const error = new (cognitoSdk().NotAuthorizedException)({ message: 'Refresh Token has been revoked', $metadata: {} });
  tagOperation(error, 'refreshTokens');
  return error;
}

/** Whether `value` (unsealed JSON) is a {@link SharedOutcome}. */
export function isSharedOutcome(value: unknown): value is SharedOutcome {
  if (typeof value !== 'object' || value === null) return false;
  if ('ok' in value) return true;
  const failed = (value as { failed?: Partial<SharedFailure> }).failed;
  return (
    typeof failed === 'object' &&
    failed !== null &&
    typeof failed.name === 'string' &&
    typeof failed.message === 'string'
  );
}
