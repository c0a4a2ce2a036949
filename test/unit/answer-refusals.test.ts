// What a user reads when the one answer reader refuses an answer: each refusal, through
// describeNetworkFailure, is a protocol error (exit 5) naming why, never echoing the body and never
// advising a rerun (the code is spent). The e2e deadlines-and-size tests keep one bomb per command.
import { request } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { describeNetworkFailure } from '../../scripts/lib/core/errors.js';
import { createAnswerAgents } from '../../scripts/lib/http/answer-reader.js';

let server: Server;
let port = 0;
let nextAnswer: Buffer = Buffer.alloc(0);

beforeAll(async () => {
  server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => socket.end(nextAnswer));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** The error a command turns into its message: the reader's refusal, or the request's own error. */
function failureOf(raw: Buffer): Promise<{ code?: string; message?: string }> {
  nextAnswer = raw;
  return new Promise((resolve) => {
    // The real cap (1 MiB): the messages name it.
    const { agents } = createAnswerAgents((refusal) => resolve(refusal));
    const req = request({ host: '127.0.0.1', port, path: '/', agent: agents.http }, (res) => {
      res.on('data', () => undefined);
      res.on('error', (error: NodeJS.ErrnoException) => resolve(error));
      res.on('end', () => setTimeout(() => resolve({ message: 'read to the end' }), 50));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error));
    req.end();
  });
}

function http(headers: Record<string, string>, body: Buffer): Buffer {
  const head = ['HTTP/1.1 200 OK', 'Content-Type: application/json', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), `Content-Length: ${body.length}`, 'Connection: close', '', ''];
  return Buffer.concat([Buffer.from(head.join('\r\n')), body]);
}

const TARGET = 'the token endpoint http://127.0.0.1:9/oauth/token';
const RERUN = 'run the command again';
const spaces = () => Buffer.alloc(2 * 1024 * 1024, 0x20); // twice the cap once decoded

describe('a bomb, in each encoding, is exit 5 response_too_large naming the decoded cap', () => {
  test.each([
    ['gzip', () => gzipSync(spaces(), { level: 9 })],
    ['deflate', () => deflateSync(spaces(), { level: 9 })],
    ['deflate', () => deflateRawSync(spaces(), { level: 9 })], // raw deflate, as some servers send it
  ])('%s', async (encoding, make) => {
    const error = describeNetworkFailure(await failureOf(http({ 'Content-Encoding': encoding }, make())), TARGET, 1000);
    expect(error.exitCode).toBe(5);
    expect(error.code).toBe('response_too_large');
    expect(error.message).toContain(`larger than 1 MiB once decoded (Content-Encoding: ${encoding})`);
  });
});

describe('an answer that cannot be decoded or framed is a protocol error (exit 5), not a network one', () => {
  test('Content-Encoding: gzip on a plain body: bad_encoding, "could not be decoded", the body not echoed', async () => {
    const error = describeNetworkFailure(await failureOf(http({ 'Content-Encoding': 'gzip' }, Buffer.from('{"access_token":"Plain-t0ken-0123456789abcdefghijkl"}'))), TARGET, 1000);
    expect(error.exitCode).toBe(5);
    expect(error.code).toBe('bad_encoding');
    expect(error.message).toContain('could not be decoded');
    expect(error.message).not.toContain('Plain-t0ken');
    expect(error.message).not.toContain(RERUN);
  });

  test('an unknown Content-Encoding (compress): bad_encoding, "an encoding the tool does not read"', async () => {
    const error = describeNetworkFailure(await failureOf(http({ 'Content-Encoding': 'compress' }, Buffer.from('x'))), TARGET, 1000);
    expect(error.exitCode).toBe(5);
    expect(error.code).toBe('bad_encoding');
    expect(error.message).toContain('encoding the tool does not read');
    expect(error.message).not.toContain(RERUN);
  });

  test('a bad chunk size: malformed_http naming HPE_INVALID_CHUNK_SIZE', async () => {
    const error = describeNetworkFailure(await failureOf(Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n')), TARGET, 1000);
    expect(error.exitCode).toBe(5);
    expect(error.code).toBe('malformed_http');
    expect(error.message).toContain('HPE_INVALID_CHUNK_SIZE');
    expect(error.message).not.toContain(RERUN);
  });
});
