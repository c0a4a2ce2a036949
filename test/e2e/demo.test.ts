// `demo`: the whole collection against the bundled mock, with nothing configured and nothing written.
import { describe, expect, it } from 'vitest';
import { cliEnv, makeTempDir, readTree, runCli } from './helpers.js';

describe('demo', () => {
  it('runs Authorize, Exchange code for token, Get authenticated user, then an upload polled until processed, with no .env: exit 0, nothing written; --json prints the steps as one JSON object', async () => {
    const dir = await makeTempDir();
    const result = await runCli(['demo', '--json'], { cwd: dir, env: cliEnv(dir) });
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout);
    expect(parsed.steps.map((s: { status: number }) => s.status)).toEqual([302, 200, 200, 202, 200]);
    // The human lines go to stderr under --json (stdout stays one JSON object: test/unit/command-output*.test.ts).
    const human = result.stderr;
    expect(human).toMatch(/1\. Authorize +GET +\/oauth\/authorize -> 302/);
    expect(human).toMatch(/2\. Exchange code for token +POST \/oauth\/token -> 200/);
    expect(human).toMatch(/3\. Get authenticated user +GET +\/v2\/user -> 200/);
    expect(human).toContain('demo-designer (Demo Designer)');
    expect(human).toMatch(/4\. Create a shot +POST \/v2\/shots -> 202\n +an 800x600 PNG accepted; processing at \/v2\/shots\/\d+/);
    expect(human).toMatch(/5\. Shot processing status +GET +\/v2\/shots\/\d+\/? -> 200\n +processed \(404 until then, polled\): "[^"]+", 800x600/);
    expect(human).toContain('All 5 requests');
    expect(human).toMatch(/access token [0-9a-f]{4}…[0-9a-f]{4} /);
    expect(result.stdout + result.stderr).not.toMatch(/[0-9a-f]{64}/);
    expect(await readTree(dir)).toEqual([]);
  });
});
