import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyDecorators, Controller, Get, Header } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiExcludeController } from '@nestjs/swagger';

/**
 * What a page that handles tokens should send (this one is copied): scripts and styles
 * from this origin only, no inline script (the page's script is demo.js), never framed.
 * `data:` images only for the empty favicon, which keeps the browser from asking for one.
 */
export const DEMO_PAGE_CSP =
  "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; " +
  "frame-ancestors 'none'";

const SecurityHeaders = () =>
  applyDecorators(
    Header('Content-Security-Policy', DEMO_PAGE_CSP),
    Header('X-Frame-Options', 'DENY'), // frame-ancestors for browsers that predate it
    Header('X-Content-Type-Options', 'nosniff'),
    Header('Cache-Control', 'no-store'),
  );

const file = (name: string) => readFileSync(join(__dirname, 'public', name), 'utf8');

/** The demo page (static files, no build step) and the demo user's credentials it shows. */
@ApiExcludeController()
@Controller()
export class DemoPageController {
  private readonly page = file('index.html');
  private readonly script = file('demo.js');
  private readonly style = file('demo.css');

  constructor(private readonly config: ConfigService) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @SecurityHeaders()
  index(): string {
    return this.page;
  }

  @Get('demo.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @SecurityHeaders()
  js(): string {
    return this.script;
  }

  @Get('demo.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @SecurityHeaders()
  css(): string {
    return this.style;
  }

  /** The emulator's throwaway demo user (nothing with a real pool): the page shows it and fills the form with it. */
  @Get('demo/user')
  demoUser(): { username: string; password: string } | Record<string, never> {
    const username = this.config.get<string>('DEMO_USERNAME');
    const password = this.config.get<string>('DEMO_PASSWORD');
    return username && password ? { username, password } : {};
  }
}
