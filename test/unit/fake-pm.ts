// Runs one of the collection's own scripts in node:vm with a fake `pm`: the scripts are
// JavaScript source in the generated collection, so they are tested as they ship.
import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import { chai } from 'vitest';
import type { PostmanItem } from '../../scripts/lib/postman/collection-types.js';

const require = createRequire(import.meta.url);
const SKIP = Symbol('skipRequest');

export interface FakeRun {
  tests: Array<{ name: string; ok: boolean; error?: string }>;
  environment: Record<string, string>;
  local: Record<string, string>;
  skipped: boolean;
  nextRequest?: string | null;
  logs: string[];
  query: Array<{ key: string; value: string; disabled?: boolean }>;
  form: Array<{ key: string; value: string; disabled?: boolean }>;
}

export interface FakeInput {
  /** Values as an environment holds them. */
  environment?: Record<string, string>;
  response?: { code: number; headers?: Record<string, string>; body?: unknown };
  query?: Array<{ key: string; value: string; disabled?: boolean }>;
  form?: Array<{ key: string; value: string; disabled?: boolean }>;
  /** A client whose translation has no request-editing API (Bruno): pm.request.url is a string. */
  noRequestEditing?: boolean;
}

const list = <T>(entries: T[]) => ({ each: (fn: (entry: T) => void) => entries.forEach(fn) });

export function runScript(source: string, input: FakeInput = {}): FakeRun {
  const run: FakeRun = { tests: [], environment: { ...input.environment }, local: {}, skipped: false, logs: [], query: structuredClone(input.query ?? []), form: structuredClone(input.form ?? []) };
  const headers = Object.fromEntries(Object.entries(input.response?.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const body = input.response?.body;
  const get = (key: string) => (key in run.local ? run.local[key] : run.environment[key]);
  const pm = {
    variables: { get, set: (key: string, value: string) => void (run.local[key] = value), replaceIn: (text: string) => text.replace('{{$guid}}', '6f1c2a4e-5b7d-4c1e-9a8f-d2b0c3e4f5a6') },
    environment: { get: (key: string) => run.environment[key], set: (key: string, value: string) => void (run.environment[key] = value) },
    test: (name: string, fn: () => void) => {
      try {
        fn();
        run.tests.push({ name, ok: true });
      } catch (error) {
        run.tests.push({ name, ok: false, error: (error as Error).message });
      }
    },
    expect: chai.expect,
    execution: {
      skipRequest: () => {
        run.skipped = true;
        throw SKIP;
      },
      setNextRequest: (name: string | null) => void (run.nextRequest = name),
    },
    request: input.noRequestEditing
      ? { url: 'http://example.invalid/', body: undefined }
      : { url: { query: list(run.query), toString: () => 'https://dribbble.com/oauth/authorize?client_id=x' }, body: { urlencoded: list(run.form) } },
    response: input.response && {
      code: input.response.code,
      headers: { get: (name: string) => headers[name.toLowerCase()] },
      json: () => (typeof body === 'string' ? JSON.parse(body) : body),
      text: () => (typeof body === 'string' ? body : JSON.stringify(body ?? '')),
    },
  };
  const timers: Array<() => void> = [];
  try {
    runInNewContext(source, { pm, require, console: { log: (...args: unknown[]) => run.logs.push(args.join(' ')) }, setTimeout: (fn: () => void) => timers.push(fn) });
  } catch (error) {
    if (error !== SKIP) throw error;
  }
  // The sandbox waits for timers before the run moves on.
  timers.forEach((fn) => fn());
  return run;
}

export const scriptOf = (item: PostmanItem, listen: 'prerequest' | 'test'): string => item.event.find((e) => e.listen === listen)!.script.exec.join('\n');
