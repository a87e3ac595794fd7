import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { missingPrerequisite } from './prerequisites';

/**
 * The Chromium binary: CHROMIUM_PATH, else `chromium` (or `chromium-browser`) on the PATH. Fails, saying how to install
 * it, when there is none.
 */
export function chromiumPath(): string {
  const candidates = process.env.CHROMIUM_PATH
    ? [process.env.CHROMIUM_PATH]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .flatMap((dir) => ['chromium', 'chromium-browser'].map((name) => join(dir, name)));
  const found = candidates.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  if (found === undefined) {
    const looked = process.env.CHROMIUM_PATH
      ? `CHROMIUM_PATH (${process.env.CHROMIUM_PATH}) is not an executable`
      : 'no chromium or chromium-browser on the PATH';
    throw new Error(
      missingPrerequisite(
        `The demo page test drives a headless Chromium, and found none: ${looked} (or set CHROMIUM_PATH)`,
      ),
    );
  }
  return found;
}

/**
 * Headless Chromium through playwright-core (which downloads no browser of its own), in
 * a fresh profile (Playwright makes a temporary --user-data-dir and removes it on close).
 * Without the background networking Chromium tries to reach Google's services, which a
 * closed network refuses.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
