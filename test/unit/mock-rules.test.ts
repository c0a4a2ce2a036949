// The mock's parsers and rules, in process: whatever a client sends, they answer without throwing,
// and they hold their promises over the whole input space (fast-check).
import { fc, test } from '../support/property.js';
import { describe, expect } from 'vitest';
import { DOCUMENTED_ERRORS, PAGINATION, matchEndpoint } from '../../scripts/lib/dribbble/api-v2.js';
import { parseFields } from '../../scripts/lib/mock/mock-http.js';
import { paginate, readPage } from '../../scripts/lib/mock/pagination.js';
import { RateLimiter } from '../../scripts/lib/mock/rate-limit.js';
import { IMAGE_SIZE_MESSAGE, checkShotImage, readTags } from '../../scripts/lib/mock/shot-rules.js';
import { pngOfSize } from '../support/images.js';

describe('body fields', () => {
  test.prop([fc.uint8Array({ maxLength: 2000 }), fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'multipart/form-data', 'text/plain', undefined)])(
    'any bytes under any content type give fields or a reason, never a throw',
    async (bytes, type) => {
      const result = await parseFields(Buffer.from(bytes), type);
      expect(result instanceof Map || typeof (result as { unreadable: string }).unreadable === 'string').toBe(true);
    },
  );

  test('multipart files keep their bytes, name and type; repeated tags[] keep their order', async () => {
    const form = new FormData();
    form.append('tags[]', 'a');
    form.append('tags[]', 'b');
    form.append('image', new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' }), 'x.png');
    const request = new Request('http://x/', { method: 'POST', body: form });
    const fields = await parseFields(Buffer.from(await request.arrayBuffer()), request.headers.get('content-type') ?? undefined);
    expect(fields).toBeInstanceOf(Map);
    const map = fields as Map<string, unknown[]>;
    expect(map.get('tags[]')).toEqual(['a', 'b']);
    expect(map.get('image')).toEqual([{ name: 'x.png', type: 'image/png', bytes: new Uint8Array([1, 2, 3]) }]);
  });

  test('JSON: arrays become repeated values; a non-object is Dribbble\'s 400 text', async () => {
    expect((await parseFields(Buffer.from('{"tags":["a","b"],"low_profile":true}'), 'application/json')) as Map<string, unknown>).toEqual(
      new Map([
        ['tags', ['a', 'b']],
        ['low_profile', ['true']],
      ]),
    );
    expect(await parseFields(Buffer.from('[1]'), 'application/json')).toEqual({ unreadable: DOCUMENTED_ERRORS[400].message });
  });
});

describe('pagination', () => {
  test.prop([fc.option(fc.string(), { nil: null }), fc.option(fc.string(), { nil: null })])('any page and per_page give a page or errors naming them, never a throw', (page, perPage) => {
    const query = new URLSearchParams();
    if (page !== null) query.set('page', page);
    if (perPage !== null) query.set('per_page', perPage);
    const result = readPage(query);
    if ('errors' in result) expect(result.errors.map((e) => e.attribute).every((a) => a === 'page' || a === 'per_page')).toBe(true);
    else expect(result.perPage).toBeLessThanOrEqual(PAGINATION.maxPerPage);
  });

  test.prop([fc.integer({ min: 1, max: 200 })])('per_page over the maximum is refused, up to it accepted', (n) => {
    const result = readPage(new URLSearchParams({ per_page: String(n) }));
    expect('errors' in result).toBe(n > PAGINATION.maxPerPage);
  });

  test.prop([fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 100 })])('following rel="next" from page 1 yields every item once, in order', (count, perPage) => {
    const items = Array.from({ length: count }, (_, i) => i);
    const seen: number[] = [];
    let url: URL | undefined = new URL(`http://127.0.0.1:1/v2/user/shots?per_page=${perPage}`);
    let requests = 0;
    while (url) {
      const asked = readPage(url.searchParams);
      if ('errors' in asked) throw new Error('refused');
      const page: { items: number[]; link?: string } = paginate(items, asked, url);
      seen.push(...page.items);
      requests += 1;
      const next: string | undefined = /<([^>]+)>; rel="next"/.exec(page.link ?? '')?.[1];
      url = next ? new URL(next) : undefined;
    }
    expect(seen).toEqual(items);
    expect(requests).toBe(Math.max(1, Math.ceil(count / perPage)));
  });
});

describe('rate limiter', () => {
  test.prop([fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 80 })])('n requests in one window: the first perMinute pass, Remaining counts down to 0', (perMinute, n) => {
    const limiter = new RateLimiter({ perMinute }, () => 1_000_000);
    const decisions = Array.from({ length: n }, () => limiter.take(1));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(Math.min(n, perMinute));
    expect(decisions.every((d, i) => d.allowed === i < perMinute)).toBe(true);
    expect(decisions.at(-1)!.headers['X-RateLimit-Remaining']).toBe(String(Math.max(0, perMinute - n)));
  });
});

describe('shot rules', () => {
  test('the size message is the documented 422 example, derived from the rule', () => {
    expect(IMAGE_SIZE_MESSAGE).toBe(DOCUMENTED_ERRORS[422].errors[0].message);
  });

  test.prop([fc.integer({ min: 1, max: 900 }), fc.integer({ min: 1, max: 700 })], { numRuns: 40 })('a PNG passes exactly when it is 400x300 or 800x600', (width, height) => {
    const exact = (width === 400 && height === 300) || (width === 800 && height === 600);
    expect(checkShotImage(pngOfSize(width, height)).errors.length === 0).toBe(exact);
  });

  test.prop([fc.uint8Array({ maxLength: 300 })])('any bytes as an image give a verdict, never a throw', (bytes) => {
    expect(Array.isArray(checkShotImage(bytes).errors)).toBe(true);
  });

  test('tags: repeated, comma-separated, trimmed, empty ones dropped', () => {
    expect(readTags(['a', 'b, c', ' ', 'd,,e '])).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('routes', () => {
  test.prop([fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'), fc.string()])('matching any method and path never throws', (method, path) => {
    expect(() => matchEndpoint(method, path)).not.toThrow();
  });

  test('path parameters come back by name', () => {
    expect(matchEndpoint('DELETE', '/v2/shots/12/attachments/34')?.params).toEqual({ shot: '12', id: '34' });
  });
});
