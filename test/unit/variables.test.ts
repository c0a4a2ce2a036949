// The one variable table: every file and command derives from it, so its shape is a promise.
import { describe, expect, test } from 'vitest';
import { describeVariableInputs, findVariable, VARIABLES } from '../../scripts/lib/config/variables.js';

describe('VARIABLES', () => {
  test('keys are unique, and so are environment names and flags', () => {
    for (const field of ['key', 'envName', 'flag'] as const) {
      const values = VARIABLES.map((v) => v[field]).filter((x) => x !== undefined);
      expect(new Set(values).size, field).toBe(values.length);
    }
  });

  test('the secrets are exactly client_secret, code, code_verifier and access_token', () => {
    expect(VARIABLES.filter((v) => v.secret).map((v) => v.key)).toEqual(['client_secret', 'code', 'code_verifier', 'access_token']);
  });

  test('environment names are DRIBBBLE_*; flags are kebab-case; every variable is described', () => {
    for (const v of VARIABLES) {
      if (v.envName) expect(v.envName).toMatch(/^DRIBBBLE_[A-Z_]+$/);
      if (v.flag) expect(v.flag).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(v.description.length).toBeGreaterThan(20);
    }
  });

  test('generated values (state, code_verifier) have no environment name or flag; the access token no flag', () => {
    for (const key of ['state', 'code_verifier'] as const) {
      expect(findVariable(key).envName).toBeUndefined();
      expect(findVariable(key).flag).toBeUndefined();
    }
    expect(findVariable('access_token').envName).toBe('DRIBBBLE_ACCESS_TOKEN');
    expect(findVariable('access_token').flag).toBeUndefined();
  });

  test('defaults: scope "public" and the Dribbble URLs; nothing else has one', () => {
    const defaults = Object.fromEntries(VARIABLES.filter((v) => v.defaultValue !== '').map((v) => [v.key, v.defaultValue]));
    expect(Object.keys(defaults)).toHaveLength(3);
    expect(defaults.scope).toBe('public');
    expect(Object.values(defaults).filter((d) => d.startsWith('https://'))).toHaveLength(2);
  });

  test('each settable variable pairs its flag with its environment name', () => {
    expect(findVariable('client_id')).toMatchObject({ envName: 'DRIBBBLE_CLIENT_ID', flag: 'client-id', secret: false });
    expect(findVariable('client_secret')).toMatchObject({ envName: 'DRIBBBLE_CLIENT_SECRET', flag: 'client-secret', secret: true });
    expect(findVariable('redirect_uri')).toMatchObject({ envName: 'DRIBBBLE_REDIRECT_URI', flag: 'redirect-uri' });
    expect(findVariable('code')).toMatchObject({ envName: 'DRIBBBLE_CODE', flag: 'code', secret: true });
    expect(findVariable('scope')).toMatchObject({ envName: 'DRIBBBLE_SCOPE', flag: 'scope' });
  });
});

describe('findVariable and describeVariableInputs', () => {
  test('an unknown key is a bug, thrown as such', () => {
    expect(() => findVariable('nope' as never)).toThrow('unknown variable nope');
  });

  test('names the flag and the variable, or the Postman variable when neither exists', () => {
    expect(describeVariableInputs('client_id')).toBe('--client-id or DRIBBBLE_CLIENT_ID');
    expect(describeVariableInputs('access_token')).toBe('DRIBBBLE_ACCESS_TOKEN');
    expect(describeVariableInputs('state')).toBe('the Postman variable state');
  });
});
