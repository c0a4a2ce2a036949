// `api` arguments: -f/-F taken out of argv whatever their spelling, the endpoint by name or by
// method and path (with or without /v2, ids in the path), each value sorted to path, query or body.
import { describe, expect, test } from 'vitest';
import { fc, test as fcTest } from '../support/property.js';
import { buildApiCall, extractFieldArguments, selectEndpoint } from '../../scripts/lib/api/api-arguments.js';
import { UsageError } from '../../scripts/lib/core/errors.js';

describe('extractFieldArguments', () => {
  test('every spelling of -f and -F, the rest untouched and in order', () => {
    const parsed = extractFieldArguments(['GET', '-f', 'page=2', '/user/shots', '-fper_page=10', '--field=a=b=c', '--raw-field', 'x=', '-F', 'image=@shot.png', '--file=f=@a b.gif', '--json']);
    expect(parsed.fields).toEqual([['page', '2'], ['per_page', '10'], ['a', 'b=c'], ['x', '']]);
    expect(parsed.files).toEqual([['image', 'shot.png'], ['f', 'a b.gif']]);
    expect(parsed.rest).toEqual(['GET', '/user/shots', '--json']);
  });

  test('after "--" nothing is taken', () => {
    expect(extractFieldArguments(['--', '-f', 'a=1']).rest).toEqual(['--', '-f', 'a=1']);
  });

  test.each([[['-f']], [['-f', 'novalue']], [['-f', '=x']], [['-F', 'image=shot.png']], [['-F', 'image=@']]])('%j is a usage error', (argv) => {
    expect(() => extractFieldArguments(argv)).toThrow(UsageError);
  });

  fcTest.prop([fc.array(fc.tuple(fc.stringMatching(/^[a-z_]{1,8}$/), fc.string()), { maxLength: 6 })])('any -f key=value comes back as given', (pairs) => {
    const argv = pairs.flatMap(([k, v]) => ['-f', `${k}=${v}`]);
    expect(extractFieldArguments(argv).fields).toEqual(pairs);
  });
});

describe('selectEndpoint', () => {
  test.each([
    [['List my shots'], 'List my shots', {}],
    [['list MY shots'], 'List my shots', {}],
    [['Get', 'authenticated', 'user'], 'Get authenticated user', {}],
    [['GET', '/user/shots'], 'List my shots', {}],
    [['GET /v2/user/shots'], 'List my shots', {}],
    [['/user'], 'Get authenticated user', {}],
    [['get', '/v2/shots/471756'], 'Get a shot', { id: '471756' }],
    [['DELETE', '/shots/1/attachments/2'], 'Delete an attachment', { shot: '1', id: '2' }],
  ])('%j is %s', (positionals, name, pathParams) => {
    const found = selectEndpoint(positionals);
    expect(found.endpoint.name).toBe(name);
    expect(found.pathParams).toEqual(pathParams);
  });

  test('a query in the path is kept', () => {
    expect(selectEndpoint(['GET', '/user/shots?page=3&per_page=5']).query).toEqual([
      ['page', '3'],
      ['per_page', '5'],
    ]);
  });

  test.each([[[]], [['Nothing like it']], [['GET', '/nowhere']], [['POST', '/user']], [['FETCH', '/user']]])('%j names no request', (positionals) => {
    expect(() => selectEndpoint(positionals)).toThrow(UsageError);
  });
});

describe('buildApiCall', () => {
  test('GET: -f goes to the query', () => {
    const call = buildApiCall(['GET', '/user/shots'], [['per_page', '100'], ['page', '2']], []);
    expect(call.query).toEqual({ per_page: '100', page: '2' });
    expect(call.body).toEqual({});
  });

  test('path parameters by name, body fields typed, files apart', () => {
    const update = buildApiCall(['Update a shot'], [['id', '7'], ['title', 'New'], ['tags', 'a, b'], ['low_profile', 'true'], ['team_id', '3']], []);
    expect(update.pathParams).toEqual({ id: '7' });
    expect(update.body).toEqual({ title: 'New', tags: ['a', 'b'], low_profile: true, team_id: 3 });
    const create = buildApiCall(['POST', '/shots'], [['title', 'T']], [['image', 'shot.png']]);
    expect(create.files).toEqual({ image: 'shot.png' });
  });

  // Audit: `api DELETE /shots/7 -f id=6` deleted shot 6; the last of two values won without a word.
  test.each([
    [['DELETE', '/shots/7'], [['id', '6']], [], /^id is given twice for "Delete a shot" \(DELETE \/shots\/:id\): "7" from the path and "6" from -f id\. Give it once\.$/],
    [['GET', '/shots/4'], [['id', '5']], [], /"4" from the path and "5" from -f id/],
    [['Update a shot'], [['id', '7'], ['id', '8']], [], /"7" from -f id and "8" from -f id/],
    [['GET', '/user/shots?per_page=1'], [['per_page', '2']], [], /"1" from the path's query and "2" from -f per_page/],
    [['GET', '/user/shots?page=1&page=2'], [], [], /"1" from the path's query and "2" from the path's query/],
    [['Update a shot'], [['id', '7'], ['title', 'A'], ['title', 'B']], [], /"A" from -f title and "B" from -f title/],
    [['POST', '/shots'], [['title', 'T']], [['image', 'a.png'], ['image', 'b.png']], /"a.png" from -F image and "b.png" from -F image/],
  ])('%j with %j %j: a parameter given two values is refused (exit 2), naming both and where each came from', (positionals, fields, files, message) => {
    let error: unknown;
    try {
      buildApiCall(positionals, fields as Array<[string, string]>, files as Array<[string, string]>);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('conflicting_field');
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(message);
  });

  test('the same value given twice is no conflict, in any spelling that sends the same (007 is 7); the first spelling is kept', () => {
    expect(buildApiCall(['DELETE', '/shots/7'], [['id', '7']], []).pathParams).toEqual({ id: '7' });
    expect(buildApiCall(['DELETE', '/shots/7'], [['id', '007']], []).pathParams).toEqual({ id: '7' });
    expect(buildApiCall(['GET', '/user/shots?per_page=5&per_page=5'], [['per_page', '5']], []).query).toEqual({ per_page: '5' });
    expect(buildApiCall(['GET', '/user/shots?per_page=010'], [['per_page', '10']], []).query).toEqual({ per_page: '010' });
  });

  // Audit: `?page[]=2` with -f page=5 sent both; a path value's bad percent-encoding was a URIError (exit 1).
  test('a parameter is one parameter in every spelling of its name: page[] is page', () => {
    expect(() => buildApiCall(['GET', '/user/shots?page[]=2'], [['page', '5']], [])).toThrow(/page is given twice .*"2" from the path's query and "5" from -f page/);
    expect(() => buildApiCall(['GET', '/user/shots?page[]=2&page=3'], [], [])).toThrow(/page is given twice/);
    expect(buildApiCall(['GET', '/user/shots?page[]=2'], [], []).query).toEqual({ page: '2' });
  });

  test('a path value that is not valid percent-encoding is exit 2 naming it', () => {
    let error: unknown;
    try {
      buildApiCall(['GET', '/shots/%E0'], [], []);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain('"%E0" is not valid percent-encoding');
  });

  test('repeated array fields add up', () => {
    expect(buildApiCall(['POST /shots'], [['tags', 'a'], ['tags', 'b,c']], []).body.tags).toEqual(['a', 'b', 'c']);
  });

  test.each([
    [['GET', '/user'], [['page', '1']], [], /has no parameter "page"/],
    [['Get a shot'], [], [], /needs -f id=VALUE/],
    [['GET', '/shots/abc'], [], [], /must be a whole number/],
    [['GET', '/user/shots'], [['per_page', 'many']], [], /per_page takes a whole number/],
    [['POST', '/shots'], [['image', 'x.png']], [], /-F image=@PATH/],
    [['POST', '/shots'], [], [['title', 'x.png']], /-f title=VALUE/],
    [['GET', '/user/shots?nope=1'], [], [], /has no parameter "nope"/],
  ] as const)('%j %j %j is refused (%s)', (positionals, fields, files, message) => {
    expect(() => buildApiCall([...positionals], fields.map((f) => [...f] as [string, string]), files.map((f) => [...f] as [string, string]))).toThrow(message);
  });
});
