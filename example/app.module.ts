import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { CognitoModule, cognitoOptionsFromConfig } from '../src';
import { ApiController } from './api.controller';
import { DemoPageController } from './demo-page.controller';

/**
 * The example app of `npm start`: CognitoModule configured from the environment, with the
 * session endpoints in cookie mode (the refresh token stays in an HttpOnly cookie), a few
 * guarded routes, and the demo page at `/`.
 */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    CognitoModule.forRootAsync({
      inject: [ConfigService],
      useFactory: cognitoOptionsFromConfig,
      // The example serves plain http on localhost, where some browsers (Safari) drop a
      // Secure cookie: behind https keep the default, secure: true.
      authController: { cookie: { secure: false } },
    }),
  ],
  controllers: [DemoPageController, ApiController],
})
export class ExampleAppModule {}
