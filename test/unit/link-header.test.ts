// Link headers (RFC 8288) as pagination reads them: rel="next" among any others, any order,
// quoted or not, URLs with commas and semicolons, relative targets resolved; and what --paginate
// does with the next link it finds (nextPageUrl: origin, loop, page cap).
import { describe, expect, test } from 'vitest';
import { fc, test as fcTest } from '../support/property.js';
import { linkTarget } from '../../scripts/lib/api/link-header.js';
import { DEFAULT_MAX_PAGES, PageCapError, nextPageUrl, pagesForRun } from '../../scripts/lib/api/api-request.js';

describe('linkTarget', () => {
  test("Dribbble's own header", () => {
    const header = '<https://api.dribbble.com/v2/user/shots?page=1&per_page=100>; rel="prev", <https://api.dribbble.com/v2/user/shots?page=3&per_page=100>; rel="next"';
    expect(linkTarget(header, 'next')).toBe('https://api.dribbble.com/v2/user/shots?page=3&per_page=100');
    expect(linkTarget(header, 'prev')).toBe('https://api.dribbble.com/v2/user/shots?page=1&per_page=100');
    expect(linkTarget(header, 'last')).toBeUndefined();
  });

  test.each([
    ['<https://a.test/x?a=1,2>; rel=next', 'https://a.test/x?a=1,2'],
    ['<https://a.test/p;v=1>; title="a, b"; rel="prev next"', 'https://a.test/p;v=1'],
    ['<https://a.test/n>; REL="Next"', 'https://a.test/n'],
    ['</v2/user/shots?page=2>; rel="next"', 'https://api.test/v2/user/shots?page=2'],
  ])('%s', (header, expected) => {
    expect(linkTarget(header, 'next', 'https://api.test/v2/user/shots')).toBe(expected);
  });

  test.each([undefined, '', 'garbage', '<https://a.test/x>; rel="nextpage"', '<https://a.test/x>; title="rel=next"'])('%j has no next', (header) => {
    expect(linkTarget(header, 'next')).toBeUndefined();
  });

  const rel = fc.constantFrom('prev', 'first', 'last', 'self');
  const link = (url: string, rels: string, quoted: boolean) => `<${url}>; ${quoted ? `rel="${rels}"` : `rel=${rels.split(' ')[0]}`}`;
  fcTest.prop([fc.array(fc.tuple(fc.webUrl(), rel, fc.boolean()), { maxLength: 4 }), fc.webUrl(), fc.nat(4), fc.boolean()])('finds the one next link among any others, in any position', (others, next, position, quoted) => {
    const links = others.map(([url, r, q]) => link(url, r, q));
    links.splice(Math.min(position, links.length), 0, link(next, 'next', quoted));
    expect(linkTarget(links.join(', '), 'next')).toBe(new URL(next).toString());
  });

  fcTest.prop([fc.array(fc.tuple(fc.webUrl(), rel, fc.boolean()), { maxLength: 5 })])('no next link, no next', (others) => {
    expect(linkTarget(others.map(([url, r, q]) => link(url, r, q)).join(', '), 'next')).toBeUndefined();
  });
});

// What --paginate does with a page's next link (api-request.ts): followed on the API's origin
// only, never back to a page read, never past the page cap (a server whose pages never end).
describe('nextPageUrl', () => {
  const origin = 'https://api.dribbble.com';
  const pagesRead = (n: number) => ({ items: Array.from({ length: n }, (_, i) => ({ id: i })), answers: Array.from({ length: n }, (_, i) => ({ status: 200, headers: {}, body: '[]', url: `${origin}/v2/user/shots?page=${i + 1}&per_page=100` })) });

  test('the last page (no next) ends; a next on the origin is followed', () => {
    expect(nextPageUrl(undefined, origin, pagesRead(1), DEFAULT_MAX_PAGES, false)).toBeUndefined();
    expect(nextPageUrl(`${origin}/v2/user/shots?page=2`, origin, pagesRead(1), DEFAULT_MAX_PAGES, false)).toBe(`${origin}/v2/user/shots?page=2`);
  });

  test.each(['https://evil.test/v2/user/shots?page=2', 'http://api.dribbble.com/v2/user/shots?page=2', 'https://api.dribbble.com:8443/v2/user/shots?page=2'])('a next on another origin (%s) is not followed: exit 5 link_elsewhere', (next) => {
    expect(() => nextPageUrl(next, origin, pagesRead(1), DEFAULT_MAX_PAGES, false)).toThrow(expect.objectContaining({ code: 'link_elsewhere', exitCode: 5 }));
  });

  test('a next back to a page read is a loop: exit 5 link_loop', () => {
    expect(() => nextPageUrl(`${origin}/v2/user/shots?page=1&per_page=100`, origin, pagesRead(2), DEFAULT_MAX_PAGES, false)).toThrow(expect.objectContaining({ code: 'link_loop', exitCode: 5 }));
  });

  fcTest.prop([fc.integer({ min: 1, max: 150 }), fc.integer({ min: 1, max: 150 }), fc.boolean()])('an endless server (page after page with a new next): followed up to the cap, then exit 5 page_cap naming it, the pages read kept', (maxPages, extra, fromFlag) => {
    const read = { items: [] as unknown[], answers: [] as Array<{ status: number; headers: Record<string, string>; body: string; url: string }> };
    let next: string | undefined = `${origin}/v2/user/shots?page=1&per_page=100`;
    let error: unknown;
    for (let page = 1; page <= maxPages + extra && next; page++) {
      read.items.push({ id: page });
      read.answers.push({ status: 200, headers: {}, body: '[]', url: next });
      try {
        next = nextPageUrl(`${origin}/v2/user/shots?page=${page + 1}&per_page=100`, origin, read, maxPages, fromFlag);
      } catch (caught) {
        error = caught;
        next = undefined;
      }
    }
    expect(read.answers).toHaveLength(maxPages);
    expect(error).toBeInstanceOf(PageCapError);
    const cap = error as PageCapError;
    expect(cap).toMatchObject({ code: 'page_cap', exitCode: 5 });
    expect(cap.message).toContain(`Stopped after ${maxPages} pages (${maxPages} items), the cap of --max-pages ${maxPages}${fromFlag ? ':' : ' (the default):'}`);
    expect(cap.message).toMatch(/run again with a larger --max-pages/);
    expect(cap.partial.items).toHaveLength(maxPages);
  });

  test('the default cap is 100 pages (10,000 items at per_page 100); runs reserve a few pages, doubling, never past the cap or a minute', () => {
    expect(DEFAULT_MAX_PAGES).toBe(100);
    expect([0, 1, 2, 3, 4, 5].map((runs) => pagesForRun(runs, 0, DEFAULT_MAX_PAGES))).toEqual([4, 8, 16, 32, 60, 60]);
    expect(pagesForRun(5, 98, DEFAULT_MAX_PAGES)).toBe(2);
    expect(pagesForRun(0, 100, DEFAULT_MAX_PAGES)).toBe(0);
  });
});

// Audit finding: a next link holding {{client_secret}} / {{access_token}} went out with both
// filled in by Newman (twice: the loop compared the template, not the URL sent).
describe('server-given URLs are sent literally or not at all', () => {
  const origin = 'https://api.dribbble.com';
  const pagesRead = (n: number) => ({ items: Array.from({ length: n }, (_, i) => ({ id: i })), answers: Array.from({ length: n }, (_, i) => ({ status: 200, headers: {}, body: '[]', url: `${origin}/v2/user/shots?page=${i + 1}&per_page=100` })) });

  test.each([`${origin}/v2/user/shots?page={{client_secret}}&t={{access_token}}`, `${origin}/v2/user/{{access_token}}/shots`, `${origin}/v2/user/shots?page=2#{{x}}`])('a next link with "{{" (%s) is refused: exit 5 templated_url, naming the header', (next) => {
    expect(() => nextPageUrl(next, origin, pagesRead(1), DEFAULT_MAX_PAGES, false)).toThrow(expect.objectContaining({ code: 'templated_url', exitCode: 5, message: expect.stringContaining('Link rel="next" header') }));
  });

  test('percent-encoded braces are no template to Newman (it sends them as they are): followed', () => {
    const next = `${origin}/v2/user/shots?page=%7B%7Bclient_secret%7D%7D`;
    expect(nextPageUrl(next, origin, pagesRead(1), DEFAULT_MAX_PAGES, false)).toBe(next);
  });

  test('a next link to a page already sent, written in another form (the URL as sent is compared), is a loop', () => {
    const read = { items: [{ id: 1 }], answers: [{ status: 200, headers: {}, body: '[]', url: `${origin}/v2/user/shots?q=a%20b&page=2` }] };
    expect(() => nextPageUrl(`${origin}/v2/user/shots?q=a b&page=2`, origin, read, DEFAULT_MAX_PAGES, false)).toThrow(expect.objectContaining({ code: 'link_loop' }));
  });
});
