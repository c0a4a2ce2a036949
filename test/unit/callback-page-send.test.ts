// The callback's result page: its send ends when the page is sent, when the tab is gone, or after
// the limit; it never hangs the command and never rejects.
import { createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, test } from 'vitest';
import { send } from '../../scripts/lib/oauth/callback-server.js';
import { renderNotFoundPage } from '../../scripts/lib/oauth/callback-page.js';

/** A server that hands each request's response to `onRequest`; a client that does `client`. */
async function withExchange(onRequest: (res: ServerResponse) => Promise<void>, client: (port: number) => void): Promise<number> {
  let took = -1;
  const done = new Promise<void>((resolve) => {
    const server = createServer((_req, res) => {
      const started = Date.now();
      void onRequest(res).then(() => {
        took = Date.now() - started;
        server.closeAllConnections();
        server.close(() => resolve());
      });
    });
    server.listen(0, '127.0.0.1', () => client((server.address() as AddressInfo).port));
  });
  await done;
  return took;
}

describe('send', () => {
  test('a page to a live browser: sent, with Connection: close', async () => {
    let status = 0;
    let connection = '';
    let received: () => void = () => undefined;
    const arrived = new Promise<void>((r) => (received = r));
    await withExchange(
      (res) => send(res, 200, renderNotFoundPage()),
      (port) =>
        request({ host: '127.0.0.1', port }, (res) => {
          status = res.statusCode!;
          connection = String(res.headers.connection);
          res.resume();
          received();
        }).end(),
    );
    await arrived;
    expect(status).toBe(200);
    expect(connection).toBe('close');
  });

  test('a tab closed before the page is ready: send resolves at once (F4)', async () => {
    const took = await withExchange(
      async (res) => {
        await new Promise((r) => setTimeout(r, 200)); // the exchange runs; the tab closes meanwhile
        await send(res, 200, renderNotFoundPage(), 10_000);
      },
      (port) => {
        const req = request({ host: '127.0.0.1', port });
        req.on('error', () => undefined);
        req.end();
        setTimeout(() => req.destroy(), 50);
      },
    );
    expect(took).toBeLessThan(1_000);
  });

  test('a browser that never reads: send gives up after the limit', async () => {
    const took = await withExchange(
      (res) => send(res, 200, { html: 'x'.repeat(8 * 1024 * 1024), headers: {} }, 300),
      (port) => {
        const req = request({ host: '127.0.0.1', port }, (res) => res.pause());
        req.on('error', () => undefined);
        req.end();
      },
    );
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(2_000);
  });
});
