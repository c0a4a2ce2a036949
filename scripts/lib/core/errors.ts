// One error family. `code` is a stable string for scripts (--json); `exitCode` is PRODUCT.md's.
import { showUntrusted } from './terminal-text.js';

/** Dribbble's answers are a few kilobytes; reading stops past this. */
export const RESPONSE_SIZE_CAP_BYTES = 1024 * 1024;

export type ExitCode = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export class DribbbleOAuthError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  constructor(code: string, exitCode: ExitCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** Exit 2: a missing, malformed or unsafe input, named with the flag and variable that set it. */
export class UsageError extends DribbbleOAuthError {
  constructor(code: string, message: string) {
    super(code, 2, message);
  }
}

/** Exit 3: refused: an OAuth error, a 401 or 403, a state mismatch, a denied authorization. */
export class ServerRefusedError extends DribbbleOAuthError {
  constructor(code: string, message: string) {
    super(code, 3, message);
  }
}

/** Exit 4: not now, retry later: unreachable, refused, timed out, TLS, 429, a 5xx. */
export class NetworkError extends DribbbleOAuthError {
  constructor(code: string, message: string) {
    super(code, 4, message);
  }
}

/** Exit 5: an answer that is not what Dribbble sends. */
export class ProtocolError extends DribbbleOAuthError {
  constructor(code: string, message: string) {
    super(code, 5, message);
  }
}

/** Exit 6: the token was minted but could not be saved where asked; the message says where it is. */
export class TokenNotSavedError extends DribbbleOAuthError {
  constructor(code: string, message: string) {
    super(code, 6, message);
  }
}

const NETWORK_CAUSES: Array<[RegExp, string, string]> = [
  [/^ECONNREFUSED$/, 'connection_refused', 'the connection was refused (is the server running, and is the URL right?)'],
  [/^(ENOTFOUND|EAI_AGAIN)$/, 'dns_failure', 'the host name could not be resolved (check the URL and your network)'],
  [/^(ETIMEDOUT|ESOCKETTIMEDOUT|ECONNABORTED|E_DEADLINE)$/, 'timeout', 'the server did not answer in time'],
  [/^(ECONNRESET|EPIPE)$/, 'connection_reset', 'the connection was closed by the server'],
  [/^(EHOSTUNREACH|ENETUNREACH|ENETDOWN)$/, 'unreachable', 'the network or host is unreachable'],
  [/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY|DEPTH_ZERO|^EPROTO$/, 'tls_failure', 'the TLS connection failed (certificate or protocol)'],
];

const PROTOCOL_FAULTS: Array<[RegExp, string, string]> = [
  [/^(E_BAD_ENCODING|Z_[A-Z_]+|ERR_ZLIB_[A-Z_]+)$/, 'bad_encoding', 'its body could not be decoded'],
  [/^E_UNKNOWN_ENCODING$/, 'bad_encoding', 'its body is in an encoding the tool does not read'],
  [/^HPE_[A-Z_]+$/, 'malformed_http', 'its HTTP framing is broken'],
];

/** Turns a transport error (from Newman or fetch) into the error a user can act on. */
export function describeNetworkFailure(error: { code?: string; message?: string }, target: string, timeoutMs: number): DribbbleOAuthError {
  const errorCode = error.code ?? '';
  const checkUrl = 'Check the URL (--oauth-url / DRIBBBLE_OAUTH_URL, --api-url / DRIBBBLE_API_URL).';
  if (errorCode === 'E_RESPONSE_TOO_LARGE') {
    return new ProtocolError('response_too_large', `${target} sent ${error.message?.startsWith('an answer') ? showUntrusted(error.message) : `an answer larger than ${RESPONSE_SIZE_CAP_BYTES / 1024 / 1024} MiB`}; Dribbble's answers are a few kilobytes, so reading stopped there. ${checkUrl}`);
  }
  // The server answered, but not in a form we can read: a protocol fault, not a network one (the
  // code, single use, is spent; running again will not help).
  const unreadable = PROTOCOL_FAULTS.find(([pattern]) => pattern.test(errorCode));
  if (unreadable) {
    const [, code, what] = unreadable;
    const detail = error.message ? ` (${showUntrusted(error.message.slice(0, 200))})` : '';
    return new ProtocolError(code, `${target} answered, but ${what}${detail} [${showUntrusted(errorCode)}]. This is not what Dribbble sends. ${checkUrl}`);
  }
  const found = NETWORK_CAUSES.find(([pattern]) => pattern.test(errorCode));
  const [, code, cause] = found ?? [undefined, 'network_error', showUntrusted(error.message ?? 'the request failed')];
  const remedy =
    code === 'timeout'
      ? ` Waited ${timeoutMs} ms in all; raise it with --timeout MS if the server is just slow.`
      : ' Check the URL (--oauth-url / DRIBBBLE_OAUTH_URL, --api-url / DRIBBBLE_API_URL) and your connection, then run the command again.';
  return new NetworkError(code, `Could not reach ${target}: ${cause}${errorCode ? ` [${showUntrusted(errorCode)}]` : ''}.${remedy}`);
}
