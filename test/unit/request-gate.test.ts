// The gate our own servers parse request targets through: only an origin-form path ("/x") is a
// URL; "//host", "*", absolute forms and garbage such as "//[" give undefined, never a throw.
import { describe, expect, test } from 'vitest';
import { fc, test as fcTest } from '../support/property.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { guardHandler, parseRequestUrl } from '../../scripts/lib/core/request-gate.js';

const request = (url: string | undefined) => ({ url }) as IncomingMessage;

test.each(['//[', '//evil.example/x', '*', 'http://127.0.0.1/x', '', 'x/y'])('the target %j is not a usable path: undefined', (target) => {
  expect(parseRequestUrl(request(target), 'http://callback.invalid')).toBeUndefined();
});

test.each(['/\\evil.example/cb?code=a', '/\t/evil.example/cb', '/\\['])('the target %j, another host to the URL parser, is not a usable path: undefined', (target) => {
  expect(parseRequestUrl(request(target), 'http://callback.invalid')).toBeUndefined();
});

test('a path may end in "//" or hold "//" after its start: only a leading "//" is refused', () => {
  expect(parseRequestUrl(request('/a//'), 'http://callback.invalid')?.pathname).toBe('/a//');
  expect(parseRequestUrl(request('//callback.invalid/cb'), 'http://callback.invalid')).toBeUndefined(); // same host, still no path
});

test('an origin-form path is parsed against the base, query kept', () => {
  expect(parseRequestUrl(request('/cb?code=a&state=b'), 'http://callback.invalid')?.href).toBe('http://callback.invalid/cb?code=a&state=b');
});

fcTest.prop([fc.string()])('any target gives a URL on the base origin or undefined, never a throw', (target) => {
  const url = parseRequestUrl(request(target), 'http://callback.invalid');
  if (url) expect(url.origin).toBe('http://callback.invalid');
});

test('a request with no target at all is no usable path: undefined', () => {
  expect(parseRequestUrl(request(undefined), 'http://callback.invalid')).toBeUndefined();
});

// guardHandler with a stand-in response: what the client gets is what writeHead/end/destroy were told.
function fakeResponse(headersSent = false, writeHeadThrows = false) {
  const calls: string[] = [];
  const res = {
    headersSent,
    writeHead(status: number, headers: Record<string, string>) {
      calls.push(`writeHead ${status} ${JSON.stringify(headers)}`);
      if (writeHeadThrows) throw new Error('socket gone');
      return res;
    },
    end(body: string) {
      calls.push(`end ${body}`);
      return res;
    },
    destroy() {
      calls.push('destroy');
      return res;
    },
  };
  return { res: res as unknown as ServerResponse, calls };
}
const req = request('/x');
const settle = () => new Promise((resolve) => setImmediate(resolve));
const ANSWER_500 = ['writeHead 500 {"Content-Type":"text/plain; charset=utf-8","Connection":"close"}', 'end Internal error.'];

describe('guardHandler', () => {
  test('a handler that throws: the client gets a plain 500 that closes the connection, onError hears the error', async () => {
    const { res, calls } = fakeResponse();
    const heard: unknown[] = [];
    const boom = new Error('boom');
    expect(() =>
      guardHandler(
        () => {
          throw boom;
        },
        (e) => heard.push(e),
      )(req, res),
    ).not.toThrow();
    await settle();
    expect(calls).toEqual(ANSWER_500);
    expect(heard).toEqual([boom]);
  });

  test('a handler that rejects: the same 500, and onError hears the rejection', async () => {
    const { res, calls } = fakeResponse();
    const heard: unknown[] = [];
    guardHandler(async () => Promise.reject(new Error('later')), (e) => heard.push(e))(req, res);
    await settle();
    expect(calls).toEqual(ANSWER_500);
    expect(heard).toEqual([new Error('later')]);
  });

  test('after the headers went out, a failure closes the socket instead of writing a second head', async () => {
    const { res, calls } = fakeResponse(true);
    guardHandler(() => {
      throw new Error('mid-answer');
    })(req, res);
    await settle();
    expect(calls).toEqual(['destroy']);
  });

  test('when even the 500 cannot be written, the socket is closed and onError still hears the first error', async () => {
    const { res, calls } = fakeResponse(false, true);
    const heard: unknown[] = [];
    const first = new Error('first');
    guardHandler(
      () => {
        throw first;
      },
      (e) => heard.push(e),
    )(req, res);
    await settle();
    expect(calls).toEqual([ANSWER_500[0], 'destroy']);
    expect(heard).toEqual([first]);
  });

  test('a handler that succeeds: nothing is written for it and onError hears nothing', async () => {
    const { res, calls } = fakeResponse();
    const heard: unknown[] = [];
    guardHandler(async () => 'done', (e) => heard.push(e))(req, res);
    await settle();
    expect(calls).toEqual([]);
    expect(heard).toEqual([]);
  });
});
