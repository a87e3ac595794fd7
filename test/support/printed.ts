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
      // eslint-disable-next-line no-control-regex
      return text.replace(/\u001b\[[0-9;]*m/g, '').split('\n').filter((line) => line.trim() !== '');
    },
  };
}
