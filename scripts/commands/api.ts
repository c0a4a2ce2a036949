// npm run api -- <request> [-f key=value] [-F field=@file] [--paginate]: any request of the
// collection with the saved token, through Newman, within the rate budget.
import { parseFlags } from '../lib/cli/cli-flags.js';
import { createOutput, reportFailure, writeStderr, writeStdout } from '../lib/cli/command-output.js';
import { resolveConfig } from '../lib/config/config-resolution.js';
import { redact } from '../lib/core/redaction.js';
import { sanitizeForTerminal, terminalSafeJson } from '../lib/core/terminal-text.js';
import { API_ENDPOINTS } from '../lib/dribbble/api-v2.js';
import { DEFAULT_TIMEOUT_MS } from '../lib/oauth/token-exchange.js';
import { buildApiCall, checkOutputFlags, extractFieldArguments, parseMaxPages } from '../lib/api/api-arguments.js';
import { DEFAULT_MAX_PAGES, endpointLabel, pagesReadBefore, sendApiCall, sendPaginated, type ApiAnswer, type PageRun } from '../lib/api/api-request.js';
import { stageFiles } from '../lib/api/staged-files.js';

interface ApiFlags {
  paginate: boolean;
  jsonl: boolean;
  include: boolean;
  list: boolean;
  maxPages?: string;
  _: Array<string | number>;
}

const DESCRIPTION = `Runs any request of the collection with the saved token: by its name ("List my shots") or by method and path (GET /user/shots, ids in the path).
  -f key=value   a parameter: query for GET, path parameters by name, body fields otherwise (repeat it)
  -F field=@path a file for a multipart field, such as -F image=@shot.png
Prints the JSON answer (pretty on a terminal, raw with --json or in a pipe). --list shows every request.`;

/** JSON for stdout: pretty for a person, one line for a program; never a control character, never a secret. */
function renderJson(value: unknown, pretty: boolean): string {
  return redact(pretty ? sanitizeForTerminal(JSON.stringify(value, null, 2)) : terminalSafeJson(value));
}

function renderHeaders(answer: ApiAnswer): string {
  return sanitizeForTerminal(redact(`HTTP ${answer.status}\n${Object.entries(answer.headers).map(([k, v]) => `${k}: ${v.replace(/[\r\n]/g, ' ')}`).join('\n')}\n\n`));
}

export async function run(argv: string[]): Promise<void> {
  const { fields, files, rest } = extractFieldArguments(argv);
  const flags = await parseFlags<ApiFlags>(
    rest,
    'api <request>',
    DESCRIPTION,
    {
      paginate: { type: 'boolean', default: false, describe: 'Follow Link rel="next" to the last page; print one JSON list (per_page 100 unless -f per_page=N)' },
      'max-pages': { type: 'string', describe: `With --paginate: the most pages to read (default ${DEFAULT_MAX_PAGES}); past it, a server still sending Link rel="next" stops the command (exit 5), the items read printed` },
      jsonl: { type: 'boolean', default: false, describe: 'With --paginate: one JSON item per line (NDJSON), printed as pages arrive' },
      include: { type: 'boolean', default: false, describe: 'Print the status and headers before the answer' },
      list: { type: 'boolean', default: false, describe: 'List every request, with its method, path and scope' },
    },
    { takesFiles: true, ignores: ['client-id', 'client-secret', 'redirect-uri', 'code', 'scope', 'oauth-url', 'save', 'open', 'show-token'] },
  );
  const out = createOutput(flags.json);
  try {
    if (flags.list) {
      const rows = API_ENDPOINTS.map((e) => ({ name: e.name, method: e.method, path: e.path, scope: e.scope ?? 'any token', approved_apps_only: Boolean(e.approvedAppsOnly), paginated: Boolean(e.paginated) }));
      if (flags.json) writeStdout(`${terminalSafeJson({ ok: true, requests: rows })}\n`);
      else for (const r of rows) out.line(`${`${r.method} ${r.path}`.padEnd(36)} ${r.name}${r.approved_apps_only ? ' (approved apps only)' : r.scope === 'upload' ? ' (scope: upload)' : ''}`);
      return;
    }
    checkOutputFlags(flags);
    const maxPages = parseMaxPages(flags.maxPages);
    // The configuration first: it registers every secret the user has, before a message can quote a word.
    const config = resolveConfig(flags);
    const call = buildApiCall(flags._.map(String), fields, files);
    const pretty = !flags.json && Boolean(process.stdout.isTTY);
    const budget = { progress: (line: string) => writeStderr(`${sanitizeForTerminal(line)}\n`), maxWaitMs: flags.timeout };
    const timeoutMs = flags.timeout ?? DEFAULT_TIMEOUT_MS;
    if (flags.paginate) {
      const print = (result: PageRun) => {
        if (flags.include) (flags.json ? writeStderr : writeStdout)(result.answers.map(renderHeaders).join(''));
        if (!flags.jsonl) writeStdout(`${renderJson(result.items, pretty)}\n`);
      };
      const result = await sendPaginated(call, config, { ...budget, timeoutMs, maxPages }, (items) => {
        if (flags.jsonl) for (const item of items) writeStdout(`${renderJson(item, false)}\n`);
      }).catch((error: unknown) => {
        // Stopped after some pages (the page cap, a 429, the budget, a refusal): they were paid for,
        // so the items read are printed (--jsonl printed them already; --json keeps stdout for the
        // one error object), then the error.
        const partial = pagesReadBefore(error);
        if (partial && !flags.json) print(partial);
        throw error;
      });
      print(result);
      writeStderr(`${endpointLabel(call.endpoint, call.pathParams)}: ${result.items.length} items in ${result.answers.length} ${result.answers.length === 1 ? 'request' : 'requests'}.\n`);
    } else {
      const staged = stageFiles(call.files);
      try {
        const answer = await sendApiCall(call, config, { ...budget, timeoutMs, workingDir: staged.folder, fileNames: staged.names });
        if (flags.include) (flags.json ? writeStderr : writeStdout)(renderHeaders(answer));
        if (answer.body.trim()) writeStdout(`${renderJson(JSON.parse(answer.body), pretty)}\n`);
        else if (flags.json) writeStdout('null\n');
        else out.line(`${answer.status}: no content.`);
        if (answer.status === 202 && answer.headers.location) writeStderr(`Accepted: processing; poll ${sanitizeForTerminal(redact(answer.headers.location))} until it answers 200.\n`);
      } finally {
        staged.remove();
      }
    }
    process.exitCode = 0;
  } catch (error) {
    reportFailure(error, flags.json);
  }
}
