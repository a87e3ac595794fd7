import type { HttpAdapterHost } from '@nestjs/core';
import type { ResolvedCognitoOptions } from '../options/cognito-module-options';
import type { CognitoManagedLoginFlow } from '../oauth/managed-login-flow';
import { CognitoManagedLoginController } from './cognito-managed-login.controller';

describe('CognitoManagedLoginController', () => {
  const host = {} as HttpAdapterHost;
  const options = {} as ResolvedCognitoOptions;

  it('fails the boot with managedLogin but no server-side sessions (the tokens have nowhere to go)', () => {
    const flow = {} as CognitoManagedLoginFlow;
    expect(() => new CognitoManagedLoginController(host, options, flow, undefined)).toThrow(
      'managedLogin needs session',
    );
  });

  it('boots without managedLogin and without sessions (its routes answer 404)', () => {
    expect(() => new CognitoManagedLoginController(host, options, null, undefined)).not.toThrow();
  });
});
