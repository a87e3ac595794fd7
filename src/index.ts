export * from './cognito.constants';
export * from './cognito.config';
export * from './cognito.errors';
export * from './cognito-exception.filter';
export { toCognitoHttpError, type CognitoHttpError } from './cognito-http-error';
export { fingerprint, secretHash } from './cognito.hashing';
export * from './cognito.module';
export * from './cognito.options';
export * from './cognito-refresh.controller';
export * from './cognito-sync.service';
export {
  type CognitoAttributeAllowList,
  type CognitoAttributeSource,
  type CognitoUser,
  STANDARD_ATTRIBUTES,
  toCognitoAttributes,
  toCognitoUser,
} from './cognito-user';
export type { CreateUserOptions, ListUsersOptions } from './cognito-user-input';
