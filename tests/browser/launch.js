// launch.js - headless chromium for the browser suites (e2e.js, apps.js):
// Debian's /usr/bin/chromium (or EXE) driven by playwright-core, with a
// fresh profile (playwright's launch makes a new temporary --user-data-dir
// each time and removes it on close) and nothing that phones home or
// updates itself. CHROMIUM_ARGS (space-separated) adds flags: over HTTPS
// (browser_test.sh FRONT=https) the one that trusts the gateway's
// certificate by its key's hash (--ignore-certificate-errors-spki-list),
// nothing wider. When it cannot start: prints "not ok launch: why" (the
// suites' line format) and exits 2.
'use strict';
const { chromium } = require('playwright-core');

module.exports = async function launch(exe) {
  try {
    return await chromium.launch({
      executablePath: exe, headless: true, timeout: 60000,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync']
        .concat(process.env.CHROMIUM_ARGS ? process.env.CHROMIUM_ARGS.split(' ') : []),
    });
  } catch (e) {
    console.log(`not ok launch: ${String(e.message || e).split('\n')[0]}`);
    process.exit(2);
  }
};
