// Newman takes ~0.7 s to load, the longest step of any command that runs it. The CLI starts this
// worker first thing, so the load runs on the other core while the main thread parses flags,
// reads files and checks inputs (or while the user is in the browser). Only node:worker_threads
// here: anything more would delay the start.
import { Worker } from 'node:worker_threads';

let preloaded: Worker | undefined;

export function preloadNewman(): void {
  if (preloaded) return;
  preloaded = new Worker(new URL('./newman-worker.js', import.meta.url));
  // An input error must not wait for Newman to finish loading before the process exits.
  preloaded.unref();
}

/** Hands over the preloaded worker (starting one if none is); the caller terminates it. */
export function takeNewmanWorker(): Worker {
  preloadNewman();
  const worker = preloaded!;
  preloaded = undefined;
  worker.ref();
  return worker;
}
