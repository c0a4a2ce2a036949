// The authorize step's values: a fresh state, a PKCE S256 pair, and the consent URL built from them.
import { createHash, randomBytes } from 'node:crypto';
import { registerSecret } from '../core/redaction.js';

export interface AuthorizationRequest {
  url: string;
  state: string;
  codeVerifier?: string;
}

export function generateState(): string {
  return randomBytes(32).toString('base64url');
}

export function generateCodeVerifier(): string {
  const verifier = randomBytes(32).toString('base64url'); // 43 characters, RFC 7636's minimum
  registerSecret(verifier);
  return verifier;
}

export function calculateCodeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export function buildAuthorizationRequest(options: { oauthBaseUrl: string; clientId: string; redirectUri: string; scope: string; pkce: boolean }): AuthorizationRequest {
  const state = generateState();
  const codeVerifier = options.pkce ? generateCodeVerifier() : undefined;
  const url = new URL(`${options.oauthBaseUrl.replace(/\/+$/, '')}/authorize`);
  const params: Record<string, string> = {
    client_id: options.clientId,
    redirect_uri: options.redirectUri, // exactly as registered: URLSearchParams only percent-encodes it
    response_type: 'code',
    scope: options.scope,
    state,
  };
  if (codeVerifier) {
    params.code_challenge = calculateCodeChallenge(codeVerifier);
    params.code_challenge_method = 'S256';
  }
  url.search = new URLSearchParams(params).toString();
  return { url: url.toString(), state, codeVerifier };
}
