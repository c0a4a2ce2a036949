// The token endpoint's answer, classified in process: a token, or an error of our family (exit 3,
// 4 or 5), never an untyped throw; a credential in an answer is never echoed in clear.
import { fc, test } from '../support/property.js';
import { afterEach, beforeEach, describe, expect, vi } from 'vitest';
import { refusalOf as failure } from '../support/refusals.js';

vi.mock('../../scripts/lib/disk/token-rescue.js', () => ({ rescueToken: vi.fn(() => '/state/rescued-token-x.env') }));
vi.mock('../../scripts/lib/disk/secret-file-store.js', async (original) => ({
  ...(await original<typeof import('../../scripts/lib/disk/secret-file-store.js')>()),
  withFileLock: vi.fn(async () => {
    throw new Error('no space left on device');
  }),
}));

const { DribbbleOAuthError } = await import('../../scripts/lib/core/errors.js');
const { redact } = await import('../../scripts/lib/core/redaction.js');
const { rescueToken } = await import('../../scripts/lib/disk/token-rescue.js');
const { MAX_EXPIRES_IN_S, describeExpiry, readExpiresIn, reportToken, saveToken, validateTokenResponse } = await import('../../scripts/lib/oauth/token-exchange.js');
type ExchangeInput = import('../../scripts/lib/oauth/token-exchange.js').ExchangeInput;

const input: ExchangeInput = {
  config: {
    values: { client_id: 'client-id', client_secret: 'Unit-s3cret-0123456789abcdef', redirect_uri: 'http://127.0.0.1:9/cb', oauth_origin: 'https://dribbble.com', scope: 'public' },
    sources: {},
    envFilePath: '/nowhere/.env',
    envFileExists: false,
  },
  code: 'code-0123456789',
  timeoutMs: 1000,
};
const URL_ = 'https://dribbble.com/oauth/token';
const TOKEN = 'Unit-t0ken-0123456789abcdefghijklmn';
const answer = (status: number, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) => ({ status, headers, body });
const classify = (status: number, body: string, headers?: Record<string, string>) => validateTokenResponse(answer(status, body, headers), input, URL_);


beforeEach(() => vi.mocked(rescueToken).mockClear());

describe('a token in an answer Dribbble would not send is handled as a token (F3)', () => {
  test('a 201 with a valid access_token is taken as a token answer, with a note', () => {
    const token = classify(201, JSON.stringify({ access_token: TOKEN, token_type: 'bearer', scope: 'public' }));
    expect(token.accessToken).toBe(TOKEN);
    expect(token.notes.join(' ')).toContain('answered 201');
  });

  test('a 200 whose JSON starts with a BOM is a token answer', () => {
    expect(classify(200, `\ufeff${JSON.stringify({ access_token: TOKEN, token_type: 'bearer' })}`).accessToken).toBe(TOKEN);
  });

  test('a form-encoded token answer is read as one', () => {
    expect(classify(200, `access_token=${TOKEN}&token_type=bearer&scope=public`, { 'content-type': 'application/x-www-form-urlencoded' }).accessToken).toBe(TOKEN);
  });

  test('a 400 or 500 carrying a token: exit 5, the token masked and kept safe, never in the message', () => {
    for (const status of [400, 302, 500]) {
      const error = failure(() => classify(status, JSON.stringify({ access_token: TOKEN, token_type: 'bearer' })));
      expect(error.exitCode).toBe(5);
      expect(error.message).not.toContain(TOKEN);
      expect(error.message).toContain('/state/rescued-token-x.env');
    }
    expect(rescueToken).toHaveBeenCalledWith(TOKEN);
  });

  test('a 200 without access_token but with a refresh_token: exit 5, the echo masks it and it is registered', () => {
    const refresh = 'Refr3sh-0123456789abcdefghijklmnop';
    const error = failure(() => classify(200, JSON.stringify({ refresh_token: refresh, token: 'x' })));
    expect(error.exitCode).toBe(5);
    expect(error.message).not.toContain(refresh);
    expect(redact(`x ${refresh} y`)).not.toContain(refresh);
  });

  test('an HTML or form body echoed in an error shows no credential in clear', () => {
    const error = failure(() => classify(200, `<p>oops</p> access_token=${TOKEN}&x=1`, { 'content-type': 'text/html' }));
    expect(error.exitCode).toBe(5);
    expect(error.message).not.toContain(TOKEN);
    const e500 = failure(() => classify(503, `{"access_token": 5, "client_secret":"${TOKEN}"}`));
    expect(e500.exitCode).toBe(4);
    expect(e500.message).not.toContain(TOKEN);
  });

  test('a token with an invisible character (U+200B) is refused, and the message shows no raw U+200B', () => {
    const error = failure(() => classify(200, JSON.stringify({ access_token: `\u200b${TOKEN}`, token_type: 'bearer' })));
    expect(error.code).toBe('malformed_token');
    expect(error.message).not.toMatch(/[\u200b\p{Cc}]/u);
  });
});

describe('expires_in is a believable lifetime or unknown (F13)', () => {
  test.each([
    [3600, 3600],
    ['7200', 7200],
    [MAX_EXPIRES_IN_S, MAX_EXPIRES_IN_S],
    [0, undefined],
    [-7200, undefined],
    [1e308, undefined],
    [1.5, undefined],
    [MAX_EXPIRES_IN_S + 1, undefined],
    ['soon', undefined],
    [null, undefined],
  ])('expires_in %j reads as %j', (sent, expected) => {
    expect(readExpiresIn(sent)).toBe(expected);
  });

  test('0, -7200 and 1e308 print "expiry unknown", never "does not expire" or a negative lifetime', () => {
    for (const sent of [0, -7200, 1e308]) {
      const token = classify(200, JSON.stringify({ access_token: TOKEN, token_type: 'bearer', expires_in: sent }));
      expect(token.expiresIn).toBeUndefined();
      expect(describeExpiry(token)).toBe('expiry unknown');
      expect(token.notes.join(' ')).toContain('when the token expires is unknown');
    }
    expect(describeExpiry(classify(200, JSON.stringify({ access_token: TOKEN, expires_in: 7200 })))).toBe('expires in 7200 s');
    expect(describeExpiry(classify(200, JSON.stringify({ access_token: TOKEN })))).toBe('does not expire');
  });
});

describe('reportToken', () => {
  const lines: string[] = [];
  const revealed: string[] = [];
  const out = { json: true, line: (t = '') => void lines.push(redact(t)), reveal: (t: string, s: string) => void (lines.push(t), revealed.push(s)) };
  afterEach(() => {
    lines.length = 0;
    revealed.length = 0;
  });

  test('--json carries refresh_token and expires_in; the refresh token is masked in human lines', () => {
    const refresh = 'Refr3sh-t0ken-0123456789abcdefghijkl';
    const token = classify(200, JSON.stringify({ access_token: TOKEN, token_type: 'bearer', expires_in: 7200, refresh_token: refresh }));
    const result = reportToken(out, token, [], false) as Record<string, unknown>;
    expect(result).toMatchObject({ access_token: TOKEN, refresh_token: refresh, expires_in: 7200 });
    expect(result.revealed).toEqual([TOKEN, refresh]);
    expect(lines.join('\n')).not.toContain(refresh);
    expect(lines.join('\n')).toContain('Refresh token:');
    expect(lines.join('\n')).toContain('expires in 7200 s');
  });

  test('--show-token reveals both, each registered for CI masking', () => {
    const refresh = 'Refr3sh-t0ken-abcdefghijkl0123456789';
    reportToken(out, classify(200, JSON.stringify({ access_token: TOKEN, refresh_token: refresh })), [], true);
    expect(revealed).toEqual([TOKEN, refresh]);
  });
});

describe('the last-resort print of a token (O14)', () => {
  test('under GITHUB_ACTIONS=true, ::add-mask:: comes before the token is printed', async () => {
    vi.mocked(rescueToken).mockReturnValue(undefined);
    const previous = process.env.GITHUB_ACTIONS;
    process.env.GITHUB_ACTIONS = 'true';
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0);
    try {
      const token = classify(200, JSON.stringify({ access_token: TOKEN }));
      const error = await saveToken(input.config, token, { save: true }).catch((e: unknown) => e);
      expect((error as InstanceType<typeof DribbbleOAuthError>).exitCode).toBe(6);
      const mask = written.findIndex((w) => w === `::add-mask::${TOKEN}\n`);
      const print = written.findIndex((w) => w.includes(`could not be kept anywhere: ${TOKEN}`));
      expect(print).toBeGreaterThanOrEqual(0);
      expect(mask).toBeGreaterThanOrEqual(0);
      expect(mask).toBeLessThan(print);
    } finally {
      spy.mockRestore();
      if (previous === undefined) delete process.env.GITHUB_ACTIONS;
      else process.env.GITHUB_ACTIONS = previous;
      vi.mocked(rescueToken).mockReturnValue('/state/rescued-token-x.env');
    }
  });
});

// Any answer at all: a token, or an error of our family with exit 3, 4 or 5.
const tokenish = fc.oneof(fc.string(), fc.constant(TOKEN), fc.constant(`${TOKEN}\n`), fc.integer(), fc.constant(null));
const jsonAnswer = fc
  .record(
    {
      access_token: tokenish,
      token_type: fc.oneof(fc.constant('bearer'), fc.string()),
      error: fc.oneof(fc.constant('invalid_grant'), fc.constant('invalid_client'), fc.string()),
      error_description: fc.string(),
      expires_in: fc.oneof(fc.double(), fc.integer(), fc.string()),
      refresh_token: tokenish,
      scope: fc.string(),
      created_at: fc.oneof(fc.double(), fc.string()),
      message: fc.string(),
    },
    { requiredKeys: [] },
  )
  .map((o) => JSON.stringify(o));
const anyBody = fc.oneof(jsonAnswer, jsonAnswer.map((j) => `\ufeff${j}`), fc.string(), fc.string({ unit: 'binary' }), fc.jsonValue().map((v) => JSON.stringify(v) ?? ''));
const anyHeaders = fc.dictionary(fc.constantFrom('content-type', 'location', 'retry-after', 'x-ratelimit-reset', 'x-other'), fc.string());

describe('properties', () => {
  test.prop([fc.integer({ min: 100, max: 599 }), anyHeaders, anyBody])('validateTokenResponse: a token, or exit 3, 4 or 5', (status, headers, body) => {
    try {
      const token = validateTokenResponse({ status, headers, body }, input, URL_);
      expect(status).toBeGreaterThanOrEqual(200);
      expect(status).toBeLessThan(300);
      expect(token.accessToken).toMatch(/^[A-Za-z0-9\-._~+/]+=*$/);
    } catch (error) {
      expect(error).toBeInstanceOf(DribbbleOAuthError);
      expect([3, 4, 5]).toContain((error as InstanceType<typeof DribbbleOAuthError>).exitCode);
      expect((error as Error).message).not.toContain(TOKEN);
    }
  });
});
