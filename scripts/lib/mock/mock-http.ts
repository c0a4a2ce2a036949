// What every route of the mock reads and writes: JSON answers, bodies read with a size cap, and
// request fields from multipart, form-encoded or JSON bodies, the three a Rails API accepts.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Headers = Record<string, string>;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Headers = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

export function sendEmpty(res: ServerResponse, status: number, headers: Headers = {}): void {
  res.writeHead(status, { 'Cache-Control': 'no-store', 'Content-Length': '0', ...headers });
  res.end();
}

/** A body past its route's cap: the route answers 413 and the connection is closed, unread. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body over ${limit} bytes.`);
  }
}

/**
 * The whole body, or BodyTooLargeError as soon as the declared or received size passes `limit`:
 * reading stops there (the rest of a 1 GB upload is never read; sendTooLarge closes the socket).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) return reject(new BodyTooLargeError(limit));
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        return reject(new BodyTooLargeError(limit));
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** 413, then the socket is closed: Node would otherwise read (and discard) the rest of the body. */
export function sendTooLarge(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(413, { 'Content-Type': 'application/json; charset=utf-8', Connection: 'close' });
  res.end(JSON.stringify({ message: 'Request entity too large.' }), () => req.socket.destroy());
}

/** A file part of a multipart body. */
export interface UploadedFile {
  name: string;
  type: string;
  bytes: Uint8Array;
}

/** Every value a request sent for each field name, in order: strings, and files from multipart. */
export type Fields = Map<string, Array<string | UploadedFile>>;

/** The fields of a body, or why it could not be read (400 with Dribbble's message). */
export async function parseFields(body: Buffer, contentType: string | undefined): Promise<Fields | { unreadable: string }> {
  const fields: Fields = new Map();
  const add = (name: string, value: string | UploadedFile) => {
    const values = fields.get(name);
    if (values) values.push(value);
    else fields.set(name, [value]);
  };
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (body.length === 0) return fields;
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return { unreadable: 'Problem parsing JSON.' };
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { unreadable: 'Problem parsing JSON.' };
    for (const [name, value] of Object.entries(parsed)) {
      for (const item of Array.isArray(value) ? value : [value]) add(name, item === null ? '' : typeof item === 'object' ? JSON.stringify(item) : String(item));
    }
    return fields;
  }
  if (type === 'application/x-www-form-urlencoded') {
    for (const [name, value] of new URLSearchParams(body.toString('utf8'))) add(name, value);
    return fields;
  }
  if (type === 'multipart/form-data') {
    try {
      // The platform's multipart parser (undici's), on a body already bounded by readBody.
      const form = await new Response(new Uint8Array(body), { headers: { 'Content-Type': contentType! } }).formData();
      for (const [name, value] of form) add(name, typeof value === 'string' ? value : { name: value.name, type: value.type, bytes: new Uint8Array(await value.arrayBuffer()) });
    } catch {
      return { unreadable: 'Problem parsing multipart body.' };
    }
    return fields;
  }
  return fields;
}

/** The first text value of a field (a file where text belongs counts as absent). */
export function textField(fields: Fields, name: string): string | undefined {
  const value = fields.get(name)?.find((v) => typeof v === 'string');
  return typeof value === 'string' ? value : undefined;
}

/** The first file of a field. */
export function fileField(fields: Fields, name: string): UploadedFile | undefined {
  const value = fields.get(name)?.find((v) => typeof v !== 'string');
  return value === undefined || typeof value === 'string' ? undefined : value;
}
