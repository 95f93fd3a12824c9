// Harness: what one browser test gets (an instance per test, made by run.js).
//
// Environment (set by scripts/browser-tests.sh): LLMEVAL_BINARY (the binary under test), LLMEVAL_PROJECT (the scratch
// project, cwd of every llmeval command), LLMEVAL_ARTIFACTS (screenshots and reports go here), LLMEVAL_CHROMIUM
// (/usr/bin/chromium), LLMEVAL_PLAYWRIGHT (the installed playwright-core folder).
//
// Every page is watched: requests outside the allowed origins, uncaught page errors, Content-Security-Policy
// violations and any <script>/<img>/<iframe>/<object>/<embed> element or on* attribute added to the DOM after the page
// was parsed fail the test in finish(). Waits are on selectors and DOM state, never on sleeps.
'use strict';

const assert = require('assert');
const childProcess = require('child_process');
const fs = require('fs');
const path = require('path');

function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through scripts/browser-tests.sh`);
  return value;
}

// The data-testid selector, e.g. tid('item-row', '[data-item-id="3"]').
function tid(id, extra = '') {
  return `[data-testid="${id}"]${extra}`;
}

// Recorded in every page before any of its scripts: elements and attributes that would run code or load something.
function watchDomInPage() {
  const record = { parsed: false, suspicious: [], csp: [] };
  Object.defineProperty(window, '__llmevalWatch', { value: record });
  const kDangerous = new Set(['SCRIPT', 'IMG', 'IFRAME', 'OBJECT', 'EMBED', 'LINK', 'META', 'BASE']);
  const describe = (el) => `<${el.tagName.toLowerCase()}> ${(el.outerHTML || '').slice(0, 160)}`;
  const check = (el) => {
    if (!(el instanceof Element)) return;
    for (const e of [el, ...el.querySelectorAll('*')]) {
      if (record.parsed && kDangerous.has(e.tagName.toUpperCase())) record.suspicious.push(describe(e));
      for (const a of e.getAttributeNames()) {
        if (/^on/i.test(a)) record.suspicious.push(`${a}= on ${describe(e)}`);
      }
    }
  };
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === 'attributes') {
        if (/^on/i.test(m.attributeName)) record.suspicious.push(`${m.attributeName}= set on ${describe(m.target)}`);
      } else {
        m.addedNodes.forEach(check);
      }
    }
  }).observe(document, { childList: true, subtree: true, attributes: true });
  document.addEventListener('DOMContentLoaded', () => { record.parsed = true; });
  document.addEventListener('securitypolicyviolation', (e) => {
    record.csp.push(`${e.violatedDirective} blocked ${e.blockedURI}`);
  });
}

class Harness {
  constructor(name, browser) {
    this.name = name;
    this.browser = browser;
    this.binary = env('LLMEVAL_BINARY');
    this.project = env('LLMEVAL_PROJECT');
    this.artifacts = env('LLMEVAL_ARTIFACTS');
    this.chromium = env('LLMEVAL_CHROMIUM');
    this.assert = assert;
    this.tid = tid;
    this.log = [];
    this.contexts = [];
    this.pages = [];
    this.children = [];
    this.allowed = ['file://', 'data:', 'about:', 'blob:'];
    this.problems = [];
    this.screenshots = 0;
  }

  // Runs llmeval in the project; returns {code, stdout, stderr}. Throws when `expectCode` is given and differs.
  llmeval(args, expectCode = 0) {
    const r = childProcess.spawnSync(this.binary, args, {
      cwd: this.project, encoding: 'utf8', maxBuffer: 256 << 20, timeout: 30000,
    });
    if (r.error) throw r.error;
    if (expectCode !== null && r.status !== expectCode) {
      throw new Error(`llmeval ${args.join(' ')} exited ${r.status} (expected ${expectCode}):\n${r.stderr}${r.stdout}`);
    }
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  // `llmeval runs export RUN --format json`, parsed: [{item_id, row, repeat, inputs, output, error, assessments}].
  exportRun(runId) {
    return JSON.parse(this.llmeval(['runs', 'export', String(runId), '--format', 'json']).stdout);
  }

  // `llmeval report RUN... -o <artifacts>/<file>`; returns the file's absolute path.
  report(runIds, file) {
    const out = path.join(this.artifacts, file);
    fs.rmSync(out, { force: true });
    this.llmeval(['report', ...runIds.map(String), '-o', out]);
    assert.ok(fs.existsSync(out), `llmeval report did not write ${out}`);
    return out;
  }

  allowOrigin(prefix) {
    this.allowed.push(prefix);
  }

  // A page in a fresh browser context of the shared Chromium, watched as described above.
  async newPage() {
    const context = await this.browser.newContext({ viewport: { width: 1280, height: 900 } });
    this.contexts.push(context);
    await context.addInitScript(watchDomInPage);
    context.on('request', (request) => {
      const url = request.url();
      if (!this.allowed.some((prefix) => url.startsWith(prefix))) this.problems.push(`request outside: ${url}`);
    });
    const page = context.pages()[0] || (await context.newPage());
    page.setDefaultTimeout(30000);  // Generous: CI machines are shared and slow.
    page.on('pageerror', (err) => this.problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      const text = msg.text();
      if (msg.type() === 'error' || msg.type() === 'warning') this.log.push(`console.${msg.type()}: ${text}`);
      if (/Content Security Policy/i.test(text)) this.problems.push(`CSP violation: ${text}`);
    });
    this.pages.push(page);
    return page;
  }

  // Waits for #app[data-state=ready].
  async waitReady(page) {
    await page.waitForSelector('#app[data-state="ready"]', { state: 'attached' });
  }

  // Marks the view stale, runs `action` (which must cause a new render), then waits for the next ready state.
  async rerender(page, action) {
    await page.evaluate(() => document.getElementById('app').setAttribute('data-state', 'stale-before-test-action'));
    await action();
    await this.waitReady(page);
  }

  // Goes to location.hash `hash` and waits for the view to be ready.
  async go(page, hash) {
    await this.rerender(page, () => page.evaluate((h) => { location.hash = h; }, hash));
  }

  // Waits until items-total shows `expected`; the error names the count it showed instead. With `query`, also waits
  // until the list reflects that search text (items-total's data-q): the search box reloads after a debounce, and a
  // count that happens to equal the old one must not end the wait before that reload has replaced the rows.
  async waitTotal(page, expected, what, query) {
    try {
      await page.waitForFunction(
        ([n, q]) => {
          const el = document.querySelector('[data-testid="items-total"]');
          return el && el.getAttribute('data-count') === String(n) && (q === null || el.getAttribute('data-q') === q);
        },
        [expected, query === undefined ? null : query], { timeout: 30000 });
    } catch (err) {
      const shown = await page.$eval(tid('items-total'),
        (el) => `${el.getAttribute('data-count')} for search "${el.getAttribute('data-q')}"`).catch(() => 'none');
      throw new Error(`${what}: items-total data-count is ${shown}, expected ${expected}`);
    }
  }

  async count(page, selector) {
    return page.$$eval(selector, (els) => els.length);
  }

  // The attribute `name` of every element matching `selector`, in document order.
  async attrs(page, selector, name) {
    return page.$$eval(selector, (els, n) => els.map((e) => e.getAttribute(n)), name);
  }

  async text(page, selector) {
    return page.$eval(selector, (el) => el.textContent);
  }

  // Saves a full-page screenshot as <artifacts>/<test name>[-suffix].png.
  async screenshot(page, suffix = '') {
    const file = path.join(this.artifacts, `${this.name}${suffix ? '-' + suffix : ''}.png`);
    await page.screenshot({ path: file, fullPage: true });
    this.screenshots++;
    this.log.push(`screenshot: ${file}`);
    return file;
  }

  // Asserts the watched page saw no script/img element, on* attribute or CSP violation.
  async assertNothingInjected(page, what) {
    const watch = await page.evaluate(() => window.__llmevalWatch);
    assert.deepStrictEqual(watch.suspicious, [], `${what}: elements that could run code were created`);
    assert.deepStrictEqual(watch.csp, [], `${what}: Content-Security-Policy violations`);
    assert.strictEqual(await page.evaluate(() => typeof window.__pwned), 'undefined', `${what}: the payload ran`);
  }

  // Starts `llmeval ui --port 0 --exit-after 120` (and `extraArgs`) in the project; resolves to its base URL
  // (http://127.0.0.1:PORT/).
  startUi(extraArgs = []) {
    const child = childProcess.spawn(this.binary, ['ui', '--port', '0', '--exit-after', '120', ...extraArgs],
      { cwd: this.project, stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.push(child);
    let out = '';
    let err = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`llmeval ui printed no URL in 15 s:\n${out}${err}`)), 15000);
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)/);
        if (m) {
          clearTimeout(timer);
          const base = `http://127.0.0.1:${m[1]}/`;
          this.allowOrigin(base);
          resolve(base);
        }
      });
      child.stderr.on('data', (chunk) => { err += chunk; });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`llmeval ui exited ${code} before printing its URL:\n${out}${err}`));
      });
    });
  }

  // Closes everything; with ok, fails on the problems recorded by the watchers.
  async finish(ok) {
    if (!ok || this.screenshots === 0) {
      for (const page of this.pages) {
        if (!page.isClosed()) await this.screenshot(page, ok ? '' : 'failure').catch(() => {});
        break;
      }
    }
    for (const context of this.contexts) await context.close().catch(() => {});
    for (const child of this.children) {
      if (child.exitCode === null) child.kill('SIGTERM');
    }
    if (ok && this.problems.length > 0) {
      throw new Error(`the page misbehaved:\n  ${[...new Set(this.problems)].join('\n  ')}`);
    }
    for (const p of new Set(this.problems)) this.log.push(p);
  }
}

// Launches the one Chromium all tests share: Debian's binary, headless, no sandbox, no network of its own (no
// background networking, component updates, sync or QUIC; DNS answers nothing but 127.0.0.1), and a fresh
// temporary user-data-dir that playwright makes for this launch and removes on close.
async function launchChromium() {
  const playwright = require(env('LLMEVAL_PLAYWRIGHT'));
  return playwright.chromium.launch({
    executablePath: env('LLMEVAL_CHROMIUM'),
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
    timeout: 30000,
  });
}

module.exports = { Harness, launchChromium, tid };
