// The Postman collection, assembled: the OAuth folder, one folder per API resource, the
// collection-level OAuth 2.0 helper (with PKCE) and the variables. `npm run generate` renders it.
import { SHOT_STATUS_ITEM } from '../dribbble/api-v2.js';
import { VARIABLES } from '../config/variables.js';
import { API_COLLECTION_VARIABLES, apiFolders } from './api-items.js';
import { POSTMAN_SCHEMA_URL, type CollectionVariable, type PostmanCollection } from './collection-types.js';
import { AUTHORIZE_PATH, OAUTH_ORIGIN_VARIABLE, TOKEN_PATH, oauthFolder } from './oauth-items.js';

export type { PostmanCollection, PostmanFolder, PostmanItem } from './collection-types.js';

export const COLLECTION_NAME = 'Dribbble OAuth 2.0';
// Fixed so that re-importing into Postman replaces the collection instead of duplicating it.
export const COLLECTION_ID = '6f1c2a4e-5b7d-4c1e-9a8f-d2b0c3e4f5a6';
/** The callback Postman's helper uses with "Authorize using browser": the app must have it registered. */
export const POSTMAN_BROWSER_CALLBACK = 'https://oauth.pstmn.io/v1/callback';

const COLLECTION_DESCRIPTION = `Dribbble's OAuth 2.0 authorization-code flow and every documented endpoint of API v2.

**OAuth** (no auth): 1. **Authorize** builds the consent URL: open it in a browser, approve, and copy the URL the browser lands on into the \`code\` variable. 2. **Exchange code for token** trades the code (or that whole URL) for an access token, saved into \`access_token\`.

**User, Shots, Attachments, Projects, Approved apps only**: each API request is signed with \`Authorization: Bearer\` and the \`access_token\` variable, says its scope and conditions, has its optional parameters present but disabled, checks its answer's status and shape, and has saved examples of every answer it can give. The upload ("Create a shot") answers 202 with a \`Location\`, which "${SHOT_STATUS_ITEM}" polls until the shot is processed.

Select the environment "Dribbble" (real server) or "Dribbble mock" (the bundled mock server, \`npm run mock\`). Put \`client_id\`, \`client_secret\` and \`redirect_uri\` (your app's Callback URL, exactly as registered) in the environment's *current values* only, so secrets never sync to a shared workspace. \`oauth_origin\` and \`api_origin\` are origins (scheme, host, port); each request adds its path (\`/oauth/...\`, \`/v2/...\`).

**Postman's helper (Authorization tab > Get New Access Token):** authorization code with PKCE (S256; Postman makes a code verifier when \`code_verifier\` is empty). With *Authorize using browser* Postman uses the callback ${POSTMAN_BROWSER_CALLBACK}: Dribbble accepts it only if that is the Callback URL registered for your app (one per app, so a separate Dribbble app for Postman is simplest). Without it, the callback is \`redirect_uri\`. After *Use Token*, copy the token into the \`access_token\` variable's current value: the API requests sign with that variable, so every client (Newman, Bruno, Insomnia) signs them the same way.

**With Newman:** \`newman run <this file> -e <environment> --env-var code='<the URL the browser landed on>' --env-var shot_image=<an 800x600 PNG>\`. When \`code\` is set, Authorize stands aside and that very code is exchanged; without it, Authorize's failed test prints the URL to open in a browser. Do not use \`--export-environment\` or \`--verbose\` with secrets: Newman writes and prints them in clear.

**Tokens and the shared file:** Postman's *Use Token* writes the literal token into this collection's *Authorization* tab, and Postman exports and syncs it. This project's \`npm run check-secrets\` (and the git pre-commit hook it installs) refuses to commit a collection holding one, and \`npm run sanitize -- <file>\` puts the variable reference back.

Codes are single use and expire after about 10 minutes. Dribbble tokens do not expire.`;

/** Defined here so that every variable the collection uses resolves even without an environment. */
function collectionVariables(): CollectionVariable[] {
  const table = VARIABLES.filter((v) => !v.secret && v.defaultValue).map((v) => ({ key: v.key, value: v.defaultValue, type: 'string' as const, description: v.description }));
  const own = [
    { key: 'code_challenge', description: 'PKCE S256 challenge, computed by Authorize\'s pre-request script from code_verifier.' },
    ...API_COLLECTION_VARIABLES,
  ].map((v) => ({ key: v.key, value: '', type: 'string' as const, description: v.description }));
  return [...table, ...own];
}

export function buildCollection(): PostmanCollection {
  return {
    info: {
      _postman_id: COLLECTION_ID,
      name: COLLECTION_NAME,
      description: COLLECTION_DESCRIPTION,
      schema: POSTMAN_SCHEMA_URL,
    },
    item: [oauthFolder(), ...apiFolders()],
    variable: collectionVariables(),
    // For Postman's own helper; the requests themselves sign with {{access_token}}.
    auth: {
      type: 'oauth2',
      oauth2: [
        { key: 'accessToken', value: '{{access_token}}', type: 'string' },
        { key: 'addTokenTo', value: 'header', type: 'string' },
        { key: 'headerPrefix', value: 'Bearer', type: 'string' },
        { key: 'tokenName', value: 'Dribbble', type: 'string' },
        { key: 'grant_type', value: 'authorization_code_with_pkce', type: 'string' },
        { key: 'challengeAlgorithm', value: 'S256', type: 'string' },
        { key: 'code_verifier', value: '{{code_verifier}}', type: 'string' },
        { key: 'authUrl', value: `{{${OAUTH_ORIGIN_VARIABLE}}}${AUTHORIZE_PATH}`, type: 'string' },
        { key: 'accessTokenUrl', value: `{{${OAUTH_ORIGIN_VARIABLE}}}${TOKEN_PATH}`, type: 'string' },
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
