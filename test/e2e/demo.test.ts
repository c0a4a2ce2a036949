// `demo`: the whole collection against the bundled mock, with nothing configured and nothing written.
import { describe, expect, it } from 'vitest';
import { cliEnv, makeTempDir, readTree, runCli } from './helpers.js';

describe('demo', () => {
  it('runs Authorize, Exchange code for token and Get authenticated user with no .env, exits 0, writes nothing', async () => {
    const dir = await makeTempDir();
    const result = await runCli(['demo'], { cwd: dir, env: cliEnv(dir) });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/1\. Authorize +GET +\/oauth\/authorize -> 302/);
    expect(result.stdout).toMatch(/2\. Exchange code for token +POST \/oauth\/token -> 200/);
    expect(result.stdout).toMatch(/3\. Get authenticated user +GET +\/v2\/user -> 200/);
    expect(result.stdout).toContain('demo-designer (Demo Designer)');
    expect(result.stdout).toMatch(/access token [0-9a-f]{4}…[0-9a-f]{4} /);
    expect(result.stdout).not.toMatch(/[0-9a-f]{64}/);
    expect(await readTree(dir)).toEqual([]);
  });

  it('--json prints the steps as one JSON object', async () => {
    const dir = await makeTempDir();
    const result = await runCli(['demo', '--json'], { cwd: dir, env: cliEnv(dir) });
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout);
    expect(parsed.steps.map((s: { status: number }) => s.status)).toEqual([302, 200, 200]);
  });
});
