// TLS verification off by the environment: refused (exit 2) unless the user consented, then warned once.
import { afterEach, describe, expect, test, vi } from 'vitest';
import * as fs from 'node:fs';
import { DribbbleOAuthError } from '../../scripts/lib/core/errors.js';

vi.mock('node:fs', async (original) => ({ ...(await original<typeof import('node:fs')>()), writeSync: vi.fn(() => 0) }));

const { assertTlsVerificationOn, consentToInsecureTls, tlsVerificationOff } = await import('../../scripts/lib/core/tls-verification.js');

afterEach(() => consentToInsecureTls(false));

describe('assertTlsVerificationOn', () => {
  test('only NODE_TLS_REJECT_UNAUTHORIZED=0 turns verification off (as in Node)', () => {
    expect(tlsVerificationOff({ NODE_TLS_REJECT_UNAUTHORIZED: '0' })).toBe(true);
    for (const value of [undefined, '1', '', 'false', '00']) expect(tlsVerificationOff({ NODE_TLS_REJECT_UNAUTHORIZED: value })).toBe(false);
  });

  test('off without consent: exit 2 naming the variable and NODE_EXTRA_CA_CERTS and the flag', () => {
    try {
      assertTlsVerificationOn({ NODE_TLS_REJECT_UNAUTHORIZED: '0' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DribbbleOAuthError);
      expect((error as DribbbleOAuthError).exitCode).toBe(2);
      expect((error as Error).message).toMatch(/NODE_TLS_REJECT_UNAUTHORIZED.*NODE_EXTRA_CA_CERTS.*--allow-insecure-tls/s);
    }
  });

  test('on: nothing said, whatever the consent', () => {
    consentToInsecureTls(true);
    assertTlsVerificationOn({});
    expect(fs.writeSync).not.toHaveBeenCalled();
  });

  test('off with consent: a warning written straight to stderr (fd 2), once', () => {
    consentToInsecureTls(true);
    assertTlsVerificationOn({ NODE_TLS_REJECT_UNAUTHORIZED: '0' });
    assertTlsVerificationOn({ NODE_TLS_REJECT_UNAUTHORIZED: '0' });
    expect(fs.writeSync).toHaveBeenCalledTimes(1);
    expect(vi.mocked(fs.writeSync).mock.calls[0]![0]).toBe(2);
    expect(String(vi.mocked(fs.writeSync).mock.calls[0]![1])).toContain('TLS certificate checks are OFF');
  });
});
