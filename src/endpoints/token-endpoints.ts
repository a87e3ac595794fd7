import { CognitoConfigurationError } from '../errors/cognito.errors';
import type {
  CognitoAuthControllerOptions,
  CognitoModuleExtras,
  CognitoRefreshControllerOptions,
} from '../options/cognito-module-options';
import { DEFAULT_AUTH_PATH, DEFAULT_REFRESH_PATH } from '../options/constants';

// session and wsTicket answer only in session mode (404 without it): `session` may come at runtime (forRootAsync).
const AUTH_ROUTES = ['signIn', 'challenge', 'refresh', 'signOut', 'session', 'wsTicket'] as const;
const REFRESH_ROUTES = ['refresh'] as const;

/** Which token endpoints a registration serves, where, and with which settings. */
export type TokenEndpointsSelection =
  | {
      option: 'authController';
      options: CognitoAuthControllerOptions;
      path: string;
      routes: readonly (typeof AUTH_ROUTES)[number][];
    }
  | {
      option: 'refreshController';
      options: CognitoRefreshControllerOptions;
      path: string;
      routes: readonly (typeof REFRESH_ROUTES)[number][];
    };

/**
 * The refresh endpoint (`refreshController`) or the auth endpoints (`authController`,
 * which serve a refresh endpoint of their own, so not both), at their paths; undefined without either.
 * Only the selection: the controllers are made where the endpoints are wired (token-endpoints.providers.ts),
 * which a registration without endpoints never loads.
 */
export function tokenEndpoints({
  refreshController,
  authController,
  name,
}: CognitoModuleExtras): TokenEndpointsSelection | undefined {
  if (refreshController && authController) {
    throw new CognitoConfigurationError(
      'set refreshController or authController, not both: authController serves <path>/refresh itself ' +
        '(move the refreshController settings to authController)',
    );
  }
  if (authController) {
    const options = authController === true ? {} : authController;
    const path = options.path || (name === undefined ? DEFAULT_AUTH_PATH : `auth/${name}`);
    return { option: 'authController', options, path, routes: AUTH_ROUTES };
  }
  if (!refreshController) return undefined;
  const options = refreshController === true ? {} : refreshController;
  const path = options.path || (name === undefined ? DEFAULT_REFRESH_PATH : `auth/${name}/refresh`);
  return { option: 'refreshController', options, path, routes: REFRESH_ROUTES };
}
