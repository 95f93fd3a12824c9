// Model output, prompts, questions, tool results and scorer rationales that carry <script> and onerror payloads are
// shown as text in the report and never run: not in the file's bytes as markup, not in the DOM as elements.
'use strict';

const fs = require('fs');
const { otlpSpans } = require('./expect');
const { kScript, kImg, checkMaliciousItem } = require('./payload');

module.exports = async (t) => {
  const { assert, tid } = t;
  const runId = 3;
  const exported = t.exportRun(runId);
  const item = exported.find((i) => i.inputs.question.includes(kScript));
  assert.ok(item, 'run 3 has the malicious item');
  const spans = otlpSpans(t.llmeval(['traces', 'export', '--run', String(runId), '--format', 'otlp-json']).stdout);
  const tool = spans.find((s) => s.traceId === item.trace_id.toLowerCase() && s.name.startsWith('execute_tool'));
  assert.ok(tool, 'the malicious item called the tool');

  // The file: the payload never appears as markup; the CSP is there.
  const file = t.report([runId], 'malicious.html');
  const html = fs.readFileSync(file, 'utf8');
  assert.ok(!html.includes(kScript), 'the report file contains the raw <script> payload');
  assert.ok(!/<img\s+src=x/i.test(html), 'the report file contains the raw <img> payload');
  assert.ok(!/<\/script\s*>\s*"?>?<img/i.test(html), 'the payload closed a script element');
  const csp = html.match(/<meta\b[^>]*Content-Security-Policy[^>]*>/i);
  assert.ok(csp && /default-src 'none'/.test(csp[0]), 'the report has its Content-Security-Policy meta');
  assert.ok(!/<(script|link|img|iframe|object|embed)\b[^>]*\b(src|href)\s*=/i.test(html),
    'the report loads nothing by URL (no <script src>, <link href>, ...)');

  const page = await t.newPage();
  await page.goto(`file://${file}`);
  await t.waitReady(page);
  const prompt = await t.text(page, tid('prompt-text', '[data-prompt-name="basic"]'));
  assert.ok(prompt.includes(kScript) && prompt.includes(kImg), 'the prompt text shows the payload as text');
  const rowTexts = await page.$$eval(tid('item-row'), (els) => els.map((e) => e.textContent));
  assert.ok(rowTexts.some((s) => s.includes(kScript)), 'an item-row shows the malicious question as text');
  await t.assertNothingInjected(page, 'run view');

  // Searching for the markup itself finds the item.
  const matching = exported.filter((i) => i.inputs.question.includes('<script>') ||
    (i.output || '').includes('<script>')).length;
  await page.fill(tid('filter-search'), '<script>');
  await t.waitTotal(page, matching, 'filter-search=<script>', '<script>');
  await page.fill(tid('filter-search'), '');
  await t.waitTotal(page, exported.length, 'filter-search cleared', '');

  const data = await page.evaluate(() => JSON.parse(document.getElementById('llmeval-data').textContent));
  const row = data.items[String(runId)].items.find((r) => r.trace_id === item.trace_id);
  assert.ok(row, 'the embedded data has the malicious item');
  await t.rerender(page, () => page.click(tid('item-row', `[data-item-id="${row.id}"]`)));
  await checkMaliciousItem(t, page, row.id, item, tool.spanId);
};
