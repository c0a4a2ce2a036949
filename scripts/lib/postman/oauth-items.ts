// The OAuth folder: Authorize and Exchange code for token, with no auth of their own (the
// client's credentials travel in the query and the form, as Dribbble documents).
import { OAUTH_PATH_PREFIX } from '../dribbble/api-v2.js';
import { ITEM_AUTHORIZE, ITEM_EXCHANGE } from './collection-files.js';
import { ACCEPT_JSON, example, originUrl, script, type PostmanFolder, type PostmanItem } from './collection-types.js';
import { AUTHORIZE_PRE_REQUEST, AUTHORIZE_TEST, EXCHANGE_PRE_REQUEST, EXCHANGE_TEST } from './item-scripts.js';

export const OAUTH_ORIGIN_VARIABLE = 'oauth_origin';
export const AUTHORIZE_PATH = `${OAUTH_PATH_PREFIX}/authorize`;
export const TOKEN_PATH = `${OAUTH_PATH_PREFIX}/token`;

const doorkeeperPage = (text: string) => `<!doctype html><html><head><title>An error has occurred</title></head><body><h1>An error has occurred</h1><p>${text}</p></body></html>`;

const AUTHORIZE_REQUEST: PostmanItem['request'] = {
  auth: { type: 'noauth' },
  method: 'GET',
  header: [],
  url: originUrl(OAUTH_ORIGIN_VARIABLE, AUTHORIZE_PATH, [
    { key: 'client_id', value: '{{client_id}}' },
    { key: 'redirect_uri', value: '{{redirect_uri}}', description: 'Exactly the Callback URL registered for the app (percent-encoded by the pre-request script).' },
    { key: 'response_type', value: 'code' },
    { key: 'scope', value: '{{scope}}' },
    { key: 'state', value: '{{state}}', description: 'Generated for each authorization.' },
    { key: 'code_challenge', value: '{{code_challenge}}', description: 'PKCE S256, computed from code_verifier by the pre-request script, which enables this row when code_verifier is set.', disabled: true },
    { key: 'code_challenge_method', value: 'S256', description: 'Enabled with code_challenge.', disabled: true },
  ]),
  description: `The consent page. **Open this URL in a browser**: Postman cannot log you in to Dribbble (it gets the sign-in page). After you approve, Dribbble redirects to your Callback URL with \`?code=...&state=...\`; that page may fail to load, which is fine. Copy the whole URL from the address bar into the \`code\` variable and send "Exchange code for token".

Alternatively use the collection's *Authorization* tab > *Get New Access Token*, which runs this flow in Postman (see the collection's description).

When \`code\` already holds a code or a callback URL, this request stands aside (it is skipped), so a whole-collection run exchanges that code. Otherwise a fresh \`state\` is generated when it is empty, and the query values are percent-encoded. When \`code_verifier\` is set, the PKCE challenge (S256) is sent; otherwise neither PKCE parameter is. The test tells apart a redirect with a code (stored in \`code\` only when its \`state\` is the one sent), an \`error=\` redirect, a 4xx for an unknown client or a redirect URI mismatch, and the sign-in or consent page (open the URL in a browser).`,
};

const EXCHANGE_REQUEST: PostmanItem['request'] = {
  auth: { type: 'noauth' },
  method: 'POST',
  header: [ACCEPT_JSON],
  body: {
    mode: 'urlencoded',
    urlencoded: [
      { key: 'grant_type', value: 'authorization_code' },
      { key: 'client_id', value: '{{client_id}}' },
      { key: 'client_secret', value: '{{client_secret}}' },
      { key: 'code', value: '{{code}}', description: 'The one-time code, or the whole callback URL.' },
      { key: 'redirect_uri', value: '{{redirect_uri}}', description: 'The same value as at Authorize.' },
      { key: 'code_verifier', value: '{{code_verifier}}', description: 'PKCE: enabled by the pre-request script only when code_verifier is set (enable it by hand in a client without scripts).', disabled: true },
    ],
  },
  url: originUrl(OAUTH_ORIGIN_VARIABLE, TOKEN_PATH),
  description: `Trades the one-time code for an access token (client credentials in the body, as Dribbble documents). Redirects are not followed: the form carries the client secret.

Put the code, or the whole URL your browser landed on, into \`code\`; the pre-request script takes the code out of a URL, refuses an \`error=\` URL, and checks its \`state\`. On success the token is saved into the environment's \`access_token\`, and \`code\` and \`state\` are cleared (their rows and types stay). On an OAuth error the test fails with the error and what to do: \`invalid_grant\` means the code was used, expired (about 10 minutes), or the redirect URI differs; authorize again.`,
};

const EXAMPLE_CALLBACK = 'http://127.0.0.1:8738/auth/dribbble/callback';

export function oauthFolder(): PostmanFolder {
  return {
    name: 'OAuth',
    description: 'Dribbble\'s authorization-code flow: Authorize (in a browser), then Exchange code for token. No auth: the client credentials go in the query and the form.',
    item: [
      {
        name: ITEM_AUTHORIZE,
        event: [script('prerequest', AUTHORIZE_PRE_REQUEST), script('test', AUTHORIZE_TEST)],
        // The redirect *is* the answer: it carries the code.
        protocolProfileBehavior: { followRedirects: false },
        request: AUTHORIZE_REQUEST,
        response: [
          example('Approved: redirect to the callback with a code', AUTHORIZE_REQUEST, 302, { Location: `${EXAMPLE_CALLBACK}?code=example-code&state=example-state` }, ''),
          example('Not signed in: the sign-in page first (any client without a browser session)', AUTHORIZE_REQUEST, 302, { Location: 'https://dribbble.com/session/new' }, ''),
          example('Denied on the consent page', AUTHORIZE_REQUEST, 302, { Location: `${EXAMPLE_CALLBACK}?error=access_denied&error_description=The+resource+owner+or+authorization+server+denied+the+request.&state=example-state` }, ''),
          example('Unknown client_id', AUTHORIZE_REQUEST, 401, {}, doorkeeperPage('Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.')),
          example('redirect_uri does not match the registered Callback URL', AUTHORIZE_REQUEST, 400, {}, doorkeeperPage('The requested redirect uri is malformed or doesn&#39;t match client redirect URI.')),
        ],
      },
      {
        name: ITEM_EXCHANGE,
        event: [script('prerequest', EXCHANGE_PRE_REQUEST), script('test', EXCHANGE_TEST)],
        // The form carries the client secret and the code: never re-sent to wherever a redirect points.
        protocolProfileBehavior: { followRedirects: false },
        request: EXCHANGE_REQUEST,
        response: [
          example('Token issued', EXCHANGE_REQUEST, 200, {}, { access_token: 'example-access-token', token_type: 'Bearer', scope: 'public upload', created_at: 1795917456 }),
          example('invalid_grant: code used, expired, or redirect_uri differs', EXCHANGE_REQUEST, 400, {}, { error: 'invalid_grant', error_description: 'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.' }),
          example('invalid_client: unknown client_id or wrong client_secret', EXCHANGE_REQUEST, 401, { 'WWW-Authenticate': 'Bearer realm="Doorkeeper", error="invalid_client"' }, { error: 'invalid_client', error_description: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.' }),
          example('invalid_request: a required parameter is missing', EXCHANGE_REQUEST, 400, {}, { error: 'invalid_request', error_description: 'Missing required parameter: grant_type.' }),
        ],
      },
    ],
  };
}
