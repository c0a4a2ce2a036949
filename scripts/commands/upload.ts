// npm run upload -- FILE --title "..." [--tags a,b] [--description "..."]: a shot upload checked
// against Dribbble's rules before sending, then waited for until Dribbble has processed it.
import { parseFlags } from '../lib/cli/cli-flags.js';
import { runCommand, writeStderr } from '../lib/cli/command-output.js';
import { resolveConfig } from '../lib/config/config-resolution.js';
import { UsageError } from '../lib/core/errors.js';
import { sanitizeForTerminal, showUntrusted } from '../lib/core/terminal-text.js';
import { DEFAULT_TIMEOUT_MS } from '../lib/oauth/token-exchange.js';
import { uploadShot } from '../lib/api/shot-upload.js';

// Dribbble: "contact support past five minutes": waiting longer than that by default helps no one.
const DEFAULT_PROCESSING_WAIT_MS = 5 * 60_000;

export async function run(argv: string[]): Promise<void> {
  const flags = await parseFlags<{ title?: string; tags?: string; description?: string; _: Array<string | number> }>(
    argv,
    'upload FILE',
    'Uploads a shot: checks the image (exactly 400x300 or 800x600, at most 8 MB, GIF/JPG/PNG), the tags (at most 12) and, when you named the scope (--scope, DRIBBBLE_SCOPE), that it holds "upload", before sending; then waits until Dribbble has processed it and prints its URL. --timeout MS bounds each request and the whole wait (without it: 30 s a request, up to 5 minutes for the processing).',
    {
      title: { type: 'string', describe: 'The shot\'s title (required)' },
      tags: { type: 'string', describe: 'Comma-separated tags, at most 12' },
      description: { type: 'string', describe: 'The shot\'s description (HTML allowed)' },
    },
    { takesFiles: true, ignores: ['client-id', 'client-secret', 'redirect-uri', 'code', 'oauth-url', 'save', 'open', 'show-token'] },
  );
  await runCommand(flags.json, async (out) => {
    const positionals = flags._.map(String);
    if (positionals.length !== 1) throw new UsageError('missing_file', `Name one image to upload: npm run upload -- shot.png --title "..." (got ${positionals.length ? positionals.map((p) => `"${showUntrusted(p)}"`).join(', ') : 'none'}).`);
    const config = resolveConfig(flags);
    const { shot, location, image, polls } = await uploadShot({ file: positionals[0]!, title: flags.title ?? '', tags: flags.tags, description: flags.description }, config, {
      timeoutMs: flags.timeout ?? DEFAULT_TIMEOUT_MS,
      totalTimeoutMs: flags.timeout ?? DEFAULT_PROCESSING_WAIT_MS,
      maxWaitMs: flags.timeout,
      progress: (line) => writeStderr(`${sanitizeForTerminal(line)}\n`),
    });
    const url = typeof shot.html_url === 'string' ? showUntrusted(shot.html_url) : showUntrusted(location);
    out.line(`Uploaded ${image.width}x${image.height} ${image.type.toUpperCase()}: shot ${typeof shot.id === 'number' ? shot.id : ''} processed after ${polls} ${polls === 1 ? 'check' : 'checks'}.`);
    out.line(url);
    return { shot_url: url, shot, location };
  });
}
