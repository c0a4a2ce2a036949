// `npm run mock` as a process: what it prints, that its flags reach the server, that garbage does
// not kill it, and a clean exit on SIGTERM. Two runs, one per authorize mode. (The mock's OAuth and
// API behaviour, in process, is test/unit/mock-oauth.test.ts's and test/unit/mock-api.test.ts's.)
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { API_ENDPOINTS } from '../../scripts/lib/dribbble/api-v2.js';
import { MOCK_DEMO_CLIENT } from '../../scripts/lib/mock/mock-defaults.js';
import { pngOfSize } from '../support/images.js';
import { authorizeAtMock, cliEnv, makeTempDir, startCli } from './helpers.js';

/** `npm run mock` with flags, on a free port: its origin, and a way to stop it. */
async function runMock(flags: string[]) {
  const dir = await makeTempDir();
  const run = startCli(['mock', '--port', '0', ...flags], { cwd: dir, env: cliEnv(dir) });
  const [, origin] = await run.waitForOutput(/Dribbble mock server on (http:\/\/127\.0\.0\.1:\d+)/);
  await run.waitForOutput(/Try it:/);
  return { run, origin: origin!, stop: async () => (run.child.kill('SIGTERM'), (await run.exit).code) };
}
const authorizeAt = (origin: string) =>
  fetch(`${origin}/oauth/authorize?${new URLSearchParams({ client_id: MOCK_DEMO_CLIENT.clientId, redirect_uri: MOCK_DEMO_CLIENT.redirectUri, response_type: 'code', state: 's' })}`, { redirect: 'manual' });
async function tokenAt(origin: string, scope: string): Promise<string> {
  const { code } = await authorizeAtMock(`${origin}/oauth`, { clientId: MOCK_DEMO_CLIENT.clientId, redirectUri: MOCK_DEMO_CLIENT.redirectUri, scope });
  const answer = await fetch(`${origin}/oauth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', client_id: MOCK_DEMO_CLIENT.clientId, client_secret: MOCK_DEMO_CLIENT.clientSecret, code, redirect_uri: MOCK_DEMO_CLIENT.redirectUri }) });
  return ((await answer.json()) as { access_token: string }).access_token;
}
/** Raw bytes to the port; what came back when the server closes. */
const raw = (port: number, request: string) =>
  new Promise<string>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    let text = '';
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('close', () => resolve(text));
    socket.on('error', () => resolve(text));
  });

describe('npm run mock', () => {
  it('--sign-in: prints its address and the demo credentials, sends a client without a session to the sign-in page first (N33), survives GET //[ and garbage (issue 14 F5), and exits 0 on SIGTERM', async () => {
    const { origin, run, stop } = await runMock(['--sign-in']);
    try {
      expect(run.output()).toContain('client id      demo-client-id');
      expect(run.output()).toContain('client secret  demo-client-secret-not-a-real-secret');
      expect(run.output()).toContain('sign-in page first');
      // Audit: on a port other than the committed environment's, the hints sent Newman to 8737.
      expect(run.output()).toContain(`-e environments/mock.postman_environment.json --env-var oauth_origin=${origin} --env-var api_origin=${origin} --env-var code=`);
      const answer = await authorizeAt(origin);
      expect(answer.status).toBe(302);
      expect(answer.headers.get('location')).toMatch(/^\/session\/new\?return_to=/);
      const port = Number(new URL(origin).port);
      expect(await raw(port, `GET //[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
      await raw(port, 'GET /v2/shots/%E0%A4%A HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer x\r\nConnection: close\r\n\r\n');
      await raw(port, '\x00\xff garbage\r\n\r\n');
      expect((await fetch(`${origin}/v2/user`)).status).toBe(401);
      expect(run.child.exitCode).toBeNull();
    } finally {
      expect(await stop()).toBe(0);
    }
  });

  it('without --sign-in authorize approves at once; it prints every API route it serves, and its flags take effect: --seed-shots, --processing-delay, --rate-limit with --rate-window, --approved-client', async () => {
    const { origin, run, stop } = await runMock(['--seed-shots', '250', '--processing-delay', '1000', '--rate-limit', '7', '--rate-window', '20000', '--approved-client', MOCK_DEMO_CLIENT.clientId]);
    try {
      expect((await authorizeAt(origin)).headers.get('location')).toMatch(/^http:\/\/127\.0\.0\.1:8738\/auth\/dribbble\/callback\?code=/);
      expect(run.output()).toContain(`npm run exchange -- --environment environments/mock.postman_environment.json --oauth-url ${origin} --api-url ${origin} --code `);
      for (const e of API_ENDPOINTS) expect(run.output()).toMatch(new RegExp(`${e.method} +${e.path.replace(/[/]/g, '\\/')} +${e.name}`));
      const token = await tokenAt(origin, 'public upload');
      const get = (path: string) => fetch(`${origin}/v2${path}`, { headers: { Authorization: `Bearer ${token}` } });
      const page = await get('/user/shots?per_page=100&page=3');
      expect(await page.json()).toHaveLength(50);
      expect(page.headers.get('x-ratelimit-limit')).toBe('7');
      expect((await get('/popular_shots')).status).toBe(200);
      const form = new FormData();
      form.append('title', 'Flagged');
      form.append('image', new Blob([new Uint8Array(pngOfSize(400, 300))], { type: 'image/png' }), 'a.png');
      const accepted = await fetch(`${origin}/v2/shots`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
      expect(accepted.status).toBe(202);
      const location = accepted.headers.get('location')!;
      expect((await fetch(location, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(404);
      await new Promise((r) => setTimeout(r, 1100));
      expect((await fetch(location, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
      expect((await get('/user')).status).toBe(200); // the 6th request of the window
      const seventh = await get('/user');
      expect(seventh.status).toBe(200);
      expect(seventh.headers.get('x-ratelimit-remaining')).toBe('0');
      expect((await get('/user')).status).toBe(429);
      expect(Number((await get('/user')).headers.get('x-ratelimit-reset')) * 1000).toBeLessThanOrEqual(Date.now() + 20_000);
    } finally {
      expect(await stop()).toBe(0);
    }
  });
});
