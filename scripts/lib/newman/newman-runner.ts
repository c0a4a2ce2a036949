// Runs items of the committed collection with Newman, silently: no Newman reporter prints (they
// would print secrets); the caller reports, masked. Values are injected as an in-memory
// environment, so nothing touches disk. Newman runs in this thread, loaded by newman-loader.ts.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PostmanCollection } from '../postman/collection-types.js';
import { buildEnvironment } from '../postman/environment-definition.js';
import { COLLECTION_PATH, PACKAGE_ROOT } from '../postman/collection-files.js';
import { UsageError, describeNetworkFailure } from '../core/errors.js';
import { assertTlsVerificationOn } from '../core/tls-verification.js';
import { describeJsonError } from '../core/redaction.js';
import { showUntrusted } from '../core/terminal-text.js';
import { createAnswerAgents, readAnswer } from '../http/answer-reader.js';
import { loadNewman, warmCodeCachesInBackground } from './newman-loader.js';
import type { Newman, PostmanHeaderList } from './newman-types.js';
import type { ItemRun } from '../http/http-exchange.js';
import type { VariableValues } from '../config/variables.js';

export interface CollectionRun {
  /** One per item name, in the order asked: its last request (an item may run more than once). */
  items: ItemRun[];
  /** Every request the run sent, in order: an item looped by setNextRequest appears once per pass. */
  exchanges: ItemRun[];
  /** The environment after the run, as the collection's scripts left it. */
  environment: Record<string, string>;
}

function headersToObject(list: PostmanHeaderList): Record<string, string> {
  const out: Record<string, string> = {};
  list.each((h) => {
    if (!h.disabled) out[h.key.toLowerCase()] = h.value;
  });
  return out;
}

export async function loadCollection(root = PACKAGE_ROOT): Promise<PostmanCollection> {
  const path = join(root, COLLECTION_PATH);
  try {
    return JSON.parse(await readFile(path, 'utf8')) as PostmanCollection;
  } catch (error) {
    throw new UsageError('missing_collection', `Cannot read the collection ${showUntrusted(path)}: ${describeJsonError(error)}. Run "npm run generate" to write it.`);
  }
}

export interface RunRequest {
  itemNames: readonly string[];
  values: VariableValues;
  timeoutMs: number;
  collection: PostmanCollection;
  /** The only folder Newman may read form-data files from (none outside it). */
  workingDir?: string;
}

type ItemOrFolder = { name: string; item?: ItemOrFolder[] };

/**
 * The collection cut down to the named items, wherever they sit: the folders on the way are kept
 * (their auth and scripts apply), every other item and folder is dropped. Order stays the collection's.
 */
export function selectItems<C extends { item: unknown[] }>(collection: C, itemNames: readonly string[]): C {
  const keep = (entries: ItemOrFolder[]): ItemOrFolder[] =>
    entries.flatMap((entry) => {
      if (!Array.isArray(entry.item)) return itemNames.includes(entry.name) ? [entry] : [];
      const inner = keep(entry.item);
      return inner.length ? [{ ...entry, item: inner }] : [];
    });
  return { ...collection, item: keep(collection.item as ItemOrFolder[]) };
}

/** Records what each request of a run sent and got: per item name (the last) and in order (all). */
function createExchangeRecorder() {
  const byName = new Map<string, ItemRun>();
  const all: ItemRun[] = [];
  let pending: ItemRun | undefined;
  return {
    /** Each pass through an item starts a new record (pagination loops one item). */
    startItem(name: string): void {
      pending = { name, failures: [] };
      byName.set(name, pending);
    },
    current(name: string): ItemRun {
      if (!pending || pending.name !== name) this.startItem(name);
      return pending!;
    },
    sent(run: ItemRun): void {
      if (!all.includes(run)) all.push(run);
    },
    items: (names: readonly string[]) => names.filter((n) => byName.has(n)).map((n) => byName.get(n)!),
    all: () => all,
  };
}

/**
 * Runs the named items, in collection order, against the injected values. `timeoutMs` is a
 * deadline for each request, from its start to the last byte of the answer: a server that drips
 * bytes cannot stretch it (Newman's own timeout restarts with every byte).
 */
export function executeNewmanRun(newman: Newman, { itemNames, values, timeoutMs, collection, workingDir }: RunRequest): Promise<CollectionRun> {
  const selected = selectItems(collection, itemNames);
  const recorder = createExchangeRecorder();
  const runFor = (name: string): ItemRun => recorder.current(name);
  let current = '';
  let deadline: NodeJS.Timeout | undefined;
  let currentUrl = '';

  return new Promise<CollectionRun>((resolvePromise, reject) => {
    // Every answer passes the one reader; one it refuses ends the run as that error, at once.
    const { agents, destroyAll } = createAnswerAgents((refusal) => {
      clearTimeout(deadline);
      reject(describeNetworkFailure(refusal, currentUrl, timeoutMs));
    });
    newman
      .run(
        {
          collection: selected,
          environment: buildEnvironment('injected', 'injected', values),
          reporters: [],
          timeoutRequest: timeoutMs,
          requestAgents: agents,
          // Form-data files come only from the folder the caller prepared, never from elsewhere.
          ...(workingDir ? { workingDir } : {}),
          insecureFileRead: false,
        },
        (error, summary) => {
          clearTimeout(deadline);
          if (error) return reject(error);
          const environment: Record<string, string> = {};
          summary.environment.values.each((v) => {
            if (v.value !== undefined && v.value !== null) environment[v.key] = String(v.value);
          });
          resolvePromise({ items: recorder.items(itemNames), exchanges: recorder.all(), environment });
        },
      )
      .on('beforeItem', (_error, args) => {
        current = args.item.name;
        recorder.startItem(current);
      })
      .on('beforeRequest', (_error, args) => {
        clearTimeout(deadline);
        const url = (currentUrl = args.request.url.toString());
        deadline = setTimeout(() => {
          reject(describeNetworkFailure({ code: 'E_DEADLINE' }, url, timeoutMs));
          destroyAll(Object.assign(new Error('deadline'), { code: 'E_DEADLINE' }));
        }, timeoutMs);
      })
      .on('request', (error, args) => {
        const run = runFor(args.item.name);
        recorder.sent(run);
        run.request = {
          method: args.request.method,
          url: args.request.url.toString(),
          headers: headersToObject(args.request.headers),
          body: args.request.body?.toString() ?? '',
        };
        if (error) run.transportError = { code: error.code, message: error.message };
        if (args.response) {
          run.response = readAnswer(args.response.code, headersToObject(args.response.headers), args.response.stream);
        }
      })
      .on('assertion', (error, args) => {
        if (error) runFor(args.item.name).failures.push(error.message);
      })
      .on('exception', (_error, args) => {
        runFor(current).failures.push(args.error.message);
      });
  });
}

/** Runs the named items with Newman (loaded in this thread) against the injected values. */
export async function runCollectionItems(itemNames: readonly string[], values: VariableValues, options: { timeoutMs: number; collection?: PostmanCollection; workingDir?: string }): Promise<CollectionRun> {
  // Every request of every command passes here: nothing is sent with TLS checks off unasked.
  assertTlsVerificationOn();
  const collection = options.collection ?? (await loadCollection());
  try {
    return await executeNewmanRun(loadNewman(), { itemNames, values, timeoutMs: options.timeoutMs, collection, workingDir: options.workingDir });
  } finally {
    warmCodeCachesInBackground();
  }
}
