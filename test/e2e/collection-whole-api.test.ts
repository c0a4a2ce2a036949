// Acceptance: a stock `newman run` (the binary from node_modules, as a user types it) of the whole
// collection against the mock, with only the origins, the scope and an 800x600 PNG given: Authorize
// gets the code itself, and every request's tests pass, upload and processing poll included. What
// the mock received is the evidence. The one run of the binary: the other runs of the committed
// collection go through newman.run in process (collection-newman.test.ts).
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ENDPOINTS, SHOT_STATUS_ITEM } from '../../scripts/lib/dribbble/api-v2.js';
import { COLLECTION_PATH, MOCK_ENVIRONMENT_PATH } from '../../scripts/lib/postman/collection-files.js';
import { startMockServer, type MockServer } from '../../scripts/lib/mock/mock-server.js';
import { pngOfSize } from '../support/images.js';
import { ROOT, makeTempDir } from './helpers.js';

const NEWMAN_BIN = join(createRequire(import.meta.url).resolve('newman/package.json'), '..', 'bin', 'newman.js');
let mock: MockServer;
let dir: string;

beforeAll(async () => {
  mock = await startMockServer({ port: 0, processingDelayMs: 1500 });
  dir = await makeTempDir();
  await writeFile(join(dir, 'shot.png'), pngOfSize(800, 600));
  await writeFile(join(dir, 'notes.pdf'), '%PDF-1.4\n% an attachment\n');
});
afterAll(() => mock.close());

function stockNewman(envVars: Record<string, string>): Promise<{ code: number; output: string }> {
  const args = [NEWMAN_BIN, 'run', join(ROOT, COLLECTION_PATH), '-e', join(ROOT, MOCK_ENVIRONMENT_PATH), '--reporters', 'cli', '--reporter-cli-no-banner', '--color', 'off', ...Object.entries(envVars).flatMap(([k, v]) => ['--env-var', `${k}=${v}`])];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: dir, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, output: stdout + stderr }));
  });
}

describe('stock newman run of the whole collection against the mock', () => {
  it('no code, scope public upload, an 800x600 PNG: Authorize gets the code, every request\'s tests pass, the upload is polled until processed (exit 0)', async () => {
    // The mock approves at once, as Dribbble does for a signed-in user who approved before.
    const result = await stockNewman({ oauth_origin: mock.origin, api_origin: mock.origin, scope: 'public upload', shot_image: join(dir, 'shot.png'), attachment_file: join(dir, 'notes.pdf') });
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('✓  Authorize: redirected with a code and the state we sent');
    expect(result.output).toContain('✓  Get authenticated user: 200 with the documented shape');
    expect(mock.requests.slice(0, 3).map((r) => r.path)).toEqual(['/oauth/authorize', '/oauth/token', '/v2/user']);
    expect(mock.requests[1]!.form!.code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result.output).not.toMatch(/AssertionError|TypeError/);
    expect(result.output).toMatch(/assertions\s*│\s*\d+\s*│\s*0\s*│/);
    for (const endpoint of API_ENDPOINTS) expect(result.output, endpoint.name).toContain(`↳ ${endpoint.name}\n`);
    // The poll: at least one "still processing" 404, then the shot.
    expect(result.output).toContain(`${SHOT_STATUS_ITEM}: still processing (404)`);
    expect(result.output).toContain(`${SHOT_STATUS_ITEM}: 200 with the documented shape`);
    const upload = mock.requests.find((r) => r.method === 'POST' && r.path === '/v2/shots');
    expect(upload, 'the upload reached the mock').toBeDefined();
    expect(mock.requests.filter((r) => r.path === '/oauth/token')).toHaveLength(1);
    // The attachment's id came from its 202's Location, so it was deleted, before the shot.
    const deletes = mock.requests.filter((r) => r.method === 'DELETE').map((r) => r.path.replace(/\/\d+/g, '/N'));
    expect(deletes).toEqual(['/v2/shots/N/attachments/N', '/v2/shots/N', '/v2/projects/N']);
  }, 120_000);
});
