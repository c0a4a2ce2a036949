// The committed collection, run by Newman as a Postman user would run it, against a local server
// that records exactly what arrives.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COLLECTION_PATH } from '../../scripts/lib/postman/collection-files.js';
import { ROOT } from './helpers.js';

const newman = createRequire(import.meta.url)('newman');

interface Recorded {
  method: string;
  url: URL;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const HEX_CODE = 'a'.repeat(32) + '0123456789abcdef0123456789abcdef';
const B64_CODE = 'C47cV7A_uf6-yyXYCFEPerTp3IfmSO-3A-MkjGaNCwg';
const TOKEN = 'f'.repeat(64);
let server: Server;
let origin = '';
let recorded: Recorded[] = [];
let issueCode = B64_CODE;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const url = new URL(req.url!, origin);
      recorded.push({ method: req.method!, url, headers: req.headers, body });
      if (url.pathname === '/oauth/authorize') {
        const target = new URL(url.searchParams.get('redirect_uri')!);
        target.searchParams.set('code', issueCode);
        target.searchParams.set('state', url.searchParams.get('state')!);
        res.writeHead(302, { Location: target.toString() }).end();
      } else if (url.pathname === '/oauth/token') {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: TOKEN, token_type: 'bearer', scope: 'public', created_at: 1795917456 }));
      } else {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ login: 'someone' }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  recorded = [];
  issueCode = B64_CODE;
});

const REDIRECT = 'http://127.0.0.1:9/auth/dribbble/callback';

async function runNewman(folderNames: string[], values: Record<string, string>): Promise<{ env: Record<string, string>; failures: string[] }> {
  const base = { client_id: 'cid', client_secret: 'csecret', redirect_uri: REDIRECT, scope: 'public', oauth_origin: origin, api_origin: origin };
  const environment = { values: Object.entries({ ...base, ...values }).map(([key, value]) => ({ key, value, enabled: true })) };
  const failures: string[] = [];
  const summary = await new Promise<{ environment: { toObject(): Record<string, string> } }>((resolve, reject) => {
    newman
      .run({ collection: join(ROOT, COLLECTION_PATH), environment, folder: folderNames, reporters: [] }, (error: Error | null, s: never) => (error ? reject(error) : resolve(s)))
      .on('assertion', (error: Error | null) => error && failures.push(error.message))
      .on('exception', (_e: unknown, args: { error: Error }) => failures.push(args.error.message));
  });
  return { env: summary.environment.toObject(), failures };
}

const form = (r: Recorded) => [...new URLSearchParams(r.body)];

describe('Exchange code for token under Newman', () => {
  it('sends exactly grant_type, client_id, client_secret, code, redirect_uri: no empty code_verifier', async () => {
    const { env, failures } = await runNewman(['Exchange code for token'], { code: B64_CODE, code_verifier: '' });
    expect(failures).toEqual([]);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.method).toBe('POST');
    expect(recorded[0]!.url.pathname).toBe('/oauth/token');
    expect(recorded[0]!.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(form(recorded[0]!)).toEqual([
      ['grant_type', 'authorization_code'],
      ['client_id', 'cid'],
      ['client_secret', 'csecret'],
      ['code', B64_CODE],
      ['redirect_uri', REDIRECT],
    ]);
    expect(recorded[0]!.body).not.toContain('code_verifier');
    expect(env.access_token).toBe(TOKEN);
  });

  it('sends code_verifier when one is set', async () => {
    await runNewman(['Exchange code for token'], { code: B64_CODE, code_verifier: 'v'.repeat(43) });
    expect(form(recorded[0]!)).toContainEqual(['code_verifier', 'v'.repeat(43)]);
  });

  it.each([
    ['64-hex', HEX_CODE],
    ['43-character base64url', B64_CODE],
  ])('takes a %s code out of a pasted callback URL', async (_shape, code) => {
    const pasted = `${REDIRECT}?code=${code}&state=s123`;
    const { env, failures } = await runNewman(['Exchange code for token'], { code: pasted, state: 's123' });
    expect(failures).toEqual([]);
    expect(new URLSearchParams(recorded[0]!.body).get('code')).toBe(code);
    expect(env.access_token).toBe(TOKEN);
    expect(env.code ?? '').toBe(''); // single use: cleared once exchanged
  });

  it('refuses a pasted URL whose state does not match, without sending the code', async () => {
    const { env, failures } = await runNewman(['Exchange code for token'], { code: `${REDIRECT}?code=${B64_CODE}&state=other`, state: 'mine' });
    expect(recorded).toHaveLength(0);
    expect(failures.join(' ')).toMatch(/state/);
    expect(env.access_token ?? '').toBe('');
  });

  it('signs Get authenticated user with Authorization: Bearer <token>', async () => {
    await runNewman(['Exchange code for token', 'Get authenticated user'], { code: B64_CODE });
    expect(recorded.map((r) => r.url.pathname)).toEqual(['/oauth/token', '/v2/user']);
    expect(recorded[1]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });
});

describe('Authorize under Newman', () => {
  it('sends the PKCE pair only when a code_verifier is set, and stores the code from Location', async () => {
    const verifier = 'x'.repeat(50);
    issueCode = HEX_CODE;
    const withPkce = await runNewman(['Authorize'], { code_verifier: verifier });
    expect(withPkce.failures).toEqual([]);
    const query = recorded[0]!.url.searchParams;
    expect(query.get('response_type')).toBe('code');
    expect(query.get('client_id')).toBe('cid');
    expect(query.get('redirect_uri')).toBe(REDIRECT);
    expect(query.get('state')).toMatch(/^[0-9a-f]{32}$/);
    expect(query.get('code_challenge')).toBe(createHash('sha256').update(verifier).digest('base64url'));
    expect(query.get('code_challenge_method')).toBe('S256');
    expect(withPkce.env.code).toBe(HEX_CODE);

    recorded = [];
    await runNewman(['Authorize'], { code_verifier: '' });
    const plain = recorded[0]!.url.searchParams;
    expect(plain.has('code_challenge')).toBe(false);
    expect(plain.has('code_challenge_method')).toBe(false);
  });
});

describe('the shared environment under Newman', () => {
  /** A run with typed rows, as in the committed environments; returns each row with its type. */
  async function runTyped(folderNames: string[], values: Record<string, [string, 'secret' | 'default']>) {
    const environment = { values: Object.entries(values).map(([key, [value, type]]) => ({ key, value, type, enabled: true })) };
    const summary = await new Promise<{ environment: { values: { all(): Array<{ key: string; value: unknown; type: string }> } } }>((resolve, reject) => {
      newman.run({ collection: join(ROOT, COLLECTION_PATH), environment, folder: folderNames, reporters: [] }, (error: Error | null, s: never) => (error ? reject(error) : resolve(s)));
    });
    return new Map(summary.environment.values.all().map((v) => [v.key, { value: v.value, type: v.type }]));
  }

  // Cleared with set(key, ''), not unset: Postman keeps such a row and its type (secret), while an
  // unset row comes back typed "any". Newman itself retypes every row a script sets (its sandbox
  // reports changes as key and value only), so what a run can show is that the rows are still there.
  it('after a successful exchange, the code and state rows are still there, emptied: the next paste goes into the same row', async () => {
    const rows = await runTyped(['Exchange code for token'], {
      client_id: ['cid', 'default'],
      client_secret: ['csecret', 'secret'],
      redirect_uri: [REDIRECT, 'default'],
      code: [`${REDIRECT}?code=${B64_CODE}&state=s1`, 'secret'],
      state: ['s1', 'default'],
      access_token: ['', 'secret'],
      oauth_origin: [origin, 'default'],
    });
    expect(rows.get('code')?.value).toBe('');
    expect(rows.get('state')?.value).toBe('');
    expect(rows.get('access_token')?.value).toBe(TOKEN);
  });

  it('Authorize sends a redirect_uri holding ? and & as the same string the token form carries', async () => {
    const tricky = 'http://127.0.0.1:9/cb?a=1&b=2 c';
    const { failures } = await runNewman(['Authorize', 'Exchange code for token'], { redirect_uri: tricky, scope: 'public upload' });
    expect(failures).toEqual([]);
    const [authorize, token] = recorded;
    expect([...authorize!.url.searchParams.keys()]).not.toContain('b');
    expect(authorize!.url.searchParams.get('redirect_uri')).toBe(tricky);
    expect(authorize!.url.searchParams.get('scope')).toBe('public upload');
    expect(new URLSearchParams(token!.body).get('redirect_uri')).toBe(tricky);
  });
});
