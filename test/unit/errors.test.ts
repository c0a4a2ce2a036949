// One error family with PRODUCT.md's exit codes, and transport failures a user can act on.
import { describe, expect, test } from 'vitest';
import { describeNetworkFailure, DribbbleOAuthError, NetworkError, ProtocolError, RESPONSE_SIZE_CAP_BYTES, ServerRefusedError, TokenNotSavedError, UsageError } from '../../scripts/lib/core/errors.js';

describe('the error family', () => {
  test.each([
    [UsageError, 2],
    [ServerRefusedError, 3],
    [NetworkError, 4],
    [ProtocolError, 5],
    [TokenNotSavedError, 6],
  ] as const)('%o carries its code, its exit code %i and its own name', (Kind, exitCode) => {
    const error = new Kind('some_code', 'the message');
    expect(error).toBeInstanceOf(DribbbleOAuthError);
    expect(error).toBeInstanceOf(Error);
    expect(error.exitCode).toBe(exitCode);
    expect(error.code).toBe('some_code');
    expect(error.message).toBe('the message');
    expect(error.name).toBe(Kind.name);
  });
});

describe('describeNetworkFailure', () => {
  const target = 'the token endpoint http://127.0.0.1:9/oauth/token';
  const check = 'Check the URL (--oauth-url / DRIBBBLE_OAUTH_URL, --api-url / DRIBBBLE_API_URL) and your connection, then run the command again.';

  test.each([
    ['ECONNREFUSED', 'connection_refused', 'the connection was refused (is the server running, and is the URL right?)'],
    ['ENOTFOUND', 'dns_failure', 'the host name could not be resolved (check the URL and your network)'],
    ['EAI_AGAIN', 'dns_failure', 'the host name could not be resolved (check the URL and your network)'],
    ['ECONNRESET', 'connection_reset', 'the connection was closed by the server'],
    ['EPIPE', 'connection_reset', 'the connection was closed by the server'],
    ['EHOSTUNREACH', 'unreachable', 'the network or host is unreachable'],
    ['ENETUNREACH', 'unreachable', 'the network or host is unreachable'],
    ['ENETDOWN', 'unreachable', 'the network or host is unreachable'],
    ['CERT_HAS_EXPIRED', 'tls_failure', 'the TLS connection failed (certificate or protocol)'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls_failure', 'the TLS connection failed (certificate or protocol)'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls_failure', 'the TLS connection failed (certificate or protocol)'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'tls_failure', 'the TLS connection failed (certificate or protocol)'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls_failure', 'the TLS connection failed (certificate or protocol)'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls_failure', 'the TLS connection failed (certificate or protocol)'],
    ['EPROTO', 'tls_failure', 'the TLS connection failed (certificate or protocol)'],
  ])('%s is exit 4 "%s": %s', (errorCode, code, cause) => {
    const error = describeNetworkFailure({ code: errorCode, message: 'ignored' }, target, 1000);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.code).toBe(code);
    expect(error.message).toBe(`Could not reach ${target}: ${cause} [${errorCode}]. ${check}`);
  });

  test.each([['ETIMEDOUT'], ['ESOCKETTIMEDOUT'], ['ECONNABORTED'], ['E_DEADLINE']])('%s is a timeout naming the wait and --timeout', (errorCode) => {
    const error = describeNetworkFailure({ code: errorCode }, target, 1234);
    expect(error.code).toBe('timeout');
    expect(error.message).toBe(`Could not reach ${target}: the server did not answer in time [${errorCode}]. Waited 1234 ms in all; raise it with --timeout MS if the server is just slow.`);
  });

  test('codes are matched whole: one merely containing a known code is not that code', () => {
    expect(describeNetworkFailure({ code: 'XECONNREFUSED', message: 'm' }, target, 1).code).toBe('network_error');
    expect(describeNetworkFailure({ code: 'ECONNREFUSEDX', message: 'm' }, target, 1).code).toBe('network_error');
    expect(describeNetworkFailure({ code: 'EPROTONOSUPPORT', message: 'm' }, target, 1).code).toBe('network_error');
    expect(describeNetworkFailure({ code: 'XETIMEDOUT', message: 'm' }, target, 1).code).toBe('network_error');
    expect(describeNetworkFailure({ code: 'ENOTFOUNDX', message: 'm' }, target, 1).code).toBe('network_error');
    expect(describeNetworkFailure({ code: 'XEPIPE', message: 'm' }, target, 1).code).toBe('network_error');
    expect(describeNetworkFailure({ code: 'EHOSTUNREACHX', message: 'm' }, target, 1).code).toBe('network_error');
  });

  test('an unknown failure shows its own message, escaped, and no code when it has none', () => {
    const error = describeNetworkFailure({ message: 'weird\u001b[31m thing' }, target, 1);
    expect(error.code).toBe('network_error');
    expect(error.message).toBe(`Could not reach ${target}: weird\\e[31m thing. ${check}`);
    expect(describeNetworkFailure({}, target, 1).message).toBe(`Could not reach ${target}: the request failed. ${check}`);
    expect(describeNetworkFailure({ code: 'E\nX', message: 'm' }, target, 1).message).toContain('[E\\nX]');
  });

  test('an answer past the size cap is exit 5, naming the cap in MiB and the URL variables', () => {
    const error = describeNetworkFailure({ code: 'E_RESPONSE_TOO_LARGE' }, target, 1);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.code).toBe('response_too_large');
    expect(RESPONSE_SIZE_CAP_BYTES).toBe(1024 * 1024);
    expect(error.message).toBe(`${target} sent an answer larger than 1 MiB; Dribbble's answers are a few kilobytes, so reading stopped there. Check the URL (--oauth-url / DRIBBBLE_OAUTH_URL, --api-url / DRIBBBLE_API_URL).`);
  });
});
