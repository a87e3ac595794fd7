import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { CognitoModule } from '../src';
import { ApiController } from './api.controller';
import { DemoPageController } from './demo-page.controller';
import { exampleOptions } from './demo-options';

/**
 * The example app of `npm start`: CognitoModule configured from the environment, with the
 * session endpoints in session mode (the tokens stay on the server, the browser holds an HttpOnly
 * session cookie), managed login, a few guarded routes, and the demo page at `/`.
 */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    CognitoModule.forRootAsync({
      inject: [ConfigService],
      useFactory: exampleOptions,
      authController: true,
    }),
  ],
  controllers: [DemoPageController, ApiController],
})
export class ExampleAppModule {}
