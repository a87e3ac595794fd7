import { Module } from '@nestjs/common';
import { ConfigurableModuleClass } from './cognito.module-definition';

/**
 * Server-side access to one Cognito user pool.
 *
 * ```ts
 * CognitoModule.forRoot({ region, userPoolId, clientId, clientSecret, refreshController: true })
 * CognitoModule.forRootAsync({ imports: [ConfigModule], inject: [ConfigService], useFactory: cognitoOptionsFromConfig })
 * ```
 *
 * Provides {@link CognitoSyncService} and the SDK client (token `COGNITO_CLIENT`),
 * registers {@link CognitoExceptionFilter} app-wide (`exceptionFilter: false` to
 * opt out) and, with `refreshController`, serves `POST /auth/refresh`. Global by
 * default (`isGlobal: false` to opt out). Invalid options fail the boot.
 */
@Module({})
export class CognitoModule extends ConfigurableModuleClass {}
