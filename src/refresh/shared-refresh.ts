import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { COGNITO_MODULE_OPTIONS } from '../options/constants';
import type { ResolvedCognitoOptions } from '../options/cognito-module-options';
import type * as Slots from './shared-refresh-slots';

/**
 * @internal Refreshes shared across the app's instances (`sharedRefresh`): see
 * {@link Slots.SharedRefreshSlots}, which does the work. Always provided (the token refresher
 * injects it); the slots' machinery (the store's protocol, the slot cipher, the outcome codec)
 * is loaded at boot only when the option is on, so that other apps never load it.
 */
@Injectable()
export class CognitoSharedRefresh implements BeforeApplicationShutdown {
  private readonly slots: Slots.SharedRefreshSlots | undefined;

  constructor(@Inject(COGNITO_MODULE_OPTIONS) options: ResolvedCognitoOptions) {
    const settings = options.sharedRefreshSettings;
    this.slots = settings === undefined ? undefined : new (loadSlots().SharedRefreshSlots)(options, settings);
  }

  /** Whether `sharedRefresh` is on. */
  get enabled(): boolean {
    return this.slots !== undefined;
  }

  /** `call` (the Cognito call for this token and `context`), made once across every instance sharing the store. */
  run<T>(refreshToken: string, context: readonly unknown[], call: () => Promise<T>): Promise<T> {
    return this.on().run(refreshToken, context, call);
  }

  /** `refreshToken` was signed out (revoked): no instance hands out an answer kept from before. */
  signedOut(refreshToken: string): Promise<void> {
    return this.on().signedOut(refreshToken);
  }

  /** `app.close()` lets the waits under way end (each is bounded by the deadline). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.slots?.idle();
  }

  private on(): Slots.SharedRefreshSlots {
    if (this.slots === undefined) throw new Error('sharedRefresh is off: check enabled first');
    return this.slots;
  }
}

function loadSlots(): typeof Slots {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- only with sharedRefresh on, see above
  return require('./shared-refresh-slots') as typeof Slots;
}
