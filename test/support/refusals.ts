// The error a call refuses with, checked to be of our error family (or the given subclass): a test
// expecting a refusal fails plainly when the call returns, or throws anything else.
import { expect } from 'vitest';
import { DribbbleOAuthError } from '../../scripts/lib/core/errors.js';

type ErrorClass<E> = abstract new (...args: never[]) => E;

export function refusalOf<E extends DribbbleOAuthError = DribbbleOAuthError>(run: () => unknown, kind: ErrorClass<E> = DribbbleOAuthError as unknown as ErrorClass<E>): E {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(kind);
    return error as E;
  }
  throw new Error('expected a refusal');
}

export async function asyncRefusalOf<E extends DribbbleOAuthError = DribbbleOAuthError>(run: () => unknown, kind: ErrorClass<E> = DribbbleOAuthError as unknown as ErrorClass<E>): Promise<E> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(kind);
    return error as E;
  }
  throw new Error('expected a refusal');
}
