// authorize's paste prompt (a redirect URI that is not loopback): what a paste is worth, and
// whether a bad one gets another try. Pure, so its answers are tested in process.
import { ServerRefusedError, UsageError } from '../core/errors.js';
import { showGivenUrl } from '../core/redaction.js';
import { parseCallbackInput, type CallbackInput } from './callback-input.js';

/** The pasted callback (or bare code); refused (exit 3) when it carries another authorization's state. */
export function parsePastedCallback(pasted: string, expectedState: string): CallbackInput {
  const callback = parseCallbackInput(pasted, 'what you pasted');
  if (callback.state !== undefined && callback.state !== expectedState) {
    throw new ServerRefusedError(
      'state_mismatch',
      `The pasted URL's state does not match this authorization${callback.returnedTo ? ` (it came back to ${showGivenUrl(callback.returnedTo)})` : ''}: it belongs to another attempt or another app. Paste the URL from the tab this command opened, or run "npm run authorize" again.`,
    );
  }
  return callback;
}

/** A mistyped paste (a usage error) at a terminal gets up to 3 tries; anything else ends the run. */
export function pasteAgain(error: unknown, interactive: boolean, attempt: number): boolean {
  return error instanceof UsageError && interactive && attempt < 3;
}
