// A tiny test runner for the headless-Chromium tests of `llmeval report` and `llmeval ui` (started by
// scripts/browser-tests.sh, which makes the scratch project and installs playwright-core).
//
// Each tests/browser/<name>.test.js exports `async function (t)`; `t` (see harness.js) gives a fresh browser context,
// the llmeval binary, the project and the artifacts folder. Tests run one after another in one Chromium (a fresh
// browser context each), under a per-test time limit. Prints one line per test and a closing
// "N passed, N failed"; exits 1 when any test failed.
//
// Usage: node run.js [NAME...]       (environment: see harness.js)
'use strict';

const fs = require('fs');
const path = require('path');
const { Harness, launchChromium } = require('./harness');

const kTestTimeoutMs = 120000;

async function main() {
  const wanted = process.argv.slice(2);
  let names = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).map((f) => f.slice(0, -8)).sort();
  if (wanted.length > 0) {
    const unknown = wanted.filter((w) => !names.includes(w));
    if (unknown.length > 0) {
      console.error(`unknown test(s): ${unknown.join(', ')}; have: ${names.join(', ')}`);
      process.exit(2);
    }
    names = names.filter((n) => wanted.includes(n));
  }
  const browser = await launchChromium();
  let passed = 0;
  let failed = 0;
  for (const name of names) {
    const test = require(path.join(__dirname, `${name}.test.js`));
    const t = new Harness(name, browser);
    const started = Date.now();
    let timer;
    try {
      await Promise.race([
        test(t),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${kTestTimeoutMs} ms`)), kTestTimeoutMs);
        }),
      ]);
      await t.finish(true);
      passed++;
      console.log(`PASS ${name} (${Date.now() - started} ms)`);
    } catch (err) {
      await t.finish(false).catch((e) => console.error(`  cleanup: ${e.message}`));
      failed++;
      console.log(`FAIL ${name} (${Date.now() - started} ms)`);
      console.log(`  ${(err && err.stack) || err}`.replace(/\n/g, '\n  '));
      for (const line of t.log) console.log(`  | ${line}`);
    } finally {
      clearTimeout(timer);
    }
  }
  await browser.close();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
