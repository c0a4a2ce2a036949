// How every command talks: human lines (redacted), or exactly one JSON object on stdout with --json.
import { DribbbleOAuthError } from './errors.js';
import { redact } from './redaction.js';

export interface Output {
  readonly json: boolean;
  /** A human line: stdout normally, stderr under --json so stdout stays one JSON object. */
  line(text?: string): void;
  /** A line the user asked to see in full (--show-token): not redacted. */
  reveal(text: string): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    line(text = '') {
      (json ? process.stderr : process.stdout).write(`${redact(text)}\n`);
    },
    reveal(text) {
      (json ? process.stderr : process.stdout).write(`${text}\n`);
    },
  };
}

/**
 * Runs a command body and turns its outcome into output and an exit code. The body returns the
 * JSON result printed under --json; user mistakes become one paragraph, never a stack trace.
 */
export async function runCommand(json: boolean, body: (out: Output) => Promise<object | void>): Promise<void> {
  const out = createOutput(json);
  try {
    const result = await body(out);
    if (json) process.stdout.write(`${JSON.stringify({ ok: true, ...(result ?? {}) })}\n`);
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
  process.stderr.write(`${redact(`error [${code}]: ${message}`)}\n`);
  if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: { code, exitCode, message: redact(message) } })}\n`);
  process.exitCode = exitCode;
}
