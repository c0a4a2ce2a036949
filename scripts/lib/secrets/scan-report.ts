// What check-secrets says about a scan: one line per finding (file and key escaped, so a file name
// holding a newline cannot forge a line of the output), the warning for findings already committed,
// and the refusal (exit 2) for findings the commit adds.
import { UsageError } from '../core/errors.js';
import { showUntrusted } from '../core/terminal-text.js';
import { ALLOW_LIST_FILE, allowListEntry, type FileFinding, type ScanResult } from './repository-scan.js';

export function showFinding(f: FileFinding): string {
  return `  ${showUntrusted(f.file)}: ${showUntrusted(f.where)}${f.value ? ` = ${showUntrusted(f.value)}` : ''} (${showUntrusted(f.why)}) [${showUntrusted(allowListEntry(f))}]`;
}

/** The paragraph for findings already committed (reported, not refused), or undefined when none. */
export function warningText(warnings: FileFinding[]): string | undefined {
  if (!warnings.length) return undefined;
  return `Warning: ${warnings.length} finding${warnings.length > 1 ? 's' : ''} already committed (not added by this commit); remove ${warnings.length > 1 ? 'them' : 'it'} when you can, or accept in ${ALLOW_LIST_FILE}:\n${warnings.map(showFinding).join('\n')}`;
}

/** The refusal for blocking findings (exit 2, secrets_found), or undefined when none. */
export function secretsFoundError(result: Pick<ScanResult, 'blocking' | 'warnings'>, all: boolean): (UsageError & { findings: FileFinding[]; warnings: FileFinding[] }) | undefined {
  const { blocking, warnings } = result;
  if (!blocking.length) return undefined;
  return Object.assign(
    new UsageError(
      'secrets_found',
      `${blocking.length} secret${blocking.length > 1 ? 's' : ''} in ${all ? 'files git tracks' : 'what this commit adds'}:\n${blocking.map(showFinding).join('\n')}\nRemove them before committing: "npm run sanitize -- FILE" empties the secrets of a Postman or Newman file; "git rm --cached FILE" untracks an env file or a report. A finding that is not a secret: add its [fingerprint] as a line of ${ALLOW_LIST_FILE}.`,
    ),
    { findings: blocking, warnings },
  );
}
