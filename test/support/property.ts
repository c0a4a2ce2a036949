// `test.prop([arbitraries], params)(name, body)`: a fast-check property as one vitest test, the API
// of @fast-check/vitest over plain fast-check. That package re-imports vitest's whole entry in each
// test file (about 4 s a file here, 80 s of a run); this costs nothing. A failure prints fast-check's
// counterexample and seed, as the package does; the test name stays the same from run to run.
import fc from 'fast-check';
import { test as vitestTest } from 'vitest';

type Arbitraries<Ts extends unknown[]> = { [K in keyof Ts]: fc.Arbitrary<Ts[K]> };
type Body<Ts extends unknown[]> = (...args: Ts) => boolean | void | Promise<boolean | void>;

/**
 * Under Stryker (test/unit/mutation-setup.ts sets the cap) a property runs at most that many
 * cases: a mutant a property can see shows in its first cases; the full count is for npm test.
 */
function capRuns<Ts>(params: fc.Parameters<Ts> | undefined): fc.Parameters<Ts> | undefined {
  const cap = (globalThis as { __propertyRunCap?: number }).__propertyRunCap;
  return cap === undefined ? params : { ...params, numRuns: Math.min(params?.numRuns ?? 100, cap) };
}

function prop<Ts extends [unknown, ...unknown[]]>(arbitraries: Arbitraries<Ts>, params?: fc.Parameters<Ts>) {
  return (name: string, body: Body<Ts>, timeout?: number): void => {
    // A body returning false fails the property, as in fast-check's own predicates.
    const property = fc.asyncProperty(...(arbitraries as unknown as [fc.Arbitrary<unknown>]), async (...args: unknown[]) => body(...(args as Ts)));
    vitestTest(name, () => fc.assert(property as unknown as fc.IAsyncProperty<Ts>, capRuns(params)), timeout);
  };
}

/** vitest's `test`, with `.prop` added (vitest's own object is left as it is). */
export const test = new Proxy(vitestTest, {
  get: (target, key, receiver) => (key === 'prop' ? prop : Reflect.get(target, key, receiver)),
}) as typeof vitestTest & { prop: typeof prop };

export { fc };
