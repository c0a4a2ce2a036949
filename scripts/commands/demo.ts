// npm run demo: the collection's flow (Authorize, Exchange code for token, Get authenticated user,
// then an upload: Create a shot and its processing poll) through Newman against the bundled mock
// on a free port. No configuration, no network; the image is a temporary file, removed after.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCodeVerifier, generateState } from '../lib/oauth/authorization-request.js';
import { commonFlagsExcept, parseFlags } from '../lib/cli/cli-flags.js';
import { ITEM_AUTHORIZE, ITEM_EXCHANGE, ITEM_GET_USER } from '../lib/postman/collection-files.js';
import { runCommand } from '../lib/cli/command-output.js';
import { ProtocolError, describeNetworkFailure } from '../lib/core/errors.js';
import { MOCK_DEMO_CLIENT } from '../lib/mock/mock-defaults.js';
import { startMockServer } from '../lib/mock/mock-server.js';
import type { ItemRun } from '../lib/http/http-exchange.js';
import { loadCollection, runCollectionItems } from '../lib/newman/newman-runner.js';
import { SHOT_STATUS_ITEM, findEndpoint } from '../lib/dribbble/api-v2.js';
import { sampleShotPng } from '../lib/mock/sample-image.js';
import { maskSecret, registerSecret } from '../lib/core/redaction.js';
import { DEFAULT_TIMEOUT_MS } from '../lib/oauth/token-exchange.js';

const ITEM_UPLOAD = findEndpoint('POST', '/shots')!.name;
type StepRun = ReturnType<typeof requireStep>;

interface Step {
  name: string;
  request: string;
  status?: number;
  detail: string;
}

function requireStep(run: ItemRun | undefined, name: string, timeoutMs: number): ItemRun & { response: NonNullable<ItemRun['response']> } {
  // A slow or stopped machine (demo --timeout 1) is "try again", not a bug.
  if (run?.transportError) throw describeNetworkFailure(run.transportError, run.request?.url ?? name, timeoutMs);
  if (!run?.response || run.failures.length) {
    const why = run?.transportError?.message ?? run?.failures.join('; ') ?? 'it did not run';
    throw new ProtocolError('demo_step_failed', `The demo's "${name}" step failed: ${why}. This is a bug in the collection or the mock: please report it.`);
  }
  return run as ItemRun & { response: NonNullable<ItemRun['response']> };
}

export async function run(argv: string[]): Promise<void> {
  const flags = await parseFlags(argv, 'demo', 'Runs the whole flow against the bundled mock server: nothing to configure, no network, nothing written.', {}, { ignores: commonFlagsExcept('json', 'timeout', 'allow-insecure-tls') });
  await runCommand(flags.json, async (out) => {
    const started = performance.now();
    // Processing shorter than the mock's default, so the poll shows without a long wait.
    const mock = await startMockServer({ port: 0, processingDelayMs: 1000 });
    const imageDir = await mkdtemp(join(tmpdir(), 'dribbble-oauth-demo-'));
    try {
      out.line(`Dribbble OAuth demo against the bundled mock server on ${mock.origin} (nothing leaves this machine).`);
      out.line(`Demo app: client id ${MOCK_DEMO_CLIENT.clientId}, callback ${MOCK_DEMO_CLIENT.redirectUri}\n`);
      const state = generateState();
      const codeVerifier = generateCodeVerifier();
      const values = {
        client_id: MOCK_DEMO_CLIENT.clientId,
        client_secret: MOCK_DEMO_CLIENT.clientSecret,
        redirect_uri: MOCK_DEMO_CLIENT.redirectUri,
        scope: 'public upload',
        state,
        code_verifier: codeVerifier,
        oauth_origin: mock.origin,
        api_origin: mock.origin,
      };
      const timeoutMs = flags.timeout ?? DEFAULT_TIMEOUT_MS;
      // The upload's image: an 800x600 PNG, given to the collection as its shot_image variable.
      const imagePath = join(imageDir, 'demo-shot.png');
      await writeFile(imagePath, sampleShotPng());
      const collection = await loadCollection();
      collection.variable = collection.variable.map((v) => (v.key === 'shot_image' ? { ...v, value: imagePath } : v));
      const names = [ITEM_AUTHORIZE, ITEM_EXCHANGE, ITEM_GET_USER, ITEM_UPLOAD, SHOT_STATUS_ITEM];
      const result = await runCollectionItems(names, values, { timeoutMs, collection, workingDir: imageDir });
      const [authorize, exchange, user, upload, processed] = names.map((name) => requireStep(result.items.find((i) => i.name === name), name, timeoutMs)) as [StepRun, StepRun, StepRun, StepRun, StepRun];

      const code = new URL(authorize.response.headers.location ?? '').searchParams.get('code') ?? '';
      registerSecret(code);
      const token = JSON.parse(exchange.response.body) as { access_token: string; token_type: string; scope: string };
      registerSecret(token.access_token);
      const profile = JSON.parse(user.response.body) as { login: string; name: string; html_url: string };
      const shot = JSON.parse(processed.response.body) as { title: string; width: number; height: number };
      const steps: Step[] = [
        { name: ITEM_AUTHORIZE, request: 'GET  /oauth/authorize', status: authorize.response.status, detail: `redirected with code ${maskSecret(code)}; state checked; PKCE S256` },
        { name: ITEM_EXCHANGE, request: 'POST /oauth/token', status: exchange.response.status, detail: `access token ${maskSecret(token.access_token)} (${token.token_type}, scope: ${token.scope})` },
        {
          name: ITEM_GET_USER,
          request: 'GET  /v2/user',
          status: user.response.status,
          detail: `${profile.login} (${profile.name}), ${user.response.headers['x-ratelimit-remaining']} of ${user.response.headers['x-ratelimit-limit']} requests left this minute`,
        },
        { name: ITEM_UPLOAD, request: 'POST /v2/shots', status: upload.response.status, detail: `an 800x600 PNG accepted; processing at ${new URL(upload.response.headers.location ?? '', mock.origin).pathname}` },
        { name: SHOT_STATUS_ITEM, request: `GET  ${new URL(processed.request?.url ?? '', mock.origin).pathname}`, status: processed.response.status, detail: `processed (404 until then, polled): "${shot.title}", ${shot.width}x${shot.height}` },
      ];
      steps.forEach((step, index) => {
        out.line(`${index + 1}. ${step.name.padEnd(24)} ${step.request} -> ${step.status}`);
        out.line(`   ${step.detail}`);
      });
      out.line(`\nAll ${steps.length} requests of collections/dribbble-oauth.postman_collection.json passed under Newman in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
      out.line('For your real Dribbble app: npm run init, then npm run authorize.');
      return { steps };
    } finally {
      await mock.close();
      await rm(imageDir, { recursive: true, force: true });
    }
  });
}
