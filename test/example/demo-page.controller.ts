import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Header } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiExcludeController } from '@nestjs/swagger';

/** The demo page (one static file, no build step) and the demo user's credentials it shows. */
@ApiExcludeController()
@Controller()
export class DemoPageController {
  private readonly page = readFileSync(join(__dirname, 'public', 'index.html'), 'utf8');

  constructor(private readonly config: ConfigService) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  index(): string {
    return this.page;
  }

  /** The emulator's throwaway demo user (nothing with a real pool): the page shows it and fills the form with it. */
  @Get('demo/user')
  demoUser(): { username: string; password: string } | Record<string, never> {
    const username = this.config.get<string>('DEMO_USERNAME');
    const password = this.config.get<string>('DEMO_PASSWORD');
    return username && password ? { username, password } : {};
  }
}
