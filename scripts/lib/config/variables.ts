// The one table every file and command is derived from: PRODUCT.md's "Variables".

export type VariableKey =
  | 'client_id'
  | 'client_secret'
  | 'redirect_uri'
  | 'scope'
  | 'code'
  | 'state'
  | 'code_verifier'
  | 'access_token'
  | 'oauth_origin'
  | 'api_origin';

export interface VariableDefinition {
  key: VariableKey;
  /** Environment variable (and .env key) that sets it; absent for values the tool generates. */
  envName?: string;
  /** Command-line flag that sets it. */
  flag?: string;
  secret: boolean;
  defaultValue: string;
  /** What a person reads in Postman and in .env.example. */
  description: string;
  /**
   * For an origin: the one path a value may also carry (the older base-URL form, as in an
   * existing .env), dropped on reading; every request appends its own path to the origin.
   */
  originPath?: string;
  /** The key this variable had before (a Postman environment exported then still uses it). */
  formerKey?: string;
}

export const VARIABLES: readonly VariableDefinition[] = [
  {
    key: 'client_id',
    envName: 'DRIBBBLE_CLIENT_ID',
    flag: 'client-id',
    secret: false,
    defaultValue: '',
    description: "Client ID from your application's page on Dribbble (Account settings > Applications).",
  },
  {
    key: 'client_secret',
    envName: 'DRIBBBLE_CLIENT_SECRET',
    flag: 'client-secret',
    secret: true,
    defaultValue: '',
    description: "Client Secret from the same page. Keep it out of git and out of shared Postman workspaces.",
  },
  {
    key: 'redirect_uri',
    envName: 'DRIBBBLE_REDIRECT_URI',
    flag: 'redirect-uri',
    secret: false,
    defaultValue: '',
    description: "Callback URL registered for the application, byte for byte (for example http://127.0.0.1:8738/auth/dribbble/callback).",
  },
  {
    key: 'scope',
    envName: 'DRIBBBLE_SCOPE',
    flag: 'scope',
    secret: false,
    defaultValue: 'public',
    description: 'Space-separated scopes: "public" (read) or "public upload".',
  },
  {
    key: 'code',
    envName: 'DRIBBBLE_CODE',
    flag: 'code',
    secret: true,
    defaultValue: '',
    description: 'One-time authorization code (or the whole callback URL it came back on); single use, expires after about 10 minutes.',
  },
  {
    key: 'state',
    secret: false,
    defaultValue: '',
    description: 'Random value generated for each authorization and checked when the browser comes back.',
  },
  {
    key: 'code_verifier',
    secret: true,
    defaultValue: '',
    description: 'PKCE code verifier generated for each authorization; leave empty to authorize without PKCE.',
  },
  {
    key: 'access_token',
    envName: 'DRIBBBLE_ACCESS_TOKEN',
    secret: true,
    defaultValue: '',
    description: 'Access token saved by "Exchange code for token"; sent as Authorization: Bearer to the API.',
  },
  {
    key: 'oauth_origin',
    envName: 'DRIBBBLE_OAUTH_URL',
    flag: 'oauth-url',
    secret: false,
    defaultValue: 'https://dribbble.com',
    description: 'Origin of the authorization server (scheme, host and port; requests add /oauth/authorize and /oauth/token). A value ending in /oauth is accepted too.',
    originPath: '/oauth',
    formerKey: 'oauth_base_url',
  },
  {
    key: 'api_origin',
    envName: 'DRIBBBLE_API_URL',
    flag: 'api-url',
    secret: false,
    defaultValue: 'https://api.dribbble.com',
    description: 'Origin of the Dribbble API (requests add /v2/...). A value ending in /v2 is accepted too.',
    originPath: '/v2',
    formerKey: 'api_base_url',
  },
];

export type VariableValues = Partial<Record<VariableKey, string>>;

export function findVariable(key: VariableKey): VariableDefinition {
  const found = VARIABLES.find((v) => v.key === key);
  if (!found) throw new Error(`unknown variable ${key}`);
  return found;
}

/** "--client-id or DRIBBBLE_CLIENT_ID": how a user sets a value, for error messages. */
export function describeVariableInputs(key: VariableKey): string {
  const v = findVariable(key);
  const ways = [v.flag && `--${v.flag}`, v.envName].filter(Boolean);
  return ways.length ? ways.join(' or ') : `the Postman variable ${key}`;
}
