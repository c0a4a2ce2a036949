// `authorize --no-open` followed in a real Chromium (Debian's, driven by playwright-core): the
// success page's fields and copy button, and the page for a denied authorization.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../scripts/lib/mock/mock-server.js';
import { AUTHORIZE_URL, ROOT, cliEnv, makeTempDir, ownLoopbackHost, readTree, startCli } from './helpers.js';

import { CHROMIUM, browserMissing } from './global-setup.js';

// Without Chromium these tests are skipped, and test/global-setup.ts says so loudly at the start
// and the end of the run; on CI (CI=true) they run and fail instead, and .ci/run fails on any skip.
const haveBrowser = !browserMissing() || Boolean(process.env.CI);
const SCREENSHOTS = join(ROOT, 'test', 'screenshots');

const CLIENT_ID = 'browser-client-id';
const CLIENT_SECRET = 'browser-client-secret-0123456789abcdef';
let mock: MockServer;
let browser: Browser;
let callback: string;

beforeAll(async () => {
  if (!haveBrowser) return;
  callback = `http://${ownLoopbackHost()}:8738/auth/dribbble/callback`;
  mock = await startMockServer({ port: 0, clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [callback] }] });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await mkdir(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await mock?.close();
});

async function startAuthorize(dir: string) {
  const run = startCli(['authorize', '--no-open', '--client-id', CLIENT_ID, '--client-secret', CLIENT_SECRET, '--redirect-uri', callback, '--oauth-url', mock.oauthBaseUrl], {
    cwd: dir,
    env: cliEnv(dir),
  });
  const [, url] = await run.waitForOutput(AUTHORIZE_URL);
  return { run, url: url! };
}

describe.runIf(haveBrowser)('authorize in a real browser', () => {
  it('lands on the success page with Client ID, callback URL and masked token; the copy button copies the token; without JavaScript the same page still shows every field and reveals the token, only the copy buttons gone', async () => {
    const dir = await makeTempDir();
    const { run, url } = await startAuthorize(dir);
    const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    const landed = (await page.goto(url))!;
    expect(await page.textContent('h1')).toBe('Your Dribbble access token is ready');
    const result = await run.exit;
    expect(result.code, result.stderr).toBe(0);
    const token = parseDotenv(await readFile(join(dir, '.env'), 'utf8')).DRIBBBLE_ACCESS_TOKEN!;
    expect(token).toMatch(/^[0-9a-f]{64}$/);

    expect(await page.inputValue('#client-id')).toBe(CLIENT_ID);
    expect(await page.inputValue('#callback-url')).toBe(callback);
    expect(await page.inputValue('#access-token')).toBe(token);
    expect(await page.getAttribute('#access-token', 'type')).toBe('password'); // masked until revealed
    for (const id of ['#client-id', '#callback-url', '#access-token']) expect(await page.getAttribute(id, 'readonly')).not.toBeNull();
    expect(await page.isVisible('#access-token-revealed')).toBe(false);
    await page.screenshot({ path: join(SCREENSHOTS, 'success.png'), fullPage: true });

    await page.click('button[data-copy="access-token"]');
    await page.waitForSelector('button[data-copy="access-token"]:has-text("Copied")', { timeout: 5000 });
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await page.click('button[data-copy="client-id"]');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(CLIENT_ID);

    await page.click('summary');
    expect(await page.textContent('#access-token-revealed')).toBe(token);

    // The very page (bytes and headers) the callback served, opened again with JavaScript off: the
    // callback takes one request, so the browser is handed its recorded answer at the same URL.
    const served = { status: landed.status(), headers: await landed.allHeaders(), body: await landed.body() };
    expect(served.status).toBe(200);
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    await noScript.route(landed.url(), (route) => route.fulfill(served));
    const plain = await noScript.newPage();
    await plain.goto(landed.url());
    expect(await plain.inputValue('#client-id')).toBe(CLIENT_ID);
    expect(await plain.isVisible('button[data-copy]')).toBe(false);
    await plain.click('summary');
    expect(await plain.isVisible('#access-token-revealed')).toBe(true);
    expect(await plain.textContent('#access-token-revealed')).toBe(token);
    await noScript.close();
    await context.close();
  });

  it('shows a denied authorization as a failure page, with markup in error_description shown as text', async () => {
    const dir = await makeTempDir();
    const { run, url } = await startAuthorize(dir);
    const state = new URL(url).searchParams.get('state')!;
    const context = await browser.newContext();
    const page = await context.newPage();
    const description = '<img src=x onerror="document.title=\'pwned\'"><b>The resource owner denied the request.</b>';
    await page.goto(`${callback}?${new URLSearchParams({ error: 'access_denied', error_description: description, state })}`);
    expect(await page.textContent('h1')).toBe('Dribbble did not authorize the app');
    expect(await page.textContent('#message')).toContain(description);
    expect(await page.locator('#message b, #message img').count()).toBe(0);
    expect(await page.title()).not.toBe('pwned');
    await page.screenshot({ path: join(SCREENSHOTS, 'denied.png'), fullPage: true });
    const result = await run.exit;
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('access_denied');
    expect(await readTree(dir)).toEqual([]);
    await context.close();
  });
});
