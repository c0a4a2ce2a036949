// The in-memory run collection: the one item at its depth with its folders, the user's values in
// place (query rows enabled, path variables, JSON and form-data bodies, files), test scripts
// dropped, and the pagination loop added; and the runner's selection of items at any depth.
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, test } from 'vitest';
import { buildApiCall } from '../../scripts/lib/api/api-arguments.js';
import { NEXT_URL_VARIABLE, PAGES_LEFT_VARIABLE, buildRunCollection, findItemPath } from '../../scripts/lib/api/run-collection.js';
import { selectItems } from '../../scripts/lib/newman/newman-runner.js';
import type { PostmanCollection } from '../../scripts/lib/postman/collection-types.js';

const collection = JSON.parse(readFileSync(new URL('../../collections/dribbble-oauth.postman_collection.json', import.meta.url), 'utf8')) as PostmanCollection;
type Loose = Record<string, any>;
const onlyItem = (c: PostmanCollection): Loose => {
  let entry = c.item[0] as Loose;
  while (entry.item) entry = entry.item[0];
  return entry;
};

describe('buildRunCollection', () => {
  test('GET with -f: the disabled per_page row enabled with the value, test scripts gone, the loop added', () => {
    const call = buildApiCall(['GET', '/user/shots'], [['per_page', '100']], []);
    const run = buildRunCollection(collection, call, { loop: { passes: 3, origin: 'https://api.dribbble.com' } });
    expect(run.item).toHaveLength(1);
    const item = onlyItem(run);
    expect(item.name).toBe('List my shots');
    expect(item.request.url.query.find((q: Loose) => q.key === 'per_page')).toMatchObject({ value: '100', disabled: false });
    expect(item.request.url.raw).toMatch(/\?per_page=100$/);
    const tests = item.event.filter((e: Loose) => e.listen === 'test');
    expect(tests).toHaveLength(1);
    expect(tests[0].script.exec.join('\n')).toContain('setNextRequest(pm.info.requestName)');
    expect((run as Loose).variable).toEqual(expect.arrayContaining([{ key: PAGES_LEFT_VARIABLE, value: '3', type: 'string' }, { key: NEXT_URL_VARIABLE, value: '', type: 'string' }]));
  });

  test('path parameters become the collection variables the URL reads', () => {
    const call = buildApiCall(['GET', '/shots/42'], [], []);
    const run = buildRunCollection(collection, call, { pathVariables: { shot_id: '42' } }) as Loose;
    expect(run.variable.filter((v: Loose) => v.key === 'shot_id')).toEqual([{ key: 'shot_id', value: '42', type: 'string' }]);
    expect(onlyItem(run as PostmanCollection).request.url.raw).toContain('{{shot_id}}');
  });

  test('multipart: fields set and enabled, tags as tags[] rows, the image a file from the staged folder', () => {
    const call = buildApiCall(['POST', '/shots'], [['title', 'T'], ['tags', 'a,b']], [['image', '/somewhere/shot.png']]);
    const item = onlyItem(buildRunCollection(collection, call, { fileNames: { image: '0-image.png' } }));
    const rows = item.request.body.formdata.filter((r: Loose) => !r.disabled);
    expect(rows).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'title', value: 'T', type: 'text' }), expect.objectContaining({ key: 'tags[]', value: 'a' }), expect.objectContaining({ key: 'tags[]', value: 'b' }), expect.objectContaining({ key: 'image', type: 'file', src: '0-image.png' })]));
    expect(rows.filter((r: Loose) => r.key === 'image')).toHaveLength(1);
  });

  test('JSON body: exactly the fields given, typed', () => {
    const call = buildApiCall(['Update a shot'], [['id', '1'], ['title', 'New'], ['low_profile', 'true']], []);
    const item = onlyItem(buildRunCollection(collection, call, { pathVariables: { shot_id: '1' } }));
    expect(JSON.parse(item.request.body.raw)).toEqual({ title: 'New', low_profile: true });
  });

  test('the collection is left as it was', () => {
    const before = JSON.stringify(collection);
    buildRunCollection(collection, buildApiCall(['POST', '/shots'], [['title', 'T']], []), { fileNames: { image: 'x.png' } });
    expect(JSON.stringify(collection)).toBe(before);
  });

  test('findItemPath: the folders on the way', () => {
    expect(findItemPath(collection.item as never, 'Get a shot')!.map((e) => e.name)).toEqual(['Shots', 'Get a shot']);
    expect(findItemPath(collection.item as never, 'Nothing')).toBeUndefined();
  });
});

describe('selectItems', () => {
  test('items at any depth, their folders kept, everything else dropped, collection order', () => {
    const selected = selectItems(collection, ['Get a shot', 'Get authenticated user', 'Exchange code for token']) as Loose;
    expect(selected.item.map((f: Loose) => f.name)).toEqual(['OAuth', 'User', 'Shots']);
    expect(selected.item.map((f: Loose) => f.item.map((i: Loose) => i.name))).toEqual([['Exchange code for token'], ['Get authenticated user'], ['Get a shot']]);
    expect(selectItems(collection, []).item).toEqual([]);
  });
});

describe('only what the call gives', () => {
  test("the item's example values are not sent: a form row not given is disabled, a JSON body holds only the fields given", () => {
    const form = onlyItem(buildRunCollection(collection, buildApiCall(['POST', '/shots'], [['description', 'd']], []), {}));
    const enabled = form.request.body.formdata.filter((r: Loose) => !r.disabled).map((r: Loose) => r.key);
    expect(enabled).toEqual(['description']);
    const json = onlyItem(buildRunCollection(collection, buildApiCall(['POST', '/projects'], [], []), {}));
    expect(JSON.parse(json.request.body.raw)).toEqual({});
  });
});

// Audit finding: `api "Create a project" -f 'name={{access_token}}'` sent the token as the name.
describe('values go out literally', () => {
  test.each([
    [['POST', '/projects'], [['name', '{{access_token}}']]],
    [['PUT', '/shots/1'], [['title', 'x {{client_secret}} y']]],
    [['POST', '/shots'], [['title', 'T'], ['tags', 'a,{{code_verifier}}']]],
  ] as const)('%j with %j is refused (exit 2) before any run is built', (target, fields) => {
    const call = buildApiCall([...target], fields.map(([k, v]) => [k, v] as [string, string]), target[1] === '/shots' ? [['image', '/x/shot.png']] : []);
    let error: unknown;
    try {
      buildRunCollection(collection, call, { pathVariables: {}, fileNames: target[1] === '/shots' ? { image: 'shot.png' } : {} });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ exitCode: 2, code: 'unsafe_value' });
    expect(String((error as Error).message)).toMatch(/contains "\{\{"/);
  });
});

// The pagination loop's own script, run as it ships in a vm with a small fake pm (collection
// variables, the request as Newman sent it, the answer): what it follows and where it stops.
describe('the loop script inside Newman', () => {
  const origin = 'https://api.dribbble.com';
  function pass(answer: { code?: number; headers: Record<string, string> }, sentUrl: string, variables: Record<string, string> = {}) {
    const call = buildApiCall(['GET', '/user/shots'], [], []);
    const item = onlyItem(buildRunCollection(collection, call, { loop: { passes: 5, origin } }));
    const source = item.event.filter((e: Loose) => e.listen === 'test').at(-1).script.exec.join('\n');
    const vars: Record<string, string> = { [PAGES_LEFT_VARIABLE]: '5', ...variables };
    const headers = Object.fromEntries(Object.entries(answer.headers).map(([k, v]) => [k.toLowerCase(), v]));
    let nextRequest: string | null | undefined;
    const pm = {
      collectionVariables: { get: (k: string) => vars[k], set: (k: string, v: string) => void (vars[k] = v) },
      response: { code: answer.code ?? 200, headers: { get: (name: string) => headers[name.toLowerCase()] } },
      request: { url: { toString: () => sentUrl } },
      info: { requestName: 'List my shots' },
      execution: { setNextRequest: (name: string | null) => void (nextRequest = name) },
    };
    runInNewContext(source, { pm });
    return { nextRequest, next: vars[NEXT_URL_VARIABLE] };
  }
  const page1 = `${origin}/v2/user/shots?per_page=100`;

  test('a next link on the origin is followed', () => {
    expect(pass({ headers: { Link: `<${origin}/v2/user/shots?page=2>; rel="next"`, 'X-RateLimit-Remaining': '10' } }, page1)).toEqual({ nextRequest: 'List my shots', next: `${origin}/v2/user/shots?page=2` });
  });

  test('a next link with {{variables}} is not followed (Newman would fill in the secrets)', () => {
    expect(pass({ headers: { Link: `<${origin}/v2/user/shots?page={{client_secret}}&t={{access_token}}>; rel="next"` } }, page1).nextRequest).toBeNull();
  });

  test('an answer saying no request is left stops the loop before the next page is sent', () => {
    expect(pass({ headers: { Link: `<${origin}/v2/user/shots?page=2>; rel="next"`, 'X-RateLimit-Remaining': '0' } }, page1).nextRequest).toBeNull();
  });

  test('a next link back to the URL just sent is a loop, compared with the URL as sent', () => {
    expect(pass({ headers: { Link: `<${page1}>; rel="next"` } }, page1).nextRequest).toBeNull();
  });
});

test('the last gate before Newman: a start URL or variable from a server with "{{" is refused (exit 5)', () => {
  const call = buildApiCall(['GET', '/user/shots'], [], []);
  expect(() => buildRunCollection(collection, call, { loop: { passes: 1, origin: 'https://api.dribbble.com', startUrl: 'https://api.dribbble.com/v2/shots/{{access_token}}' } })).toThrow(expect.objectContaining({ code: 'templated_url', exitCode: 5 }));
  expect(() => buildRunCollection(collection, call, { pathVariables: { shot_location: 'https://api.dribbble.com/v2/shots/1?x={{client_secret}}' } })).toThrow(expect.objectContaining({ code: 'templated_url', exitCode: 5 }));
});
