// What each OAuth error means for the person holding the code, and what to do about it.
// The CLI and the collection's test scripts (embedded at generation) read this same table.

export const OAUTH_ERROR_MEANINGS: Readonly<Record<string, string>> = {
  invalid_request:
    'A required parameter is missing or malformed. Check the client ID, code and redirect URI you passed; if they are all set, this is a bug in the request.',
  invalid_grant:
    'The code was already used, has expired (codes last about 10 minutes), was issued to another application, or the redirect URI differs from the one used to authorize. Authorize again to get a fresh code, and check that the redirect URI matches the registered Callback URL exactly.',
  invalid_client:
    "The client ID is unknown or the client secret is wrong. Copy both again from your application's page on Dribbble (Account settings > Applications > your app).",
  unauthorized_client: 'This application may not use the authorization-code grant. Check the application on Dribbble.',
  unsupported_grant_type: 'The server does not accept this grant_type; the token request must send grant_type=authorization_code. This is a bug in the request.',
  unsupported_response_type: 'The authorize request must send response_type=code. This is a bug in the request.',
  invalid_scope: 'The requested scope is not allowed. Use "public" or "public upload".',
  access_denied: 'The authorization was declined on the consent page. Authorize again and choose "Authorize".',
  invalid_redirect_uri:
    "The redirect URI does not match the application's registered Callback URL. Use the Callback URL exactly as registered on Dribbble, byte for byte.",
  server_error: 'The authorization server failed; try again later.',
  temporarily_unavailable: 'The authorization server is busy; try again later.',
};

export function explainOAuthError(error: string): string {
  // The code comes from a server: "constructor" or "toString" must not reach Object.prototype.
  return Object.hasOwn(OAUTH_ERROR_MEANINGS, error) ? OAUTH_ERROR_MEANINGS[error]! : 'The server refused the request; see its description above.';
}
