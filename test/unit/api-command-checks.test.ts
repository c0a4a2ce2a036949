// What `api` decides before or after a request, in process: the output flags that go together,
// a file to upload that is not there, and what Dribbble's 403 means on an endpoint (exit 3).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DribbbleOAuthError, ServerRefusedError, UsageError } from '../../scripts/lib/core/errors.js';
import { checkOutputFlags, parseMaxPages } from '../../scripts/lib/api/api-arguments.js';
import { assertApiSuccess } from '../../scripts/lib/api/api-request.js';
import { stageFiles } from '../../scripts/lib/api/staged-files.js';
import { findEndpoint, type ApiEndpoint } from '../../scripts/lib/dribbble/api-v2.js';

const config = { values: { api_origin: 'https://api.dribbble.com', access_token: 'Api-t0ken-0123456789abcdefghijklm' }, sources: {}, envFilePath: '/nowhere/.env', envFileExists: false };

function refusal(endpoint: ApiEndpoint, status: number): DribbbleOAuthError {
  try {
    assertApiSuccess({ status, headers: {}, body: '{"message":"Forbidden"}' }, { endpoint, pathParams: {} }, config, 'https://api.dribbble.com/v2/x');
  } catch (error) {
    return error as DribbbleOAuthError;
  }
  throw new Error(`a ${status} was taken as a success`);
}

describe('output flags', () => {
  test('--jsonl without --paginate is a usage error (exit 2); with it, or alone --paginate, passes', () => {
    expect(() => checkOutputFlags({ jsonl: true, paginate: false })).toThrow(UsageError);
    expect(() => checkOutputFlags({ jsonl: true, paginate: false })).toThrow(/--jsonl .* use it with --paginate/);
    expect(() => checkOutputFlags({ jsonl: true, paginate: true })).not.toThrow();
    expect(() => checkOutputFlags({ jsonl: false, paginate: false })).not.toThrow();
  });

  test('--max-pages: a whole number from 1, with --paginate only (exit 2 otherwise); absent, the default cap', () => {
    expect(() => checkOutputFlags({ jsonl: false, paginate: false, maxPages: '5' })).toThrow(/--max-pages caps the pages --paginate reads: use it with --paginate/);
    expect(() => checkOutputFlags({ jsonl: false, paginate: true, maxPages: '5' })).not.toThrow();
    expect(parseMaxPages(undefined)).toBeUndefined();
    expect(parseMaxPages('250')).toBe(250);
    for (const bad of ['0', '-1', '2.5', 'all', '']) expect(() => parseMaxPages(bad)).toThrow(UsageError);
  });
});

describe('files to upload', () => {
  test('a file that is not there is exit 2 naming it, and nothing is staged', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'api-checks-')), 'nowhere.png');
    let error: DribbbleOAuthError | undefined;
    try {
      stageFiles({ image: missing });
    } catch (e) {
      error = e as DribbbleOAuthError;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect(error!.exitCode).toBe(2);
    expect(error!.message).toContain('nowhere.png');
  });
});

describe("Dribbble's 403, explained (exit 3)", () => {
  test('on an endpoint for approved apps only: needs_approval, no scope helps', () => {
    const error = refusal(findEndpoint('GET', '/popular_shots')!, 403);
    expect(error).toBeInstanceOf(ServerRefusedError);
    expect(error.exitCode).toBe(3);
    expect(error.code).toBe('needs_approval');
    expect(error.message).toMatch(/reserved for apps Dribbble has approved/);
  });

  test.each([['POST', '/shots'], ['DELETE', '/shots/1']])('on an endpoint that needs "upload" (%s %s): missing_scope, naming the scope and how to authorize with it', (method, path) => {
    const error = refusal(findEndpoint(method, path)!, 403);
    expect(error.exitCode).toBe(3);
    expect(error.code).toBe('missing_scope');
    expect(error.message).toContain('needs the "upload" scope');
    expect(error.message).toContain('npm run authorize -- --scope "public upload"');
  });
});
