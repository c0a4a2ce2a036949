// Worker thread: loads Newman at once, then runs what the main thread asks (see preloadNewman).
import { parentPort } from 'node:worker_threads';
import { executeNewmanRun, loadNewman, type RunRequest } from './newman-runner.js';

const newman = loadNewman();
parentPort!.on('message', (request: RunRequest) => {
  executeNewmanRun(newman, request).then(
    (run) => parentPort!.postMessage({ run }),
    (error: Error) => parentPort!.postMessage({ error: error.stack ?? error.message }),
  );
});
