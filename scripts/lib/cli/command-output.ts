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

const closed = new Set<NodeJS.WriteStream>();
let guarded = false;

/**
 * A stream that cannot be written (EPIPE: the reader left; ENOSPC, EIO: a full disk or a dead
 * terminal) stops the output on it, never the work: what follows is dropped, the exit code stays
 * what the work says, and a failed stdout gets one line on stderr when that still works.
 */
function guardStreams(): void {
  if (guarded) return;
  guarded = true;
  for (const stream of [process.stdout, process.stderr]) stream.on('error', (error: NodeJS.ErrnoException) => streamFailed(stream, error));
}

function streamFailed(stream: NodeJS.WriteStream, error: NodeJS.ErrnoException): void {
  if (closed.has(stream)) return;
  closed.add(stream);
  if (stream === process.stdout && error.code !== 'EPIPE') writeTo(process.stderr, `warning: could not write to standard output (${error.code ?? error.message}); the rest of the output was dropped.\n`);
}

function writeTo(stream: NodeJS.WriteStream, text: string): void {
  guardStreams();
  if (closed.has(stream)) return;
  try {
    stream.write(text);
  } catch (error) {
    // A file or device written synchronously throws here rather than emitting 'error'.
    streamFailed(stream, error as NodeJS.ErrnoException);
  }
}

export function writeStdout(text: string): void {
  writeTo(process.stdout, text);
}

export function writeStderr(text: string): void {
  writeTo(process.stderr, text);
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
