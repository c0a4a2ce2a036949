// describeNetworkFailure's words (lib/core/errors.ts): what a size refusal and an unreadable
// answer say, with the transport's own message bounded and escaped.
import { describe, expect, test } from 'vitest';
import { describeNetworkFailure } from '../../scripts/lib/core/errors.js';

const TARGET = 'The token endpoint http://127.0.0.1:9/oauth/token';

describe('describeNetworkFailure', () => {
  test('a size refusal without our own wording says the 1 MiB cap', () => {
    const error = describeNetworkFailure({ code: 'E_RESPONSE_TOO_LARGE', message: 'too big' }, TARGET, 1000);
    expect(error.message).toContain(`${TARGET} sent an answer larger than 1 MiB; Dribbble's answers are a few kilobytes`);
  });

  test('a size refusal with the reader\'s own "an answer ..." wording keeps it', () => {
    const error = describeNetworkFailure({ code: 'E_RESPONSE_TOO_LARGE', message: 'an answer of 5 MiB once decoded (Content-Encoding: br)' }, TARGET, 1000);
    expect(error.message).toContain(`${TARGET} sent an answer of 5 MiB once decoded (Content-Encoding: br); Dribbble's`);
  });

  test('an unreadable answer quotes at most 200 characters of the transport\'s message, escaped, in parentheses', () => {
    const long = `bad\u001b[31m${'x'.repeat(300)}`;
    const error = describeNetworkFailure({ code: 'HPE_INVALID_CHUNK_SIZE', message: long }, TARGET, 1000);
    expect(error.code).toBe('malformed_http');
    expect(error.message).toContain(`its HTTP framing is broken (bad\\e[31m${'x'.repeat(192)}) [HPE_INVALID_CHUNK_SIZE]`);
  });

  test('an unreadable answer without a message has no parentheses', () => {
    const error = describeNetworkFailure({ code: 'Z_DATA_ERROR' }, TARGET, 1000);
    expect(error.message).toContain('its body could not be decoded [Z_DATA_ERROR]');
  });
});
