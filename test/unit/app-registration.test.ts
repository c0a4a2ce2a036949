// What `init` decides without a terminal or a file: the callback URL it accepts, the refusal of a
// missing answer, and what it tells the user to register on Dribbble.
import { describe, expect, test } from 'vitest';
import { UsageError } from '../../scripts/lib/core/errors.js';
import { checkCallbackUrl, checkClientCredentials, missingAnswer, registrationLines, requireCallbackUrl } from '../../scripts/lib/oauth/app-registration.js';

function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    return error as UsageError;
  }
  throw new Error('no error thrown');
}

describe('the callback URL', () => {
  test('a full http or https URL is accepted, surrounding spaces allowed', () => {
    for (const url of ['http://127.0.0.1:8738/cb', 'https://me.example/cb', '  https://me.example  ']) expect(checkCallbackUrl(url)).toBe(true);
  });

  test('anything else is exit 2 quoting the value and naming the flag, the variable and an example', () => {
    for (const bad of ['nope', 'not-a-url', 'ftp://x/cb', 'javascript:alert(1)', '']) {
      expect(checkCallbackUrl(bad)).toBe('Enter a full http:// or https:// URL, such as http://127.0.0.1:8738/auth/dribbble/callback');
      const error = usageError(() => requireCallbackUrl(bad));
      expect(error.code).toBe('invalid_redirect_uri');
      expect(error.message).toContain(`"${bad}"`);
      expect(error.message).toContain('--redirect-uri, DRIBBBLE_REDIRECT_URI');
    }
    expect(requireCallbackUrl('http://127.0.0.1:8738/cb')).toBe('http://127.0.0.1:8738/cb');
  });
});

describe('without a terminal', () => {
  test('a missing answer is exit 2 naming its flag and its variable', () => {
    const error = missingAnswer('--client-secret', 'DRIBBBLE_CLIENT_SECRET');
    expect(error).toBeInstanceOf(UsageError);
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('missing_client_secret');
    expect(error.message).toBe('No terminal to ask for it: pass --client-secret (or set DRIBBBLE_CLIENT_SECRET) to run "init" without prompts.');
    expect(missingAnswer('--redirect-uri', 'DRIBBBLE_REDIRECT_URI').message).toContain('DRIBBBLE_REDIRECT_URI');
  });

  test('a client ID or secret that is empty or has spaces is exit 2; the secret is never quoted', () => {
    checkClientCredentials('id', 'secret');
    expect(usageError(() => checkClientCredentials('', 'secret')).code).toBe('invalid_client_id');
    expect(usageError(() => checkClientCredentials('my id', 'secret')).message).toContain('"my id"');
    const secret = usageError(() => checkClientCredentials('id', 'Sec ret-0123456789'));
    expect(secret.code).toBe('invalid_client_secret');
    expect(secret.message).not.toContain('Sec ret');
    expect(usageError(() => checkClientCredentials('id', '')).code).toBe('invalid_client_secret');
  });
});

describe('what to register', () => {
  test('a loopback callback: the register page, the callback URL, and that authorize catches the redirect on its port', () => {
    const text = registrationLines('http://127.0.0.1:8738/auth/dribbble/callback', undefined).join('\n');
    expect(text).toContain('Register the app at https://dribbble.com/account/applications/new with:');
    expect(text).toMatch(/Callback URL +http:\/\/127\.0\.0\.1:8738\/auth\/dribbble\/callback/);
    expect(text).toContain('catches the redirect itself on port 8738');
    expect(text).toMatch(/Website URL +your site/);
    expect(text).not.toContain('paste');
  });

  test('another callback: the paste flow; a given website URL is shown', () => {
    const text = registrationLines('https://me.example/cb', 'https://me.example').join('\n');
    expect(text).toMatch(/Website URL +https:\/\/me\.example\n/);
    expect(text).toContain('asks you to paste the URL the browser lands on');
    expect(text).not.toContain('catches the redirect');
    // localhost on port 80 is loopback too
    expect(registrationLines('http://localhost/cb', undefined).join('\n')).toContain('on port 80');
  });
});
