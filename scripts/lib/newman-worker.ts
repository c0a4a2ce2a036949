// Worker thread (see newman-preload.ts): requires Newman before anything else, then runs what the
// main thread asks.
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';
import type { Newman, RunRequest } from './newman-runner.js';

const newman = createRequire(import.meta.url)('newman') as Newman;
const { executeNewmanRun } = await import('./newman-runner.js');
parentPort!.on('message', (request: RunRequest) => {
  executeNewmanRun(newman, request, (url) => parentPort!.postMessage({ started: url })).then(
    (run) => parentPort!.postMessage({ run }),
    (error: Error) => parentPort!.postMessage({ error: error.stack ?? error.message }),
  );
});
