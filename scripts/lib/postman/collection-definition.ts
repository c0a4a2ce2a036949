// Typed definition of the Postman collection: the three requests of Dribbble's authorization-code
// flow, their scripts, and the collection-level OAuth 2.0 helper. `npm run generate` renders it.
import { ITEM_AUTHORIZE, ITEM_EXCHANGE, ITEM_GET_USER } from './collection-files.js';
import { MOCK_DEMO_USER } from '../mock/mock-defaults.js';
import { OAUTH_ERROR_MEANINGS } from '../dribbble/oauth-error-meanings.js';
import { VARIABLES } from '../config/variables.js';

export const COLLECTION_NAME = 'Dribbble OAuth 2.0';
// Fixed so that re-importing into Postman replaces the collection instead of duplicating it.
export const COLLECTION_ID = '6f1c2a4e-5b7d-4c1e-9a8f-d2b0c3e4f5a6';
export const POSTMAN_SCHEMA_URL = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';


interface KeyValue {
  key: string;
  value: string;
  description?: string;
  type?: string;
}
interface PostmanScript {
  listen: 'prerequest' | 'test';
  script: { type: 'text/javascript'; exec: string[] };
}
interface PostmanUrl {
  raw: string;
  host: string[];
  path: string[];
  query?: KeyValue[];
}
interface PostmanRequest {
  auth?: { type: 'noauth' };
  method: 'GET' | 'POST';
  header: KeyValue[];
  body?: { mode: 'urlencoded'; urlencoded: KeyValue[] };
  url: PostmanUrl;
  description?: string;
}
/** A saved example response: what Postman's documentation view and mock servers show. */
interface PostmanExample {
  name: string;
  originalRequest: PostmanRequest;
  status: string;
  code: number;
  _postman_previewlanguage: 'json' | 'html' | 'text';
  header: KeyValue[];
  cookie: [];
  body: string;
}
export interface PostmanItem {
  name: string;
  event: PostmanScript[];
  protocolProfileBehavior?: Record<string, boolean>;
  request: PostmanRequest & { description: string };
  response: PostmanExample[];
}
export interface PostmanCollection {
  info: { _postman_id: string; name: string; description: string; schema: string };
  item: PostmanItem[];
  auth: { type: 'oauth2'; oauth2: AuthEntry[] };
  variable: Array<{ key: string; value: string; type: 'string'; description: string }>;
}
interface AuthEntry {
  key: string;
  value: string | boolean;
  type: 'string' | 'boolean';
}

function script(listen: PostmanScript['listen'], source: string): PostmanScript {
  return { listen, script: { type: 'text/javascript', exec: source.trim().split('\n') } };
}

function url(baseVariable: string, path: string, query: KeyValue[] = []): PostmanUrl {
  const queryString = query.map((q) => `${q.key}=${q.value}`).join('&');
  return {
    raw: `{{${baseVariable}}}/${path}${queryString ? `?${queryString}` : ''}`,
    host: [`{{${baseVariable}}}`],
    path: path.split('/'),
    ...(query.length ? { query } : {}),
  };
}

const ACCEPT_JSON: KeyValue = { key: 'Accept', value: 'application/json' };

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 302: 'Found', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 429: 'Too Many Requests' };

/** Example values are visibly fake and not token-shaped, so the secret check never trips on them. */
function example(name: string, request: PostmanRequest, code: number, headers: Record<string, string>, body: unknown): PostmanExample {
  const { description: _omit, ...originalRequest } = request;
  const json = typeof body !== 'string';
  return {
    name,
    originalRequest,
    status: STATUS_TEXT[code] ?? String(code),
    code,
    _postman_previewlanguage: json ? 'json' : body.startsWith('<') ? 'html' : 'text',
    header: Object.entries({ ...(json ? { 'Content-Type': 'application/json; charset=utf-8' } : body ? { 'Content-Type': 'text/html; charset=utf-8' } : {}), ...headers }).map(([key, value]) => ({ key, value })),
    cookie: [],
    body: json ? JSON.stringify(body, null, 2) : body,
  };
}

const doorkeeperPage = (text: string) => `<!doctype html><html><head><title>An error has occurred</title></head><body><h1>An error has occurred</h1><p>${text}</p></body></html>`;

// Sandbox helper shared by the scripts that read a callback URL.
const QUERY_PARAM_HELPER = `
function queryParam(url, name) {
    var match = new RegExp('[?&#]' + name + '=([^&#]*)').exec(url);
    return match ? decodeURIComponent(match[1].replace(/\\+/g, ' ')) : undefined;
}`;

const MEANINGS_LINE = `var MEANINGS = ${JSON.stringify(OAUTH_ERROR_MEANINGS)};`;

const AUTHORIZE_PRE_REQUEST = `
// A code is there already (a bare code or the callback URL, say from newman --env-var code=...):
// Authorize stands aside, so that this very code is exchanged.
if (String(pm.variables.get('code') || '').trim()) {
    pm.execution.skipRequest();
} else {
    // A fresh state for each authorization: the test script below clears it once used.
    if (!pm.variables.get('state')) {
        pm.environment.set('state', pm.variables.replaceIn('{{$guid}}').replace(/-/g, ''));
    }
    // Postman sends query values as they are: encode them, so that a redirect_uri holding ? or &
    // reaches the server as the same string the token request's form carries.
    var values = { client_id: 'client_id', redirect_uri: 'redirect_uri', scope: 'scope', state: 'state' };
    pm.request.url.query.each(function (param) {
        if (values[param.key]) param.value = encodeURIComponent(String(pm.variables.get(values[param.key]) || ''));
    });
    // PKCE (S256) only when a code_verifier is set: send both halves of the pair or neither.
    var verifier = pm.variables.get('code_verifier');
    if (verifier) {
        var CryptoJS = require('crypto-js');
        var challenge = CryptoJS.SHA256(verifier).toString(CryptoJS.enc.Base64)
            .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
        pm.variables.set('code_challenge', challenge);
    } else {
        pm.request.removeQueryParams(['code_challenge', 'code_challenge_method']);
    }
}`;

const AUTHORIZE_TEST = `
${QUERY_PARAM_HELPER}
${MEANINGS_LINE}
var location = pm.response.headers.get('Location') || '';
var redirectUri = String(pm.variables.get('redirect_uri') || '');
var expectedState = pm.variables.get('state');
var toCallback = redirectUri && location.indexOf(redirectUri.split('?')[0]) === 0;
var openInBrowser = 'Open this URL in a browser signed in to Dribbble, approve, and put the URL the browser lands on into the code variable ' +
    '(Newman: --env-var code=\\'<that URL>\\'), then run again: ' + pm.request.url.toString();
if (toCallback && queryParam(location, 'error')) {
    var error = queryParam(location, 'error');
    pm.test('Authorize: the server refused (' + error + ')', function () {
        throw new Error(error + ': ' + (queryParam(location, 'error_description') || '') + ' ' + (MEANINGS[error] || ''));
    });
} else if (toCallback && queryParam(location, 'code')) {
    pm.test('Authorize: redirected with a code and the state we sent', function () {
        pm.expect(queryParam(location, 'state'), 'state').to.equal(expectedState);
    });
    if (queryParam(location, 'state') === expectedState) {
        pm.environment.set('code', queryParam(location, 'code'));
    }
    // Cleared, not unset: the row and its type stay.
    pm.environment.set('state', '');
} else if (pm.response.code >= 400 && pm.response.code < 500) {
    var text = pm.response.text();
    var which = /redirect/i.test(text) ? 'redirect_uri' : (pm.response.code === 401 || /client/i.test(text)) ? 'client_id' : 'client_id and redirect_uri';
    pm.test('Authorize: a known client_id and a registered redirect_uri', function () {
        pm.expect.fail(pm.response.code + ': the server refused the request. Check ' + which + (which === 'redirect_uri'
            ? ': it must be exactly the Callback URL registered for the app, byte for byte.'
            : which === 'client_id' ? ' against your application\\'s page on Dribbble (Account settings > Applications).' : '.'));
    });
} else {
    pm.test('Authorize: a sign-in or consent page, to open in a browser', function () {
        pm.expect.fail('Dribbble answered ' + pm.response.code + (location ? ' (a redirect to ' + location.split('?')[0] + ')' : '') +
            ' with its sign-in or consent page, which only a browser can get past. ' + openInBrowser);
    });
}`;

const EXCHANGE_PRE_REQUEST = `
${QUERY_PARAM_HELPER}
// Accept the whole callback URL pasted into {{code}}: take the code out of it.
var pasted = String(pm.variables.get('code') || '').trim();
var refusal = pasted ? '' : 'The code variable is empty: run Authorize, or put the code (or the URL the browser landed on after approving) into code.';
if (/[?&#](code|error)=/.test(pasted)) {
    var error = queryParam(pasted, 'error');
    var returnedState = queryParam(pasted, 'state');
    var expectedState = pm.variables.get('state');
    refusal = error
        ? 'The callback URL says the authorization failed: ' + error + ' ' + (queryParam(pasted, 'error_description') || '')
        : (expectedState && returnedState && returnedState !== expectedState)
            ? 'The state in the callback URL does not match the authorization that was started: authorize again.'
            : '';
    pm.variables.set('code', queryParam(pasted, 'code') || '');
}
// Never send an empty code_verifier: a strict server treats the key as present.
if (!pm.variables.get('code_verifier')) {
    pm.request.body.urlencoded.remove(function (param) { return param.key === 'code_verifier'; });
}
// Fail visibly, then skip: skipRequest ends the script, so it comes last.
if (refusal) {
    pm.test('Exchange: a usable code', function () { pm.expect.fail(refusal); });
    pm.execution.skipRequest();
}`;

const EXCHANGE_TEST = `
${MEANINGS_LINE}
var body;
try { body = pm.response.json(); } catch (e) { body = undefined; }
if (pm.response.code === 200 && body && body.access_token) {
    pm.test('Exchange: access token received', function () {
        pm.expect(String(body.token_type || 'bearer').toLowerCase()).to.equal('bearer');
    });
    // pm.environment, not collectionVariables: only environment values come back from a Newman run.
    pm.environment.set('access_token', body.access_token);
    // Cleared, not unset: unset removes the row, and a later set would bring it back typed "any", not secret.
    pm.environment.set('code', '');
    pm.environment.set('state', '');
} else if (body && body.error) {
    pm.test('Exchange: the server refused (' + body.error + ')', function () {
        throw new Error(pm.response.code + ' ' + body.error + ': ' + (body.error_description || '') + ' ' + (MEANINGS[body.error] || ''));
    });
} else {
    pm.test('Exchange: a token response', function () {
        pm.expect.fail('Expected 200 with an access_token, got ' + pm.response.code + ': ' + pm.response.text().split('\\n')[0].slice(0, 200));
    });
}`;

const GET_USER_PRE_REQUEST = `
if (!String(pm.variables.get('access_token') || '').trim()) {
    pm.test('Get authenticated user: an access token', function () {
        pm.expect.fail('The access_token variable is empty: run "Exchange code for token" first.');
    });
    pm.execution.skipRequest();
}`;

const GET_USER_TEST = `
var body;
try { body = pm.response.json(); } catch (e) { body = undefined; }
if (pm.response.code === 200 && body && body.login) {
    pm.test('Get authenticated user: ' + body.login, function () {
        pm.expect(body.login).to.be.a('string');
    });
} else if (pm.response.code === 401) {
    pm.test('Get authenticated user: token accepted', function () {
        pm.expect.fail('401: the access token is missing, invalid or revoked. Run "Exchange code for token" again.');
    });
} else if (pm.response.code === 429) {
    pm.test('Get authenticated user: within the rate limit', function () {
        pm.expect.fail('429: rate limit exceeded (60 requests a minute). Try again after ' + pm.response.headers.get('X-RateLimit-Reset') + ' (epoch seconds).');
    });
} else {
    pm.test('Get authenticated user: a user', function () {
        pm.expect.fail('Expected 200 with a user, got ' + pm.response.code + '.');
    });
}`;

const COLLECTION_DESCRIPTION = `Dribbble's OAuth 2.0 authorization-code flow, as three requests run in order.

1. **Authorize** builds the consent URL. Open it in a browser (or use this collection's *Authorization* tab > *Get New Access Token*), approve, and copy the URL the browser lands on.
2. **Exchange code for token** posts the code for an access token. Paste the code, or the whole callback URL, into the \`code\` variable. The token is saved into \`access_token\`.
3. **Get authenticated user** calls the API with that token.

Select the environment "Dribbble" (real server) or "Dribbble mock" (the bundled mock server, \`npm run mock\`). Put \`client_id\`, \`client_secret\` and \`redirect_uri\` (your app's Callback URL, exactly as registered) in the environment's *current values* only, so secrets never sync to a shared workspace. Without an environment the base URLs and scope come from this collection's variables.

**With Newman:** \`newman run <this file> -e <environment> --env-var code='<the URL the browser landed on>'\`. When \`code\` is set, Authorize stands aside and that very code is exchanged; without it, Authorize's failed test prints the URL to open in a browser. Do not use \`--export-environment\` or \`--verbose\` with secrets: Newman writes and prints them in clear.

**Tokens and the shared file:** Postman's *Get New Access Token* > *Use Token* writes the literal token into this collection's *Authorization* tab, and Postman exports and syncs it. This project's \`npm run check-secrets\` (and the git pre-commit hook it installs) refuses to commit a collection holding one, and \`npm run sanitize -- <file>\` puts the \`access_token\` variable back.

Codes are single use and expire after about 10 minutes. Dribbble tokens do not expire.`;

const AUTHORIZE_REQUEST: PostmanItem['request'] = {
  auth: { type: 'noauth' },
  method: 'GET',
  header: [],
  url: url('oauth_base_url', 'authorize', [
    { key: 'client_id', value: '{{client_id}}' },
    { key: 'redirect_uri', value: '{{redirect_uri}}', description: 'Exactly the Callback URL registered for the app (percent-encoded by the pre-request script).' },
    { key: 'response_type', value: 'code' },
    { key: 'scope', value: '{{scope}}' },
    { key: 'state', value: '{{state}}', description: 'Generated for each authorization.' },
    { key: 'code_challenge', value: '{{code_challenge}}', description: 'PKCE S256, computed from code_verifier; removed when code_verifier is empty.' },
    { key: 'code_challenge_method', value: 'S256' },
  ]),
  description: `The consent page. **Open this URL in a browser**: Postman cannot log you in to Dribbble (it gets the sign-in page). After you approve, Dribbble redirects to your Callback URL with \`?code=...&state=...\`; that page may fail to load, which is fine. Copy the whole URL from the address bar into the \`code\` variable and send "Exchange code for token".

Alternatively use the collection's *Authorization* tab > *Get New Access Token*, which runs this flow in Postman.

When \`code\` already holds a code or a callback URL, this request stands aside (it is skipped), so a whole-collection run exchanges that code. Otherwise a fresh \`state\` is generated when it is empty, and the query values are percent-encoded. When \`code_verifier\` is set, the PKCE challenge (S256) is sent; otherwise neither PKCE parameter is. The test tells apart a redirect with a code (stored in \`code\`, state checked), an \`error=\` redirect, a 4xx for an unknown client or a redirect URI mismatch, and the sign-in or consent page (open the URL in a browser).`,
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
      { key: 'code_verifier', value: '{{code_verifier}}', description: 'Sent only when set (PKCE).' },
    ],
  },
  url: url('oauth_base_url', 'token'),
  description: `Trades the one-time code for an access token (client credentials in the body, as Dribbble documents). Redirects are not followed: the form carries the client secret.

Put the code, or the whole URL your browser landed on, into \`code\`; the pre-request script takes the code out of a URL and checks its \`state\`. On success the token is saved into the environment's \`access_token\`, and \`code\` and \`state\` are cleared (their rows and types stay). On an OAuth error the test fails with the error and what to do: \`invalid_grant\` means the code was used, expired (about 10 minutes), or the redirect URI differs; authorize again.`,
};

const GET_USER_REQUEST: PostmanItem['request'] = {
  method: 'GET',
  header: [ACCEPT_JSON],
  url: url('api_base_url', 'user'),
  description:
    'The user the token belongs to. Signed by the collection-level OAuth 2.0 auth with the `access_token` variable as a Bearer token (Newman fills in every `{{variable}}` of a description, so none is named that way); redirects are not followed, so the token goes to the API only. The API allows 60 requests a minute; see the `X-RateLimit-*` response headers.',
};

const EXAMPLE_CALLBACK = 'http://127.0.0.1:8738/auth/dribbble/callback';

export function buildCollection(): PostmanCollection {
  return {
    info: {
      _postman_id: COLLECTION_ID,
      name: COLLECTION_NAME,
      description: COLLECTION_DESCRIPTION,
      schema: POSTMAN_SCHEMA_URL,
    },
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
      {
        name: ITEM_GET_USER,
        event: [script('prerequest', GET_USER_PRE_REQUEST), script('test', GET_USER_TEST)],
        // The Bearer token goes to the API's origin only.
        protocolProfileBehavior: { followRedirects: false },
        request: GET_USER_REQUEST,
        response: [
          example('The authenticated user', GET_USER_REQUEST, 200, { 'X-RateLimit-Limit': '60', 'X-RateLimit-Remaining': '59', 'X-RateLimit-Reset': '1795917516' }, MOCK_DEMO_USER),
          example('Missing, invalid or revoked token', GET_USER_REQUEST, 401, {}, { message: 'Bad credentials.' }),
          example('Token lacks the scope', GET_USER_REQUEST, 403, {}, { message: 'You do not have access to this resource.' }),
          example('Rate limit exceeded (60 a minute)', GET_USER_REQUEST, 429, { 'X-RateLimit-Limit': '60', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '1795917516' }, { message: 'API rate limit exceeded.' }),
        ],
      },
    ],
    // Non-secret defaults, so the collection resolves on its own; an environment overrides them.
    variable: VARIABLES.filter((v) => !v.secret && v.defaultValue).map((v) => ({ key: v.key, value: v.defaultValue, type: 'string' as const, description: v.description })),
    auth: {
      type: 'oauth2',
      oauth2: [
        { key: 'accessToken', value: '{{access_token}}', type: 'string' },
        { key: 'addTokenTo', value: 'header', type: 'string' },
        { key: 'headerPrefix', value: 'Bearer', type: 'string' },
        { key: 'tokenName', value: 'Dribbble', type: 'string' },
        { key: 'grant_type', value: 'authorization_code', type: 'string' },
        { key: 'authUrl', value: '{{oauth_base_url}}/authorize', type: 'string' },
        { key: 'accessTokenUrl', value: '{{oauth_base_url}}/token', type: 'string' },
        { key: 'clientId', value: '{{client_id}}', type: 'string' },
        { key: 'clientSecret', value: '{{client_secret}}', type: 'string' },
        { key: 'redirect_uri', value: '{{redirect_uri}}', type: 'string' },
        { key: 'scope', value: '{{scope}}', type: 'string' },
        { key: 'state', value: '{{state}}', type: 'string' },
        { key: 'client_authentication', value: 'body', type: 'string' },
        { key: 'useBrowser', value: false, type: 'boolean' },
      ],
    },
  };
}
