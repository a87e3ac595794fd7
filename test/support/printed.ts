/** Nest's logger colours its lines; ESC built from its code keeps control characters out of a regex literal. */
const ANSI_COLOURS = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/**
 * Records what the process prints (Nest's ConsoleLogger writes to stdout and
 * stderr) until `stop()`, which returns it as non-empty lines without colours.
 * The output still reaches the streams (and the suite's log-hygiene capture).
 */
export function capturePrinted(): { stop(): string[] } {
  const spies = [jest.spyOn(process.stdout, 'write'), jest.spyOn(process.stderr, 'write')];
  return {
    stop() {
      const text = spies.flatMap((spy) => spy.mock.calls.map(([chunk]) => String(chunk))).join('');
      for (const spy of spies) spy.mockRestore();
      return text
        .replace(ANSI_COLOURS, '')
        .split('\n')
        .filter((line) => line.trim() !== '');
    },
  };
}
