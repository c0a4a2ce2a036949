// PRODUCT.md: a secret never appears in full in any output. Text the user gives (a URL flag or
// variable, a redirect URI, an env-file or Postman environment value, another flag's value) is
// quoted back in messages, and a URL may carry credentials (https://user:password@host): every
// such message shows it through showGivenUrl, which masks the userinfo whether or not the text
// parses (http://u:p@host:99999 does not) and escapes control characters.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '../support/property.js';
import { afterAll, describe, expect } from 'vitest';
import type { CommonFlags } from '../../scripts/lib/cli/cli-flags.js';
import { parseWholeNumber } from '../../scripts/lib/cli/cli-flags.js';
import { normalizeOrigin, requireHttpUrl, resolveConfig, type ResolvedConfig } from '../../scripts/lib/config/config-resolution.js';
import { DribbbleOAuthError } from '../../scripts/lib/core/errors.js';
import { showGivenUrl } from '../../scripts/lib/core/redaction.js';
import { buildApiCall, extractFieldArguments, selectEndpoint } from '../../scripts/lib/api/api-arguments.js';
import { checkClientCredentials, registrationLines, requireCallbackUrl } from '../../scripts/lib/oauth/app-registration.js';
import { startCallbackServer } from '../../scripts/lib/oauth/callback-server.js';
import { findPendingAuthorization } from '../../scripts/lib/oauth/pending-authorizations.js';
import { validateTokenResponse } from '../../scripts/lib/oauth/token-exchange.js';
import { listenOnFreePort } from '../support/free-port.js';

const dir = mkdtempSync(join(tmpdir(), 'given-url-credentials-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const emptyEnvFile = join(dir, 'empty.env');
writeFileSync(emptyEnvFile, '');

/** The message of what `run` throws, or undefined when it accepts the input. */
function messageOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (!(error instanceof DribbbleOAuthError)) throw error;
    expect(error.exitCode).toBe(2);
    return error.message;
  }
  return undefined;
}

const flags = (more: Partial<CommonFlags> = {}): CommonFlags => ({ json: false, save: true, open: true, showToken: false, allowInsecureTls: false, envFile: emptyEnvFile, ...more });
const configWith = (key: 'redirect_uri', value: string): ResolvedConfig => ({ values: { [key]: value }, sources: { [key]: { kind: 'flag', flag: 'redirect-uri' } }, envFilePath: emptyEnvFile, envFileExists: true });

// Each entry point that quotes user-given URL text in a message, with the words that name the input.
const ENTRIES: Array<{ name: string; message: (input: string) => string | undefined; names: string }> = [
  { name: 'normalizeOrigin', message: (input) => messageOf(() => normalizeOrigin(input, 'OAuth base URL', '--oauth-url', 'https://dribbble.com', '/oauth')), names: '(from --oauth-url)' },
  { name: 'resolveConfig (--api-url)', message: (input) => messageOf(() => resolveConfig(flags({ apiUrl: input }), {})), names: '--api-url' },
  { name: 'resolveConfig (DRIBBBLE_OAUTH_URL)', message: (input) => messageOf(() => resolveConfig(flags(), { DRIBBBLE_OAUTH_URL: input })), names: 'DRIBBBLE_OAUTH_URL' },
  { name: 'requireHttpUrl (the redirect URI check)', message: (input) => messageOf(() => requireHttpUrl(configWith('redirect_uri', input), 'redirect_uri')), names: '(from --redirect-uri)' },
  { name: 'requireCallbackUrl (init)', message: (input) => messageOf(() => requireCallbackUrl(input)), names: '(from --redirect-uri, DRIBBBLE_REDIRECT_URI or the prompt)' },
  { name: 'checkClientCredentials (init)', message: (input) => messageOf(() => checkClientCredentials(`${input} x`, 'secret')), names: '(from --client-id' },
  { name: 'selectEndpoint (api request words)', message: (input) => messageOf(() => selectEndpoint([input, 'x'])), names: 'names no request' },
  { name: 'selectEndpoint (api method and path)', message: (input) => messageOf(() => selectEndpoint(['GET', `/${input}`])), names: 'is not an endpoint' },
  { name: 'extractFieldArguments (api -F)', message: (input) => messageOf(() => extractFieldArguments(['-F', `image=${input}`])) ?? messageOf(() => extractFieldArguments(['-f', input])), names: '(got "' },
  { name: 'buildApiCall (api -f value)', message: (input) => messageOf(() => buildApiCall(['List my shots'], [['per_page', input]], [])), names: '-f per_page=' },
  { name: 'parseWholeNumber (--timeout and the like)', message: (input) => messageOf(() => parseWholeNumber(input, 'timeout', 1, 1000, '30000')), names: '--timeout must be' },
];

// Messages for canned inputs of each kind, so that a password that is a word of a message's own
// text (not of the input) is not counted as echoed.
const CANNED = ['nope', 'http://u:p@h', 'http://h?q', 'http://h/other', 'ftp://h', 'http://u:p@host:99999', 'GET'];

const notAt = (s: string) => !/[@/\s]/.test(s);
const password = fc.oneof(fc.string({ minLength: 1 }), fc.string({ minLength: 1, unit: 'binary' }), fc.string({ minLength: 1, unit: 'grapheme' })).filter(notAt);
const prefix = fc.oneof(fc.constantFrom('', 'http:', 'https:', 'ftp:', 'http:/', 'https://x.test/', 'GET '), fc.string(), fc.string({ unit: 'binary' }));
const user = fc.oneof(fc.constantFrom('', 'u', 'user', 'a@b', 'a/b', 'a b'), fc.string(), fc.string({ unit: 'binary' }));
const suffix = fc.oneof(fc.constantFrom('host', 'host:99999', 'exa mple.com', '127.0.0.1:8738/cb', 'dribbble.com/oauth', 'h?q=1', 'h#f'), fc.string(), fc.string({ unit: 'binary' }));

describe('a secret never appears in full in any output: userinfo in user-given URL text is masked in every message', () => {
  for (const entry of ENTRIES) {
    const fixed = CANNED.map((input) => entry.message(input) ?? '').join('\n');

    test.prop([prefix, user, password, suffix])(`${entry.name}: for <anything>//<user>:<password>@<anything>, the message never holds the password, and still names the input`, (p, u, w, s) => {
      const input = `${p}//${u}:${w}@${s}`;
      const message = entry.message(input);
      if (message === undefined) return; // accepted: nothing quoted here
      // The same input with another password: what the message holds apart from the password.
      const other = entry.message(`${p}//${u}:\u2603@${s}`) ?? '';
      fc.pre(!fixed.includes(w) && !other.includes(w));
      expect(message).not.toContain(w);
      expect(message).toContain(entry.names);
    });

    test(`${entry.name}: the known cases http://u:p4ss@host:99999 and http://u:p4ss@exa mple.com (which do not parse)`, () => {
      for (const input of ['http://u:p4ss@host:99999', 'http://u:p4ss@exa mple.com', 'u:p4ss@host']) {
        const message = entry.message(input);
        expect(message, input).toBeDefined();
        expect(message).not.toContain('p4ss');
        expect(message).toContain(entry.names);
        expect(message).toContain('***@');
      }
    });
  }

  test('normalizeOrigin still quotes the input, masked, with its source', () => {
    const message = ENTRIES[0]!.message('http://u:p4ss@host:99999');
    expect(message).toContain('The OAuth base URL "http://***@host:99999" (from --oauth-url) is not an http:// or https:// URL.');
  });

  test('normalizeOrigin: a password that the URL parser reads as a path is masked in the path it names', () => {
    const message = ENTRIES[0]!.message('http://a/b:p4ss@host')!;
    expect(message).toContain('has the path "/***@host"');
    expect(message).not.toContain('p4ss');
  });
});

describe('showGivenUrl, the one helper', () => {
  test.prop([prefix, user, password, suffix])('masks any <anything>//<user>:<password>@<anything>, whether or not it parses', (p, u, w, s) => {
    const shown = showGivenUrl(`${p}//${u}:${w}@${s}`);
    fc.pre(!showGivenUrl(`${p}//${u}:\u2603@${s}`).includes(w));
    expect(shown).not.toContain(w);
  });

  test.each([
    ['https://user:pw@dribbble.com/oauth', 'https://***@dribbble.com/oauth'],
    ['http://u:p@host:99999', 'http://***@host:99999'],
    ['http://u:p@exa mple.com', 'http://***@exa mple.com'],
    ['u:p@host', '***@host'],
    ['https://token@api.dribbble.com', 'https://***@api.dribbble.com'],
    ['https://dribbble.com/oauth', 'https://dribbble.com/oauth'],
    ['http://127.0.0.1:8738/auth/dribbble/callback', 'http://127.0.0.1:8738/auth/dribbble/callback'],
    ['@shot.png', '@shot.png'],
    ['http://u:p@h\u001b[31m\n', 'http://***@h\\e[31m\\n'],
  ])('%j is shown as %j', (given, shown) => {
    expect(showGivenUrl(given)).toBe(shown);
  });
});

describe('a redirect URI that parses with credentials is masked wherever it is quoted', () => {
  const SECRET = 'p4ss-w0rd';

  test('init: what to register', () => {
    const lines = registrationLines(`http://u:${SECRET}@127.0.0.1:8738/cb`, `https://me:${SECRET}@example.com`).join('\n');
    expect(lines).not.toContain(SECRET);
    expect(lines).toContain('Callback URL  http://***@127.0.0.1:8738/cb');
    expect(lines).toContain('Website URL   https://***@example.com');
  });

  test('the loopback callback: a port in use, and no callback in time', async () => {
    const host = `127.254.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 250) + 1}`;
    // The blocker takes a port outside the ephemeral range itself: once it closes, no port-0
    // listener or outgoing connection elsewhere can take that port before the callback server does.
    const blocker: Server = createServer();
    const port = await listenOnFreePort(blocker, host);
    const redirectUri = new URL(`http://u:${SECRET}@${host}:${port}/cb`);
    const start = () => startCallbackServer({ redirectUri, state: 's', timeoutMs: 50, describeRedirectSource: 'from --redirect-uri' });
    try {
      const error = (await start().then(() => undefined, (e: unknown) => e)) as Error;
      expect(error.message).toContain(`from the redirect URI http://***@${host}:${port}/cb (from --redirect-uri)`);
      expect(error.message).not.toContain(SECRET);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
    const server = await start();
    try {
      const error = (await server.waitForCallback().then(() => undefined, (e: unknown) => e)) as Error;
      expect(error.message).toContain(`No callback reached http://***@${host}:${port}/cb within`);
      expect(error.message).not.toContain(SECRET);
    } finally {
      await server.close();
    }
  });

  test('exchange: invalid_grant names the redirect URI sent', () => {
    const input = {
      config: { values: { client_id: 'id', redirect_uri: `http://u:${SECRET}@127.0.0.1:9/cb`, oauth_origin: 'https://dribbble.com' }, sources: {}, envFilePath: '/nowhere/.env', envFileExists: false },
      code: 'code-0123456789',
      timeoutMs: 1000,
    };
    const answer = { status: 400, headers: { 'content-type': 'application/json' }, body: '{"error":"invalid_grant"}' };
    for (const authorizedWith of [undefined, 'http://127.0.0.1:9/other']) {
      let message = '';
      try {
        validateTokenResponse(answer, { ...input, authorizedWith }, 'https://dribbble.com/oauth/token');
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toContain('http://***@127.0.0.1:9/cb');
      expect(message).not.toContain(SECRET);
    }
  });

  test('exchange: a pending authorization of another redirect URI', async () => {
    const root = mkdtempSync(join(dir, 'state-'));
    const saved = process.env.XDG_STATE_HOME;
    process.env.XDG_STATE_HOME = root;
    try {
      mkdirSync(join(root, 'dribbble-oauth'), { recursive: true, mode: 0o700 });
      const entry = { state: 'st', clientId: 'id', redirectUri: `http://u:${SECRET}@127.0.0.1:9/a`, codeVerifier: 'v'.repeat(43), createdAt: Date.now() };
      writeFileSync(join(root, 'dribbble-oauth', 'pending-authorizations.json'), JSON.stringify([entry]), { mode: 0o600 });
      const error = (await findPendingAuthorization({ code: 'c', state: 'st' }, 'id', `http://v:${SECRET}@127.0.0.1:9/b`).then(() => undefined, (e: unknown) => e)) as Error;
      expect(error.message).toContain('with redirect URI http://***@127.0.0.1:9/a, but this exchange uses client ID id with redirect URI http://***@127.0.0.1:9/b');
      expect(error.message).not.toContain(SECRET);
    } finally {
      if (saved === undefined) delete process.env.XDG_STATE_HOME;
      else process.env.XDG_STATE_HOME = saved;
    }
  });
});
