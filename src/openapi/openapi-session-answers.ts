import type { CognitoErrorCode } from '../errors/error-body';

/** One error status (openapi-error-answers.ts's ErrorAnswer, which imports this file). */
interface ErrorAnswer {
  status: number;
  description: string;
  codes: Array<[CognitoErrorCode, string]>;
}

/** The routes only session mode serves (the `session` option), by method name. */
export type SessionRoute = 'session' | 'wsTicket';

export const STORE_DOWN: [CognitoErrorCode, string] = [
  'SessionStoreUnavailable',
  'The session store cannot be reached',
];

const NO_SESSION: Array<[CognitoErrorCode, string]> = [
  ['SessionInvalid', 'There is no session: sign in'],
  ['SessionExpired', 'The session has ended: sign in again'],
];

/** Every error status of `GET session` and `POST ws-ticket`. */
export function sessionErrorAnswers(route: SessionRoute, csrfHeader: string): ErrorAnswer[] {
  const answers: ErrorAnswer[] = [
    {
      status: 401,
      description: 'No session, or one that is not valid or has ended (a tampered, unknown or expired cookie)',
      codes: NO_SESSION,
    },
    {
      status: 404,
      description: 'Not served: the app has no server-side sessions (the session option is off)',
      codes: [['NotFound', 'Served only with server-side sessions (the session option)']],
    },
    { status: 503, description: 'The session store cannot be reached', codes: [STORE_DOWN] },
  ];
  if (route === 'session') return answers;
  const more: ErrorAnswer[] = [
    {
      status: 403,
      description: `The request came without the ${csrfHeader} header or an allowed Origin`,
      codes: [['CsrfCheckFailed', `A request that acts on the session needs the ${csrfHeader} header`]],
    },
    {
      status: 415,
      description: 'A body that is not UTF-8 JSON, or has a content coding (the body is optional)',
      codes: [['UnsupportedMediaType', 'The body must be UTF-8 JSON (Content-Type: application/json)']],
    },
  ];
  return [...more, ...answers].sort((a, b) => a.status - b.status);
}
