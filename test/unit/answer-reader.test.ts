// The one answer reader: every body is decoded here, capped by its decoded size; a corrupt or
// unknown encoding is refused; whatever a server sends ends as a body or an error of our family.
import { fc, test } from '../support/property.js';
import { request } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { DribbbleOAuthError, describeNetworkFailure } from '../../scripts/lib/core/errors.js';
import { ANSWER_REFUSED, answerText, createAnswerAgents, readAnswer } from '../../scripts/lib/http/answer-reader.js';

const CAP = 64 * 1024;
let server: Server;
let port = 0;
let nextAnswer: Buffer = Buffer.alloc(0);

beforeAll(async () => {
  // Answers each connection with the raw bytes the test set, then closes it.
  server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => socket.end(nextAnswer));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

interface Outcome {
  status?: number;
  body?: Buffer;
  headers?: Record<string, unknown>;
  refused?: string;
  error?: { code?: string; message: string };
}

/** One GET through the gated agent against a server that sends `raw`. */
function fetchRaw(raw: Buffer, method = 'GET'): Promise<Outcome> {
  nextAnswer = raw;
  return new Promise((resolve) => {
    const outcome: Outcome = {};
    const { agents } = createAnswerAgents((refusal) => (outcome.refused = refusal.code), CAP);
    const req = request({ host: '127.0.0.1', port, method, path: '/', agent: agents.http }, (res) => {
      outcome.status = res.statusCode;
      outcome.headers = res.headers;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ ...outcome, body: Buffer.concat(chunks) }));
      res.on('close', () => setTimeout(() => resolve(outcome), 50));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ ...outcome, error: { code: error.code, message: error.message } }));
    req.end();
  });
}

function http(status: number, headers: Record<string, string>, body: Buffer, chunked = false): Buffer {
  const head = [`HTTP/1.1 ${status} X`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  if (chunked) return Buffer.concat([Buffer.from([...head, 'Transfer-Encoding: chunked', '', ''].join('\r\n')), Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
  return Buffer.concat([Buffer.from([...head, `Content-Length: ${body.length}`, 'Connection: close', '', ''].join('\r\n')), body]);
}

const ENCODERS: Record<string, (b: Buffer) => Buffer> = { gzip: gzipSync, 'x-gzip': gzipSync, br: brotliCompressSync, deflate: deflateSync, identity: (b) => b, '': (b) => b };

describe('decoding', () => {
  test.each(Object.keys(ENCODERS))('Content-Encoding "%s": the body arrives decoded, the header gone', async (encoding) => {
    const body = Buffer.from('{"login":"zoë"}');
    const outcome = await fetchRaw(http(200, encoding ? { 'Content-Encoding': encoding } : {}, ENCODERS[encoding]!(body)));
    expect(outcome.refused).toBeUndefined();
    expect(outcome.body?.toString()).toBe(body.toString());
    // Decoded here: the requester must not decode again (identity may stay: it means "as is").
    if (encoding !== 'identity') expect(outcome.headers?.['content-encoding']).toBeUndefined();
  });

  test('raw deflate (no zlib header), as some servers send for "deflate", is read too', async () => {
    const outcome = await fetchRaw(http(200, { 'Content-Encoding': 'deflate' }, deflateRawSync(Buffer.from('raw deflate'))));
    expect(outcome.body?.toString()).toBe('raw deflate');
  });

  test('a chunked gzip body is read', async () => {
    const outcome = await fetchRaw(http(200, { 'Content-Encoding': 'gzip' }, gzipSync(Buffer.from('chunked')), true));
    expect(outcome.body?.toString()).toBe('chunked');
  });

  test('an empty body with any Content-Encoding is empty; a 204 or a HEAD is not decoded', async () => {
    expect((await fetchRaw(http(200, { 'Content-Encoding': 'gzip' }, Buffer.alloc(0)))).body?.length).toBe(0);
    expect((await fetchRaw(http(200, { 'Content-Encoding': 'compress' }, Buffer.alloc(0)))).refused).toBeUndefined();
    expect((await fetchRaw(http(204, { 'Content-Encoding': 'gzip' }, Buffer.alloc(0)))).status).toBe(204);
  });
});

describe('refusals', () => {
  test('past the cap once decoded (a bomb), for each encoding: refused as too large', async () => {
    const big = Buffer.alloc(CAP * 20, 0x20);
    for (const encoding of ['gzip', 'br', 'deflate']) {
      const wire = ENCODERS[encoding]!(big);
      expect(wire.length).toBeLessThan(CAP);
      expect((await fetchRaw(http(200, { 'Content-Encoding': encoding }, wire))).refused).toBe(ANSWER_REFUSED.tooLarge);
    }
  });

  test('past the cap as sent (identity): refused as too large', async () => {
    expect((await fetchRaw(http(200, {}, Buffer.alloc(CAP + 1, 0x61)))).refused).toBe(ANSWER_REFUSED.tooLarge);
    expect((await fetchRaw(http(200, {}, Buffer.alloc(CAP, 0x61)))).body?.length).toBe(CAP);
  });

  test('gzip on a plain body, or a truncated one: refused as a bad encoding, exit 5', async () => {
    expect((await fetchRaw(http(200, { 'Content-Encoding': 'gzip' }, Buffer.from('{"a":1}')))).refused).toBe(ANSWER_REFUSED.badEncoding);
    const cut = gzipSync(Buffer.from('x'.repeat(1000))).subarray(0, 12);
    expect((await fetchRaw(http(200, { 'Content-Encoding': 'gzip' }, cut))).refused).toBe(ANSWER_REFUSED.badEncoding);
    const error = describeNetworkFailure({ code: ANSWER_REFUSED.badEncoding, message: 'x' }, 'https://x', 1);
    expect(error.exitCode).toBe(5);
  });

  test('an unknown encoding (compress, "gzip, br") is refused', async () => {
    expect((await fetchRaw(http(200, { 'Content-Encoding': 'compress' }, Buffer.from('x')))).refused).toBe(ANSWER_REFUSED.unknownEncoding);
    expect((await fetchRaw(http(200, { 'Content-Encoding': 'gzip, br' }, Buffer.from('x')))).refused).toBe(ANSWER_REFUSED.unknownEncoding);
  });

  test('a broken chunk size is an HPE_ error, which is exit 5 (protocol), not 4', async () => {
    const outcome = await fetchRaw(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n'));
    expect(outcome.error?.code).toBe('HPE_INVALID_CHUNK_SIZE');
    expect(describeNetworkFailure(outcome.error!, 'https://x', 1).exitCode).toBe(5);
  });
});

describe('properties', () => {
  const encodings = fc.constantFrom('gzip', 'br', 'deflate', 'identity', '', 'compress', 'GZIP', ' br ');
  const payload = fc.oneof(fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a)), fc.integer({ min: 1, max: 4 * CAP }).map((n) => Buffer.alloc(n, 0x7b)));
  test.prop([fc.integer({ min: 200, max: 599 }), encodings, payload, fc.boolean(), fc.boolean()], { numRuns: 60 })(
    'any status, encoding and body: the decoded body within the cap, or a refusal that is exit 4 or 5',
    async (status, encoding, body, encodeIt, chunked) => {
      const encoder = ENCODERS[encoding.trim().toLowerCase()];
      const wire = encodeIt && encoder ? encoder(body) : body;
      const outcome = await fetchRaw(http(status, encoding ? { 'Content-Encoding': encoding } : {}, wire, chunked));
      if (outcome.refused || outcome.error) {
        const error = describeNetworkFailure({ code: outcome.refused ?? outcome.error?.code, message: outcome.error?.message ?? 'refused' }, 'https://x', 1);
        expect(error).toBeInstanceOf(DribbbleOAuthError);
        expect([4, 5]).toContain(error.exitCode);
      } else {
        expect(outcome.body!.length).toBeLessThanOrEqual(CAP);
        if (encodeIt && encoder) expect(outcome.body!.equals(body)).toBe(true);
      }
    },
  );

  test.prop([fc.uint8Array({ maxLength: 512 })])('answerText never throws and drops only a leading BOM', (bytes) => {
    const text = answerText(bytes);
    expect(typeof text).toBe('string');
    expect(answerText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('x')]))).toBe('x');
    expect(readAnswer(200, {}, undefined).body).toBe('');
  });
});
