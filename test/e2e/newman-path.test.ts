// The requests go through Newman and the committed collection: the server sees what only Newman's
// runtime sends and what the collection's own scripts add, and an edit of the collection shows up
// in the traffic. A broken collection is a bug (exit 1), unlike any user mistake.
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliEnv, copyPackage, makeTempDir, startStubServer } from './helpers.js';

// The collection's requests sit in folders.
type Entry = { name: string; item?: Entry[]; event?: Array<{ listen: string; script: { exec: string[] } }> };
const requestsOf = (entries: Entry[]): Entry[] => entries.flatMap((e) => (e.item ? requestsOf(e.item) : [e]));
const withoutItem = (entries: Entry[], name: string): Entry[] => entries.filter((e) => e.name !== name).map((e) => (e.item ? { ...e, item: withoutItem(e.item, name) } : e));

let stub: Awaited<ReturnType<typeof startStubServer>>;
let dir: string;

beforeAll(async () => {
  stub = await startStubServer((req, res) =>
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(req.url?.endsWith('/user') ? { login: 'newman-user' } : { access_token: 'a'.repeat(40), token_type: 'Bearer', scope: 'public' })),
  );
});
afterAll(() => stub.close());
beforeEach(async () => {
  dir = await makeTempDir();
  stub.requests.length = 0;
});

const exchangeArgs = () => ['exchange', '--client-id', 'id', '--redirect-uri', 'http://127.0.0.1:9/cb', '--oauth-url', `${stub.origin}/oauth`, '--no-save'];
const env = () => cliEnv(dir, { DRIBBBLE_CLIENT_SECRET: 'Newman-path-s3cret-0123456789abcdefgh', DRIBBBLE_CODE: 'abc' });

function runCopy(cli: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--', cli, ...args], { cwd: dir, env: { ...env(), DRIBBBLE_ACCESS_TOKEN: 'b'.repeat(40) } }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }));
  });
}

describe('exchange and whoami go through Newman', () => {
  it('the token request carries Newman\'s runtime User-Agent and Postman\'s own headers; an edit of the committed collection (a header added by its pre-request script) shows up in the traffic of exchange and whoami', async () => {
    const cli = await copyPackage(dir, (collection) => {
      for (const item of requestsOf(collection.item)) {
        const line = `pm.request.headers.add({ key: 'X-Collection-Edit', value: 'ran in the sandbox for ' + pm.info.requestName });`;
        const pre = item.event?.find((e) => e.listen === 'prerequest');
        if (pre) pre.script.exec.push(line);
        else (item.event ??= []).push({ listen: 'prerequest', script: { exec: [line] } });
      }
    });
    const exchange = await runCopy(cli, exchangeArgs());
    expect(exchange.code, exchange.stderr).toBe(0);
    const headers = stub.requests[0]!.headers;
    expect(headers['user-agent']).toMatch(/^PostmanRuntime\/\d+\.\d+\.\d+$/);
    expect(headers['postman-token']).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers.accept).toBe('application/json');
    expect(headers['x-collection-edit']).toBe('ran in the sandbox for Exchange code for token');
    const whoami = await runCopy(cli, ['whoami', '--api-url', `${stub.origin}/v2`]);
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(stub.requests[1]!.headers['x-collection-edit']).toBe('ran in the sandbox for Get authenticated user');
  });

  it('a collection without the token request is a bug: exit 1 saying so, nothing sent', async () => {
    const cli = await copyPackage(dir, (collection) => {
      collection.item = withoutItem(collection.item, 'Exchange code for token');
    });
    const result = await runCopy(cli, exchangeArgs());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error [internal_error]: Unexpected internal error, which is a bug');
    expect(stub.requests).toHaveLength(0);
  });
});
