// The loopback callback server in process: what each callback is worth (ignored, refused, a
// missing code, the one accepted), the timeout, and a port already taken. (Were runs of authorize
// in e2e/authorize.test.ts; the whole runs there and in e2e/callback-server.test.ts keep one of
// each outcome end to end: exit code, stderr, files.)
import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DribbbleOAuthError, NetworkError, ProtocolError, ServerRefusedError, UsageError } from '../../scripts/lib/core/errors.js';
import { startCallbackServer, type CallbackServer } from '../../scripts/lib/oauth/callback-server.js';
import { listenOnFreePort } from '../support/free-port.js';

// A loopback address and port of this test's own: 127.253.x.y is outside what the e2e tests take
// (127.2-251.x.y), so nothing else binds it.
const HOST = `127.253.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 250) + 1}`;
// A port of each test's own, found free just before it: a port once taken by something this file
// cannot see (seen in CI: EADDRINUSE on a port free when the file began) fails one try, not the run.
let PORT = 0;
let REDIRECT: URL;
beforeEach(async () => {
  const probe = createServer();
  PORT = await listenOnFreePort(probe, HOST);
  await new Promise((r) => probe.close(r));
  REDIRECT = new URL(`http://${HOST}:${PORT}/auth/dribbble/callback`);
});
const STATE = 'the-state-of-this-authorization';

const open: CallbackServer[] = [];
afterEach(async () => {
  for (const server of open.splice(0)) await server.close();
});
async function start(options: { timeoutMs?: number; onIgnored?: (why: string) => void } = {}): Promise<CallbackServer> {
  const server = await startCallbackServer({ redirectUri: REDIRECT, state: STATE, timeoutMs: options.timeoutMs ?? 20_000, describeRedirectSource: 'from --redirect-uri', onIgnored: options.onIgnored });
  open.push(server);
  return server;
}
const callback = (query: string) => fetch(`${REDIRECT}?${query}`);
const decodeHtmlText = (html: string) => html.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (m, e: string) => (e[0] === '#' ? String.fromCodePoint(e[1]!.toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[e.toLowerCase()]!));
async function rejection(promise: Promise<unknown>): Promise<DribbbleOAuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DribbbleOAuthError);
  return error as DribbbleOAuthError;
}

describe('the loopback callback server', () => {
  test('a stray request is 404; a wrong or missing state is a 400 page, reported as ignored, and the wait goes on to the real callback', async () => {
    const ignored: string[] = [];
    const server = await start({ onIgnored: (why) => ignored.push(why) });
    const outcome = server.waitForCallback();
    let settled = false;
    void outcome.then(() => (settled = true), () => (settled = true));
    expect((await fetch(`http://${HOST}:${PORT}/favicon.ico`)).status).toBe(404);
    for (const query of ['code=abc&state=forged', 'error=access_denied', 'error=access_denied&state=forged', 'code=abc']) {
      const page = await callback(query);
      expect(page.status, query).toBe(400);
      expect(await page.text()).toContain('This callback does not belong to this authorization');
    }
    expect(ignored).toEqual(['a wrong state', 'no state', 'a wrong state', 'no state']);
    expect(settled).toBe(false);
    const page = callback(`code=the-code&state=${STATE}`);
    const accepted = await outcome;
    expect(accepted.code).toBe('the-code');
    await accepted.respond({ html: '<p>ok</p>', headers: { 'Content-Type': 'text/html' } });
    expect((await page).status).toBe(200);
  });

  test('an error with the right state is a refusal (exit 3, the OAuth error as code) on a 403 page showing its description as text', async () => {
    const server = await start();
    const outcome = rejection(server.waitForCallback());
    const page = await callback(new URLSearchParams({ error: 'access_denied', error_description: '<b>denied</b>', state: STATE }).toString());
    expect(page.status).toBe(403);
    const html = await page.text();
    expect(html).not.toMatch(/<b>/i);
    expect(decodeHtmlText(html)).toContain('<b>denied</b>');
    const error = await outcome;
    expect(error).toBeInstanceOf(ServerRefusedError);
    expect(error.code).toBe('access_denied');
    expect(error.exitCode).toBe(3);
  });

  test('the right state without a code is missing_code (exit 5) on a 400 page', async () => {
    const server = await start();
    const outcome = rejection(server.waitForCallback());
    expect((await callback(`state=${STATE}`)).status).toBe(400);
    const error = await outcome;
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.code).toBe('missing_code');
    expect(error.exitCode).toBe(5);
  });

  test('no callback in time is callback_timeout (exit 4), naming the redirect URI', async () => {
    const server = await start({ timeoutMs: 50 });
    const error = await rejection(server.waitForCallback());
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.code).toBe('callback_timeout');
    expect(error.exitCode).toBe(4);
    expect(error.message).toContain(`No callback reached ${REDIRECT}`);
  });

  test('a port in use is exit 2, naming the address, the redirect URI and its source, and --redirect-uri', async () => {
    // The blocker takes its port itself: no moment between a probe and its listen.
    const blocker: Server = createServer();
    PORT = await listenOnFreePort(blocker, HOST);
    REDIRECT = new URL(`http://${HOST}:${PORT}/auth/dribbble/callback`);
    try {
      const error = await rejection(start());
      expect(error).toBeInstanceOf(UsageError);
      expect(error.code).toBe('callback_port_unavailable');
      expect(error.exitCode).toBe(2);
      expect(error.message).toContain(`${HOST}:${PORT}`);
      expect(error.message).toContain(`${REDIRECT} (from --redirect-uri)`);
      expect(error.message).toContain('another program is using that port');
      expect(error.message).toContain('pass it with --redirect-uri');
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });
});
