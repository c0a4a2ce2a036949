// Work that must not be cut off (lib/disk/interrupt-cleanup.ts): SIGINT, SIGTERM and SIGHUP (a
// closed terminal, an ssh session dropped) all run the registered cleanups, then exit 128+signal.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanupOnInterrupt } from '../../scripts/lib/disk/interrupt-cleanup.js';

afterEach(() => vi.restoreAllMocks());

describe('cleanupOnInterrupt', () => {
  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s runs every cleanup, newest first, then exits %i (N22: SIGHUP handled like the others)', (signal, code) => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const ran: string[] = [];
    const unregisterOld = cleanupOnInterrupt(() => ran.push('old'));
    const unregisterNew = cleanupOnInterrupt(() => {
      ran.push('new');
      throw new Error('a failing cleanup does not stop the next');
    });
    expect(process.listeners(signal).length).toBeGreaterThan(0);
    process.emit(signal, signal);
    expect(ran).toEqual(['new', 'old']);
    expect(exit).toHaveBeenCalledWith(code);
    unregisterOld();
    unregisterNew();
  });

  test('unregistered, no handler is left behind', () => {
    const before = process.listenerCount('SIGHUP');
    const unregister = cleanupOnInterrupt(() => undefined);
    expect(process.listenerCount('SIGHUP')).toBe(before + 1);
    unregister();
    expect(process.listenerCount('SIGHUP')).toBe(before);
  });
});
