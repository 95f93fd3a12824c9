// The report of one run (file://): metadata, per-scorer figures equal to `llmeval runs export`, the category
// breakdown, and every filter of the item table (failed scorer, any failure, errors, category, text search).
'use strict';

const fs = require('fs');
const path = require('path');
const { tally, percent } = require('./expect');

module.exports = async (t) => {
  const { assert, tid } = t;
  const runId = 1;
  const items = t.exportRun(runId);
  assert.strictEqual(items.length, 130, 'the scratch run has 130 items');
  const stats = tally(items);
  const file = t.report([runId], 'report_one.html');

  const page = await t.newPage();
  await page.goto(`file://${file}`);
  await t.waitReady(page);

  // Metadata: the prompt's text (shown as text, payload and all), the model, the dataset.
  const meta = await t.text(page, tid('run-meta'));
  assert.match(meta, /sim/, 'run-meta names the model');
  assert.match(meta, /questions\.csv/, 'run-meta names the dataset');
  const promptFile = fs.readFileSync(path.join(t.project, 'prompts', 'basic.txt'), 'utf8');
  const promptText = await t.text(page, tid('prompt-text', '[data-prompt-name="basic"]'));
  assert.strictEqual(promptText.trim(), promptFile.trim(), 'prompt-text shows the prompt version verbatim');

  // The chart: an SVG with something drawn per scorer.
  const chart = await page.$eval(tid('scorer-chart'), (el) => {
    const svg = el.tagName.toLowerCase() === 'svg' ? el : el.querySelector('svg');
    return svg ? svg.querySelectorAll('rect, line, path, circle').length : -1;
  });
  assert.ok(chart >= Object.keys(stats).length, `scorer-chart draws its bars in SVG (found ${chart} shapes)`);

  // Per-scorer figures equal the export's.
  for (const [scorer, s] of Object.entries(stats)) {
    const sel = tid('scorer-stat', `[data-scorer="${scorer}"]`);
    assert.strictEqual(await t.count(page, sel), 1, `one scorer-stat for ${scorer}`);
    const shown = await page.$eval(sel, (el) => ({
      passed: el.getAttribute('data-passed'),
      failed: el.getAttribute('data-failed'),
      rate: (el.querySelector('[data-testid="pass-rate"]') || {}).textContent,
    }));
    assert.strictEqual(shown.passed, String(s.pass), `${scorer}: data-passed`);
    assert.strictEqual(shown.failed, String(s.fail), `${scorer}: data-failed`);
    const rate = parseFloat(String(shown.rate).replace(/[^0-9.]/g, ''));
    assert.ok(/%/.test(shown.rate) && Math.abs(rate - percent(s)) < 0.051,
      `${scorer}: pass-rate "${shown.rate}", expected ${percent(s).toFixed(1)}%`);
  }

  // The category breakdown: a row per category and scorer.
  const categories = [...new Set(items.map((i) => i.inputs.category))].sort();
  for (const category of categories) {
    const sel = tid('category-row', `[data-category="${category}"][data-scorer="enough_words"]`);
    assert.ok((await t.count(page, sel)) >= 1, `category-row for ${category} x enough_words`);
  }

  // The table: all items, paged by 100.
  await t.waitTotal(page, items.length, 'unfiltered');
  assert.strictEqual(await t.count(page, tid('item-row')), 100, 'the first page shows 100 item rows');
  await t.screenshot(page);

  // Filter: one scorer failed.
  const failing = Object.entries(stats).filter(([, s]) => s.fail > 0 && s.fail < items.length)
    .sort((a, b) => a[1].fail - b[1].fail)[0];
  assert.ok(failing, 'some scorer fails on some items');
  const [failScorer, failStat] = failing;
  await page.selectOption(tid('filter-failed'), failScorer);
  await t.waitTotal(page, failStat.fail, `filter-failed=${failScorer}`);
  assert.strictEqual(await t.count(page, tid('item-row')), Math.min(100, failStat.fail), 'rows shown = matches');

  // Filter: any scorer failed.
  const anyFailed = items.filter((i) => i.assessments.some((a) => a.outcome === 'fail')).length;
  await page.selectOption(tid('filter-failed'), '*');
  await t.waitTotal(page, anyFailed, 'filter-failed=*');
  await page.selectOption(tid('filter-failed'), '');
  await t.waitTotal(page, items.length, 'filter-failed cleared');

  // Filter: errors (an item error or an errored assessment).
  const errored = items.filter((i) => i.error || i.assessments.some((a) => a.outcome === 'error')).length;
  await page.check(tid('filter-errors'));
  await t.waitTotal(page, errored, 'filter-errors');
  await page.uncheck(tid('filter-errors'));
  await t.waitTotal(page, items.length, 'filter-errors cleared');

  // Filter: category.
  const git = items.filter((i) => i.inputs.category === 'Git').length;
  assert.ok(git > 0 && git < items.length);
  await page.selectOption(tid('filter-category'), 'Git');
  await t.waitTotal(page, git, 'filter-category=Git');
  const rowIds = await t.attrs(page, tid('item-row'), 'data-item-id');
  assert.strictEqual(rowIds.length, git, 'category filter: one row per Git item');
  await page.selectOption(tid('filter-category'), '');
  await t.waitTotal(page, items.length, 'filter-category cleared');

  // Filter: text search (case-insensitive, over the question and the answer); "quokka" is in 5 questions only.
  const quokka = items.filter((i) => /quokka/i.test(i.inputs.question) || /quokka/i.test(i.output || '')).length;
  assert.ok(quokka > 0 && quokka < items.length);
  await page.fill(tid('filter-search'), 'QuOkKa');
  await t.waitTotal(page, quokka, 'filter-search=QuOkKa', 'QuOkKa');
  const shownText = await page.$$eval(tid('item-row'), (els) => els.map((e) => e.textContent));
  assert.ok(shownText.every((s) => /quokka/i.test(s)), 'every row found by search mentions quokka');

  // Filters combine: search and category.
  await page.selectOption(tid('filter-category'), 'Git');
  const both = items.filter((i) => i.inputs.category === 'Git' &&
    (/quokka/i.test(i.inputs.question) || /quokka/i.test(i.output || ''))).length;
  await t.waitTotal(page, both, 'filter-search=quokka + filter-category=Git');
  await t.assertNothingInjected(page, 'report of run 1');
};
