// The page the browser shows after the redirect: a real page, every value escaped, usable with
// JavaScript off (only the copy buttons need it), served with a strict Content-Security-Policy.
import { randomBytes } from 'node:crypto';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface RenderedPage {
  html: string;
  headers: Record<string, string>;
}

const STYLE = `
:root { color-scheme: light dark; --accent: #ea4c89; --muted: #6e6d7a; --border: #e7e7e9; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: Canvas; color: CanvasText; }
main { max-width: 40rem; margin: 3rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
.status { display: inline-block; font-size: .8rem; font-weight: 600; padding: .1rem .6rem; border-radius: 1rem; margin-bottom: 1rem; }
.ok { background: #e4f7ec; color: #0b6b35; }
.fail { background: #fde8e8; color: #9b1c1c; }
p.lead { color: var(--muted); margin-top: 0; }
label { display: block; font-weight: 600; margin: 1.25rem 0 .35rem; }
.field { display: flex; gap: .5rem; }
input { flex: 1; min-width: 0; font: 14px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; padding: .6rem .7rem; border: 1px solid var(--border); border-radius: .5rem; background: Field; color: FieldText; }
button { font: inherit; font-size: .9rem; padding: .5rem .9rem; border: 0; border-radius: .5rem; background: var(--accent); color: #fff; cursor: pointer; }
button:focus-visible, summary:focus-visible, input:focus-visible { outline: 3px solid #f5a3c4; outline-offset: 2px; }
details { margin-top: .5rem; }
summary { cursor: pointer; color: var(--muted); font-size: .9rem; }
code, pre { font: 14px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
pre { background: color-mix(in srgb, CanvasText 6%, Canvas); padding: .75rem 1rem; border-radius: .5rem; white-space: pre-wrap; word-break: break-all; }
.message { white-space: pre-wrap; overflow-wrap: anywhere; }
footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; }
`;

// Copy buttons start hidden and appear only when this script runs (progressive enhancement).
const SCRIPT = `
for (const button of document.querySelectorAll('button[data-copy]')) {
  button.hidden = false;
  button.addEventListener('click', async () => {
    const value = document.getElementById(button.dataset.copy).value;
    try {
      await navigator.clipboard.writeText(value);
      button.textContent = 'Copied';
    } catch {
      button.textContent = 'Copy failed: select the field and press Ctrl+C';
    }
    setTimeout(() => { button.textContent = 'Copy'; }, 2000);
  });
}
`;

function page(title: string, body: string, withScript: boolean): RenderedPage {
  const nonce = randomBytes(16).toString('base64');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<main>
${body}
<footer>dribbble-oauth · this page was served once by your terminal on this machine and is gone when you close it.</footer>
</main>
${withScript ? `<script nonce="${nonce}">${SCRIPT}</script>` : ''}
</body>
</html>
`;
  return {
    html,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Content-Security-Policy': `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
    },
  };
}

function copyField(id: string, label: string, value: string, type: 'text' | 'password' = 'text'): string {
  return `<label for="${id}">${escapeHtml(label)}</label>
<div class="field"><input id="${id}" type="${type}" value="${escapeHtml(value)}" readonly spellcheck="false" autocomplete="off"><button type="button" data-copy="${id}" aria-label="Copy ${escapeHtml(label)}" hidden>Copy</button></div>`;
}

export function renderSuccessPage(options: { clientId: string; callbackUrl: string; accessToken: string; savedTo: string[]; scope: string }): RenderedPage {
  const saved = options.savedTo.length
    ? `Saved as <code>DRIBBBLE_ACCESS_TOKEN</code> in <code>${escapeHtml(options.savedTo[0]!)}</code>.`
    : 'Not saved (<code>--no-save</code>): copy it now.';
  const body = `<span class="status ok">Authorized</span>
<h1>Your Dribbble access token is ready</h1>
<p class="lead">Scope: <code>${escapeHtml(options.scope)}</code>. ${saved} You can close this tab.</p>
${copyField('client-id', 'Client ID', options.clientId)}
${copyField('callback-url', 'Callback URL', options.callbackUrl)}
${copyField('access-token', 'Access token', options.accessToken, 'password')}
<details><summary>Reveal token</summary><pre id="access-token-revealed">${escapeHtml(options.accessToken)}</pre></details>
<h2>Next</h2>
<pre>npm run whoami</pre>
<p>Send it to the API as <code>Authorization: Bearer &lt;token&gt;</code>. Treat it like a password: anyone holding it can act as you on Dribbble.</p>`;
  return page('Authorized · Dribbble OAuth', body, true);
}

export function renderFailurePage(options: { title: string; message: string }): RenderedPage {
  const body = `<span class="status fail">Not authorized</span>
<h1>${escapeHtml(options.title)}</h1>
<p class="message" id="message">${escapeHtml(options.message)}</p>
<p>The terminal says the same. Run <code>npm run authorize</code> again when you have fixed it.</p>`;
  return page('Authorization failed · Dribbble OAuth', body, false);
}

export function renderNotFoundPage(): RenderedPage {
  return page('Not found · Dribbble OAuth', '<h1>Not the callback</h1><p>This port only answers the OAuth callback.</p>', false);
}
