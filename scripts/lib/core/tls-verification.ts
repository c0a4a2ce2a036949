// TLS verification is never off without the user being told and agreeing. NODE_TLS_REJECT_UNAUTHORIZED=0
// turns it off for the whole process (a leftover from a corporate proxy, a CI template), and Node's
// own warning is hidden by NODE_NO_WARNINGS: so the one runner of requests checks it first.
import { writeSync } from 'node:fs';
import { UsageError } from './errors.js';

let consented = false;
let warned = false;

/** The user's --allow-insecure-tls, recorded once when the flags are parsed. */
export function consentToInsecureTls(yes: boolean): void {
  consented = yes;
}

/** Node turns verification off for exactly this value. */
export function tlsVerificationOff(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_TLS_REJECT_UNAUTHORIZED === '0';
}

/**
 * Before anything is sent: exit 2 when the environment turned TLS verification off and the user
 * did not say --allow-insecure-tls; with it, a warning on stderr each run (written directly, so
 * NODE_NO_WARNINGS cannot hide it).
 */
export function assertTlsVerificationOn(env: NodeJS.ProcessEnv = process.env): void {
  if (!tlsVerificationOff(env)) return;
  if (!consented) {
    throw new UsageError(
      'tls_verification_off',
      'NODE_TLS_REJECT_UNAUTHORIZED=0 is set in the environment: it turns off TLS certificate checks, so the client secret, the code and the token could go to anyone on the network path. Nothing was sent. Unset it (unset NODE_TLS_REJECT_UNAUTHORIZED); if a proxy or a private CA signs the certificates, give its certificate with NODE_EXTRA_CA_CERTS=/path/to/ca.pem instead. To send anyway, knowing this, pass --allow-insecure-tls.',
    );
  }
  if (warned) return;
  warned = true;
  writeSync(2, 'warning: TLS certificate checks are OFF (NODE_TLS_REJECT_UNAUTHORIZED=0, allowed by --allow-insecure-tls): anyone on the network path can read the client secret, the code and the token. Prefer NODE_EXTRA_CA_CERTS for a private CA.\n');
}
