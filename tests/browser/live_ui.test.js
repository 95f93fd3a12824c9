// `llmeval ui` in the browser: the run list, a run's paged item table fetched page by page with server-side filters,
// an item's detail and timeline loaded only when opened, the malicious item shown as text, and no request anywhere
// but the server on 127.0.0.1.
'use strict';

const { tally, otlpSpans } = require('./expect');
const { kScript, kImg, checkMaliciousItem } = require('./payload');

module.exports = async (t) => {
  const { assert, tid } = t;
  const base = await t.startUi();
  assert.match(base, /^http:\/\/127\.0\.0\.1:\d+\/$/, 'the UI listens on 127.0.0.1');

  // The API's headers and errors.
  const runs = await fetch(`${base}api/runs?limit=10`);
  assert.strictEqual(runs.status, 200);
  assert.match(runs.headers.get('content-type'), /^application\/json/);
  assert.strictEqual(runs.headers.get('x-content-type-options'), 'nosniff');
  assert.match(runs.headers.get('cache-control') || '', /no-store/);
  const missing = await fetch(`${base}api/runs/999999`);
  assert.strictEqual(missing.status, 404, 'an unknown run is a 404');
  assert.ok((await missing.json()).error, 'errors are JSON {"error": ...}');
  const root = await fetch(base);
  const rootHtml = await root.text();
  assert.ok(/default-src 'none'/.test(root.headers.get('content-security-policy') || '') ||
    /<meta\b[^>]*Content-Security-Policy[^>]*default-src 'none'/i.test(rootHtml), 'the live page has the CSP');

  const page = await t.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${base}#/runs`);
  await t.waitReady(page);
  await page.waitForSelector(tid('run-list-row'));
  const runIds = await t.attrs(page, tid('run-list-row'), 'data-run-id');
  assert.deepStrictEqual([...runIds].sort(), ['1', '2', '3'], 'one run-list-row per run');
  await t.screenshot(page, 'runs');

  // Run 1: the first page, then the next one.
  await t.rerender(page, () => page.click(tid('run-list-row', '[data-run-id="1"]')));
  assert.match(await page.evaluate(() => location.hash), /^#\/run\/1$/);
  await t.waitTotal(page, 130, 'run 1');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="item-row"]').length === 100);
  const firstPage = await t.attrs(page, tid('item-row'), 'data-item-id');
  assert.ok(!requests.some((u) => u.includes('/api/items/')), 'no item detail is fetched before one is opened');
  if (await page.$(tid('page-next'))) {
    await page.click(tid('page-next'));
  } else {
    await page.getByRole('button', { name: /next/i }).first().click();
  }
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="item-row"]').length === 30);
  const secondPage = await t.attrs(page, tid('item-row'), 'data-item-id');
  assert.ok(secondPage.every((id) => !firstPage.includes(id)), 'the next page shows other items');
  const pageRequests = requests.filter((u) => /\/api\/runs\/1\/items/.test(u));
  assert.ok(pageRequests.some((u) => /[?&]offset=100\b/.test(u)), `the next page was fetched: ${pageRequests}`);
  for (const u of pageRequests) {
    const limit = Number(new URL(u).searchParams.get('limit'));
    assert.ok(limit > 0 && limit <= 1000, `item pages are bounded (limit=${limit} in ${u})`);
  }

  // Server-side filters.
  const stats = tally(t.exportRun(1));
  const [failScorer, failStat] = Object.entries(stats).filter(([, s]) => s.fail > 0 && s.fail < 130)[0];
  await page.selectOption(tid('filter-failed'), failScorer);
  await t.waitTotal(page, failStat.fail, `live filter-failed=${failScorer}`);
  await page.selectOption(tid('filter-failed'), '');
  await t.waitTotal(page, 130, 'live filter-failed cleared');
  await page.fill(tid('filter-search'), 'quokka');
  await t.waitTotal(page, 5, 'live filter-search=quokka', 'quokka');
  await page.fill(tid('filter-search'), '');
  await t.waitTotal(page, 130, 'live filter-search cleared', '');

  // An item: its detail and timeline, fetched on opening.
  const first = (await t.attrs(page, tid('item-row'), 'data-item-id'))[0];
  await t.rerender(page, () => page.click(tid('item-row', `[data-item-id="${first}"]`)));
  await page.waitForSelector(`${tid('item-detail', `[data-item-id="${first}"]`)} ${tid('timeline')} ` +
    `${tid('span-row')}`);
  assert.ok(requests.some((u) => u.endsWith(`/api/items/${first}`)), 'the item detail was fetched when opened');
  const names = await t.attrs(page, tid('span-row'), 'data-span-name');
  assert.match(names[0], /^eval_item/, 'the timeline starts with the root span');

  // The malicious item of run 3.
  // Every answer of run 3 cites the payload's link title; only the first question carries it too.
  const found = await (await fetch(`${base}api/runs/3/items?q=${encodeURIComponent('<script>')}&limit=10`)).json();
  const run3 = t.exportRun(3);
  const withMarkup = run3.filter((i) => i.inputs.question.includes('<script>') || (i.output || '').includes('<script>'));
  assert.strictEqual(found.total, withMarkup.length, 'the API searches for markup as text');
  const row = found.items.find((r) => r.question.includes(kScript));
  assert.ok(row, 'the malicious question is among the results');
  const itemId = row.id;
  const exported = run3.find((i) => i.trace_id === row.trace_id);
  const spans = otlpSpans(t.llmeval(['traces', 'export', '--run', '3', '--format', 'otlp-json']).stdout);
  const tool = spans.find((s) => s.traceId === exported.trace_id.toLowerCase() && s.name.startsWith('execute_tool'));
  await t.go(page, '#/run/3');
  const prompt = await t.text(page, tid('prompt-text', '[data-prompt-name="basic"]'));
  assert.ok(prompt.includes(kScript) && prompt.includes(kImg), 'the live prompt text shows the payload as text');
  await t.go(page, `#/run/3/item/${itemId}`);
  await checkMaliciousItem(t, page, itemId, exported, tool.spanId);

  const outside = requests.filter((u) => !u.startsWith(base));
  assert.deepStrictEqual(outside, [], 'every request went to the UI server on 127.0.0.1');
};
