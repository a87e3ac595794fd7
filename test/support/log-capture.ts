// Copies everything a test file prints (Nest's logger writes to process.stdout and
// process.stderr; console.* is buffered by Jest) to one file for the whole suite,
// which globalTeardown scans for secrets. Runs before each test file.
import { appendFileSync } from 'node:fs';
import { format } from 'node:util';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const file = process.env.TEST_LOG_FILE;
if (file) {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      appendFileSync(file, typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array));
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      appendFileSync(file, format(...args) + '\n');
      original(...args);
    };
  }
}
