// Typed definition of the Postman collection: the three requests of Dribbble's authorization-code
// flow, their scripts, and the collection-level OAuth 2.0 helper. `npm run generate` renders it.
import { ITEM_AUTHORIZE, ITEM_EXCHANGE, ITEM_GET_USER } from './collection-files.js';
import { OAUTH_ERROR_MEANINGS } from './oauth-error-meanings.js';

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
export interface PostmanItem {
  name: string;
  event: PostmanScript[];
  protocolProfileBehavior?: Record<string, boolean>;
  request: {
    auth?: { type: 'noauth' };
    method: 'GET' | 'POST';
    header: KeyValue[];
    body?: { mode: 'urlencoded'; urlencoded: KeyValue[] };
    url: PostmanUrl;
    description: string;
  };
  response: [];
}
export interface PostmanCollection {
  info: { _postman_id: string; name: string; description: string; schema: string };
  item: PostmanItem[];
  auth: { type: 'oauth2'; oauth2: AuthEntry[] };
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

// Sandbox helper shared by the scripts that read a callback URL.
const QUERY_PARAM_HELPER = `
function queryParam(url, name) {
    var match = new RegExp('[?&#]' + name + '=([^&#]*)').exec(url);
    return match ? decodeURIComponent(match[1].replace(/\\+/g, ' ')) : undefined;
}`;

const MEANINGS_LINE = `var MEANINGS = ${JSON.stringify(OAUTH_ERROR_MEANINGS)};`;

const AUTHORIZE_PRE_REQUEST = `
// A fresh state for each authorization: the test script below clears it once used.
if (!pm.variables.get('state')) {
    pm.environment.set('state', pm.variables.replaceIn('{{$guid}}').replace(/-/g, ''));
}
// PKCE (S256) only when a code_verifier is set: send both halves of the pair or neither.
var verifier = pm.variables.get('code_verifier');
if (verifier) {
    var CryptoJS = require('crypto-js');
    var challenge = CryptoJS.SHA256(verifier).toString(CryptoJS.enc.Base64)
        .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
    pm.variables.set('code_challenge', challenge);
} else {
    pm.request.removeQueryParams(['code_challenge', 'code_challenge_method']);
}`;

const AUTHORIZE_TEST = `
${QUERY_PARAM_HELPER}
${MEANINGS_LINE}
var location = pm.response.headers.get('Location') || '';
var expectedState = pm.variables.get('state');
if (queryParam(location, 'error')) {
    var error = queryParam(location, 'error');
    pm.test('Authorize: the server refused (' + error + ')', function () {
        throw new Error(error + ': ' + (queryParam(location, 'error_description') || '') + ' ' + (MEANINGS[error] || ''));
    });
} else if (queryParam(location, 'code')) {
    pm.test('Authorize: redirected with a code and the state we sent', function () {
        pm.expect(queryParam(location, 'state'), 'state').to.equal(expectedState);
    });
    if (queryParam(location, 'state') === expectedState) {
        pm.environment.set('code', queryParam(location, 'code'));
    }
    pm.environment.unset('state');
} else {
    pm.test('Authorize: open this request in a browser to approve it', function () {
        pm.expect.fail('The server answered ' + pm.response.code + ' without redirecting to the callback. ' +
            'Copy the URL into a browser, approve, and paste the URL it lands on into the code variable.');
    });
}`;

const EXCHANGE_PRE_REQUEST = `
${QUERY_PARAM_HELPER}
// Accept the whole callback URL pasted into {{code}}: take the code out of it.
var pasted = String(pm.variables.get('code') || '').trim();
if (/[?&#](code|error)=/.test(pasted)) {
    var error = queryParam(pasted, 'error');
    var returnedState = queryParam(pasted, 'state');
    var expectedState = pm.variables.get('state');
    // Fail visibly, then skip: skipRequest ends the script, so it comes last.
    var refusal = error
        ? 'The callback URL says the authorization failed: ' + error + ' ' + (queryParam(pasted, 'error_description') || '')
        : (expectedState && returnedState && returnedState !== expectedState)
            ? 'The state in the callback URL does not match the authorization that was started: authorize again.'
            : '';
    if (refusal) {
        pm.test('Exchange: a usable callback URL', function () { pm.expect.fail(refusal); });
        pm.execution.skipRequest();
    }
    pm.variables.set('code', queryParam(pasted, 'code') || '');
}
// Never send an empty code_verifier: a strict server treats the key as present.
if (!pm.variables.get('code_verifier')) {
    pm.request.body.urlencoded.remove(function (param) { return param.key === 'code_verifier'; });
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
    pm.environment.unset('code');
    pm.environment.unset('state');
} else if (body && body.error) {
    pm.test('Exchange: the server refused (' + body.error + ')', function () {
        throw new Error(pm.response.code + ' ' + body.error + ': ' + (body.error_description || '') + ' ' + (MEANINGS[body.error] || ''));
    });
} else {
    pm.test('Exchange: a token response', function () {
        pm.expect.fail('Expected 200 with an access_token, got ' + pm.response.code + ': ' + pm.response.text().split('\\n')[0].slice(0, 200));
    });
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

Select the environment "Dribbble" (real server) or "Dribbble mock" (the bundled mock server, \`npm run mock\`). Put \`client_id\`, \`client_secret\` and \`redirect_uri\` (your app's Callback URL, exactly as registered) in the environment's *current values* only, so secrets never sync to a shared workspace.

Codes are single use and expire after about 10 minutes. Dribbble tokens do not expire.`;

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
        request: {
          auth: { type: 'noauth' },
          method: 'GET',
          header: [],
          url: url('oauth_base_url', 'authorize', [
            { key: 'client_id', value: '{{client_id}}' },
            { key: 'redirect_uri', value: '{{redirect_uri}}', description: 'Exactly the Callback URL registered for the app.' },
            { key: 'response_type', value: 'code' },
            { key: 'scope', value: '{{scope}}' },
            { key: 'state', value: '{{state}}', description: 'Generated for each authorization.' },
            { key: 'code_challenge', value: '{{code_challenge}}', description: 'PKCE S256, computed from code_verifier; removed when code_verifier is empty.' },
            { key: 'code_challenge_method', value: 'S256' },
          ]),
          description: `The consent page. **Open this URL in a browser**: Postman cannot log you in to Dribbble. After you approve, Dribbble redirects to your Callback URL with \`?code=...&state=...\`; that page may fail to load, which is fine. Copy the whole URL from the address bar into the \`code\` variable and send "Exchange code for token".

Alternatively use the collection's *Authorization* tab > *Get New Access Token*, which runs this flow in Postman.

A fresh \`state\` is generated when it is empty. When \`code_verifier\` is set, the PKCE challenge (S256) is sent; otherwise neither PKCE parameter is. When the server answers with a redirect (the bundled mock does), the test script reads \`code\` from the \`Location\` header, checks \`state\`, and stores the code.`,
        },
        response: [],
      },
      {
        name: ITEM_EXCHANGE,
        event: [script('prerequest', EXCHANGE_PRE_REQUEST), script('test', EXCHANGE_TEST)],
        // The form carries the client secret and the code: never re-sent to wherever a redirect points.
        protocolProfileBehavior: { followRedirects: false },
        request: {
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
          description: `Trades the one-time code for an access token (client credentials in the body, as Dribbble documents).

Put the code, or the whole URL your browser landed on, into \`code\`; the pre-request script takes the code out of a URL and checks its \`state\`. On success the token is saved into the environment's \`access_token\`. On an OAuth error the test fails with the error and what to do: \`invalid_grant\` means the code was used, expired (about 10 minutes), or the redirect URI differs; authorize again.`,
        },
        response: [],
      },
      {
        name: ITEM_GET_USER,
        event: [script('test', GET_USER_TEST)],
        // The Bearer token goes to the API's origin only.
        protocolProfileBehavior: { followRedirects: false },
        request: {
          method: 'GET',
          header: [ACCEPT_JSON],
          url: url('api_base_url', 'user'),
          description:
            'The user the token belongs to. Signed by the collection-level OAuth 2.0 auth with `Authorization: Bearer {{access_token}}`. The API allows 60 requests a minute; see the `X-RateLimit-*` response headers.',
        },
        response: [],
      },
    ],
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
