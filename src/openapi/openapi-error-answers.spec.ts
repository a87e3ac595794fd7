// The error answers the OpenAPI document lists per route and mode;
// the document itself is checked in test/openapi/openapi.e2e-spec.ts.
import { errorAnswers, errorDescription, errorExamples, type ErrorAnswersMode } from './openapi-error-answers';

const BODY_MODE: ErrorAnswersMode = {
  readsCookie: false,
  checksOrigin: false,
  cookieMode: false,
  csrfHeader: 'x-requested-with',
};
const codes = (route: Parameters<typeof errorAnswers>[0], mode: ErrorAnswersMode, status: number) =>
  errorAnswers(route, mode)
    .find((answer) => answer.status === status)!
    .codes.map(([code]) => code);

describe('errorAnswers', () => {
  it(
    "lists CsrfCheckFailed on sign-in and challenge's 403 only when they check the Origin (cookie mode with " +
      'allowedOrigins)',
    () => {
      for (const route of ['signIn', 'challenge'] as const) {
        expect(codes(route, BODY_MODE, 403)).toEqual(['ForbiddenException']);
        expect(codes(route, { ...BODY_MODE, cookieMode: true, checksOrigin: true }, 403)).toEqual([
          'CsrfCheckFailed',
          'ForbiddenException',
        ]);
      }
    },
  );

  it(
    'lists RefreshTokenMissing on the 401 of a cookie-mode refresh only; a body-mode refresh without a token ' +
      'stays 400',
    () => {
      expect(codes('refresh', BODY_MODE, 401)).toEqual(['NotAuthorizedException']);
      expect(codes('refresh', { ...BODY_MODE, cookieMode: true, readsCookie: true }, 401)).toEqual([
        'NotAuthorizedException',
        'RefreshTokenMissing',
      ]);
      expect(codes('refresh', BODY_MODE, 400)[0]).toBe('InvalidRefreshToken');
      expect(codes('signOut', BODY_MODE, 401)).toEqual(['NotAuthorizedException']);
    },
  );

  it(
    'makes one example per code, with the status and its reason phrase, and a description ending with the ' + 'codes',
    () => {
      const [badRequest] = errorAnswers('challenge', BODY_MODE);
      expect(errorExamples(badRequest).UnexpectedChallengeResponse).toEqual({
        summary: '400 UnexpectedChallengeResponse',
        value: {
          statusCode: 400,
          error: 'Bad Request',
          message: 'responses.DEVICE_KEY is not an answer to SOFTWARE_TOKEN_MFA',
          code: 'UnexpectedChallengeResponse',
        },
      });
      expect(errorDescription(badRequest)).toMatch(
        /\. Codes: UnexpectedChallengeResponse, InvalidParameter, InvalidPasswordException, /,
      );
    },
  );
});
