// The layer rules of .dependency-cruiser.cjs hold over scripts/: no circle, no upward import.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

test('scripts/ keeps its layers: no circle, no import from a layer above, no command importing another', async () => {
  const result = await new Promise<{ code: number; out: string }>((resolve) => {
    execFile(process.execPath, [join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'), '--config', '.dependency-cruiser.cjs', '--output-type', 'err', 'scripts'], { cwd: ROOT }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout + stderr }),
    );
  });
  expect(result.out).toMatch(/no dependency violations found \(\d{2,} modules/);
  expect(result.code, result.out).toBe(0);
}, 60_000);
