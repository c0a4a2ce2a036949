// The collection's own scripts, run as they ship (fake pm in node:vm): the promises a user of the
// collection alone relies on, without the CLI around it.
import { describe, expect, test } from 'vitest';
import { buildCollection } from '../../scripts/lib/postman/collection-definition.js';
import { allItems, type PostmanItem } from '../../scripts/lib/postman/collection-types.js';
import { ITEM_AUTHORIZE, ITEM_EXCHANGE, ITEM_GET_USER } from '../../scripts/lib/postman/collection-files.js';
import { API_ENDPOINTS, DOCUMENTED_EXAMPLES, SHOT_STATUS_ITEM } from '../../scripts/lib/dribbble/api-v2.js';
import { SHOT_POLL } from '../../scripts/lib/postman/item-scripts.js';
import { runScript, scriptOf } from './fake-pm.js';

const items = allItems(buildCollection().item);
const item = (name: string): PostmanItem => items.find((i) => i.name === name)!;
const CALLBACK = 'http://127.0.0.1:8738/auth/dribbble/callback';
const redirect = (query: string) => ({ code: 302, headers: { Location: `${CALLBACK}?${query}` } });

describe('Authorize (the standalone collection\'s CSRF check)', () => {
  const test_ = scriptOf(item(ITEM_AUTHORIZE), 'test');

  test('stores the code only when the state that came back is the one it sent', () => {
    const forged = runScript(test_, { environment: { redirect_uri: CALLBACK, state: 'sent-state' }, response: redirect('code=forged-code&state=other-state') });
    expect(forged.environment.code).toBeUndefined();
    expect(forged.tests).toEqual([expect.objectContaining({ ok: false, name: 'Authorize: redirected with a code and the state we sent' })]);

    const ours = runScript(test_, { environment: { redirect_uri: CALLBACK, state: 'sent-state' }, response: redirect('code=good-code&state=sent-state') });
    expect(ours.environment.code).toBe('good-code');
    expect(ours.tests.every((t) => t.ok)).toBe(true);
    expect(ours.environment.state).toBe('');
  });

  test('an error= redirect fails naming the error and stores no code', () => {
    const run = runScript(test_, { environment: { redirect_uri: CALLBACK, state: 's' }, response: redirect('error=access_denied&state=s') });
    expect(run.tests[0]).toMatchObject({ ok: false });
    expect(run.tests[0]!.error).toContain('access_denied');
    expect(run.environment.code).toBeUndefined();
  });

  test('sends the PKCE rows only when a code_verifier is set, with the S256 challenge', () => {
    const pre = scriptOf(item(ITEM_AUTHORIZE), 'prerequest');
    const rows = () => [{ key: 'redirect_uri', value: '{{redirect_uri}}' }, { key: 'code_challenge', value: '{{code_challenge}}', disabled: true }, { key: 'code_challenge_method', value: 'S256', disabled: true }];
    const plain = runScript(pre, { environment: { redirect_uri: 'http://127.0.0.1/cb?a=1&b=2' }, query: rows() });
    expect(plain.query.map((q) => q.disabled ?? false)).toEqual([false, true, true]);
    expect(plain.query[0]!.value).toBe(encodeURIComponent('http://127.0.0.1/cb?a=1&b=2'));
    // RFC 7636 appendix B's pair.
    const pkce = runScript(pre, { environment: { code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk' }, query: rows() });
    expect(pkce.query.map((q) => q.disabled ?? false)).toEqual([false, false, false]);
    expect(pkce.local.code_challenge).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  test('makes a fresh state when none is set, and keeps one that is', () => {
    const pre = scriptOf(item(ITEM_AUTHORIZE), 'prerequest');
    expect(runScript(pre, { environment: {} }).environment.state).toMatch(/^[0-9a-f]{32}$/);
    expect(runScript(pre, { environment: { state: 'kept' } }).environment.state).toBe('kept');
  });

  test('stands aside when a code is given', () => {
    expect(runScript(scriptOf(item(ITEM_AUTHORIZE), 'prerequest'), { environment: { code: 'given' } }).skipped).toBe(true);
  });
});

describe('Exchange code for token', () => {
  const pre = scriptOf(item(ITEM_EXCHANGE), 'prerequest');
  const form = () => [{ key: 'code', value: '{{code}}' }, { key: 'code_verifier', value: '{{code_verifier}}', disabled: true }];

  test('a pasted error= callback URL stops the exchange, naming the error', () => {
    const run = runScript(pre, { environment: { code: `${CALLBACK}?error=access_denied&error_description=denied&state=s`, state: 's' }, form: form() });
    expect(run.skipped).toBe(true);
    expect(run.tests).toEqual([expect.objectContaining({ ok: false, name: 'Exchange: a usable code' })]);
    expect(run.tests[0]!.error).toContain('access_denied');
  });

  test('a pasted callback URL with our state sends its code; another state is refused', () => {
    const ours = runScript(pre, { environment: { code: `${CALLBACK}?code=the-code&state=s`, state: 's' }, form: form() });
    expect(ours.skipped).toBe(false);
    expect(ours.local.code).toBe('the-code');
    const theirs = runScript(pre, { environment: { code: `${CALLBACK}?code=the-code&state=x`, state: 's' }, form: form() });
    expect(theirs.skipped).toBe(true);
  });

  test('the code_verifier row is sent only when set', () => {
    expect(runScript(pre, { environment: { code: 'c' }, form: form() }).form[1]!.disabled).toBe(true);
    expect(runScript(pre, { environment: { code: 'c', code_verifier: 'v'.repeat(43) }, form: form() }).form[1]!.disabled).toBe(false);
  });

  test('in a client without request editing (Bruno), it says so in the console instead of throwing', () => {
    const run = runScript(pre, { environment: { code: 'c', code_verifier: 'v'.repeat(43) }, noRequestEditing: true });
    expect(run.logs.join('\n')).toContain('enable the code_verifier row by hand');
    const authorize = runScript(scriptOf(item(ITEM_AUTHORIZE), 'prerequest'), { environment: { code_verifier: 'v'.repeat(43) }, noRequestEditing: true });
    expect(authorize.logs.join('\n')).toContain('code_challenge rows must be enabled by hand');
  });
});

describe('the API requests\' tests, against their own saved examples', () => {
  const api = items.filter((i) => i.request.auth?.type === 'bearer');

  test.each(api.map((i) => [i.name, i] as const))('%s: passes on its documented success, fails on 401 and 429 saying what to do', (_name, it) => {
    const testSource = scriptOf(it, 'test');
    for (const example of it.response) {
      const headers = Object.fromEntries(example.header.map((h) => [h.key, h.value]));
      const run = runScript(testSource, { environment: {}, response: { code: example.code, headers, body: example.body || undefined } });
      const passed = run.tests.length > 0 && run.tests.every((t) => t.ok);
      const success = example.code < 300 || (it.name === SHOT_STATUS_ITEM && example.code === 404);
      const approvedRefusal = example.code === 403 && /approved/i.test(example.name);
      expect(passed, `${it.name} / ${example.name}: ${JSON.stringify(run.tests)}`).toBe(success || approvedRefusal);
      if (example.code === 401) expect(run.tests[0]!.error).toContain('Exchange code for token');
      if (example.code === 429) expect(run.tests[0]!.error).toMatch(/rate limit.*\d{10}/);
    }
  });

  test('a success with the wrong shape fails, naming the field', () => {
    const run = runScript(scriptOf(item(ITEM_GET_USER), 'test'), { response: { code: 200, body: { ...DOCUMENTED_EXAMPLES.user, id: 'one' } } });
    expect(run.tests[0]!.ok).toBe(false);
    expect(run.tests[0]!.error).toContain('answer.id: expected integer');
  });

  test('every API request refuses to go without a token, and names what is missing', () => {
    for (const it of api) {
      const run = runScript(scriptOf(it, 'prerequest'), { environment: {} });
      expect(run.skipped, it.name).toBe(true);
      expect(run.tests[0]!.error).toContain('access_token');
    }
    const shot = runScript(scriptOf(item('Get a shot'), 'prerequest'), { environment: { access_token: 'x' } });
    expect(shot.tests[0]!.error).toContain('shot_id');
  });

  test('every endpoint of the catalogue is one API request, plus the processing poll', () => {
    expect(api.map((i) => i.name).sort()).toEqual([...API_ENDPOINTS.map((e) => e.name), SHOT_STATUS_ITEM].sort());
  });
});

describe('the upload and its processing poll', () => {
  test('Create a shot keeps the 202\'s Location in shot_location', () => {
    const location = 'https://api.dribbble.com/v2/shots/471756';
    const run = runScript(scriptOf(item('Create a shot'), 'test'), { response: { code: 202, headers: { Location: location } } });
    expect(run.tests.every((t) => t.ok)).toBe(true);
    expect(run.environment.shot_location).toBe(location);
  });

  test('Create an attachment keeps the id from a Location when one comes, and Get a shot from the shot\'s attachments', () => {
    const created = runScript(scriptOf(item('Create an attachment'), 'test'), { response: { code: 202, headers: { Location: 'https://api.dribbble.com/v2/shots/471756/attachments/206165' } } });
    expect(created.environment.attachment_id).toBe('206165');
    expect(runScript(scriptOf(item('Create an attachment'), 'test'), { response: { code: 202 } }).environment.attachment_id).toBeUndefined();
    const shot = runScript(scriptOf(item('Get a shot'), 'test'), { response: { code: 200, body: DOCUMENTED_EXAMPLES.shot } });
    expect(shot.environment.attachment_id).toBe(String(DOCUMENTED_EXAMPLES.attachment.id));
    const waiting = runScript(scriptOf(item('Delete an attachment'), 'prerequest'), { environment: { access_token: 't', shot_id: '1' } });
    expect(waiting.skipped).toBe(true);
    expect(waiting.tests).toEqual([expect.objectContaining({ ok: true })]);
  });

  test('a 404 is "still processing": asked again after a delay, a bounded number of times', () => {
    const source = scriptOf(item(SHOT_STATUS_ITEM), 'test');
    const early = runScript(source, { environment: { shot_poll_count: '0' }, response: { code: 404, body: { message: 'Not found.' } } });
    expect(early.tests).toEqual([expect.objectContaining({ ok: true })]);
    expect(early.tests[0]!.name).toContain('still processing');
    expect(early.nextRequest).toBe(SHOT_STATUS_ITEM);
    const late = runScript(source, { environment: { shot_poll_count: String(SHOT_POLL.maxTries - 1) }, response: { code: 404, body: { message: 'Not found.' } } });
    expect(late.tests[0]!.ok).toBe(false);
    expect(late.nextRequest).toBeUndefined();
  });

  test('a 200 keeps the shot\'s id for the next requests', () => {
    const run = runScript(scriptOf(item(SHOT_STATUS_ITEM), 'test'), { response: { code: 200, body: item(SHOT_STATUS_ITEM).response[0]!.body } });
    expect(run.environment.shot_id).toBe('471756');
  });
});
