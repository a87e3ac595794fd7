import { Controller, Get } from '@nestjs/common';
import { type CognitoClaims, CognitoGroups, CognitoUser } from 'nestjs-cognito-sync';

@Controller('reports')
export class ReportsController {
  /** Users and machine clients (client credentials) alike: the caller is the token's subject. */
  @Get()
  list(@CognitoUser() caller: CognitoClaims) {
    return { for: caller.sub, username: caller.username ?? null };
  }

  @CognitoGroups('Auditors')
  @Get('audit')
  audit(@CognitoUser('username') username: string) {
    return { auditor: username };
  }
}
