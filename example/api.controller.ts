import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { type CognitoClaims, CognitoAuthGuard, CognitoGroups, CognitoUser } from '../src';

/** The app's own routes behind the guard: any signed-in user, and two groups (the demo user is in `readers` only). */
@ApiTags('api')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No valid access token' })
@UseGuards(CognitoAuthGuard)
@Controller('api')
export class ApiController {
  @ApiOkResponse({ description: "The caller's username and groups" })
  @Get('profile')
  profile(@CognitoUser() user: CognitoClaims) {
    return { username: user.username ?? user['cognito:username'], groups: user['cognito:groups'] ?? [] };
  }

  @ApiOkResponse({ description: 'The reports' })
  @ApiForbiddenResponse({ description: 'Not in the group readers' })
  @CognitoGroups('readers')
  @Get('reports')
  reports() {
    return { reports: ['2026-Q1', '2026-Q2'] };
  }

  @ApiOkResponse({ description: 'The admin area' })
  @ApiForbiddenResponse({ description: 'Not in the group admins' })
  @CognitoGroups('admins')
  @Get('admin')
  admin() {
    return { admin: true };
  }
}
