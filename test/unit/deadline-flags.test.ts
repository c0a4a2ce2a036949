// --timeout and authorize's --callback-timeout hold what a Node timer holds (1 to 2^31-1 ms), whole
// numbers only; anything else is exit 2 naming the range. The built CLI's --help is checked in e2e.
import { describe, expect, test } from 'vitest';
import { MAX_TIMER_MS, parseCallbackTimeout, parseFlags } from '../../scripts/lib/cli/cli-flags.js';
import { UsageError } from '../../scripts/lib/core/errors.js';
import { asyncRefusalOf } from '../support/refusals.js';

const refusal = (run: () => unknown) => asyncRefusalOf(run, UsageError);

describe('--timeout', () => {
  test.each(['2147483648', '0', '1e3'])('"%s" is exit 2 naming the range a timer can hold', async (value) => {
    const error = await refusal(() => parseFlags(['--timeout', value], 'exchange', 'd'));
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(`--timeout must be a whole number of milliseconds from 1 to 2147483647, such as 30000 (got "${value}")`);
  });
});

describe('--callback-timeout', () => {
  test('absent: the default wait; a whole number within a timer\'s range: that many ms', () => {
    expect(parseCallbackTimeout(undefined, 300_000)).toBe(300_000);
    expect(parseCallbackTimeout('1', 300_000)).toBe(1);
    expect(parseCallbackTimeout(String(MAX_TIMER_MS), 300_000)).toBe(MAX_TIMER_MS);
  });

  test.each(['2147483648', '0', '1e3', '-5'])('"%s" is exit 2 invalid_callback_timeout naming the range', async (value) => {
    const error = await refusal(() => parseCallbackTimeout(value, 300_000));
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('invalid_callback_timeout');
    expect(error.message).toContain('--callback-timeout must be a whole number of milliseconds from 1 to 2147483647');
  });
});
