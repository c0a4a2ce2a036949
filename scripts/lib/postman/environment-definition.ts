// Postman environments derived from the variable table: one for the real Dribbble (no secret
// values, safe to commit and share) and one for the bundled mock server (its public demo app).
import { MOCK_DEMO_CLIENT, mockOrigin } from '../mock/mock-defaults.js';
import { VARIABLES, type VariableKey, type VariableValues } from '../config/variables.js';

export interface PostmanEnvironmentValue {
  key: string;
  value: string;
  type: 'default' | 'secret';
  enabled: true;
}
export interface PostmanEnvironment {
  id: string;
  name: string;
  values: PostmanEnvironmentValue[];
  _postman_variable_scope: 'environment';
}

export const DRIBBBLE_ENVIRONMENT_ID = '0b5e3c1d-7a2f-4e8b-9c6d-1f2a3b4c5d6e';
export const MOCK_ENVIRONMENT_ID = '8c9d0e1f-2a3b-4c5d-8e7f-9a0b1c2d3e4f';

/** Every variable of the table, in its order; secrets typed `secret` so Postman masks them. */
export function buildEnvironment(id: string, name: string, values: VariableValues): PostmanEnvironment {
  return {
    id,
    name,
    values: VARIABLES.map((v) => ({
      key: v.key,
      value: values[v.key] ?? v.defaultValue,
      type: v.secret ? 'secret' : 'default',
      enabled: true,
    })),
    _postman_variable_scope: 'environment',
  };
}

export function buildDribbbleEnvironment(): PostmanEnvironment {
  return buildEnvironment(DRIBBBLE_ENVIRONMENT_ID, 'Dribbble', {});
}

export function buildMockEnvironment(): PostmanEnvironment {
  const values: Partial<Record<VariableKey, string>> = {
    client_id: MOCK_DEMO_CLIENT.clientId,
    client_secret: MOCK_DEMO_CLIENT.clientSecret,
    redirect_uri: MOCK_DEMO_CLIENT.redirectUri,
    oauth_origin: mockOrigin(),
    api_origin: mockOrigin(),
  };
  return buildEnvironment(MOCK_ENVIRONMENT_ID, 'Dribbble mock', values);
}
