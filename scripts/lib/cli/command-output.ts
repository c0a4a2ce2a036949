// How every command talks: human lines (redacted, made safe for a terminal), or exactly one JSON
// object on stdout with --json. A closed stdout (`| head -1`) stops the output, never the work.
import { DribbbleOAuthError } from '../core/errors.js';
import { redact } from '../core/redaction.js';
import { sanitizeForTerminal, terminalSafeJson } from '../core/terminal-text.js';

export interface Output {
  readonly json: boolean;
  /** A human line: stdout normally, stderr under --json so stdout stays one JSON object. */
  line(text?: string): void;
  /** A line the user asked to see in full (--show-token): not redacted. */
  reveal(text: string, secret: string): void;
}

let stdoutClosed = false;
let guarded = false;

/** EPIPE on stdout means the reader left: drop what follows, finish the work, exit quietly. */
function guardStreams(): void {
  if (guarded) return;
  guarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      if (stream === process.stdout) stdoutClosed = true;
    });
  }
}

export function writeStdout(text: string): void {
  guardStreams();
  if (!stdoutClosed) process.stdout.write(text);
}

export function writeStderr(text: string): void {
  guardStreams();
  process.stderr.write(text);
}

/** In GitHub Actions, a secret printed in full is registered for masking first (on stderr, so stdout stays pure). */
export function maskInCi(secret: string): void {
  if (process.env.GITHUB_ACTIONS === 'true' && secret && !/[\r\n]/.test(secret)) writeStderr(`::add-mask::${secret}\n`);
}

export function createOutput(json: boolean): Output {
  const write = json ? writeStderr : writeStdout;
  return {
    json,
    line(text = '') {
      write(`${sanitizeForTerminal(redact(text))}\n`);
    },
    reveal(text, secret) {
      maskInCi(secret);
      write(`${sanitizeForTerminal(text)}\n`);
    },
  };
}

export function printJson(result: object, revealed: string[] = []): void {
  for (const secret of revealed) maskInCi(secret);
  writeStdout(`${terminalSafeJson(result)}\n`);
}

/**
 * Runs a command body and turns its outcome into output and an exit code. The body returns the
 * JSON result printed under --json; user mistakes become one paragraph, never a stack trace.
 * A result may list `revealed` secrets it prints in full (registered for CI masking first).
 */
export async function runCommand(json: boolean, body: (out: Output) => Promise<object | void>): Promise<void> {
  const out = createOutput(json);
  try {
    const result = (await body(out)) ?? {};
    if (json) {
      const { revealed, ...rest } = result as { revealed?: string[] };
      printJson({ ok: true, ...rest }, revealed);
    }
    process.exitCode = 0;
  } catch (error) {
    reportFailure(error, json);
  }
}

export function reportFailure(error: unknown, json: boolean): void {
  const known = error instanceof DribbbleOAuthError;
  const code = known ? error.code : 'internal_error';
  const exitCode = known ? error.exitCode : 1;
  const message = known
    ? error.message
    : `Unexpected internal error, which is a bug: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  writeStderr(`${sanitizeForTerminal(redact(`error [${code}]: ${message}`))}\n`);
  if (json) printJson({ ok: false, error: { code, exitCode, message: redact(message) } });
  process.exitCode = exitCode;
}
