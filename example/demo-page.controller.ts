import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Header, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';

/**
 * What a page of a signed-in app should send (this one is copied): scripts and styles from this
 * origin only, no inline script (the page's script is demo.js), never framed. `data:` images only
 * for the empty favicon, which keeps the browser from asking for one. Forms post here and, for the
 * sign-out's redirect through Cognito's `/logout` (Chromium checks `form-action` on each redirect of
 * a form's post), to the managed-login domain.
 */
export function demoPageCsp(managedLoginDomain?: string): string {
  const formAction = managedLoginDomain ? `'self' ${new URL(managedLoginDomain).origin}` : "'self'";
  return (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; " +
    `form-action ${formAction}; frame-ancestors 'none'`
  );
}

const file = (name: string) => readFileSync(join(__dirname, 'public', name), 'utf8');

/** What the page needs to know to draw itself: none of it secret but the emulator's throwaway password. */
export interface DemoSetup {
  /** The emulator's throwaway demo user (none with a real pool): the page shows it and fills the form with it. */
  user?: { username: string; password: string };
  /** Whether `/auth/login` (managed login) is served. */
  managedLogin: boolean;
  /** The identity providers `/auth/login?provider=` goes straight to. */
  identityProviders: string[];
}

/** The demo page (static files, no build step) and its setup. */
@ApiExcludeController()
@Controller()
export class DemoPageController {
  private readonly page = file('index.html');
  private readonly script = file('demo.js');
  private readonly style = file('demo.css');
  private readonly csp: string;

  constructor(
    private readonly config: ConfigService,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    this.csp = demoPageCsp(config.get<string>('COGNITO_DOMAIN'));
  }

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  index(@Res({ passthrough: true }) response: unknown): string {
    this.secure(response);
    return this.page;
  }

  @Get('demo.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  js(@Res({ passthrough: true }) response: unknown): string {
    this.secure(response);
    return this.script;
  }

  @Get('demo.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  css(@Res({ passthrough: true }) response: unknown): string {
    this.secure(response);
    return this.style;
  }

  @Get('demo/setup')
  setup(): DemoSetup {
    const username = this.config.get<string>('DEMO_USERNAME');
    const password = this.config.get<string>('DEMO_PASSWORD');
    const providers = this.config.get<string>('COGNITO_IDENTITY_PROVIDERS') ?? '';
    return {
      ...(username && password ? { user: { username, password } } : {}),
      managedLogin: Boolean(this.config.get<string>('COGNITO_DOMAIN')),
      identityProviders: providers.split(',').filter(Boolean),
    };
  }

  private secure(response: unknown): void {
    const { httpAdapter } = this.adapterHost;
    httpAdapter.setHeader(response, 'Content-Security-Policy', this.csp);
    httpAdapter.setHeader(response, 'X-Frame-Options', 'DENY'); // frame-ancestors for browsers that predate it
    httpAdapter.setHeader(response, 'X-Content-Type-Options', 'nosniff');
    httpAdapter.setHeader(response, 'Cache-Control', 'no-store');
  }
}
