// The bundled mock serves API v2 as Dribbble does (issue 16): started in process, called with
// fetch and FormData. Each refusal is checked for Dribbble's status and body, not just "an error".
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { API_ENDPOINTS, DOCUMENTED_ERRORS } from '../../scripts/lib/dribbble/api-v2.js';
import { API_HANDLERS, MOCK_API_MESSAGES } from '../../scripts/lib/mock/api-routes.js';
import { MOCK_DEMO_CLIENT, MOCK_DEMO_USER } from '../../scripts/lib/mock/mock-defaults.js';
import { MOCK_OTHER_USER, SAMPLE_SHOT_PATH, startMockServer, type MockServer, type MockServerOptions } from '../../scripts/lib/mock/mock-server.js';
import { bmpOfSize, pngOfSize } from '../support/images.js';

let clock = Date.UTC(2026, 10, 30, 12, 0, 0);
const servers: MockServer[] = [];
async function mock(options: MockServerOptions = {}): Promise<MockServer> {
  const server = await startMockServer({ port: 0, now: () => clock, ...options });
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  clock = Date.UTC(2026, 10, 30, 12, 0, 0);
});

const call = (m: MockServer, token: string, path: string, init: RequestInit = {}) =>
  fetch(`${m.apiBaseUrl}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) } });

function shotForm(fields: { title?: string; image?: Buffer; tags?: string[]; [k: string]: unknown } = {}): FormData {
  const form = new FormData();
  const { title = 'A shot', image = pngOfSize(800, 600), tags = [], ...rest } = fields;
  if (title !== '') form.append('title', title);
  if (image.length) form.append('image', new Blob([new Uint8Array(image)], { type: 'image/png' }), 'shot.png');
  for (const tag of tags) form.append('tags[]', tag);
  for (const [k, v] of Object.entries(rest)) form.append(k, String(v));
  return form;
}
const upload = (m: MockServer, token: string, form: FormData) => call(m, token, '/shots', { method: 'POST', body: form });

describe('the catalogue is served whole', () => {
  it('every API v2 endpoint of the catalogue has a handler', () => {
    expect(API_ENDPOINTS.filter((e) => !API_HANDLERS[e.name]).map((e) => e.name)).toEqual([]);
    expect(Object.keys(API_HANDLERS).sort()).toEqual(API_ENDPOINTS.map((e) => e.name).sort());
  });
});

describe('shot upload (POST /shots)', () => {
  it('refuses an 801x600 image with 422 and Dribbble\'s errors[]; stores nothing', async () => {
    const m = await mock();
    const token = m.issueToken({ scope: 'public upload' });
    const before = m.store.shots.size;
    const refused = await upload(m, token, shotForm({ image: pngOfSize(801, 600) }));
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({ message: 'Validation failed.', errors: [{ attribute: 'image', message: 'must be exactly 400x300 or 800x600' }] });
    expect(m.store.shots.size).toBe(before);
    // The documented 422 example is exactly what the mock sends.
    expect(DOCUMENTED_ERRORS[422].errors[0]).toEqual({ attribute: 'image', message: 'must be exactly 400x300 or 800x600' });
  });

  it('accepts exactly 400x300 and 800x600 PNGs', async () => {
    const m = await mock();
    const token = m.issueToken({ scope: 'public upload' });
    expect((await upload(m, token, shotForm({ image: pngOfSize(400, 300) }))).status).toBe(202);
    expect((await upload(m, token, shotForm({ image: pngOfSize(800, 600) }))).status).toBe(202);
    expect((await upload(m, token, shotForm({ image: pngOfSize(600, 800) }))).status).toBe(422);
  });

  it('refuses a 13th tag (tags[] repeated, or comma-separated) with 422 on tags; 12 pass', async () => {
    const m = await mock();
    const token = m.issueToken({ scope: 'public upload' });
    const tags = (n: number) => Array.from({ length: n }, (_, i) => `tag${i + 1}`);
    expect((await upload(m, token, shotForm({ tags: tags(12) }))).status).toBe(202);
    const thirteen = await upload(m, token, shotForm({ tags: tags(13) }));
    expect(thirteen.status).toBe(422);
    expect(await thirteen.json()).toEqual({ message: 'Validation failed.', errors: [{ attribute: 'tags', message: 'is too long (maximum is 12 tags)' }] });
    const commas = shotForm();
    commas.append('tags', tags(13).join(', '));
    expect((await upload(m, token, commas)).status).toBe(422);
  });

  it('refuses an upload without the upload scope with 403 and Dribbble\'s {message}, naming the scope in WWW-Authenticate', async () => {
    const m = await mock();
    const token = m.issueToken({ scope: 'public' });
    const before = m.store.shots.size;
    const refused = await upload(m, token, shotForm());
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ message: DOCUMENTED_ERRORS[403].message });
    expect(refused.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(refused.headers.get('www-authenticate')).toContain('scope \\"upload\\"');
    expect(m.store.shots.size).toBe(before);
  });

  it('refuses a missing title, a file over 8 MB, a BMP, and a missing image, each with its attribute', async () => {
    const m = await mock();
    const token = m.issueToken({ scope: 'public upload' });
    const errorsOf = async (form: FormData) => ((await (await upload(m, token, form)).json()) as { errors: unknown[] }).errors;
    expect(await errorsOf(shotForm({ title: '' }))).toEqual([{ attribute: 'title', message: "can't be blank" }]);
    expect(await errorsOf(shotForm({ image: pngOfSize(800, 600, 8 * 1024 * 1024 + 1) }))).toEqual([{ attribute: 'image', message: 'must be no larger than 8 MB' }]);
    expect(await errorsOf(shotForm({ image: bmpOfSize(800, 600) }))).toEqual([{ attribute: 'image', message: 'must be a GIF, JPG, or PNG' }]);
    expect(await errorsOf(shotForm({ image: Buffer.alloc(0) }))).toEqual([{ attribute: 'image', message: "can't be blank" }]);
  });

  it('serves a sample PNG that passes the rule, at SAMPLE_SHOT_PATH', async () => {
    const m = await mock();
    const sample = await fetch(`${m.origin}${SAMPLE_SHOT_PATH}`);
    expect(sample.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await sample.arrayBuffer());
    expect((await upload(m, m.issueToken({ scope: 'public upload' }), shotForm({ image: bytes }))).status).toBe(202);
  });

  it('answers 202 with an absolute Location on the API origin, which is 404 until processed, then 200 with the shot', async () => {
    const m = await mock({ processingDelayMs: 5000 });
    const token = m.issueToken({ scope: 'public upload' });
    const accepted = await upload(m, token, shotForm({ title: 'Fresh', tags: ['a', 'b'], description: '<p>Hi</p>' }));
    expect(accepted.status).toBe(202);
    const location = accepted.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^${m.origin}/v2/shots/\\d+$`));
    const poll = () => fetch(location, { headers: { Authorization: `Bearer ${token}` } });
    expect((await poll()).status).toBe(404);
    clock += 4999;
    expect((await poll()).status).toBe(404);
    clock += 1;
    const ready = await poll();
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ title: 'Fresh', tags: ['a', 'b'], description: '<p>Hi</p>', width: 800, height: 600, low_profile: false, attachments: [] });
  });
});

describe('pagination', () => {
  it('250 shots come in 3 pages of per_page=100, following Link rel="next" (absolute URLs); rel="prev" back', async () => {
    const m = await mock({ seedShots: 250 });
    const token = m.issueToken();
    let next: string | undefined = `${m.apiBaseUrl}/user/shots?per_page=100`;
    const items: Array<{ id: number }> = [];
    let requests = 0;
    let lastLink = '';
    while (next) {
      const page = await fetch(next, { headers: { Authorization: `Bearer ${token}` } });
      requests += 1;
      expect(page.status).toBe(200);
      items.push(...((await page.json()) as Array<{ id: number }>));
      lastLink = page.headers.get('link') ?? '';
      next = /<([^>]+)>;\s*rel="next"/.exec(lastLink)?.[1];
    }
    expect(requests).toBe(3);
    expect(items).toHaveLength(250);
    expect(new Set(items.map((s) => s.id)).size).toBe(250);
    expect(lastLink).toBe(`<${m.apiBaseUrl}/user/shots?per_page=100&page=2>; rel="prev"`);
  });

  it('refuses per_page=101 with 422 naming per_page; 100 is fine; 30 by default', async () => {
    const m = await mock({ seedShots: 40 });
    const token = m.issueToken();
    const refused = await call(m, token, '/user/shots?per_page=101');
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({ message: 'Validation failed.', errors: [{ attribute: 'per_page', message: 'must be a whole number from 1 to 100' }] });
    expect((await call(m, token, '/user/shots?per_page=100')).status).toBe(200);
    expect((await call(m, token, '/user/shots?page=0')).status).toBe(422);
    const first = await call(m, token, '/user/shots');
    expect(await first.json()).toHaveLength(30);
    expect(first.headers.get('link')).toBe(`<${m.apiBaseUrl}/user/shots?page=2>; rel="next"`);
  });
});

describe('rate limits', () => {
  it('the 61st request of a minute is 429 {"message":"API rate limit exceeded."}; X-RateLimit-* on every answer; the next minute is open', async () => {
    const m = await mock();
    const token = m.issueToken();
    for (let i = 1; i <= 60; i++) {
      const ok = await call(m, token, '/user');
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-ratelimit-limit')).toBe('60');
      expect(ok.headers.get('x-ratelimit-remaining')).toBe(String(60 - i));
      expect(ok.headers.get('x-ratelimit-reset')).toBe(String(clock / 1000 + 60));
    }
    const refused = await call(m, token, '/user');
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({ message: 'API rate limit exceeded.' });
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    clock += 60_000;
    expect((await call(m, token, '/user')).status).toBe(200);
  });

  it('counts per user, whatever the token; the day budget answers with its own limit and reset', async () => {
    const m = await mock({ rateLimit: { perMinute: 2, perDay: 3, windowMs: 1000 } });
    const [a, b] = [m.issueToken(), m.issueToken()];
    expect((await call(m, a, '/user')).status).toBe(200);
    expect((await call(m, b, '/user')).status).toBe(200);
    expect((await call(m, a, '/user')).status).toBe(429);
    // Another user has their own budget.
    expect((await call(m, m.issueToken({ userId: MOCK_OTHER_USER.id }), '/user')).status).toBe(200);
    clock += 1000;
    const last = await call(m, a, '/user');
    expect(last.status).toBe(200);
    expect(last.headers.get('x-ratelimit-limit')).toBe('3');
    expect(last.headers.get('x-ratelimit-remaining')).toBe('0');
    clock += 1000;
    const dayOver = await call(m, b, '/user');
    expect(dayOver.status).toBe(429);
    expect(dayOver.headers.get('x-ratelimit-limit')).toBe('3');
    expect(Number(dayOver.headers.get('x-ratelimit-reset'))).toBe((Date.UTC(2026, 10, 30, 12, 0, 0) + 86_400_000) / 1000);
  });

  it('X-RateLimit-* ride on refusals too (403, 404, 422), each counted', async () => {
    const m = await mock();
    const token = m.issueToken();
    const answers = [await call(m, token, '/shots', { method: 'POST' }), await call(m, token, '/shots/999999'), await call(m, token, '/user/shots?per_page=101'), await call(m, token, '/nothing')];
    expect(answers.map((a) => a.status)).toEqual([403, 404, 422, 404]);
    expect(answers.map((a) => a.headers.get('x-ratelimit-remaining'))).toEqual(['59', '58', '57', '56']);
  });

  it('keeps the numeric rateLimit option (per minute)', async () => {
    const m = await mock({ rateLimit: 1 });
    const token = m.issueToken();
    expect((await call(m, token, '/user')).headers.get('x-ratelimit-limit')).toBe('1');
    expect((await call(m, token, '/user')).status).toBe(429);
  });
});

describe('ownership, scopes, approved apps', () => {
  it('another user\'s shot is 404 to GET and 403 to PUT and DELETE; an absent one is 404', async () => {
    const m = await mock();
    const token = m.issueToken({ scope: 'public upload' });
    const theirs = [...m.store.shots.values()].find((s) => s.userId === MOCK_OTHER_USER.id)!;
    expect((await call(m, token, `/shots/${theirs.id}`)).status).toBe(404);
    const put = await call(m, token, `/shots/${theirs.id}`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ title: 'Mine now' }) });
    expect(put.status).toBe(403);
    expect(await put.json()).toEqual({ message: DOCUMENTED_ERRORS[403].message });
    expect((await call(m, token, `/shots/${theirs.id}`, { method: 'DELETE' })).status).toBe(403);
    expect(m.store.shots.get(theirs.id)?.title).toBe('Not yours');
    expect((await call(m, token, '/shots/999999', { method: 'DELETE' })).status).toBe(404);
    const mine = [...m.store.shots.values()].find((s) => s.userId === MOCK_DEMO_USER.id)!;
    expect((await call(m, token, `/shots/${mine.id}`)).status).toBe(200);
  });

  it('PUT /shots/:id updates title and tags (tags left out are removed), 422 past 12 tags; DELETE is 204', async () => {
    const m = await mock();
    const token = m.issueToken({ scope: 'public upload' });
    const mine = [...m.store.shots.values()].find((s) => s.userId === MOCK_DEMO_USER.id)!;
    const json = (body: unknown) => ({ method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const updated = await call(m, token, `/shots/${mine.id}`, json({ title: 'Renamed', tags: ['x'] }));
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ id: mine.id, title: 'Renamed', tags: ['x'] });
    expect(await (await call(m, token, `/shots/${mine.id}`, json({ title: 'Again' }))).json()).toMatchObject({ tags: [] });
    expect((await call(m, token, `/shots/${mine.id}`, json({ tags: Array.from({ length: 13 }, (_, i) => `t${i}`) }))).status).toBe(422);
    const bad = await call(m, token, `/shots/${mine.id}`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ message: 'Problem parsing JSON.' });
    expect((await call(m, token, `/shots/${mine.id}`, json({ title: 'x' }))).status).toBe(200);
    expect((await call(m, m.issueToken({ scope: 'public' }), `/shots/${mine.id}`, { method: 'DELETE' })).status).toBe(403);
    expect((await call(m, token, `/shots/${mine.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(m, token, `/shots/${mine.id}`)).status).toBe(404);
  });

  it('projects need the public scope: 201 on create (422 without a name), 403 on another user\'s, 204 on delete', async () => {
    const m = await mock();
    const uploadOnly = m.issueToken({ scope: 'upload' });
    expect((await call(m, uploadOnly, '/user/projects')).status).toBe(403);
    const token = m.issueToken({ scope: 'public' });
    const created = await call(m, token, '/projects', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Icons', description: 'Some icons' }) });
    expect(created.status).toBe(201);
    const project = (await created.json()) as { id: number };
    expect(project).toMatchObject({ name: 'Icons', description: 'Some icons', shots_count: 0 });
    expect((await call(m, token, '/projects', { method: 'POST', body: new URLSearchParams({ description: 'no name' }) })).status).toBe(422);
    const listed = (await (await call(m, token, '/user/projects')).json()) as Array<{ id: number }>;
    expect(listed.map((p) => p.id)).toContain(project.id);
    const theirs = [...m.store.projects.values()].find((p) => p.userId === MOCK_OTHER_USER.id)!;
    expect((await call(m, token, `/projects/${theirs.id}`, { method: 'PUT', body: new URLSearchParams({ name: 'x' }) })).status).toBe(403);
    expect((await call(m, token, `/projects/${theirs.id}`, { method: 'DELETE' })).status).toBe(403);
    expect((await call(m, token, `/projects/${project.id}`, { method: 'PUT', body: new URLSearchParams({ name: 'Glyphs' }) })).status).toBe(200);
    expect((await call(m, token, `/projects/${project.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(m, token, `/projects/${project.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('approved-apps-only endpoints are 403 saying so, unless the client is approved', async () => {
    const m = await mock({ approvedClients: ['approved-app'] });
    for (const path of ['/popular_shots', '/user/likes']) {
      const refused = await call(m, m.issueToken(), path);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({ message: MOCK_API_MESSAGES.approvedAppsOnly });
      expect(MOCK_API_MESSAGES.approvedAppsOnly).toMatch(/approved/);
      expect((await call(m, m.issueToken({ clientId: 'approved-app' }), path)).status).toBe(200);
    }
    expect(MOCK_DEMO_CLIENT.clientId).not.toBe('approved-app');
  });

  it('attachments: 202, listed on the shot once processed, 422 past 10 MB, 204 on delete', async () => {
    const m = await mock({ processingDelayMs: 100 });
    const token = m.issueToken({ scope: 'public upload' });
    const mine = [...m.store.shots.values()].find((s) => s.userId === MOCK_DEMO_USER.id)!;
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(pngOfSize(10, 10))], { type: 'image/png' }), 'detail.png');
    const accepted = await call(m, token, `/shots/${mine.id}/attachments`, { method: 'POST', body: form });
    expect(accepted.status).toBe(202);
    const attachmentId = Number(/\/v2\/shots\/\d+\/attachments\/(\d+)$/.exec(accepted.headers.get('location') ?? '')?.[1]);
    expect(((await (await call(m, token, `/shots/${mine.id}`)).json()) as { attachments: unknown[] }).attachments).toEqual([]);
    clock += 100;
    const shot = (await (await call(m, token, `/shots/${mine.id}`)).json()) as { attachments: Array<{ id: number; content_type: string }> };
    expect(shot.attachments).toHaveLength(1);
    expect(shot.attachments[0]).toMatchObject({ id: attachmentId, content_type: 'image/png' });
    const big = new FormData();
    big.append('file', new Blob([new Uint8Array(10 * 1024 * 1024 + 1)]), 'big.bin');
    const refused = await call(m, token, `/shots/${mine.id}/attachments`, { method: 'POST', body: big });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({ message: 'Validation failed.', errors: [{ attribute: 'file', message: 'must be no larger than 10 MB' }] });
    expect((await call(m, token, `/shots/${mine.id}/attachments/${shot.attachments[0]!.id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('401 without a bearer token, an unknown token, or on API v1', async () => {
    const m = await mock();
    expect((await fetch(`${m.apiBaseUrl}/user`)).status).toBe(401);
    expect(await (await call(m, 'nope', '/user')).json()).toEqual({ message: 'Bad credentials.' });
    const v1 = await call(m, m.issueToken(), '/../v1/user');
    expect(v1.status).toBe(401);
    expect(await v1.json()).toEqual({ message: MOCK_API_MESSAGES.deprecated });
  });
});

describe('robustness', () => {
  const raw = (m: MockServer, request: string) =>
    new Promise<string>((resolve) => {
      const socket = connect(m.port, '127.0.0.1', () => socket.end(request));
      let text = '';
      socket.on('data', (d) => (text += d.toString('latin1')));
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
    });

  it('GET //[ and other garbage targets get 400, and the mock keeps answering', async () => {
    const m = await mock();
    for (const target of ['//[', '//evil.example/x', '*', 'http://[::1', '/%E0%A4%A']) {
      const answer = await raw(m, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      expect(answer).toMatch(/^HTTP\/1\.1 (400|404|401) /);
    }
    expect((await call(m, m.issueToken(), '/shots/%E0%A4%A')).status).toBe(404);
    expect((await call(m, m.issueToken(), '/user')).status).toBe(200);
  });

  it('a client streaming 1 GB is cut off after the cap, with 413, and the mock keeps answering', async () => {
    const m = await mock();
    const token = m.issueToken({ scope: 'public upload' });
    const sent = await new Promise<number>((resolve) => {
      let written = 0;
      const socket = connect(m.port, '127.0.0.1', () => {
        socket.write(`POST /v2/shots HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: multipart/form-data; boundary=x\r\nTransfer-Encoding: chunked\r\n\r\n`);
        const block = Buffer.alloc(1024 * 1024, 0x61);
        const pump = () => {
          while (written < 1024 ** 3 && !socket.destroyed) {
            written += block.length;
            if (!socket.write(`${block.length.toString(16)}\r\n${block.toString('latin1')}\r\n`, 'latin1')) return void socket.once('drain', pump);
          }
        };
        pump();
      });
      let answer = '';
      socket.on('data', (d) => (answer += d.toString('latin1')));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        expect(answer).toMatch(/^HTTP\/1\.1 413 /);
        resolve(written);
      });
    });
    expect(sent).toBeLessThan(128 * 1024 * 1024);
    expect((await call(m, token, '/user')).status).toBe(200);
  });
});
