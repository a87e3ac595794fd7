import type { Type } from '@nestjs/common';
import { CognitoConfigurationError } from '../errors/cognito.errors';
import type { CognitoModuleExtras } from '../options/cognito-module-options';
import { DEFAULT_AUTH_PATH, DEFAULT_REFRESH_PATH } from '../options/constants';
import { authControllerFor } from './cognito-auth.controller';
import { refreshControllerFor } from './cognito-refresh.controller';

const AUTH_ROUTES = ['signIn', 'challenge', 'refresh', 'signOut'] as const;
const REFRESH_ROUTES = ['refresh'] as const;

/**
 * The refresh endpoint (`refreshController`) or the auth endpoints (`authController`,
 * which serve a refresh endpoint of their own, so not both), at their paths; undefined without either.
 */
export function tokenEndpoints({ refreshController, authController, name }: CognitoModuleExtras) {
  if (refreshController && authController) {
    throw new CognitoConfigurationError(
      'set refreshController or authController, not both: authController serves <path>/refresh itself ' +
        '(move the refreshController settings to authController)',
    );
  }
  if (authController) {
    const options = authController === true ? {} : authController;
    const path = options.path || (name === undefined ? DEFAULT_AUTH_PATH : `auth/${name}`);
    return {
      option: 'authController',
      options,
      path,
      controller: authControllerFor(options, path) as Type,
      routes: AUTH_ROUTES,
    };
  }
  if (!refreshController) return undefined;
  const options = refreshController === true ? {} : refreshController;
  const path = options.path || (name === undefined ? DEFAULT_REFRESH_PATH : `auth/${name}/refresh`);
  return {
    option: 'refreshController',
    options,
    path,
    controller: refreshControllerFor(options, path) as Type,
    routes: REFRESH_ROUTES,
  };
}
