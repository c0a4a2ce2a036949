// A shot upload that succeeds or says why: the image and tags checked against Dribbble's rules
// and the token's scope before anything is sent, the multipart request through the collection's
// "Create a shot", then the 202's Location polled until the shot exists.
import { NetworkError, ProtocolError, UsageError } from '../core/errors.js';
import { showUntrusted } from '../core/terminal-text.js';
import { describeSource, requireValue, type ResolvedConfig } from '../config/config-resolution.js';
import { API_ENDPOINTS, SHOT_IMAGE_RULES, SHOT_STATUS_ITEM, type ApiEndpoint } from '../dribbble/api-v2.js';
import { parseJsonBody } from '../http/http-answers.js';
import type { ApiCall } from './api-arguments.js';
import { apiOrigin, sendApiCall, type ApiRunOptions } from './api-request.js';
import { assertLiteralServerUrl } from './run-collection.js';
import { checkShotImage, parseShotTags, type ShotImage } from './shot-image.js';
import { readUploadFile, stageFiles } from './staged-files.js';

export interface ShotUpload {
  file: string;
  title: string;
  tags?: string;
  description?: string;
}

export interface UploadedShot {
  shot: Record<string, unknown>;
  location: string;
  image: ShotImage;
  polls: number;
}

const CREATE: ApiEndpoint = API_ENDPOINTS.find((e) => e.method === 'POST' && e.path === '/shots')!;
// The poll: the item that fetches a Location, answered 404 until the shot is processed.
const POLL: ApiEndpoint = { ...API_ENDPOINTS.find((e) => e.method === 'GET' && e.path === '/shots/:id')!, name: SHOT_STATUS_ITEM };

/**
 * The token's scope, as far as the user told it: --scope or DRIBBBLE_SCOPE (in the environment or
 * the env file; what authorize and exchange ask for). Dribbble offers no way to ask a token its scope, and `authorize --scope
 * "public upload"` saves only the token: with no scope given, the tool does not guess "public"
 * but lets Dribbble decide (a token without "upload" gets its 403, explained, exit 3).
 */
export function assertUploadScope(config: ResolvedConfig): void {
  // Only a scope the user set counts: the table's default and a Postman environment's "scope" row
  // (both committed environments carry "public") are what Authorize asks for, not what a token holds.
  const told = ['flag', 'process-env', 'env-file'].includes(config.sources.scope?.kind ?? 'default');
  const scope = told ? config.values.scope : undefined;
  if (scope !== undefined && !scope.split(/\s+/).includes('upload')) {
    throw new UsageError('missing_scope', `Uploading a shot needs the "upload" scope, and the token's scope is "${showUntrusted(scope)}" (from ${describeSource(config.sources.scope)}). Nothing was sent. Authorize with it: npm run authorize -- --scope "public upload" (it saves the new token); if the token already has it, set DRIBBBLE_SCOPE="public upload" in .env.`);
  }
}

/** Every check that needs no request, in the order a user fixes them; returns the image's bytes and facts. */
export function prepareShotUpload(upload: ShotUpload, config: ResolvedConfig): { bytes: Buffer; image: ShotImage; tags: string[] } {
  if (!upload.title.trim()) throw new UsageError('missing_title', 'A shot needs a title: pass --title "..."');
  const tags = parseShotTags(upload.tags);
  const bytes = readUploadFile(upload.file, 'the shot image', SHOT_IMAGE_RULES.maxBytes, `Dribbble takes a GIF, JPG or PNG of at most 8 MB (${SHOT_IMAGE_RULES.maxBytes} bytes), exactly 400x300 or 800x600.`);
  const image = checkShotImage(bytes, upload.file);
  requireValue(config, 'access_token', 'Get one with the upload scope: npm run authorize -- --scope "public upload".');
  assertUploadScope(config);
  return { bytes, image, tags };
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function uploadShot(upload: ShotUpload, config: ResolvedConfig, options: ApiRunOptions & { totalTimeoutMs: number; pollIntervalMs?: number }): Promise<UploadedShot> {
  const { bytes, image, tags } = prepareShotUpload(upload, config);
  const call: ApiCall = {
    endpoint: CREATE,
    pathParams: {},
    query: {},
    body: { title: upload.title, ...(upload.description ? { description: upload.description } : {}), ...(tags.length ? { tags } : {}) },
    files: { image: upload.file },
  };
  const staged = stageFiles({ image: upload.file }, { image: bytes });
  let accepted;
  try {
    accepted = await sendApiCall(call, config, { ...options, workingDir: staged.folder, fileNames: staged.names });
  } finally {
    staged.remove();
  }
  const origin = apiOrigin(config);
  // The Location becomes the poll's URL: a {{variable}} in it would go out filled in (a secret).
  if (accepted.headers.location) assertLiteralServerUrl(accepted.headers.location, 'Location header', accepted.url);
  const location = accepted.headers.location ? new URL(accepted.headers.location, accepted.url).toString() : '';
  if (accepted.status !== 202 || !location) {
    throw new ProtocolError('upload_not_accepted', `${accepted.url} answered ${accepted.status}${location ? '' : ' without a Location header'}; Dribbble answers an upload with 202 Accepted and the Location to poll.`);
  }
  if (new URL(location).origin !== origin) {
    throw new ProtocolError('location_elsewhere', `The upload was accepted, but its Location points to ${showUntrusted(new URL(location).origin)}, not the API's origin ${origin}: it was not polled, as the token goes only to the API.`);
  }
  const started = Date.now();
  const sleep = options.sleep ?? sleepFor;
  let interval = options.pollIntervalMs ?? 1000;
  for (let polls = 1; ; polls++) {
    try {
      const answer = await sendApiCall({ endpoint: POLL, pathParams: {}, query: {}, body: {}, files: {} }, config, { ...options, url: location, variables: { shot_location: location } });
      const shot = parseJsonBody(answer);
      if (!shot) throw new ProtocolError('not_json', `${answer.url} answered ${answer.status} without a shot.`);
      return { shot, location, image, polls };
    } catch (error) {
      if ((error as { code?: string }).code !== 'not_found') throw error;
    }
    const elapsed = Date.now() - started;
    if (elapsed + interval > options.totalTimeoutMs) {
      throw new NetworkError('processing_timeout', `The shot was uploaded and Dribbble is still processing it after ${Math.round(elapsed / 1000)} s: ${showUntrusted(location)} answers 404 until it is done (past five minutes, Dribbble suggests contacting support). Check later with: npm run api -- GET ${showUntrusted(new URL(location).pathname)}`);
    }
    options.progress(`Processing: ${showUntrusted(location)} answers 404 for now; asking again in ${(interval / 1000).toFixed(0)} s (${Math.round(elapsed / 1000)} s so far) ...`);
    await sleep(interval);
    interval = Math.min(interval * 2, 5000);
  }
}
