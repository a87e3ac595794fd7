import { type DynamicModule, Module } from '@nestjs/common';
import { CognitoModule, type CognitoModuleOptions } from 'nestjs-cognito-sync';
import { AccountsService } from './accounts.service';
import { ReportsController } from './reports.controller';

/**
 * The app: every route behind the guard, and the refresh endpoint. main.ts would register it with the pool's options.
 */
@Module({})
export class AppModule {
  static register(cognito: CognitoModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [CognitoModule.forRoot({ ...cognito, authGuard: true, refreshController: true })],
      controllers: [ReportsController],
      providers: [AccountsService],
    };
  }
}
