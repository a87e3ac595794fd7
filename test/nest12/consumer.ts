// A consumer app's source, type-checked by TypeScript 7 (strict, skipLibCheck off) against
// the packed package's declarations and NestJS 12's: our .d.ts must compile for apps on TS 7.
import { Controller, Get, Injectable, Module, UseGuards } from '@nestjs/common';
import {
  type CognitoClaims,
  CognitoAuthGuard,
  CognitoGroups,
  CognitoModule,
  type CognitoModuleOptions,
  type CognitoOptionsFactory,
  CognitoSyncService,
  CognitoUser,
  InjectCognito,
  Public,
  toCognitoHttpError,
} from 'nestjs-cognito-sync';

@Injectable()
export class Options implements CognitoOptionsFactory {
  createCognitoOptions(): CognitoModuleOptions {
    return { region: 'eu-west-1', userPoolId: 'eu-west-1_AbCdEf123', clientId: 'client' };
  }
}

@UseGuards(CognitoAuthGuard)
@Controller('me')
export class MeController {
  constructor(
    private readonly cognito: CognitoSyncService,
    @InjectCognito('staff') private readonly staff: CognitoSyncService,
  ) {}

  @Get()
  me(@CognitoUser() claims: CognitoClaims) {
    return claims.sub;
  }

  @CognitoGroups('Admins')
  @Get('admin')
  async admin(@CognitoUser('username') username: string) {
    const user = await this.cognito.findUser(username);
    return { user, staff: this.staff.inFlightRefreshes };
  }

  @Public()
  @Get('status')
  status(): number {
    return toCognitoHttpError(new Error('x')).statusCode;
  }
}

@Module({
  imports: [CognitoModule.forRootAsync({ useClass: Options, refreshController: { cookie: { name: 'rt' } } })],
  controllers: [MeController],
})
export class AppModule {}
