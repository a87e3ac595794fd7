// A misspelt option fails the boot, on Express and Fastify (testing kit): before, an
// unknown key was accepted without a word, so `authGaurd: true` started an app whose
// every route was open.
import { Controller, Get } from '@nestjs/common';
import { CognitoConfigurationError, CognitoModule, type CognitoModuleOptions } from '../../src';
import { type CognitoTestKit, createCognitoTestKit } from '../../src/testing';
import { ADAPTERS, type AdapterName, createApp, http } from '../support/bootstrap';

@Controller('reports')
class ReportsController {
  @Get()
  list() {
    return [];
  }
}

describe('unknown options (testing kit)', () => {
  let kit: CognitoTestKit;
  beforeAll(async () => {
    kit = await createCognitoTestKit();
  });
  afterAll(() => kit.close());

  describe.each(ADAPTERS)('on %s', (adapter: AdapterName) => {
    it('refuses to start with authGaurd: true, naming the key and authGuard', async () => {
      const booting = createApp(adapter, {
        imports: [CognitoModule.forRoot({ ...kit.moduleOptions, authGaurd: true } as CognitoModuleOptions)],
        controllers: [ReportsController],
      });
      await expect(booting).rejects.toThrow(CognitoConfigurationError);
      await expect(booting).rejects.toThrow('authGaurd is not an option: did you mean authGuard?');
    });

    it("refuses to start with a misspelt jwt option in forRootAsync's factory result", async () => {
      const booting = createApp(adapter, {
        imports: [
          CognitoModule.forRootAsync({
            useFactory: () => ({ ...kit.moduleOptions, jwt: { cokie: 'id_token' } }) as CognitoModuleOptions,
          }),
        ],
        controllers: [ReportsController],
      });
      await expect(booting).rejects.toThrow('jwt.cokie is not an option: did you mean jwt.cookie?');
    });

    it('refuses forRootAsync({ authGaurd: true }) where it is written', () => {
      const options = { useFactory: () => kit.moduleOptions, authGaurd: true };
      expect(() => CognitoModule.forRootAsync(options)).toThrow('authGaurd is not an option: did you mean authGuard?');
    });

    it('starts with the key spelt right, and the guard is on', async () => {
      const app = await createApp(adapter, {
        imports: [CognitoModule.forRoot({ ...kit.moduleOptions, authGuard: true })],
        controllers: [ReportsController],
      });
      try {
        expect((await http(app).get('/reports').expect(401)).body.code).toBe('TokenMissing');
      } finally {
        await app.close();
      }
    });
  });
});
