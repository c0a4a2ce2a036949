// Work that must not be cut off by Ctrl-C or a kill: while any cleanup is registered, SIGINT,
// SIGTERM and SIGHUP run the cleanups (newest first) before the process exits with 128+signal.
const cleanups: Array<() => void> = [];
const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;

function onSignal(signal: keyof typeof SIGNALS): void {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      cleanup();
    } catch {
      // the next cleanup still runs
    }
  }
  process.exit(128 + SIGNALS[signal]);
}

/** Registers a synchronous cleanup; returns the function that unregisters it. */
export function cleanupOnInterrupt(cleanup: () => void): () => void {
  if (cleanups.length === 0) for (const signal of Object.keys(SIGNALS) as Array<keyof typeof SIGNALS>) process.on(signal, onSignal);
  cleanups.push(cleanup);
  return () => {
    const index = cleanups.indexOf(cleanup);
    if (index !== -1) cleanups.splice(index, 1);
    if (cleanups.length === 0) for (const signal of Object.keys(SIGNALS) as Array<keyof typeof SIGNALS>) process.off(signal, onSignal);
  };
}
