// The loopback callback: listens on exactly the redirect URI's host, port and path (loopback
// only), accepts one valid callback, and holds the browser's request open until the caller has a
// page to show (the token, or what went wrong).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { finished } from 'node:stream';
import { guardHandler, parseRequestUrl } from '../core/request-gate.js';
import { assertNoCallbackError } from './callback-input.js';
import { showUntrusted } from '../core/terminal-text.js';
import { showGivenUrl } from '../core/redaction.js';
import { renderFailurePage, renderNotFoundPage, type RenderedPage } from './callback-page.js';
import { DribbbleOAuthError, NetworkError, ProtocolError, UsageError } from '../core/errors.js';

export interface LoopbackTarget {
  /** Addresses to listen on: one, or both for "localhost". */
  hosts: string[];
  port: number;
  path: string;
  /** Host header values a browser sends for this redirect URI. */
  hostHeaders: string[];
}

/** The loopback listener for an http:// redirect URI on 127.0.0.0/8, [::1] or localhost; else undefined. */
export function loopbackTarget(redirectUri: URL): LoopbackTarget | undefined {
  if (redirectUri.protocol !== 'http:') return undefined;
  const name = redirectUri.hostname;
  const hosts = name === 'localhost' ? ['127.0.0.1', '::1'] : name === '[::1]' ? ['::1'] : /^127(\.\d{1,3}){3}$/.test(name) ? [name] : undefined;
  if (!hosts) return undefined;
  const port = Number(redirectUri.port || 80);
  return { hosts, port, path: redirectUri.pathname, hostHeaders: [redirectUri.host, ...(redirectUri.port ? [] : [`${redirectUri.hostname}:80`])] };
}

export interface AcceptedCallback {
  code: string;
  /** Answers the held browser request. */
  respond(page: RenderedPage): Promise<void>;
}

export interface CallbackServer {
  /** Resolves with the first valid callback; rejects on a refusal, a bad state, or the timeout. */
  waitForCallback(): Promise<AcceptedCallback>;
  close(): Promise<void>;
}

/** How long a browser gets to take the result page; a closed tab or a stalled one is not waited for. */
export const PAGE_SEND_LIMIT_MS = 3_000;

/**
 * Sends a page and resolves when it is sent, or the connection closed or failed (a closed tab:
 * `end`'s callback would never fire), or after PAGE_SEND_LIMIT_MS; never rejects.
 */
export function send(res: ServerResponse, status: number, page: RenderedPage, limitMs = PAGE_SEND_LIMIT_MS): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed || res.writableEnded || res.socket?.destroyed) return resolve();
    const timer = setTimeout(() => {
      res.destroy();
      resolve();
    }, limitMs);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    finished(res, done);
    try {
      // One page per connection: nothing keeps the port busy once it is sent.
      res.writeHead(status, { ...page.headers, Connection: 'close' });
      res.end(page.html);
    } catch {
      res.destroy();
      done();
    }
  });
}

async function listen(server: Server, host: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function startCallbackServer(options: { redirectUri: URL; state: string; timeoutMs: number; describeRedirectSource: string; onIgnored?: (why: string) => void }): Promise<CallbackServer> {
  const onIgnored = options.onIgnored ?? (() => undefined);
  const target = loopbackTarget(options.redirectUri);
  if (!target) throw new Error('startCallbackServer needs a loopback redirect URI');

  let settle: { resolve: (c: AcceptedCallback) => void; reject: (e: Error) => void } | undefined;
  const outcome = new Promise<AcceptedCallback>((resolve, reject) => (settle = { resolve, reject }));
  outcome.catch(() => undefined); // observed by waitForCallback; never an unhandled rejection
  let accepted = false;

  const fail = async (res: ServerResponse, status: number, error: DribbbleOAuthError, title: string) => {
    accepted = true;
    await send(res, status, renderFailurePage({ title, message: error.message }));
    settle!.reject(error);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // A page elsewhere can point the browser at this port under another host name (DNS rebinding):
    // the Host is checked before anything else of the request is read.
    if (!target.hostHeaders.includes(req.headers.host ?? '')) return send(res, 421, renderNotFoundPage());
    const url = parseRequestUrl(req, 'http://callback.invalid');
    if (req.method !== 'GET' || !url || url.pathname !== target.path) return send(res, 404, renderNotFoundPage());
    if (accepted) return send(res, 409, renderFailurePage({ title: 'Already handled', message: 'This authorization was already handled. Look at the terminal.' }));
    const params = url.searchParams;
    // The state first: any page can make the browser GET this URL, and without the state it must
    // not be able to end the wait with a forged error=.
    if (params.get('state') !== options.state) {
      await send(res, 400, renderFailurePage({ title: 'This callback does not belong to this authorization', message: 'Its state is missing or wrong, so it was ignored (it may come from another tab, another app or another site). The terminal is still waiting for the authorization it started.' }));
      onIgnored(params.has('state') ? 'a wrong state' : 'no state');
      return;
    }
    try {
      assertNoCallbackError(params);
    } catch (error) {
      return fail(res, 403, error as DribbbleOAuthError, 'Dribbble did not authorize the app');
    }
    const code = params.get('code');
    if (!code || /\s/.test(code)) {
      const error = new ProtocolError('missing_code', `The callback to ${options.redirectUri.origin}${target.path} came without a code (query: "${showUntrusted(url.search || 'empty')}"). Dribbble always sends one after "Authorize": run "npm run authorize" again.`);
      return fail(res, 400, error, 'The callback has no code');
    }
    accepted = true;
    settle!.resolve({ code, respond: (page) => send(res, 200, page) });
  };

  const servers: Server[] = [];
  for (const host of target.hosts) {
    const server = createServer(guardHandler(handle, (error) => settle!.reject(error as Error)));
    try {
      await listen(server, host, target.port);
      servers.push(server);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // "localhost" also tries ::1, which a machine without IPv6 does not have.
      if (host === '::1' && servers.length && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT')) continue;
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      const why =
        code === 'EADDRINUSE'
          ? 'another program is using that port (another "npm run authorize", or a server of yours)'
          : code === 'EACCES'
            ? 'this user may not open that port (ports below 1024 need privileges)'
            : `${(error as Error).message}`;
      throw new UsageError(
        'callback_port_unavailable',
        `Cannot listen for the callback on ${host}:${target.port}, from the redirect URI ${showGivenUrl(options.redirectUri.href)} (${options.describeRedirectSource}): ${why}. Stop that program, or register a Callback URL with another port on Dribbble and pass it with --redirect-uri.`,
      );
    }
  }

  let timer: NodeJS.Timeout | undefined;
  // Called once the result page is sent (or given up on): every connection still open (an idle
  // keep-alive, a slow or hostile client) is cut, so the command exits on its outcome.
  const close = async () => {
    clearTimeout(timer);
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    );
  };

  return {
    waitForCallback() {
      timer = setTimeout(() => {
        settle!.reject(
          new NetworkError(
            'callback_timeout',
            `No callback reached ${showGivenUrl(options.redirectUri.href)} within ${Math.round(options.timeoutMs / 1000)} s (--callback-timeout ${options.timeoutMs}). Approve the app in the browser before then. If the browser runs on another machine, forward the port (ssh -L ${target.port}:127.0.0.1:${target.port} ...), or raise --callback-timeout.`,
          ),
        );
      }, options.timeoutMs);
      return outcome;
    },
    close,
  };
}
