// Link headers (RFC 8288) as pagination reads them: rel="next" among any others, any order,
// quoted or not, URLs with commas and semicolons, relative targets resolved.
import { describe, expect, test } from 'vitest';
import { fc, test as fcTest } from '../support/property.js';
import { linkTarget } from '../../scripts/lib/api/link-header.js';

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
