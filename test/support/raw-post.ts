import { connect } from 'node:net';

/** An HTTP answer as it came over the socket. */
export interface RawAnswer {
  status: number;
  contentType: string;
  /** The `Cache-Control` header, if any. */
  cacheControl: string | undefined;
  text: string;
}

/**
 * POSTs exactly these bytes to `target` (the request line's target as given: an
 * origin-form path, an absolute-form URL, a `#fragment`) and reads the answer; the
 * server may stop reading a large body early. An HTTP client would fix up some of them.
 */
export function rawPost(url: string, target: string, headers: string[], body: string | Buffer): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  const bytes = Buffer.from(body);
  const head = [
    `POST ${target} HTTP/1.1`,
    `Host: ${hostname}`,
    'Connection: close',
    ...headers,
    `Content-Length: ${bytes.length}`,
  ];
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = Buffer.alloc(0);
    const answer = (): RawAnswer | undefined => {
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return undefined;
      const lines = received.subarray(0, end).toString('latin1').split('\r\n');
      const header = (name: string) =>
        lines
          .find((line) => line.toLowerCase().startsWith(`${name}:`))
          ?.slice(name.length + 1)
          .trim();
      const length = Number(header('content-length'));
      const rest = received.subarray(end + 4);
      if (!Number.isInteger(length) || rest.length < length) return undefined;
      return {
        status: Number(lines[0].split(' ')[1]),
        contentType: header('content-type') ?? '',
        cacheControl: header('cache-control'),
        text: rest.subarray(0, length).toString('utf8'),
      };
    };
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      const done = answer();
      if (done) {
        resolve(done);
        socket.destroy();
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () =>
      reject(new Error(`closed without a whole answer: ${JSON.stringify(received.toString('latin1').slice(0, 80))}`)),
    );
    socket.write(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), bytes]));
  });
}
