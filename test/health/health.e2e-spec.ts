// CognitoHealthIndicator in a real @nestjs/terminus health check: up against
// cognito-local, down (503) when the pool cannot be reached (a closed port of
// the wire-level stand-in).
import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { CognitoHealthIndicator, CognitoModule, type CognitoModuleOptions } from '../../src';
import { ADAPTERS, createApp, http } from '../support/bootstrap';
import { CognitoStandIn, standInOptions } from '../support/cognito-stand-in';
import { localTarget } from '../support/target';

@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly cognito: CognitoHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.cognito.isHealthy('cognito')]);
  }
}

const appWith = (adapter: (typeof ADAPTERS)[number], options: CognitoModuleOptions) =>
  createApp(adapter, { imports: [TerminusModule, CognitoModule.forRoot(options)], controllers: [HealthController] });

describe.each(ADAPTERS)('CognitoHealthIndicator with @nestjs/terminus, on %s', (adapter) => {
  it('reports up when the pool answers (cognito-local)', async () => {
    const { options } = await localTarget();
    const app = await appWith(adapter, options);
    try {
      const res = await http(app).get('/health').expect(200);
      expect(res.body).toMatchObject({ status: 'ok', info: { cognito: { status: 'up' } } });
    } finally {
      await app.close();
    }
  });

  it(
    'reports down, and the check answers 503, when the pool cannot be reached (wire-level stand-in, closed ' + 'port)',
    async () => {
      const standIn = await new CognitoStandIn().start();
      const app = await appWith(adapter, {
        ...standInOptions(standIn),
        maxAttempts: 1,
      });
      try {
        await standIn.refuse();
        const res = await http(app).get('/health').expect(503);
        expect(res.body).toMatchObject({
          status: 'error',
          error: { cognito: { status: 'down', error: 'CognitoUnavailable' } },
        });
      } finally {
        await app.close();
        await standIn.stop();
      }
    },
  );
});
