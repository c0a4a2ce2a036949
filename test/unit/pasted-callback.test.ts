// authorize's paste prompt: a paste from another authorization is refused (exit 3) before any
// exchange; a paste without a code is a usage error (exit 2), retried only at a terminal. (Were
// two runs of authorize in e2e/authorize.test.ts; the paste flow's whole runs stay there.)
import { describe, expect, test } from 'vitest';
import { NetworkError, ServerRefusedError, UsageError } from '../../scripts/lib/core/errors.js';
import { parsePastedCallback, pasteAgain } from '../../scripts/lib/oauth/pasted-callback.js';
import { refusalOf as refusal } from '../support/refusals.js';

const PORTFOLIO_CALLBACK = 'https://myportfolio.example/auth/dribbble/callback';

describe('parsePastedCallback', () => {
  test('the URL of this authorization gives its code and where it came back to', () => {
    expect(parsePastedCallback(`${PORTFOLIO_CALLBACK}?code=abc&state=mine`, 'mine')).toMatchObject({ code: 'abc', state: 'mine', returnedTo: PORTFOLIO_CALLBACK });
    expect(parsePastedCallback('just-a-code', 'mine')).toMatchObject({ code: 'just-a-code' });
  });

  test('a URL from another authorization is state_mismatch, exit 3, naming where it came back to', () => {
    const error = refusal(() => parsePastedCallback(`${PORTFOLIO_CALLBACK}?code=abc&state=someone-elses`, 'mine'));
    expect(error).toBeInstanceOf(ServerRefusedError);
    expect(error.code).toBe('state_mismatch');
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain(`it came back to ${PORTFOLIO_CALLBACK}`);
  });

  test('a URL without a code is missing_code, exit 2', () => {
    const error = refusal(() => parsePastedCallback(`${PORTFOLIO_CALLBACK}?state=x`, 'x'));
    expect(error.code).toBe('missing_code');
    expect(error.exitCode).toBe(2);
  });
});

describe('pasteAgain', () => {
  const usage = new UsageError('missing_code', 'no code');
  test('a usage error at a terminal: asked again, up to 3 tries', () => {
    expect(pasteAgain(usage, true, 1)).toBe(true);
    expect(pasteAgain(usage, true, 2)).toBe(true);
    expect(pasteAgain(usage, true, 3)).toBe(false);
  });
  test('piped stdin (no terminal), or any error but a usage error: the run ends with it', () => {
    expect(pasteAgain(usage, false, 1)).toBe(false);
    expect(pasteAgain(new ServerRefusedError('state_mismatch', 'x'), true, 1)).toBe(false);
    expect(pasteAgain(new NetworkError('timeout', 'x'), true, 1)).toBe(false);
    expect(pasteAgain(new Error('x'), true, 1)).toBe(false);
  });
});
