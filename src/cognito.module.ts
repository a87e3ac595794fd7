import { type DynamicModule, Inject, Module, type NestModule, Optional } from '@nestjs/common';
import { ConfigurableModuleClass, type CognitoModuleAsyncOptions } from './cognito.module-definition';
import type { CognitoBodyErrors } from './endpoints/bad-body-answers';
import { COGNITO_BODY_ERRORS } from './options/constants';
import { validateAsyncOptionKeys } from './options/option-keys';

/**
 * Server-side access to one Cognito user pool. Provides {@link CognitoSyncService},
 * the guard's token verifier, the health indicator and the SDK client (token
 * `COGNITO_CLIENT`); registers {@link CognitoExceptionFilter} app-wide
 * (`exceptionFilter: false` to opt out); with `refreshController`, serves
 * `POST /auth/refresh`; with `authController`, `POST /auth/sign-in`, `/auth/challenge`,
 * `/auth/refresh` and `/auth/sign-out` (in the app's OpenAPI document when `@nestjs/swagger` is
 * installed); with `authGuard`, guards every route. Global by default
 * (`isGlobal: false` to opt out). Invalid options fail the boot with a message
 * that names the option. Import it once per pool (`name` for the others).
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [
 *     CognitoModule.forRoot({
 *       region: 'eu-west-1',
 *       userPoolId: 'eu-west-1_AbCdEf123',
 *       clientId,
 *       clientSecret,
 *       refreshController: true,
 *     }),
 *     // or, from @nestjs/config:
 *     // CognitoModule.forRootAsync({
 *     //   inject: [ConfigService],
 *     //   useFactory: cognitoOptionsFromConfig,
 *     //   authGuard: true,
 *     // }),
 *   ],
 * })
 * export class AppModule {}
 * ```
 */
@Module({})
export class CognitoModule extends ConfigurableModuleClass implements NestModule {
  // By a string token: the class is loaded only by a registration with endpoints (token-endpoints.providers.ts).
  constructor(@Optional() @Inject(COGNITO_BODY_ERRORS) private readonly bodyErrors?: CognitoBodyErrors) {
    super();
  }

  /** Nest runs this before it declares any route: the endpoints' body-error answers are set up then. */
  configure(): void {
    this.bodyErrors?.beforeRoutes();
  }

  /**
   * Like `forRoot`, with the module options from a factory (`useFactory`, `useClass` or
   * `useExisting`) and the module's own settings (`authGuard`, `name`, ...) beside it.
   */
  static forRootAsync(options: CognitoModuleAsyncOptions): DynamicModule {
    // NestJS hands every key it does not know to the extras, where a misspelt one would be ignored.
    validateAsyncOptionKeys(options);
    return super.forRootAsync(options);
  }
}
