import { bodyErrorAnswer } from './bad-body-answers';

const JSON_HEADERS = { 'content-type': 'application/json' };
const answer = (error: unknown, headers: Record<string, string> = JSON_HEADERS) => {
  const found = bodyErrorAnswer(error, headers);
  return found && { statusCode: found.statusCode, code: found.code };
};
/** An error as body-parser (http-errors) or Fastify's content-type parser raises it. */
const expressError = (status: number, type: string) =>
  Object.assign(new Error('x'), { status, statusCode: status, type });
const fastifyError = (statusCode: number, code: string) =>
  Object.assign(new Error('x'), { statusCode, code, name: 'FastifyError' });

describe('bodyErrorAnswer', () => {
  it.each([
    ['body-parser: too large', expressError(413, 'entity.too.large'), 413, 'PayloadTooLarge'],
    ['Fastify: too large', fastifyError(413, 'FST_ERR_CTP_BODY_TOO_LARGE'), 413, 'PayloadTooLarge'],
    [
      'body-parser: malformed JSON',
      Object.assign(new SyntaxError('x'), { status: 400, type: 'entity.parse.failed' }),
      400,
      'InvalidJson',
    ],
    ['Fastify: malformed JSON', fastifyError(400, 'FST_ERR_CTP_INVALID_JSON_BODY'), 400, 'InvalidJson'],
    ['Fastify: an empty JSON body', fastifyError(400, 'FST_ERR_CTP_EMPTY_JSON_BODY'), 400, 'InvalidJson'],
    ['body-parser: a short body', expressError(400, 'request.size.invalid'), 400, 'InvalidRequestBody'],
    ['Fastify: a short body', fastifyError(400, 'FST_ERR_CTP_INVALID_CONTENT_LENGTH'), 400, 'InvalidRequestBody'],
  ])('answers %s with the module body', (_name, error, statusCode, code) => {
    expect(answer(error)).toEqual({ statusCode, code });
  });

  it('answers in the endpoint order: the content coding first, then the content type, then the size', () => {
    const tooLarge = expressError(413, 'entity.too.large');
    expect(answer(tooLarge, { 'content-type': 'application/json', 'content-encoding': 'gzip' })).toEqual({
      statusCode: 415,
      code: 'UnsupportedContentEncoding',
    });
    expect(answer(tooLarge, { 'content-type': 'application/x-www-form-urlencoded' })).toEqual({
      statusCode: 415,
      code: 'UnsupportedMediaType',
    });
    expect(
      answer(expressError(415, 'charset.unsupported'), { 'content-type': 'application/json; charset=latin1' }),
    ).toEqual({
      statusCode: 415,
      code: 'UnsupportedMediaType',
    });
    expect(
      answer(tooLarge, { 'content-type': 'application/json; charset=UTF-8', 'content-encoding': 'identity' }),
    ).toEqual({
      statusCode: 413,
      code: 'PayloadTooLarge',
    });
  });

  it("takes zlib's errors for body errors only when the request declares a content coding", () => {
    const zlib = Object.assign(new Error('incorrect header check'), {
      errno: -3,
      code: 'Z_DATA_ERROR',
      status: 400,
      statusCode: 400,
    });
    expect(answer(zlib, { 'content-type': 'application/json', 'content-encoding': 'gzip' })).toEqual({
      statusCode: 415,
      code: 'UnsupportedContentEncoding',
    });
    expect(answer(zlib)).toBeUndefined();
  });

  it.each([
    [
      'an error of the app (a CSRF middleware, say)',
      Object.assign(new Error('invalid csrf token'), { status: 403, code: 'EBADCSRFTOKEN' }),
    ],
    ['a 5xx body-parser error (a server fault)', expressError(500, 'stream.encoding.set')],
    ['a 5xx Fastify parser error', fastifyError(500, 'FST_ERR_CTP_INVALID_PARSE_TYPE')],
    ['a plain error', new Error('boom')],
    ['something thrown that is not an object', 'boom'],
  ])('leaves %s to the framework', (_name, error) => {
    expect(answer(error)).toBeUndefined();
  });
});
