// The collection's own scripts, as JavaScript source for Postman's sandbox. They are written to
// survive translation by other clients: Bruno's converter maps pm.variables/pm.environment/
// pm.test/pm.expect/pm.response/pm.execution.skipRequest, but not the request-editing API, so
// every edit of the request is guarded and, where it cannot run, says so in the console instead
// of throwing. Header names are read in lower case (Bruno's res.getHeader is case-sensitive).
import { OAUTH_ERROR_MEANINGS } from '../dribbble/oauth-error-meanings.js';
import { RATE_LIMITS, SHOT_STATUS_ITEM, type ApiEndpoint } from '../dribbble/api-v2.js';
import type { JsonSchema } from './schemas.js';

/** Poll of a 202's Location in a run: bounded, so a shot that never appears fails the run. */
export const SHOT_POLL = { delayMs: 1000, maxTries: 30 } as const;

// Bruno's translation of pm.variables.get reads only runtime variables: ask the environment too.
const VALUE_HELPER = `
function value(name) {
    var found = pm.variables.get(name);
    if (found === undefined || found === null || found === '') found = pm.environment.get(name);
    return found === undefined || found === null ? '' : String(found);
}`;

// Sandbox helper shared by the scripts that read a callback URL.
const QUERY_PARAM_HELPER = `
function queryParam(url, name) {
    var match = new RegExp('[?&#]' + name + '=([^&#]*)').exec(url);
    return match ? decodeURIComponent(match[1].replace(/\\+/g, ' ')) : undefined;
}`;

// A small JSON Schema check (type, required, properties, items): plain JavaScript, so it runs in
// every client's sandbox. A null field is accepted: Dribbble sends null for what is not set.
const SHAPE_HELPER = `
function shapeProblems(data, schema, path) {
    var problems = [];
    if (!schema || !schema.type) return problems;
    var actual = data === null ? 'null' : Array.isArray(data) ? 'array' : typeof data;
    var ok = schema.type === 'integer' ? typeof data === 'number' && data % 1 === 0 : schema.type === 'number' ? typeof data === 'number' : actual === schema.type;
    if (!ok) return [path + ': expected ' + schema.type + ', got ' + actual];
    if (schema.type === 'array' && schema.items) {
        data.forEach(function (entry, index) { problems = problems.concat(shapeProblems(entry, schema.items, path + '[' + index + ']')); });
    }
    if (schema.type === 'object') {
        (schema.required || []).forEach(function (key) { if (!(key in data)) problems.push(path + '.' + key + ': missing'); });
        Object.keys(schema.properties || {}).forEach(function (key) {
            if (key in data && data[key] !== null) problems = problems.concat(shapeProblems(data[key], schema.properties[key], path + '.' + key));
        });
    }
    return problems;
}`;

const MEANINGS_LINE = `var MEANINGS = ${JSON.stringify(OAUTH_ERROR_MEANINGS)};`;

export const AUTHORIZE_PRE_REQUEST = `
${VALUE_HELPER}
// A code is there already (a bare code or the callback URL, say from newman --env-var code=...):
// Authorize stands aside, so that this very code is exchanged.
if (value('code').trim()) {
    pm.execution.skipRequest();
} else {
    // A fresh state for each authorization: the test script below clears it once used.
    if (!value('state')) {
        var guid = String(pm.variables.replaceIn('{{$guid}}'));
        // A client without Postman's {{$guid}} leaves it as written: fall back to random hex.
        if (guid.indexOf('{{') >= 0) guid = (Math.random().toString(16).slice(2) + Math.random().toString(16).slice(2) + Math.random().toString(16).slice(2)).slice(0, 32);
        pm.environment.set('state', guid.replace(/-/g, ''));
    }
    // PKCE (S256) only when a code_verifier is set: send both halves of the pair or neither.
    var verifier = value('code_verifier');
    if (verifier) {
        var CryptoJS;
        try { CryptoJS = require('crypto-js'); } catch (e) { CryptoJS = undefined; }
        if (CryptoJS) {
            var challenge = CryptoJS.SHA256(verifier).toString(CryptoJS.enc.Base64)
                .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
            pm.variables.set('code_challenge', challenge);
        } else {
            console.log('Authorize: crypto-js is not available in this client, so the PKCE challenge is not computed: set code_challenge to BASE64URL(SHA-256(code_verifier)) by hand.');
        }
    }
    // Postman sends query values as they are: encode them, so that a redirect_uri holding ? or &
    // reaches the server as the same string the token request's form carries. The PKCE rows
    // are disabled in the file and enabled here when a verifier is set.
    var values = { client_id: 'client_id', redirect_uri: 'redirect_uri', scope: 'scope', state: 'state' };
    var query = pm.request.url && pm.request.url.query;
    if (query && typeof query.each === 'function') {
        query.each(function (param) {
            if (values[param.key]) param.value = encodeURIComponent(value(values[param.key]));
            if (param.key === 'code_challenge' || param.key === 'code_challenge_method') param.disabled = !verifier;
        });
    } else {
        console.log('Authorize: this client does not let a script edit the query; values go as typed' + (verifier ? ', and the code_challenge rows must be enabled by hand for PKCE.' : '.'));
    }
}`;

export const AUTHORIZE_TEST = `
${VALUE_HELPER}
${QUERY_PARAM_HELPER}
${MEANINGS_LINE}
var location = pm.response.headers.get('location') || '';
var redirectUri = value('redirect_uri');
var expectedState = value('state');
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
    // The CSRF check: a code that came back with another state is not ours to exchange.
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

export const EXCHANGE_PRE_REQUEST = `
${VALUE_HELPER}
${QUERY_PARAM_HELPER}
// Accept the whole callback URL pasted into {{code}}: take the code out of it.
var pasted = value('code').trim();
var refusal = pasted ? '' : 'The code variable is empty: run Authorize, or put the code (or the URL the browser landed on after approving) into code.';
if (/[?&#](code|error)=/.test(pasted)) {
    var error = queryParam(pasted, 'error');
    var returnedState = queryParam(pasted, 'state');
    var expectedState = value('state');
    refusal = error
        ? 'The callback URL says the authorization failed: ' + error + ' ' + (queryParam(pasted, 'error_description') || '')
        : (expectedState && returnedState && returnedState !== expectedState)
            ? 'The state in the callback URL does not match the authorization that was started: authorize again.'
            : '';
    pm.variables.set('code', queryParam(pasted, 'code') || '');
}
// The code_verifier row is disabled in the file: enabled only when set, since a strict server
// treats an empty code_verifier as present.
var verifier = value('code_verifier');
var form = pm.request.body && pm.request.body.urlencoded;
if (form && typeof form.each === 'function') {
    form.each(function (param) { if (param.key === 'code_verifier') param.disabled = !verifier; });
} else if (verifier) {
    console.log('Exchange code for token: this client does not let a script edit the form; enable the code_verifier row by hand for PKCE.');
}
// Fail visibly, then skip: skipRequest ends the script, so it comes last.
if (refusal) {
    pm.test('Exchange: a usable code', function () { pm.expect.fail(refusal); });
    pm.execution.skipRequest();
}`;

export const EXCHANGE_TEST = `
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
        pm.expect.fail('Expected 200 with an access_token, got ' + pm.response.code + ': ' + String(pm.response.text()).split('\\n')[0].slice(0, 200));
    });
}`;

/**
 * What an API request needs before it goes: a token, and the ids its path is built from. An id
 * that a run may not have yet (`waitFor`: Dribbble answers some creations without one) makes the
 * request stand aside with a passing note that says why, instead of failing the run.
 */
export function apiPreRequest(name: string, needs: ReadonlyArray<{ variable: string; from: string }>, waitFor?: { variable: string; from: string }): string {
  const checks = needs.map((n) => `    value(${JSON.stringify(n.variable)}) ? '' : ${JSON.stringify(`the ${n.variable} variable is empty: ${n.from}.`)},`).join('\n');
  const standAside = waitFor
    ? ` else if (!value(${JSON.stringify(waitFor.variable)})) {
    pm.test(${JSON.stringify(`${name}: skipped, no ${waitFor.variable} yet (${waitFor.from})`)}, function () {});
    pm.execution.skipRequest();
}`
    : '';
  return `
${VALUE_HELPER}
var missing = [
    value('access_token').trim() ? '' : 'the access_token variable is empty: run "Exchange code for token" first.',
${checks}
].filter(Boolean);
// Fail visibly, then skip: skipRequest ends the script, so it comes last.
if (missing.length) {
    pm.test(${JSON.stringify(`${name}: ready to send`)}, function () { pm.expect.fail(missing.join(' ')); });
    pm.execution.skipRequest();
}${standAside}`;
}

/** An attachment's 202: Dribbble's docs promise no Location, but when one comes, its last segment is the id. */
export const KEEP_ATTACHMENT_LOCATION = `
var created = pm.response.headers.get('location') || '';
var createdId = created.split('?')[0].replace(/\\/+$/, '').split('/').pop();
if (/^\\d+$/.test(createdId)) pm.environment.set('attachment_id', createdId);`;

/** A shot's answer lists its processed attachments: keep the newest one's id for "Delete an attachment". */
export const KEEP_ATTACHMENT_ID = `if (body && body.attachments && body.attachments.length) pm.environment.set('attachment_id', String(body.attachments[body.attachments.length - 1].id));`;

/** What this request may say beyond its success, in words that say what to do. */
function explanations(endpoint: Pick<ApiEndpoint, 'scope' | 'condition' | 'approvedAppsOnly'>): Record<number, string> {
  return {
    401: 'the access token is missing, invalid or revoked: run "Exchange code for token" again.',
    403: endpoint.approvedAppsOnly
      ? 'only apps Dribbble has approved may call this.'
      : endpoint.scope === 'upload'
        ? `the token lacks the "upload" scope (authorize again with scope "public upload")${endpoint.condition ? `, or ${endpoint.condition}` : ''}.`
        : `refused${endpoint.condition ? `: ${endpoint.condition}` : ''}.`,
    404: 'not found: the id does not exist, or it is not the user\'s own.',
    422: 'the server refused the values sent:',
    429: `rate limit exceeded (${RATE_LIMITS.perMinute} a minute, ${RATE_LIMITS.perDay} a day); try again after X-RateLimit-Reset (epoch seconds):`,
  };
}

export interface ApiTestSpec {
  name: string;
  status: number;
  schema?: JsonSchema;
  scope?: ApiEndpoint['scope'];
  condition?: string;
  approvedAppsOnly?: boolean;
  /** Source run after the success test: keeps what the next requests need. */
  afterSuccess?: string;
  /** Source for a 404 that means "not yet" (the processing poll) rather than an error. */
  onNotFound?: string;
}

export function apiTest(spec: ApiTestSpec): string {
  const expected = { name: spec.name, status: spec.status, schema: spec.schema ?? null, approvedAppsOnly: Boolean(spec.approvedAppsOnly) };
  return `
${VALUE_HELPER}
${SHAPE_HELPER}
var EXPECTED = ${JSON.stringify(expected)};
var EXPLAIN = ${JSON.stringify(explanations(spec))};
var code = pm.response.code;
var body;
try { body = pm.response.json(); } catch (e) { body = undefined; }
if (code === EXPECTED.status) {
    pm.test(EXPECTED.name + ': ' + code + (EXPECTED.schema ? ' with the documented shape' : ''), function () {
        var problems = EXPECTED.schema ? shapeProblems(body, EXPECTED.schema, 'answer') : [];
        if (problems.length) pm.expect.fail('the answer does not have the documented shape: ' + problems.join('; '));
    });${spec.afterSuccess ? `\n${indent(spec.afterSuccess)}` : ''}
} else if (code === 403 && EXPECTED.approvedAppsOnly) {
    // As documented: an app Dribbble has not approved gets 403 here, which is not a failure of the request.
    pm.test(EXPECTED.name + ': 403, as documented for an app Dribbble has not approved', function () {
        pm.expect(code).to.equal(403);
    });
}${spec.onNotFound ? ` else if (code === 404) {\n${indent(spec.onNotFound)}\n}` : ''} else {
    var said = body && body.message ? ' The server said: ' + body.message : '';
    var listed = body && body.errors ? ' ' + JSON.stringify(body.errors) : '';
    var reset = code === 429 ? ' ' + (pm.response.headers.get('x-ratelimit-reset') || 'unknown') + '.' : '';
    pm.test(EXPECTED.name + ': ' + EXPECTED.status, function () {
        pm.expect.fail(code + ': ' + (EXPLAIN[code] || 'expected ' + EXPECTED.status + '.') + reset + listed + said);
    });
}`;
}

const indent = (source: string) => source.trim().split('\n').map((line) => `    ${line}`).join('\n');

/** Create a shot: keep the 202's Location for the poll, and start the poll's count afresh. */
export const KEEP_SHOT_LOCATION = `
var shotLocation = pm.response.headers.get('location') || '';
pm.test(EXPECTED.name + ': a Location to poll', function () { pm.expect(shotLocation, 'Location header').to.match(/^https?:\\/\\//); });
pm.environment.set('shot_location', shotLocation);
pm.variables.set('shot_poll_count', '0');`;

/** Shot processing status: a 404 means "still processing"; in a run, ask again after a delay, a bounded number of times. */
export const POLL_SHOT_LOCATION = `
var tries = Number(value('shot_poll_count') || 0) + 1;
pm.variables.set('shot_poll_count', String(tries));
var canRepeat = typeof pm.execution.setNextRequest === 'function';
if (canRepeat && tries < ${SHOT_POLL.maxTries}) {
    pm.test(EXPECTED.name + ': still processing (404); asking again in ${SHOT_POLL.delayMs / 1000} s (try ' + tries + ' of ${SHOT_POLL.maxTries})', function () {
        pm.expect(code).to.equal(404);
    });
    setTimeout(function () { pm.execution.setNextRequest(${JSON.stringify(SHOT_STATUS_ITEM)}); }, ${SHOT_POLL.delayMs});
} else {
    pm.test(EXPECTED.name + ': still processing (404)', function () {
        pm.expect.fail(canRepeat
            ? 'the shot was still processing after ${SHOT_POLL.maxTries} tries: send this request again later.'
            : 'the shot is still processing: send this request again in a few seconds.');
    });
}`;

export const keepId = (variable: string) => `if (body && body.id !== undefined) pm.environment.set(${JSON.stringify(variable)}, String(body.id));`;

