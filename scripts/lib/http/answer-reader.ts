// The one reader of every HTTP answer the tool reads. Newman's requester (postman-request) would
// decode gzip, deflate and br itself, unbounded (a 500-byte brotli answer grows to gigabytes), and
// call a corrupt body a network failure. So every request goes through the agents made here: they
// take each answer's body as it comes off the parser, decode it here with a cap on the decoded
// bytes, and hand the requester plain bytes with the Content-Encoding header removed. A server
// cannot choose to skip this: it happens for any status, encoding and framing, whatever we asked.
import { Agent as HttpAgent, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';
import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import { RESPONSE_SIZE_CAP_BYTES } from '../core/errors.js';
import type { HttpExchange } from './http-exchange.js';

/** Error codes the agents put on a refused answer; errors.ts turns them into exit 5. */
export const ANSWER_REFUSED = {
  tooLarge: 'E_RESPONSE_TOO_LARGE',
  badEncoding: 'E_BAD_ENCODING',
  unknownEncoding: 'E_UNKNOWN_ENCODING',
} as const;

export type AnswerRefusal = Error & { code: string };

function refusal(code: string, message: string): AnswerRefusal {
  return Object.assign(new Error(message), { code });
}

// Statuses and methods that carry no body whatever the headers say (as the requester does).
function hasNoBody(req: ClientRequest, status: number): boolean {
  return req.method === 'HEAD' || (status >= 100 && status < 200) || status === 204 || status === 304;
}

/** A decoder for the Content-Encoding, `null` for identity, `undefined` for one we do not read. */
function decoderFor(encoding: string, firstBytes: Buffer): Transform | null | undefined {
  if (encoding === '' || encoding === 'identity') return null;
  if (encoding === 'gzip' || encoding === 'x-gzip') return createGunzip();
  if (encoding === 'br') return createBrotliDecompress();
  if (encoding === 'deflate') {
    // "deflate" should be zlib-wrapped, but some servers send raw deflate: a zlib header says which.
    const wrapped = firstBytes.length >= 2 && (firstBytes[0]! & 0x0f) === 8 && ((firstBytes[0]! << 8) | firstBytes[1]!) % 31 === 0;
    return wrapped ? createInflate() : createInflateRaw();
  }
  return undefined;
}

/** Removes a header from what the requester and Newman will read (the body they get is decoded). */
function dropHeader(res: IncomingMessage, name: string): void {
  delete res.headers[name];
  for (let i = res.rawHeaders.length - 2; i >= 0; i -= 2) {
    if (res.rawHeaders[i]!.toLowerCase() === name) res.rawHeaders.splice(i, 2);
  }
}

/**
 * Puts one answer through the gate: its body, as the HTTP parser pushes it, is counted, decoded
 * (capped) and pushed on; `refuse` hears of the first violation, and the connection is cut.
 */
export function gateAnswer(req: ClientRequest, res: IncomingMessage, refuse: (error: AnswerRefusal) => void, capBytes = RESPONSE_SIZE_CAP_BYTES): void {
  const push = res.push.bind(res);
  const encoding = String(res.headers['content-encoding'] ?? '').trim().toLowerCase();
  const status = res.statusCode ?? 0;
  let received = 0;
  let decoded = 0;
  let decoder: Transform | null | undefined = null;
  let started = false;
  let failed = false;
  const pending: Buffer[] = [];

  const fail = (error: AnswerRefusal) => {
    if (failed) return;
    failed = true;
    decoder?.destroy();
    refuse(error);
    // The requester then reports a transport error with this code, or (when the connection had
    // already closed) sees a cut body; the run has heard the refusal first, and that is what counts.
    (res.socket as Socket | null)?.destroy(error);
    req.destroy(error);
    res.destroy();
  };
  const tooLarge = () =>
    refusal(ANSWER_REFUSED.tooLarge, `an answer larger than ${capBytes / 1024 / 1024} MiB${encoding && encoding !== 'identity' ? ` once decoded (Content-Encoding: ${encoding})` : ''}`);
  const out = (chunk: Buffer) => {
    decoded += chunk.length;
    if (decoded > capBytes) return fail(tooLarge());
    push(chunk);
  };

  if (!hasNoBody(req, status) && encoding && encoding !== 'identity') {
    dropHeader(res, 'content-encoding');
    dropHeader(res, 'content-length');
  }

  const start = (first: Buffer) => {
    started = true;
    if (hasNoBody(req, status)) return;
    decoder = decoderFor(encoding, first);
    if (decoder === undefined) {
      return fail(refusal(ANSWER_REFUSED.unknownEncoding, `an answer in an encoding the tool does not read (Content-Encoding: ${encoding.slice(0, 60)})`));
    }
    if (!decoder) return;
    decoder.on('data', (chunk: Buffer) => {
      if (!failed) out(chunk);
    });
    decoder.on('end', () => {
      if (!failed) push(null);
    });
    decoder.on('error', (error: Error) => {
      fail(refusal(ANSWER_REFUSED.badEncoding, `a body that is not valid ${encoding} though its Content-Encoding says so (${error.message})`));
    });
  };

  res.push = (chunk: Buffer | string | null, enc?: BufferEncoding): boolean => {
    if (failed) return false;
    if (chunk === null) {
      if (!started && received === 0) {
        // An empty body is empty in every encoding.
        started = true;
        push(null);
        return false;
      }
      if (!started) {
        // A one-byte deflate body: too short to be valid, the decoder will say so.
        start(Buffer.concat(pending));
        if (failed) return false;
        if (decoder) decoder.write(Buffer.concat(pending));
        else out(Buffer.concat(pending));
      }
      if (failed) return false;
      if (decoder) decoder.end();
      else push(null);
      return false;
    }
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, enc) : chunk;
    received += bytes.length;
    if (received > capBytes) {
      fail(tooLarge());
      return false;
    }
    if (!started) {
      // deflate's two flavours are told apart by the first two bytes: wait for them.
      pending.push(bytes);
      const head = Buffer.concat(pending);
      if (encoding === 'deflate' && head.length < 2) return true;
      pending.length = 0;
      start(head);
      if (failed) return false;
      if (decoder) decoder.write(head);
      else out(head);
      return true;
    }
    if (decoder) decoder.write(bytes);
    else out(bytes);
    return true;
  };
}

export interface AnswerAgents {
  agents: { http: HttpAgent; https: HttpsAgent };
  /** Cuts every connection at once (the deadline). */
  destroyAll(error: Error): void;
}

/**
 * http(s) agents for one run: every answer passes gateAnswer, and `onRefused` hears of any answer
 * the gate refused (too large decoded, a corrupt or unknown encoding).
 */
export function createAnswerAgents(onRefused: (error: AnswerRefusal) => void, capBytes = RESPONSE_SIZE_CAP_BYTES): AnswerAgents {
  const sockets = new Set<Socket>();
  const requests = new Set<ClientRequest>();
  const watch = (req: ClientRequest) => {
    requests.add(req);
    req.once('close', () => requests.delete(req));
    // Prepended: the gate is in place before the requester reads a byte of the body.
    req.prependListener('response', (res: IncomingMessage) => gateAnswer(req, res, onRefused, capBytes));
    req.once('socket', (socket: Socket) => {
      if (sockets.has(socket)) return;
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
  };
  class GatedHttpAgent extends HttpAgent {
    addRequest(req: ClientRequest, options: object): void {
      watch(req);
      (HttpAgent.prototype as unknown as { addRequest(r: ClientRequest, o: object): void }).addRequest.call(this, req, options);
    }
  }
  class GatedHttpsAgent extends HttpsAgent {
    addRequest(req: ClientRequest, options: object): void {
      watch(req);
      (HttpsAgent.prototype as unknown as { addRequest(r: ClientRequest, o: object): void }).addRequest.call(this, req, options);
    }
  }
  return {
    agents: { http: new GatedHttpAgent(), https: new GatedHttpsAgent() },
    destroyAll: (error) => {
      for (const socket of sockets) socket.destroy(error);
      for (const req of requests) req.destroy(error);
    },
  };
}

const UTF8 = new TextDecoder('utf-8');

/**
 * The body as text: UTF-8, a leading BOM dropped (RFC 8259 lets a reader ignore it, and a token
 * answer that starts with one is still a token answer), invalid bytes as U+FFFD.
 */
export function answerText(body: Uint8Array | undefined): string {
  return body && body.length ? UTF8.decode(body) : '';
}

/** An answer as Newman reports it, turned into what every reader of an answer takes. */
export function readAnswer(status: number, headers: Record<string, string>, body: Uint8Array | undefined): HttpExchange {
  return { status, headers, body: answerText(body) };
}
