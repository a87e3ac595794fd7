/**
 * What `npm test` needs beside npm packages: Debian's chromium (the demo page's browser
 * test; playwright-core downloads no browser) and redis-server (sharedRefresh). The README
 * gives this same line, and a test that cannot find one of them fails with it.
 */
export const PREREQUISITES_INSTALL = 'sudo apt-get install -y chromium redis-server';

/** The message of a test that cannot find one of them: what it looked for, then the install line. */
export function missingPrerequisite(detail: string): string {
  return (
    `${detail}. npm test needs chromium and redis-server on the PATH; on Debian/Ubuntu: ` +
    `${PREREQUISITES_INSTALL} (.ci/run installs them when missing)`
  );
}
