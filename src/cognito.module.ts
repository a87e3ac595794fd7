import { Module } from '@nestjs/common';
import { ConfigurableModuleClass } from './cognito.module-definition';

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
 *     CognitoModule.forRoot({ region: 'eu-west-1', userPoolId: 'eu-west-1_AbCdEf123', clientId, clientSecret, refreshController: true }),
 *     // or, from @nestjs/config:
 *     // CognitoModule.forRootAsync({ inject: [ConfigService], useFactory: cognitoOptionsFromConfig, authGuard: true }),
 *   ],
 * })
 * export class AppModule {}
 * ```
 */
@Module({})
export class CognitoModule extends ConfigurableModuleClass {}
