import type {
  AdminInitiateAuthCommandOutput,
  AdminRespondToAuthChallengeCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';

/** The token endpoints' 200 answer: Cognito's response in camelCase, absent fields `null`. */
export interface RefreshTokensResponse {
  challengeName: string | null;
  session: string | null;
  challengeParameters: Record<string, string>;
  authenticationResult: {
    accessToken: string | null;
    expiresIn: number | null;
    tokenType: string | null;
    refreshToken: string | null;
    idToken: string | null;
    newDeviceMetadata: { deviceKey: string | null; deviceGroupKey: string | null } | null;
  } | null;
}

/** Cognito's response (a sign-in, a challenge's answer or a refresh) as the endpoints answer it. */
export function toRefreshTokensResponse(
  output: AdminInitiateAuthCommandOutput | AdminRespondToAuthChallengeCommandOutput,
): RefreshTokensResponse {
  const result = output.AuthenticationResult;
  const device = result?.NewDeviceMetadata;
  return {
    challengeName: output.ChallengeName ?? null,
    session: output.Session ?? null,
    challengeParameters: output.ChallengeParameters ?? {},
    authenticationResult: result
      ? {
          accessToken: result.AccessToken ?? null,
          expiresIn: result.ExpiresIn ?? null,
          tokenType: result.TokenType ?? null,
          refreshToken: result.RefreshToken ?? null,
          idToken: result.IdToken ?? null,
          newDeviceMetadata: device
            ? { deviceKey: device.DeviceKey ?? null, deviceGroupKey: device.DeviceGroupKey ?? null }
            : null,
        }
      : null,
  };
}
