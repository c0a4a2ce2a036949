// Which pending authorization a code belongs to (findPendingAuthorization), and what a saved
// exchange leaves of them (removePendingAuthorization): a pasted URL's state must match a live
// entry of this app (else exit 3); a bare code borrows the verifier of the single live entry of
// this app, or sends none. The e2e test keeps one whole run that sends the verifier and clears it.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DribbbleOAuthError } from '../../scripts/lib/core/errors.js';
import { findPendingAuthorization, removePendingAuthorization, type PendingAuthorization } from '../../scripts/lib/oauth/pending-authorizations.js';

const CLIENT_ID = 'pkce-client';
const CALLBACK = 'http://127.0.0.1:8738/cb';
const NOW = Date.now();
const ELEVEN_MINUTES = 11 * 60 * 1000;
let root: string;
let saved: string | undefined;
const folder = () => join(root, 'state', 'dribbble-oauth');
const file = () => join(folder(), 'pending-authorizations.json');

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'pending-match-'));
  saved = process.env.XDG_STATE_HOME;
  process.env.XDG_STATE_HOME = join(root, 'state');
});
afterEach(() => {
  if (saved === undefined) delete process.env.XDG_STATE_HOME;
  else process.env.XDG_STATE_HOME = saved;
});

const entry = (state: string, extra: Partial<PendingAuthorization> = {}): PendingAuthorization => ({ state, clientId: CLIENT_ID, redirectUri: CALLBACK, codeVerifier: `verifier-${state}-${'v'.repeat(40)}`, createdAt: NOW, ...extra });
function pending(entries: PendingAuthorization[]): void {
  mkdirSync(folder(), { recursive: true, mode: 0o700 });
  writeFileSync(file(), JSON.stringify(entries), { mode: 0o600 });
}
const find = (callback: { code: string; state?: string; returnedTo?: string }) => findPendingAuthorization(callback, CLIENT_ID, CALLBACK, NOW);

async function refusal(run: () => Promise<unknown>): Promise<DribbbleOAuthError> {
  const error = await run().then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DribbbleOAuthError);
  return error as DribbbleOAuthError;
}

describe('a bare code', () => {
  test('borrows the verifier of the single live authorization of this app', async () => {
    pending([entry('one'), entry('old', { createdAt: NOW - ELEVEN_MINUTES }), entry('theirs', { clientId: 'someone-else' })]);
    expect((await find({ code: 'bare-code' }))?.codeVerifier).toBe(entry('one').codeVerifier);
  });

  test.each([
    ['two live authorizations (which one is unknowable)', [entry('one'), entry('two')]],
    ['one for another client', [entry('one', { clientId: 'someone-else' })]],
    ['one for another redirect URI', [entry('one', { redirectUri: 'http://127.0.0.1:9/other' })]],
    ['an expired one', [entry('one', { createdAt: NOW - ELEVEN_MINUTES })]],
    ['none', []],
  ])('with %s borrows nothing', async (_what, entries) => {
    pending(entries);
    expect(await find({ code: 'bare-code' })).toBeUndefined();
  });

  test('with no state folder at all borrows nothing and creates nothing', async () => {
    expect(await find({ code: 'bare-code' })).toBeUndefined();
    expect(readdirSync(root)).toEqual([]);
  });
});

describe('a pasted URL with a state', () => {
  test('gets the live entry of that state, of this app', async () => {
    pending([entry('st4te'), entry('other')]);
    expect(await find({ code: 'c', state: 'st4te', returnedTo: CALLBACK })).toEqual(entry('st4te'));
  });

  test('that matches no pending authorization is refused (exit 3, state_mismatch), creating nothing', async () => {
    const error = await refusal(() => find({ code: 'c', state: 'not-ours', returnedTo: CALLBACK }));
    expect(error.exitCode).toBe(3);
    expect(error.code).toBe('state_mismatch');
    expect(readdirSync(root)).toEqual([]);
  });

  test('whose entry belongs to another client or redirect URI is refused (exit 3, state_mismatch)', async () => {
    pending([entry('st', { clientId: 'someone-else' }), entry('ru', { redirectUri: 'http://127.0.0.1:9/other' })]);
    for (const state of ['st', 'ru']) {
      const error = await refusal(() => find({ code: 'c', state }));
      expect(error.exitCode).toBe(3);
      expect(error.code).toBe('state_mismatch');
    }
  });

  test('whose entry expired is refused (exit 3, authorization_expired)', async () => {
    pending([entry('old', { createdAt: NOW - ELEVEN_MINUTES })]);
    const error = await refusal(() => find({ code: 'c', state: 'old' }));
    expect(error.exitCode).toBe(3);
    expect(error.code).toBe('authorization_expired');
    expect(error.message).toContain('11 minutes ago');
  });
});

describe('after a saved exchange', () => {
  test('its entry is removed and expired ones are pruned; other live ones stay', async () => {
    pending([entry('used'), entry('stale', { createdAt: Date.now() - ELEVEN_MINUTES }), entry('other-live', { clientId: 'another-app' })]);
    await removePendingAuthorization('used');
    expect((JSON.parse(readFileSync(file(), 'utf8')) as PendingAuthorization[]).map((e) => e.state)).toEqual(['other-live']);
  });
});
