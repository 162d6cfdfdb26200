// e2e.js - the login page in a real browser: Debian's headless chromium,
// driven by playwright-core. Run by tests/browser_test.sh against a real
// sh_login (busybox httpd, the CGIs, the built-in demo app).
//
//   node e2e.js   with BASE (gateway URL), TOKEN, SHOTS (screenshot folder),
//                 CHROMIUM (default /usr/bin/chromium)
//
// Prints one line per check, "ok NAME" or "not ok NAME: why", and exits 1 if
// any failed (2 if the browser could not start). The shell suite asserts on
// each line, so a check that never ran is a failure too.
'use strict';
const fs = require('fs');
const path = require('path');
const launch = require('./launch');

const BASE = process.env.BASE;
const TOKEN = process.env.TOKEN;
const SHOTS = process.env.SHOTS;
const EXE = process.env.CHROMIUM || '/usr/bin/chromium';
const STEP_MS = 15000;   // per navigation / wait: generous for a loaded 2-core box

let failures = 0;
function report(name, ok, why) {
  if (ok) console.log(`ok ${name}`);
  else { failures++; console.log(`not ok ${name}: ${why}`); }
}
async function check(name, fn) {
  try {
    const why = await fn();
    report(name, !why, why);
  } catch (e) {
    report(name, false, String(e && e.message || e).split('\n')[0]);
  }
}

// WCAG 2 contrast of every visible text element against the background it
// is painted on (the nearest ancestor with an opaque background), computed
// in the page from the styles the browser actually applied.
function contrastProbe() {
  const parse = (s) => {
    const m = s.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const bgOf = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0.5) return c;
    }
    return parse(getComputedStyle(document.documentElement).backgroundColor) || { r: 255, g: 255, b: 255, a: 1 };
  };
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (!el.offsetParent && getComputedStyle(el).position !== 'fixed') continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const fg = parse(getComputedStyle(el).color);
    out.push({ what: el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''),
               ratio: Math.round(ratio(fg, bgOf(el)) * 100) / 100 });
  }
  const field = document.querySelector('input[type=password]');
  if (field) {
    const border = parse(getComputedStyle(field).borderTopColor);
    out.push({ what: 'input border (non-text, 3:1)', ratio: Math.round(ratio(border, bgOf(field.parentElement)) * 100) / 100, min: 3 });
  }
  return out;
}

async function main() {
  if (!BASE || !TOKEN || !SHOTS) {
    console.log('not ok setup: BASE, TOKEN and SHOTS must be set');
    process.exit(2);
  }
  fs.mkdirSync(SHOTS, { recursive: true });
  const plain = await launch(EXE);
  const ctx = (opts) => plain.newContext(Object.assign({ viewport: { width: 900, height: 700 } }, opts));

  // 1. Without JavaScript: type the token, submit, land on the app.
  await check('login_without_javascript', async () => {
    const c = await ctx({ javaScriptEnabled: false });
    const p = await c.newPage();
    p.setDefaultTimeout(STEP_MS);
    const r = await p.goto(`${BASE}/`);
    if (r.status() !== 200) return `login page answered ${r.status()}`;
    await p.getByLabel('Token').fill(TOKEN);
    await Promise.all([p.waitForURL(`${BASE}/cgi-bin/app/`), p.getByRole('button', { name: 'Log in' }).click()]);
    const h1 = await p.locator('h1').textContent();
    await c.close();
    return /you are behind sh_login/.test(h1) ? '' : `landed on a page saying "${h1}"`;
  });

  // 2. Typing the token and pressing Enter (JavaScript on, as most users).
  await check('login_with_enter_key', async () => {
    const c = await ctx();
    const p = await c.newPage();
    p.setDefaultTimeout(STEP_MS);
    await p.goto(`${BASE}/`);
    const focused = await p.evaluate(() => document.activeElement && document.activeElement.id);
    if (focused !== 'token') return `autofocus is on "${focused}", not the token field`;
    await p.keyboard.type(TOKEN);
    await Promise.all([p.waitForURL(`${BASE}/cgi-bin/app/`), p.keyboard.press('Enter')]);
    const body = await p.textContent('body');
    // logged in: the login page now sends the browser on to the app
    await p.goto(`${BASE}/`);
    const again = p.url();
    await c.close();
    if (!/you are behind sh_login/.test(body)) return 'the app page did not show';
    return again === `${BASE}/cgi-bin/app/` ? '' : `a logged-in visit to / stayed at ${again}`;
  });

  // 3. A wrong token: 403, the message in the alert region, the field again.
  await check('wrong_token_shows_message', async () => {
    const c = await ctx({ colorScheme: 'light' });
    const p = await c.newPage();
    p.setDefaultTimeout(STEP_MS);
    await p.goto(`${BASE}/`);
    await p.getByLabel('Token').fill('not-the-token-0000');
    const [r] = await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Log in' }).click()]);
    const alert = p.getByRole('alert');
    const text = (await alert.textContent()).trim();
    const visible = await alert.isVisible();
    await p.screenshot({ path: path.join(SHOTS, 'login-wrong-token-light.png') });
    await p.emulateMedia({ colorScheme: 'dark' });
    await p.screenshot({ path: path.join(SHOTS, 'login-wrong-token-dark.png') });
    const field = await p.getByLabel('Token').count();
    const cookies = await c.cookies();
    await c.close();
    if (r.status() !== 403) return `status ${r.status()}, want 403`;
    if (!visible || !/Wrong token/.test(text)) return `alert visible=${visible} text="${text}"`;
    if (field !== 1) return 'no token field to try again';
    return cookies.length === 0 ? '' : `a wrong token set cookies: ${cookies.map((x) => x.name)}`;
  });

  // 4. The one-click URL logs in, and the token leaves the address bar.
  await check('one_click_url_hides_token', async () => {
    const c = await ctx();
    const p = await c.newPage();
    p.setDefaultTimeout(STEP_MS);
    await p.goto(`${BASE}/cgi-bin/login?token=${encodeURIComponent(TOKEN)}`);
    await p.waitForURL(`${BASE}/cgi-bin/app/`);
    const url = p.url();
    const h1 = await p.locator('h1').textContent();
    const history = await p.evaluate(() => history.length);
    const cookies = await c.cookies();
    await c.close();
    if (url.includes(TOKEN) || url.includes('token=')) return `address bar holds the token: ${url}`;
    if (!/you are behind sh_login/.test(h1)) return `landed on "${h1}"`;
    if (cookies.some((x) => x.value.includes(TOKEN))) return 'a cookie carries the token';
    // over https (sh_login --tls) the cookie must be Secure with the __Host- prefix
    const tls = BASE.startsWith('https:');
    return cookies.some((x) => x.httpOnly && (tls ? x.secure && x.name.startsWith('__Host-sh_login_')
                                                  : x.name.startsWith('sh_login_'))) ? '' :
      `no HttpOnly${tls ? ' Secure __Host-' : ''} session cookie (history ${history})`;
  });

  // 4b. A one-click URL followed from another site (Sec-Fetch-Site:
  //     cross-site): not compared, a page with one button; the button posts
  //     the token from the gateway's own page (Origin: null under its
  //     no-referrer policy, Sec-Fetch-Site: same-origin) and logs in.
  await check('one_click_from_another_site_confirms', async () => {
    const c = await ctx();
    const p = await c.newPage();
    p.setDefaultTimeout(STEP_MS);
    const link = `${BASE}/cgi-bin/login?token=${encodeURIComponent(TOKEN)}`;
    await p.route('http://other.example/**', (r) => r.fulfill({ contentType: 'text/html',
      body: `<!doctype html><a id="go" href="${link}">open the app</a>` }));
    await p.goto('http://other.example/');
    const [r] = await Promise.all([p.waitForNavigation(), p.click('#go')]);
    const sfs = (await r.request().allHeaders())['sec-fetch-site'];
    const before = (await c.cookies()).length;
    const button = p.getByRole('button', { name: 'Continue to log in' });
    if (r.status() !== 200 || (await button.count()) !== 1)
      return `from another site (Sec-Fetch-Site ${sfs}): ${r.status()}, no "Continue to log in" button`;
    await Promise.all([p.waitForURL(`${BASE}/cgi-bin/app/`), button.click()]);
    const h1 = await p.locator('h1').textContent();
    await c.close();
    if (before !== 0) return 'the cross-site GET set a cookie';
    return /you are behind sh_login/.test(h1) ? '' : `after the button: "${h1}"`;
  });

  // 4c. The logout page's button works in the browser (its POST carries
  //     Origin: null and Sec-Fetch-Site: same-origin) and ends the session.
  await check('logout_button', async () => {
    const c = await ctx();
    const p = await c.newPage();
    p.setDefaultTimeout(STEP_MS);
    await p.goto(`${BASE}/cgi-bin/login?token=${encodeURIComponent(TOKEN)}`);
    await p.waitForURL(`${BASE}/cgi-bin/app/`);
    await p.goto(`${BASE}/cgi-bin/logout`);
    let origin = '(none)';
    p.on('request', (q) => { if (q.method() === 'POST') origin = q.headers().origin || '(none)'; });
    const [r] = await Promise.all([p.waitForResponse((x) => x.request().method() === 'POST'),
                                   p.getByRole('button', { name: 'Log out' }).click()]);
    await p.waitForURL(`${BASE}/`);
    const left = (await c.cookies()).filter((x) => x.name.includes('sh_login_'));
    await p.goto(`${BASE}/cgi-bin/app/`);
    const title = await p.title();
    await c.close();
    if (r.status() !== 303) return `the logout POST (Origin ${origin}) answered ${r.status()}`;
    if (left.length) return `a session cookie is left: ${left.map((x) => x.name)}`;
    return title === 'Log in · sh_login' ? '' : `after logout the app showed "${title}"`;
  });

  // 5. Keyboard: focus starts in the field, Tab goes to the button and
  //    Shift+Tab back, and both show a focus ring.
  await check('focus_order_and_ring', async () => {
    const c = await ctx();
    const p = await c.newPage();
    p.setDefaultTimeout(STEP_MS);
    await p.goto(`${BASE}/`);
    const active = () => p.evaluate(() => {
      const e = document.activeElement;
      return e === document.body ? 'body' : e.id || e.tagName.toLowerCase();
    });
    const ring = () => p.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    const order = [await active()];
    await p.keyboard.press('Tab');
    order.push(await active());
    const rings = [await ring()];
    await p.keyboard.press('Shift+Tab');
    order.push(await active());
    rings.unshift(await ring());
    await c.close();
    if (order.join(' > ') !== 'token > button > token') return `focus order ${order.join(' > ')}`;
    return rings[0] !== 'none' && rings[1] !== 'none' ? '' : `focus outlines ${rings.join(', ')}`;
  });

  // 6. Contrast >= 4.5:1 for every text, light and dark, with the message shown.
  for (const scheme of ['light', 'dark']) {
    await check(`contrast_${scheme}`, async () => {
      const c = await ctx({ colorScheme: scheme });
      const p = await c.newPage();
      p.setDefaultTimeout(STEP_MS);
      await p.goto(`${BASE}/`);
      await p.screenshot({ path: path.join(SHOTS, `login-${scheme}.png`) });
      const bad = [];
      const pages = [p];
      await p.getByLabel('Token').fill('wrong-wrong-wrong-1');
      await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Log in' }).click()]);
      for (const r of await p.evaluate(contrastProbe))
        if (r.ratio < (r.min || 4.5)) bad.push(`${r.what} ${r.ratio}`);
      // an error page rendered by cgi_fail (401 from validate, as a browser asks)
      const q = await c.newPage();
      pages.push(q);
      const er = await q.goto(`${BASE}/cgi-bin/validate`);
      await q.screenshot({ path: path.join(SHOTS, `error-401-${scheme}.png`) });
      for (const r of await q.evaluate(contrastProbe))
        if (r.ratio < (r.min || 4.5)) bad.push(`error page: ${r.what} ${r.ratio}`);
      const styled = await q.evaluate(() => getComputedStyle(document.querySelector('.card')).borderRadius);
      await c.close();
      if (er.status() !== 401) return `validate answered ${er.status()}, want 401`;
      if (styled === '0px') return 'the error page is not styled like the login page';
      return bad.length ? `below the minimum: ${bad.join('; ')}` : '';
    });
  }

  // 7. A phone: no sideways scrolling, big enough tap targets, 16px text
  //    in the field (smaller makes mobile browsers zoom in).
  await check('phone_layout', async () => {
    const c = await ctx({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const p = await c.newPage();
    p.setDefaultTimeout(STEP_MS);
    await p.goto(`${BASE}/`);
    const m = await p.evaluate(() => {
      const box = (s) => document.querySelector(s).getBoundingClientRect();
      return {
        scroll: document.documentElement.scrollWidth, width: window.innerWidth,
        field: box('#token').height, button: box('button').height,
        right: Math.max(box('#token').right, box('button').right),
        font: parseFloat(getComputedStyle(document.querySelector('#token')).fontSize),
      };
    });
    await p.screenshot({ path: path.join(SHOTS, 'login-phone.png') });
    await c.close();
    if (m.scroll > m.width) return `page is ${m.scroll}px wide on a ${m.width}px screen`;
    if (m.right > m.width) return 'the form does not fit the screen';
    if (m.field < 44 || m.button < 44) return `tap targets ${m.field}px / ${m.button}px, want >= 44`;
    return m.font >= 16 ? '' : `field font ${m.font}px, want >= 16`;
  });

  await plain.close();
  process.exit(failures ? 1 : 0);
}

main().catch((e) => {
  console.log(`not ok crashed: ${String(e && e.stack || e).split('\n')[0]}`);
  process.exit(2);
});
