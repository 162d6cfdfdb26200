// apps.js - a real app behind sh_login in a real browser: Debian's headless
// chromium driven by playwright-core. Run by tests/apps_test.sh, once per
// README recipe, against the real gateway (and proxy) it started.
//
//   node apps.js SCENARIO   SCENARIO: nginx | caddy (a forward-auth proxy in
//                           front: PROXY, its URL), jupyter-notebook,
//                           jupyter-server, transmission, syncthing (behind
//                           the relay), cached (tests/upstream.py's page
//                           kept a day by the browser); with BASE (the gateway), TOKEN,
//                           SHOTS (screenshots), CHROMIUM
//
// Each scenario: log in, one real action in the app, log out with the
// gateway's button, and find the app locked. Prints "ok NAME" or "not ok
// NAME: why" per step; a later step after a failed one is "not ok" too, so
// the shell suite asserts on every line. Exit 1 if any failed, 2 if the
// browser could not start.
'use strict';
const path = require('path');
const fs = require('fs');
const launch = require('./launch');

const SCENARIO = process.argv[2];
const { BASE, TOKEN, SHOTS } = process.env;
const PROXY = process.env.PROXY || '';
const EXE = process.env.CHROMIUM || '/usr/bin/chromium';
const STEP_MS = 30000;   // per wait: generous for a loaded 2-core box

let failures = 0;
let page = null;         // for a screenshot of a failed step
let broken = '';         // the first failed step: later steps cannot run
function report(name, why) {
  if (!why) { console.log(`ok ${name}`); return; }
  failures++;
  console.log(`not ok ${name}: ${why}`);
}
async function step(name, fn) {
  if (broken) { report(name, `not run: ${broken} failed`); return; }
  let why;
  try { why = await fn(); } catch (e) { why = String(e && e.message || e).split('\n')[0]; }
  report(name, why);
  if (why) {
    broken = name;
    if (page) await page.screenshot({ path: path.join(SHOTS, `${SCENARIO}-failed-${name}.png`) }).catch(() => {});
  }
}
const isLogin = async (p) => (await p.title()) === 'Log in · sh_login' &&
  (await p.locator('input#token').count()) === 1;

// The app's first answer to a navigation: the first hop of the redirect
// chain that ended in R (a cached page has no hop: its own 200).
async function firstHop(r) {
  if (!r) return { status: 0, location: '' };
  let q = r.request();
  while (q.redirectedFrom()) q = q.redirectedFrom();
  const a = await q.response();
  const loc = (a && a.headers().location) || '';
  return { status: a ? a.status() : 0, location: loc.replace(/^https?:\/\/[^/]+/, '') };
}

// One API call as the app's own script sends it: with the browser's
// cookies (the context's), no redirect followed (a 303 stays a 303). Not
// fetch() from the page: after logout that is the login page, whose CSP
// (default-src 'none') forbids any fetch.
const apiCall = async (p, api) => (await p.context().request.fetch(`${BASE}${api.path}`, {
  method: api.method || 'GET', maxRedirects: 0,
  headers: api.body ? { 'Content-Type': 'application/json' } : {}, data: api.body,
})).status();

// The gateway's own logout: its page, its one button, then the app again.
// lock: { hop: the Location the app's URL must answer with (303) after
// logout, api: { path, method, body, before: its status while logged in } }:
// the same API call answers the app's status before and the gateway's 401
// after, so the 401 is the logout's doing.
async function logoutAndLockedOut(p, site, appUrl, lock) {
  if (lock.api) await step('api_logged_in', async () => {
    const s = await apiCall(p, lock.api);
    return s === lock.api.before ? '' : `${lock.api.path} answered ${s} while logged in, want the app's ${lock.api.before}`;
  });
  await step('logout', async () => {
    await p.goto(`${site}/cgi-bin/logout`);
    await Promise.all([p.waitForURL((u) => !u.pathname.startsWith('/cgi-bin/logout')),
                       p.getByRole('button', { name: 'Log out' }).click()]);
    if (!(await isLogin(p))) return `after logout: ${p.url()} "${await p.title()}", not the login page`;
    const left = (await p.context().cookies()).filter((c) => c.name.startsWith('sh_login_'));
    return left.length ? 'the session cookie is still in the browser' : '';
  });
  await step('locked_out', async () => {
    const r = await p.goto(appUrl);
    if (!(await isLogin(p))) return `${appUrl} showed ${p.url()} (status ${r && r.status()}), not the login page`;
    const hop = await firstHop(r);
    if (hop.status !== 303 || hop.location !== lock.hop)
      return `${appUrl} answered ${hop.status} to ${hop.location}, want 303 to ${lock.hop}`;
    if (lock.api) {
      const s = await apiCall(p, lock.api);
      if (s !== 401) return `after logout ${lock.api.method || 'GET'} ${lock.api.path} answered ${s}, want 401`;
    }
    // and with whatever cookies the browser kept, the gateway knows no session
    const v = await p.context().request.get(`${BASE}/cgi-bin/validate`);
    return v.status() === 401 ? '' : `validate answered ${v.status()}, want 401`;
  });
}

// Login through the form, as a user would who opened the app's URL.
async function loginByForm(p, appUrl, landing) {
  await step('login', async () => {
    await p.goto(appUrl);
    if (!(await isLogin(p))) return `${appUrl} showed ${p.url()}, not the login page`;
    await p.locator('input#token').fill(TOKEN);
    await Promise.all([p.waitForURL(landing), p.getByRole('button', { name: 'Log in' }).click()]);
    return '';
  });
}

const scenarios = {
  // A forward-auth proxy in front (README recipe): the login page, its form
  // and logout all through the proxy's origin; the app at the proxy's /.
  async proxy(p) {
    await loginByForm(p, `${PROXY}/`, `${PROXY}/`);
    await step('app', async () => {
      const t = await p.locator('h1').textContent();
      return /the app behind the proxy/.test(t) ? '' : `landed on "${t}"`;
    });
    await logoutAndLockedOut(p, PROXY, `${PROXY}/`, { hop: '/sh_login/?next=/' });
  },

  async 'jupyter-notebook'(p) {
    const nb = `${BASE}/cgi-bin/app/notebooks/cell.ipynb`;
    await loginByForm(p, nb, nb);
    await step('run_cell', async () => {
      await p.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel &&
        Jupyter.notebook.kernel.is_connected(), null, { timeout: STEP_MS });
      await p.locator('.cell .CodeMirror').first().click();
      await p.keyboard.type('print(6*7)');
      await p.keyboard.press('Shift+Enter');
      await p.locator('.output_area pre', { hasText: '42' }).first().waitFor({ timeout: STEP_MS });
      await p.keyboard.press('Control+s');      // a PUT of the notebook
      await p.waitForFunction(() => !Jupyter.notebook.dirty, null, { timeout: STEP_MS });
      return '';
    });
    await p.screenshot({ path: path.join(SHOTS, 'jupyter-notebook.png') }).catch(() => {});
    await logoutAndLockedOut(p, BASE, nb, { hop: '/?next=/cgi-bin/app/notebooks/cell.ipynb',
      api: { path: '/cgi-bin/app/api/contents', before: 200 } });
  },

  // jupyter_server has no UI: the browser uses its REST API and a kernel
  // WebSocket from a page of the app's origin, as JupyterLab would.
  async 'jupyter-server'(p) {
    const home = `${BASE}/cgi-bin/app/`;
    await step('login', async () => {
      // the one-click URL, to the server's landing page (it sets _xsrf)
      await p.goto(`${BASE}/cgi-bin/login?token=${TOKEN}&next=/cgi-bin/app/`);
      if (p.url() !== home) return `landed on ${p.url()}`;
      const status = await p.context().request.get(`${home}api/status`);
      return /"started"/.test(await status.text()) ? '' : `api/status answered ${status.status()}`;
    });
    await step('run_cell', async () => {
      const out = await p.evaluate(async (prefix) => {
        const xsrf = (document.cookie.match(/(?:^|; )_xsrf=([^;]*)/) || [])[1];
        const h = { 'Content-Type': 'application/json' };
        if (xsrf) h['X-XSRFToken'] = decodeURIComponent(xsrf);
        const r = await fetch(`${prefix}/api/kernels`, { method: 'POST', headers: h, body: '{}' });
        if (r.status !== 201) return `start kernel: ${r.status} ${await r.text()}`;
        const k = await r.json();
        const ws = new WebSocket(`ws://${location.host}${prefix}/api/kernels/${k.id}/channels`);
        const msgId = 'run-' + Date.now();
        return await new Promise((done) => {
          const t = setTimeout(() => done('no output within 30 s'), 30000);
          ws.onerror = () => done('WebSocket error');
          ws.onopen = () => ws.send(JSON.stringify({
            header: { msg_id: msgId, msg_type: 'execute_request', username: '', session: 's', version: '5.3' },
            parent_header: {}, metadata: {}, channel: 'shell',
            content: { code: 'print(6*7)', silent: false, store_history: false, user_expressions: {}, allow_stdin: false },
          }));
          ws.onmessage = (e) => {
            const m = JSON.parse(e.data);
            if (m.parent_header && m.parent_header.msg_id === msgId && m.msg_type === 'stream') {
              clearTimeout(t); ws.close(); done(m.content.text.trim() === '42' ? '' : `output ${m.content.text}`);
            }
          };
        });
      }, '/cgi-bin/app');
      return out;
    });
    await logoutAndLockedOut(p, BASE, home, { hop: '/?next=/cgi-bin/app/',
      api: { path: '/cgi-bin/app/api/contents', before: 200 } });
  },

  async transmission(p) {
    const ui = `${BASE}/cgi-bin/app/transmission/web/`;
    await loginByForm(p, ui, ui);
    await step('add_torrent', async () => {
      await p.locator('#toolbar-open').click();
      await p.locator('#torrent_upload_url').fill(
        'magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn=sh_login-test');
      await p.locator('#upload_confirm_button').click();
      await p.locator('#torrent_list li', { hasText: /sh_login-test|c12fe1c0/ }).first().waitFor({ timeout: STEP_MS });
      return '';
    });
    await p.screenshot({ path: path.join(SHOTS, 'transmission.png') }).catch(() => {});
    // the RPC without its X-Transmission-Session-Id: Transmission's 409
    await logoutAndLockedOut(p, BASE, ui, { hop: '/?next=/cgi-bin/app/transmission/web/',
      api: { path: '/cgi-bin/app/transmission/rpc', method: 'POST', body: '{"method":"session-get"}', before: 409 } });
  },

  async syncthing(p) {
    const ui = `${BASE}/cgi-bin/app/`;
    const folder = process.env.FOLDER;
    await loginByForm(p, ui, ui);
    await step('add_folder', async () => {
      await p.getByRole('button', { name: /Add Folder/ }).first().waitFor({ timeout: STEP_MS });
      // first start: the usage-reporting question comes up over the page
      // once the GUI has its config; a user answers it first
      const ur = p.locator('.modal', { hasText: 'Allow Anonymous Usage Reporting?' });
      if (await ur.waitFor({ state: 'visible', timeout: 15000 }).then(() => true, () => false)) {
        await ur.getByRole('button', { name: 'No' }).click();
        await ur.waitFor({ state: 'hidden', timeout: STEP_MS });
      }
      await p.getByRole('button', { name: /Add Folder/ }).first().click();
      await p.locator('#folderLabel').fill('sh_login test folder');
      await p.locator('#folderPath').fill(folder);
      await p.locator('#editFolder').getByRole('button', { name: /Save/ }).click();
      await p.locator('#folders', { hasText: 'sh_login test folder' }).waitFor({ timeout: STEP_MS });
      return '';
    });
    await p.screenshot({ path: path.join(SHOTS, 'syncthing.png') }).catch(() => {});
    // the REST API without its X-CSRF-Token-* header: Syncthing's 403
    await logoutAndLockedOut(p, BASE, ui, { hop: '/?next=/cgi-bin/app/',
      api: { path: '/cgi-bin/app/rest/system/status', before: 403 } });
  },

  // An app page the browser may keep a day (tests/upstream.py /cached:
  // Cache-Control max-age=86400, Expires a day ahead; issue 17). First the
  // control: with the cookies gone but no Clear-Site-Data the browser shows
  // its cached copy without asking the gateway. Then the gateway's logout
  // (Clear-Site-Data: "cache") must leave nothing to show: the login page.
  async cached(p) {
    const url = `${BASE}/cgi-bin/app/cached`;
    const served = () => p.locator('#served').textContent();
    let first = '';
    await loginByForm(p, url, url);
    await step('cacheable', async () => {
      first = await served();
      const h = await p.evaluate(async () => {
        const r = await fetch(location.href, { cache: 'no-store' });
        return [r.headers.get('cache-control'), r.headers.get('expires')];
      });
      if (h[0] !== 'max-age=86400' || !h[1]) return `the page came with Cache-Control ${h[0]}, Expires ${h[1]}`;
      const ahead = Date.parse(h[1]) - Date.now();
      return ahead > 82800e3 ? '' : `Expires is ${h[1]}, not a day ahead`;
    });
    await step('cached_without_cookies', async () => {
      const ctx = p.context();
      const kept = await ctx.cookies();
      await ctx.clearCookies();
      await p.goto('about:blank');
      await p.goto(url);
      const t = await p.title();
      const again = t === 'cached app page' ? await served() : '';
      await ctx.addCookies(kept);
      if (t !== 'cached app page') return `without cookies ${url} showed ${p.url()} "${t}", not the cached copy: this test would not see a stale cache`;
      return again === first ? '' : `served ${again}, not the cached copy of ${first}`;
    });
    await logoutAndLockedOut(p, BASE, url, { hop: '/?next=/cgi-bin/app/cached',
      api: { path: '/cgi-bin/app/echo/api', before: 200 } });
  },
};
scenarios.nginx = scenarios.proxy;
scenarios.caddy = scenarios.proxy;

async function main() {
  if (!scenarios[SCENARIO] || !BASE || !TOKEN || !SHOTS) {
    console.log(`not ok setup: unknown scenario "${SCENARIO}" or BASE, TOKEN, SHOTS unset`);
    process.exit(2);
  }
  fs.mkdirSync(SHOTS, { recursive: true });
  const browser = await launch(EXE);
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  const p = await ctx.newPage();
  page = p;
  p.setDefaultTimeout(STEP_MS);
  // every request the browser made that the gateway or proxy answered 404
  const missing = [];
  p.on('response', (r) => { if (r.status() === 404) missing.push(new URL(r.url()).pathname); });
  await scenarios[SCENARIO](p);
  // behind a proxy /favicon.ico is the app's own business
  if (!PROXY) await step('no_favicon_404', async () => {
    const f = missing.filter((u) => u === '/favicon.ico');
    return f.length ? `${f.length} × 404 for /favicon.ico` : '';
  });
  await browser.close();
  process.exit(failures ? 1 : 0);
}
main();
