import { COGNITO_CLIENT, COGNITO_MODULE_OPTIONS } from './options/constants';
import { CognitoAuthGuard } from './auth/cognito-auth.guard';
import { CognitoTokenVerifier, getCognitoVerifierToken } from './auth/cognito-token-verifier';
import { CognitoModule } from './cognito.module';
import { getCognitoClientToken, getCognitoOptionsToken } from './options/injection-tokens';
import { CognitoSyncService, getCognitoServiceToken } from './service/cognito-sync.service';

const options = { region: 'eu-west-1', userPoolId: 'eu-west-1_Pool1', clientId: 'client123' };

describe('tokens of named registrations', () => {
  it('uses the plain classes and constants for the default registration', () => {
    expect(getCognitoServiceToken()).toBe(CognitoSyncService);
    expect(getCognitoClientToken()).toBe(COGNITO_CLIENT);
    expect(getCognitoOptionsToken()).toBe(COGNITO_MODULE_OPTIONS);
    expect(getCognitoVerifierToken()).toBe(CognitoTokenVerifier);
  });

  it('namespaces the tokens of a named one', () => {
    expect([getCognitoServiceToken('staff'), getCognitoClientToken('staff')]).toEqual([
      'COGNITO:SERVICE:staff',
      'COGNITO:CLIENT:staff',
    ]);
  });

  it('exports only the named tokens from a named registration, and serves its endpoint at auth/<name>/refresh', () => {
    const module = CognitoModule.forRoot({ ...options, name: 'staff', refreshController: true });
    expect(module.exports).toEqual([
      'COGNITO:CLIENT:staff',
      'COGNITO:MODULE_OPTIONS:staff',
      'COGNITO:SERVICE:staff',
      'COGNITO:VERIFIER:staff',
      'COGNITO:HEALTH:staff',
    ]);
    expect(Reflect.getMetadata('path', module.controllers![0])).toBe('auth/staff/refresh');
  });

  it('refuses a malformed name', () => {
    expect(() => CognitoModule.forRoot({ ...options, name: 'has space' })).toThrow('name must be');
  });

  it('gives one guard class per pool name', () => {
    expect(CognitoAuthGuard.for('staff')).toBe(CognitoAuthGuard.for('staff'));
    expect(CognitoAuthGuard.for('staff')).not.toBe(CognitoAuthGuard.for('other'));
  });
});
