// The gate our own servers parse request targets through: only an origin-form path ("/x") is a
// URL; "//host", "*", absolute forms and garbage such as "//[" give undefined, never a throw.
import { expect, test } from 'vitest';
import { fc, test as fcTest } from '../support/property.js';
import type { IncomingMessage } from 'node:http';
import { parseRequestUrl } from '../../scripts/lib/core/request-gate.js';

const request = (url: string | undefined) => ({ url }) as IncomingMessage;

test.each(['//[', '//evil.example/x', '*', 'http://127.0.0.1/x', '', 'x/y'])('the target %j is not a usable path: undefined', (target) => {
  expect(parseRequestUrl(request(target), 'http://callback.invalid')).toBeUndefined();
});

test('an origin-form path is parsed against the base, query kept', () => {
  expect(parseRequestUrl(request('/cb?code=a&state=b'), 'http://callback.invalid')?.href).toBe('http://callback.invalid/cb?code=a&state=b');
});

fcTest.prop([fc.string()])('any target gives a URL on the base origin or undefined, never a throw', (target) => {
  const url = parseRequestUrl(request(target), 'http://callback.invalid');
  if (url) expect(url.origin).toBe('http://callback.invalid');
});
