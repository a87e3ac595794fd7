import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { CognitoModule, cognitoOptionsFromConfig } from '../../src';

/** The example app of `npm start`: CognitoModule configured from the environment, with the refresh endpoint. */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    CognitoModule.forRootAsync({
      inject: [ConfigService],
      useFactory: cognitoOptionsFromConfig,
      refreshController: true,
    }),
  ],
})
export class ExampleAppModule {}
