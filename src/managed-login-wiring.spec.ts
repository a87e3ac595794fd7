import type { FactoryProvider, Provider, ValueProvider } from '@nestjs/common';
import { CognitoModule } from './cognito.module';
import { COGNITO_MODULE_OPTIONS, COGNITO_RAW_OPTIONS } from './options/constants';
import type { ResolvedCognitoOptions } from './options/cognito-module-options';

const options = {
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_Pool1',
  clientId: 'client123',
  clientSecret: 'the-client-secret',
  session: { secret: 'a-session-secret-of-at-least-32-characters' },
  managedLogin: {
    domain: 'https://auth.example.com',
    redirectUri: 'https://app.example.com/auth/callback',
    logoutUri: 'https://app.example.com/',
  },
};

/** What COGNITO_MODULE_OPTIONS resolves to in a registration: its factory run on forRoot's options. */
function resolvedOptions(providers: Provider[] = []): ResolvedCognitoOptions {
  const find = (token: string) => providers.find((p) => typeof p === 'object' && 'provide' in p && p.provide === token);
  const raw = find(COGNITO_RAW_OPTIONS) as ValueProvider;
  return (find(COGNITO_MODULE_OPTIONS) as FactoryProvider).useFactory(raw.useValue) as ResolvedCognitoOptions;
}

describe('managedLogin in a registration', () => {
  it('resolves with authController', () => {
    const module = CognitoModule.forRoot({ ...options, authController: { path: 'session' } });
    expect(resolvedOptions(module.providers).managedLoginSettings?.domain).toBe('https://auth.example.com');
  });

  it('fails the boot without authController, or with refreshController alone', () => {
    for (const extras of [{}, { refreshController: true }]) {
      const module = CognitoModule.forRoot({ ...options, ...extras });
      expect(() => resolvedOptions(module.providers)).toThrow('managedLogin needs authController');
    }
  });
});
