// The gate for every request our own servers (the loopback callback, the mock) receive: nothing a
// client sends can throw out of a handler, and the request target is parsed without throwing.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The request's URL, or undefined when its target is not a usable origin-form path (`GET //[`). */
export function parseRequestUrl(req: IncomingMessage, base: string): URL | undefined {
  const target = req.url ?? '';
  if (!target.startsWith('/') || target.startsWith('//')) return undefined;
  try {
    const url = new URL(target, base);
    // The URL parser reads "/\host" and "/<tab>/host" as "//host": a path never names another origin.
    return url.origin === new URL(base).origin ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Wraps a request handler: whatever it throws or rejects with, the client gets a 500 (or its
 * socket is closed) and `onError` hears of it; the server never dies of a request.
 */
export function guardHandler(
  handler: (req: IncomingMessage, res: ServerResponse) => unknown,
  onError: (error: unknown) => void = () => undefined,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const failed = (error: unknown) => {
      try {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' }).end('Internal error.');
        else res.destroy();
      } catch {
        res.destroy();
      }
      onError(error);
    };
    try {
      Promise.resolve(handler(req, res)).catch(failed);
    } catch (error) {
      failed(error);
    }
  };
}
