// The endpoint catalogue: every documented endpoint, found by method and path as users write them.
import { describe, expect, test } from 'vitest';
import { API_ENDPOINTS, findEndpoint, matchEndpoint } from '../../scripts/lib/dribbble/api-v2.js';

describe('findEndpoint', () => {
  test.each([
    ['GET', '/user', 'Get authenticated user'],
    ['get', '/v2/user/', 'Get authenticated user'],
    ['GET', '/user/shots?page=2', 'List my shots'],
    ['GET', '/shots/471756', 'Get a shot'],
    ['PUT', '/v2/shots/1', 'Update a shot'],
    ['DELETE', '/shots/1/attachments/2', 'Delete an attachment'],
    ['POST', '/shots/1/attachments', 'Create an attachment'],
    ['GET', '/popular_shots', 'List popular shots'],
    ['GET', '/v2/user//', 'Get authenticated user'], // every trailing slash dropped, not just one
  ])('%s %s is %s', (method, path, name) => {
    expect(findEndpoint(method, path)?.name).toBe(name);
  });

  test.each([['GET', '/shots'], ['POST', '/user'], ['GET', '/shots/1/extra'], ['GET', '/v2'], ['GET', '/'], ['GET', '/v2/']])('%s %s is no endpoint', (method, path) => {
    expect(findEndpoint(method, path)).toBeUndefined();
  });

  test('names are unique and every method and path is one endpoint', () => {
    expect(new Set(API_ENDPOINTS.map((e) => e.name)).size).toBe(API_ENDPOINTS.length);
    expect(new Set(API_ENDPOINTS.map((e) => `${e.method} ${e.path}`)).size).toBe(API_ENDPOINTS.length);
    for (const e of API_ENDPOINTS) expect(findEndpoint(e.method, e.path.replace(/:[a-z_]+/g, '7'))).toBe(e);
  });
});

describe('matchEndpoint', () => {
  test('path parameters are percent-decoded; one that cannot be decoded is kept as sent', () => {
    expect(matchEndpoint('GET', '/v2/shots/a%20b?x=1')?.params).toEqual({ id: 'a b' });
    expect(matchEndpoint('GET', '/shots/%E0%A4%A')?.params).toEqual({ id: '%E0%A4%A' });
  });
});
